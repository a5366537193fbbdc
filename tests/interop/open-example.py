#!/usr/bin/python3
# Runs an example that serves a page (examples/browser_call.py) and opens
# that page in headless Chromium through browser.cjs; exits with the
# example's status. Run by run-interop.sh --example, in its namespace.
#
#   open-example.py EXAMPLE [example arguments...]

import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
FLAGS = ["--no-sandbox", "--disable-gpu", "--use-fake-ui-for-media-stream",
         "--use-fake-device-for-media-stream",
         "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]


def main():
    example = subprocess.Popen(["/usr/bin/python3", "-u"] + sys.argv[1:],
                               stdout=subprocess.PIPE, text=True)
    url = None
    for line in example.stdout:
        print(line, end="", flush=True)
        m = re.search(r"http://127\.0\.0\.1:\d+/", line)
        if m:
            url = m.group(0)
            break
    if url is None:
        print("FAILED: the example printed no address")
        return example.wait() or 1
    env = dict(os.environ, RTC_CHROMIUM_FLAGS=json.dumps(FLAGS))
    with tempfile.TemporaryDirectory(prefix="rtcpeer-chromium-") as profile:
        browser = subprocess.Popen(
            ["node", os.path.join(HERE, "browser.cjs"), url, profile],
            stdin=subprocess.PIPE, env=env)
        for line in example.stdout:
            print(line, end="", flush=True)
        status = example.wait()
        browser.stdin.close()
        try:
            browser.wait(20)
        except subprocess.TimeoutExpired:
            browser.kill()
            browser.wait()
    return status


if __name__ == "__main__":
    sys.exit(main())
