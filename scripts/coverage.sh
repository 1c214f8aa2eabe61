#!/usr/bin/env bash
# Line and branch coverage of the reader (csv, schema), the parsers (decimal, period, qualifier,
# unit) and the statistics modules (src/stats/) from the .gcda files of a build configured with
# JJSTAT_COVERAGE=ON after its tests ran; fails under 95 % of lines or 85 % of branches.
# Branches the compiler adds for exceptions and branches it proves unreachable are not counted.
# Usage: scripts/coverage.sh BUILD_DIR
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:?usage: scripts/coverage.sh BUILD_DIR}" && pwd)
cd "$root"
gcovr --root "$root" --object-directory "$build" -j "$(nproc)" \
  --filter 'src/(csv|schema|decimal|period|qualifier|unit)\.cpp' --filter 'src/stats/' \
  --exclude-throw-branches --exclude-unreachable-branches \
  --print-summary --fail-under-line 95 --fail-under-branch 85 "$build"
