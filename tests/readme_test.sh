#!/usr/bin/env bash
# Runs every example of the documents and compares its output with what they show.
# An example is a line "$ jjstat ..." inside a ``` block (README.md) or an .EX/.EE block (the
# man page, unescaped), followed by its output up to the next "$ " line or the end of the block;
# "$ cat FILE" followed by lines creates FILE for the next examples, in this document or the
# ones after it. Standard error is shown with standard output, as in a terminal.
# Usage: readme_test.sh JJSTAT_BINARY DOCUMENT...
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
shift
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
      echo "readme_test: the output of '\$ $command' differs from what the documentation shows:"
      diff <(printf '%s' "$expected") <(printf '%s' "$actual") | head -20
      failed=1
    fi
  fi
  command=""
  expected=""
}
# The man page's examples, as fenced blocks with roff escapes undone.
as_markdown() {
  case "$1" in
    *.1) awk '/^\.EX$/ { print "```"; on = 1; next }
              /^\.EE$/ { print "```"; on = 0; next }
              on { gsub(/\\-/, "-"); gsub(/\\\(aq/, "'"'"'"); gsub(/\\e/, "\\"); print }' "$1" ;;
    *) cat "$1" ;;
  esac
}
for document in "$@"; do
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
  done < <(as_markdown "$document")
  run_example
done
echo "readme_test: $examples examples run"
exit $failed
