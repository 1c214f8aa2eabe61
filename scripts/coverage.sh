#!/usr/bin/env bash
# Line and branch coverage of the reader (csv, schema), the parsers (decimal, period, qualifier,
# unit) and the statistics modules (src/stats/): the sources tests/coverage_sources.txt lists,
# the only ones a build configured with JJSTAT_COVERAGE=ON instruments. Reads their .gcda files
# after the build's tests ran; fails under 95 % of lines or 85 % of branches.
# Branches the compiler adds for exceptions and branches it proves unreachable are not counted.
# Usage: scripts/coverage.sh BUILD_DIR
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:?usage: scripts/coverage.sh BUILD_DIR}" && pwd)
cd "$root"
filters=()
while IFS= read -r pattern; do
  [[ -z $pattern || $pattern == \#* ]] || filters+=(--filter "$pattern")
done <tests/coverage_sources.txt
# Only where those sources' objects are: a build-asan/ made before they were compiled on their
# own still holds the notes (.gcno) of the unity batches that included them, which would count
# each of their branches twice.
objects="$build/CMakeFiles/jjstat_core.dir/src"
gcovr --root "$root" --object-directory "$objects" -j "$(nproc)" "${filters[@]}" \
  --exclude-throw-branches --exclude-unreachable-branches \
  --print-summary --fail-under-line 95 --fail-under-branch 85 "$objects"
