#!/usr/bin/env bash
# Runs one golden case. A case is a folder tests/golden/<command>/<case>/ holding
#   cmd     one shell line run in the case folder, where `jjstat` is the binary under test
#   stdin   (optional) what the command reads on standard input
#   stdout, stderr, status   what it must print and return, byte for byte
# Usage: run.sh JJSTAT_BINARY CASE_DIR
# With JJSTAT_UPDATE=1 the expected files are rewritten from the actual run instead; review
# the change with `git diff tests/golden` before committing it.
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
dir=$(cd "$2" && pwd)
actual=$(mktemp -d)
trap 'rm -rf "$actual"' EXIT
input=/dev/null
[ -f "$dir/stdin" ] && input="$dir/stdin"
(
  cd "$dir" || exit 99
  env -i PATH=/usr/bin:/bin HOME=/tmp LANG=C JJSTAT_BIN="$bin" \
    bash -c 'set -o pipefail; jjstat() { "$JJSTAT_BIN" "$@"; }; '"$(cat cmd)" \
    <"$input" >"$actual/stdout" 2>"$actual/stderr"
  echo $? >"$actual/status"
)
if [ "${JJSTAT_UPDATE:-}" = 1 ]; then
  cp "$actual/stdout" "$actual/stderr" "$actual/status" "$dir/"
  exit 0
fi
failed=0
for f in stdout stderr status; do
  if ! diff -u --label "expected $f" --label "actual $f" "$dir/$f" "$actual/$f"; then
    failed=1
  fi
done
exit $failed
