#!/usr/bin/env bash
# Runs one golden case. A case is a folder tests/golden/<command>/<case>/ holding
#   cmd     one shell line run in the case folder, where `jjstat` is the binary under test
#   stdin   (optional) what the command reads on standard input
#   stdout, stderr, status   what it must print and return, byte for byte
#   engines (optional) `default simple`: the case's input is streamed as users run it (a file
#           over 64 KiB, or standard input), so that its JJSTAT_ENGINE=stream run would repeat
#           the first; big cases skip it (the sanitizer build runs each in tens of seconds)
# Every case runs three times: as users run it, with JJSTAT_ENGINE=stream, which makes growth,
# rank, describe, list, verify and summary stream their files even when they are small (users' small files are read
# whole), and with JJSTAT_ENGINE=simple, which makes them load every file whole; every run must
# print the expected bytes, so the two loaders are shown to agree on every case.
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
run_case() { # $1: JJSTAT_ENGINE value
  (
    cd "$dir" || exit 99
    env -i PATH=/usr/bin:/bin HOME=/tmp LANG=C JJSTAT_BIN="$bin" JJSTAT_ENGINE="$1" \
      bash -c 'set -o pipefail; jjstat() { "$JJSTAT_BIN" "$@"; }; '"$(cat cmd)" \
      <"$input" >"$actual/stdout" 2>"$actual/stderr"
    echo $? >"$actual/status"
  )
}
if [ "${JJSTAT_UPDATE:-}" = 1 ]; then
  run_case ""
  cp "$actual/stdout" "$actual/stderr" "$actual/status" "$dir/"
  exit 0
fi
failed=0
engines=("" stream simple)
if [ -f "$dir/engines" ]; then
  if [ "$(cat "$dir/engines")" != "default simple" ]; then
    echo "$dir/engines: expected 'default simple'" >&2
    exit 1
  fi
  engines=("" simple)
fi
for engine in "${engines[@]}"; do
  run_case "$engine"
  for f in stdout stderr status; do
    if ! diff -u --label "expected $f" --label "actual $f${engine:+ (JJSTAT_ENGINE=$engine)}" \
      "$dir/$f" "$actual/$f"; then
      failed=1
    fi
  done
done
exit $failed
