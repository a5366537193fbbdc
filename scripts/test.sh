#!/bin/sh
# The README's second command: install what is missing, build, run every
# test suite, and print one summary line "N passed, M failed".
#   scripts/test.sh            the whole suite in build/, then again under
#                              ASan+UBSan (leak checks on) in build-asan/
#   scripts/test.sh --quick    build/ only
#   scripts/test.sh --asan     build-asan/ only
#   scripts/test.sh --fuzz     build-fuzz/ only: every libFuzzer target
#                              (tests/fuzz/) for RTC_FUZZ_SECONDS (30) each
set -e
cd "$(dirname "$0")/.."
sh scripts/deps.sh

run_suite () {
  dir=$1; shift
  sh scripts/build.sh "$dir" "$@"
  # The tests load plugins in-process (an instrumented plugin cannot go
  # through the uninstrumented gst-plugin-scanner). Scan the system plugins
  # beforehand with the scanner, so that tests load only what they use and
  # not every plugin on the machine (some leak at load time).
  GST_REGISTRY="$dir/tests/registry.bin" GST_PLUGIN_PATH= \
    gst-inspect-1.0 >/dev/null 2>&1 || true
  # meson's own exit status is read from the JSON log below, so that one
  # failing test does not hide the count.
  meson test -C "$dir" --print-errorlogs --num-processes 2 || true
}

# The fuzz targets, with clang, each for a bounded time; a finding fails
# its test like any other.
run_fuzz () {
  CC=clang sh scripts/build.sh build-fuzz -Dfuzzing=true -Dtests=disabled \
    -Db_sanitize=address,undefined -Db_lundef=false \
    -Dfuzz-seconds="${RTC_FUZZ_SECONDS:-30}"
  meson configure build-fuzz -Dfuzz-seconds="${RTC_FUZZ_SECONDS:-30}"
  meson test -C build-fuzz --suite fuzz --print-errorlogs \
    --num-processes 2 || true
}

if [ "$1" = "--asan" ]; then
  run_suite build-asan -Db_sanitize=address,undefined -Db_lundef=false
  dirs="build-asan"
elif [ "$1" = "--fuzz" ]; then
  run_fuzz
  dirs="build-fuzz"
elif [ "$1" = "--quick" ]; then
  run_suite build
  dirs="build"
else
  run_suite build
  run_suite build-asan -Db_sanitize=address,undefined -Db_lundef=false
  run_fuzz
  dirs="build build-asan build-fuzz"
fi

/usr/bin/python3 - $dirs <<'PY'
import json, sys
passed = failed = skipped = 0
fails = []
for d in sys.argv[1:]:
    with open(f"{d}/meson-logs/testlog.json") as f:
        for line in f:
            r = json.loads(line)
            res = r["result"]
            if res in ("OK", "EXPECTEDFAIL"):
                passed += 1
            elif res == "SKIP":
                skipped += 1
            else:
                failed += 1
                fails.append((d, r))
# The end of each failure's output comes last, next to the summary: CI
# shows only the tail of what ran.
for d, r in fails:
    out = (r.get("stdout") or "").splitlines()
    print(f"----- {d}: {r['name']} ({r['result']}), last lines:")
    print("\n".join(out[-40:]))
    # meson keeps stderr apart: criticals, sanitizer reports and the stack
    # printed by tests/support/crash-trace.c are there
    err = (r.get("stderr") or "").splitlines()
    if err:
        print(f"----- {r['name']}, last lines of stderr:")
        print("\n".join(err[-60:]))
for d, r in fails:
    print(f"FAILED: {d}: {r['name']} ({r['result']})")
print(f"{passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed or passed == 0 else 0)
PY
