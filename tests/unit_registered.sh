#!/usr/bin/env bash
# Every test case of the unit test binary is a ctest test of its own (tests/CMakeLists.txt reads
# their names from the sources): fails, naming them, when the binary holds a case that is not
# registered, or a registered name that it does not hold.
# Usage: unit_registered.sh UNIT_TESTS REGISTERED_LIST
set -euo pipefail
binary=$1
registered=$2
# --list_content prints each suite at the start of a line and its cases indented, each name
# followed by '*' (enabled).
held=$("$binary" --list_content 2>&1 | awk '
  /^[^ ]/ { suite = $0; sub(/\*$/, "", suite); next }
  /^    [^ ]/ { name = $1; sub(/\*$/, "", name); print suite "/" name; next }
  { print "unexpected line: " $0 }' | LC_ALL=C sort)
expected=$(LC_ALL=C sort "$registered")
if [[ "$held" != "$expected" ]]; then
  echo "unit test cases and ctest tests differ (< in the binary only, > registered only):"
  diff <(echo "$held") <(echo "$expected") | grep '^[<>]' || true
  exit 1
fi
echo "$(echo "$held" | wc -l) unit test cases, each a ctest test"
