#!/bin/sh
# Runs one libFuzzer target for a bounded time.
#   run-fuzz.sh TARGET SEED_CORPUS_DIR SECONDS
# The seed corpus (in the source tree) is first replayed as regression
# inputs, then the target fuzzes for SECONDS with new inputs kept in a
# scratch directory, so the tree is never written to. Any crash, leak,
# sanitizer finding, GLib warning or timeout fails the run; the input that
# did it is left next to the target (crash-*, leak-*, timeout-*) to be
# added to the seed corpus once fixed.
set -e
target=$1
seeds=$2
seconds=${3:-30}
name=$(basename "$target")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
artifacts="$(dirname "$target")/artifacts-$name/"
mkdir -p "$artifacts"

# Findings are fatal: no sanitizer report is allowed to scroll past.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}abort_on_error=1:detect_leaks=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"

echo "== $name: replaying $(ls "$seeds" | wc -l) seed inputs"
"$target" -runs=0 "$seeds"
echo "== $name: fuzzing for $seconds s"
"$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -max_len=65536 -print_final_stats=1 -artifact_prefix="$artifacts" \
  "$work" "$seeds" 2>&1 | tee "$work/log" | grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units|==[0-9]+==ERROR|SUMMARY|Done )' || true
# tee hides the target's exit status: a finding is what libFuzzer says.
if grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|libFuzzer)|runtime error|deadly signal|Test unit written' "$work/log"; then
  echo "== $name: FINDING" >&2
  tail -80 "$work/log" >&2
  exit 1
fi
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log")
echo "== $name: $execs executions in $seconds s, no finding"
