#!/usr/bin/env bash
# Runs every example of README.md and compares its output with what the README shows.
# An example is a line "$ jjstat ..." inside a ``` block, followed by its output up to the next
# "$ " line or the end of the block; "$ cat FILE" followed by lines creates FILE for the next
# examples. Standard error is shown with standard output, as in a terminal.
# Usage: readme_test.sh JJSTAT_BINARY README
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
readme=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
examples=0
command=""
expected=""
run_example() {
  [ -n "$command" ] || return 0
  if [[ $command == "cat "* ]]; then
    printf '%s' "$expected" > "$work/${command#cat }"
  else
    examples=$((examples + 1))
    actual=$(cd "$work" && env -i PATH=/usr/bin:/bin LANG=C JJSTAT_BIN="$bin" \
      bash -c 'jjstat() { "$JJSTAT_BIN" "$@"; }; '"$command" 2>&1; echo x)
    actual=${actual%x}
    if [ "$actual" != "$expected" ]; then
      echo "readme_test: the output of '\$ $command' differs from README.md:"
      diff <(printf '%s' "$expected") <(printf '%s' "$actual") | head -20
      failed=1
    fi
  fi
  command=""
  expected=""
}
in_block=0
while IFS= read -r line || [ -n "$line" ]; do
  if [[ $line == '```'* ]]; then
    run_example
    in_block=$((1 - in_block))
    continue
  fi
  [ $in_block = 1 ] || continue
  if [[ $line == '$ '* ]]; then
    run_example
    command=${line#\$ }
  elif [ -n "$command" ]; then
    expected+="$line"$'\n'
  fi
done < "$readme"
run_example
echo "readme_test: $examples examples run"
exit $failed
