// rtcpeer interop: opens the test page in Debian's Chromium, headless,
// through playwright-core, and keeps it open until standard input closes.
//
//   node browser.cjs URL PROFILE_DIR
// RTC_CHROMIUM_FLAGS: a JSON array of command-line flags for Chromium.
"use strict";

const { chromium } = require("playwright-core");

async function main() {
  const [url, profile] = process.argv.slice(2);
  const flags = JSON.parse(process.env.RTC_CHROMIUM_FLAGS || "[]");
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: flags,
  });
  const page = context.pages()[0] || (await context.newPage());
  page.on("console", (m) => process.stderr.write(`[console] ${m.text()}\n`));
  page.on("pageerror", (e) => process.stderr.write(`[page error] ${e}\n`));
  await page.goto(url);
  await new Promise((resolve) => {
    process.stdin.on("end", resolve);
    process.stdin.on("error", resolve);
    process.stdin.resume();
  });
  await context.close();
}

main().then(() => process.exit(0), (e) => {
  process.stderr.write(`browser driver: ${e && e.stack ? e.stack : e}\n`);
  process.exit(1);
});
