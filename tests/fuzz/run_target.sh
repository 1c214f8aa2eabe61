#!/usr/bin/env bash
# One fuzz test of ctest: replays the committed regressions of a target, then fuzzes it for
# SECONDS from its committed corpus, and prints the executions, the new inputs and the crashes.
# The committed folders are only read; new inputs and crash files go under WORK/<target>/.
# Usage: run_target.sh FUZZER TARGET SECONDS WORK
set -euo pipefail
fuzzer=$1 target=$2 seconds=$3 work=$4/$2
here=$(cd "$(dirname "$0")" && pwd)
corpus=$here/corpus/$target
rm -rf "$work" && mkdir -p "$work/new" "$work/artifacts"
. "$here/options.sh"
fuzz_options "$target" "$work/artifacts"

if ! fuzz_replay "$fuzzer" "$target" "$work/regressions.log"; then
  tail -20 "$work/regressions.log"
  echo "fuzz_$target: a committed regression fails again (log: $work/regressions.log)"
  exit 1
fi

status=0
"$fuzzer" "${options[@]}" -max_total_time="$seconds" -print_final_stats=1 \
  "$work/new" "$corpus" >"$work/fuzz.log" 2>&1 || status=$?
executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/fuzz.log" | tail -1)
found=$(find "$work/new" -type f | wc -l)
crashes=$(find "$work/artifacts" -type f | wc -l)
echo "fuzz_$target: ${executions:-0} executions in ${seconds}s from $(find "$corpus" -type f | wc -l)" \
  "corpus inputs, $found new inputs, $crashes crashes" | tee "$work/summary.txt"
if [ "$status" -ne 0 ] || [ "$crashes" -ne 0 ]; then
  grep -E 'ERROR|invariant|uncaught|SUMMARY' "$work/fuzz.log" | head -20 || true
  echo "fuzz_$target: failed (status $status); inputs in $work/artifacts/, log $work/fuzz.log;" \
    "once fixed, the input belongs in tests/fuzz/regressions/$target/"
  exit 1
fi
