#!/usr/bin/env bash
# Fuzzes jjstat with libFuzzer for longer than check.sh does: builds the targets of tests/fuzz/
# (scripts/fuzz-build.sh), replays the committed regressions, runs each target for SECONDS
# (default 60) with -jobs=1, merges what it found into tests/fuzz/corpus/<target>/ (minimised
# with -merge=1), and prints the executions, corpus size and crashes of each target. Exit status
# 1 when a target crashed; the input is in build-fuzz/artifacts/<target>/ and belongs, once
# fixed, in tests/fuzz/regressions/<target>/ (the unit tests and check.sh replay that folder).
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]   (targets: csv decimal dataset cli)
# JJSTAT_FUZZ_BUILD=DIR builds elsewhere than build-fuzz/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(csv decimal dataset cli)
build=${JJSTAT_FUZZ_BUILD:-$root/build-fuzz}

scripts/deps.sh test # clang and libFuzzer are test packages
JJSTAT_FUZZ_BUILD=$build scripts/fuzz-build.sh
fuzzers=$build/tests/fuzz

# Seeds of this run (its own folder, so that two runs on different targets can share a build).
seeds=$(mktemp -d "$build/seeds.XXXXXX")
trap 'rm -rf "$seeds"' EXIT
tests/fuzz/make_seeds.sh "$seeds" >/dev/null

. tests/fuzz/options.sh
failed=0
summary=""
for t in "${targets[@]}"; do
  fuzzer="$fuzzers/fuzz_$t"
  corpus="$root/tests/fuzz/corpus/$t"
  work="$build/work/$t"
  artifacts="$build/artifacts/$t"
  mkdir -p "$corpus" "$artifacts"
  rm -rf "$work" && mkdir -p "$work/new" "$work/merged" "$work/run"
  fuzz_options "$t" "$artifacts"

  # The committed regressions must pass before any new fuzzing.
  fuzz_replay "$fuzzer" "$t" "$work/regressions.log" || {
    echo "$t: a committed regression fails again (see $work/regressions.log)" >&2
    failed=1
  }

  echo "== fuzzing $t for ${seconds}s" >&2
  status=0
  (cd "$work/run" && "$fuzzer" "${options[@]}" -max_total_time="$seconds" -jobs=1 \
    -print_final_stats=1 "$work/new" "$corpus" "$seeds/$t") >/dev/null 2>&1 || status=$?
  log="$work/run/fuzz-0.log"
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" 2>/dev/null | tail -1 || true)
  [ -n "$executions" ] || executions=$(grep -o '^#[0-9]*' "$log" 2>/dev/null | tail -1 | tr -d "#" || true)

  # New interesting inputs join the committed corpus, which is minimised again as a whole. Edge
  # coverage (-use_counters=0) keeps it small enough to commit (under 200 files); the greedy set
  # cover of -set_cover_merge=1 takes over when plain -merge=1 keeps more than that.
  "$fuzzer" "${options[@]}" -merge=1 -use_counters=0 "$work/merged" "$corpus" "$seeds/$t" \
    "$work/new" >"$work/merge.log" 2>&1
  if [ "$(find "$work/merged" -type f | wc -l)" -ge 200 ]; then
    rm -rf "$work/merged" && mkdir "$work/merged"
    "$fuzzer" "${options[@]}" -set_cover_merge=1 -use_counters=0 "$work/merged" "$corpus" \
      "$seeds/$t" "$work/new" >"$work/merge.log" 2>&1
  fi
  rm -rf "${corpus:?}"/*
  cp "$work/merged"/* "$corpus"/ 2>/dev/null || true

  crashes=$(find "$artifacts" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' \
    -o -name 'oom-*' -o -name 'slow-unit-*' \) | wc -l)
  files=$(find "$corpus" -type f | wc -l)
  bytes=$(du -sb "$corpus" | cut -f1)
  line="$t: ${executions:-0} executions in ${seconds}s, corpus $files files ($bytes bytes), $crashes crashes"
  [ "$crashes" -eq 0 ] || {
    line="$line (in $artifacts; log $log)"
    failed=1
  }
  [ "$status" -eq 0 ] || [ "$crashes" -gt 0 ] || {
    line="$line, fuzzer exit status $status (log $log)"
    failed=1
  }
  summary="$summary$line"$'\n'
  echo "$line" >&2
done
printf '\n%s' "$summary"
exit $failed
