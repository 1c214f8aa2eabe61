#!/usr/bin/env bash
# Checks man/jjstat.1 against the binary:
#   (a) `man --warnings -l PAGE` prints no warnings;
#   (b) every command of `jjstat --help` has an entry in the COMMANDS section, and every long
#       option of `jjstat --help` and `jjstat COMMAND --help` appears in the rendered page;
#   (c) every command the COMMANDS section describes and every long option the page mentions
#       exists in that --help output.
# Usage: man_test.sh JJSTAT_BINARY MAN_PAGE
# Exits 1 and names each missing or unknown command and option when a check fails.
set -u
if [ $# -ne 2 ]; then
  echo "usage: $0 JJSTAT_BINARY MAN_PAGE" >&2
  exit 1
fi
bin=$1
page=$2
# The page holds Chinese text in UTF-8: render it in a UTF-8 locale, whatever the caller's.
export LC_ALL=C.UTF-8 MANPAGER=cat PAGER=cat
unset MAN_KEEP_FORMATTING

failed=0
fail() {
  echo "man_test: $*" >&2
  failed=1
}

# Long options named on the option lines of CLI11 help ("  -h,--help", "  --format FORMAT:{..}").
help_options() {
  awk '/^ +-/ { n = split($1, names, ","); for (i = 1; i <= n; i++) if (names[i] ~ /^--/) print names[i] }'
}

# --- (a) no warnings -------------------------------------------------------------------------
warnings=$(man --warnings -l "$page" 2>&1 >/dev/null) || fail "man -l $page failed"
if [ -n "$warnings" ]; then
  fail "man --warnings -l $page printed warnings:"
  printf '%s\n' "$warnings" >&2
fi

# --- what --help knows -----------------------------------------------------------------------
top_help=$("$bin" --help) || fail "'$bin --help' failed"
commands=$(printf '%s\n' "$top_help" | awk '/^Subcommands:/ { on = 1; next } on && NF == 0 { on = 0 } on { print $1 }')
[ -n "$commands" ] || fail "no commands found in the output of '$bin --help'"
help_opts=$(printf '%s\n' "$top_help" | help_options)
declare -A command_opts
for command in $commands; do
  command_help=$("$bin" "$command" --help) || fail "'$bin $command --help' failed"
  command_opts[$command]=$(printf '%s\n' "$command_help" | help_options)
  help_opts+=$'\n'"${command_opts[$command]}"
done
help_opts=$(printf '%s\n' "$help_opts" | awk 'NF && !seen[$0]++')

# --- what the page says ----------------------------------------------------------------------
# A wide line length keeps every paragraph on one line; the page turns hyphenation off.
text=$(MANWIDTH=1000 man -l "$page" 2>/dev/null | sed -e 's/.\x08//g') || fail "man -l $page failed"
# Commands described: the tags "jjstat NAME ..." of the COMMANDS section.
man_commands=$(printf '%s\n' "$text" |
  awk '/^[A-Z]/ { section = $0; next } section == "COMMANDS" && /^ +jjstat [a-z]/ { print $2 }')
man_opts=$(printf '%s\n' "$text" | grep -oE -- '--[a-z][a-z0-9-]*' | awk '!seen[$0]++')

has_line() { # has_line WORD LIST: WORD is a whole line of LIST
  printf '%s\n' "$2" | grep -qxF -- "$1"
}

# --- (b) everything --help knows is in the page ----------------------------------------------
for command in $commands; do
  has_line "$command" "$man_commands" ||
    fail "command '$command' (from '$bin --help') has no entry in the COMMANDS section of $page"
done
for option in $help_opts; do
  if ! printf '%s\n' "$text" | grep -qE -- "(^|[^a-z0-9-])$option([^a-z0-9-]|\$)"; then
    fail "option '$option' (from --help) does not appear in $page"
  fi
done

# --- (c) everything the page documents is known to --help ------------------------------------
for command in $man_commands; do
  has_line "$command" "$commands" ||
    fail "command '$command' is described in $page but '$bin --help' does not list it"
done
for option in $man_opts; do
  has_line "$option" "$help_opts" ||
    fail "option '$option' appears in $page but no --help output lists it"
done

if [ "$failed" -ne 0 ]; then
  exit 1
fi
echo "man_test: $page matches $bin: $(printf '%s\n' "$commands" | awk 'END { print NR }') commands, $(printf '%s\n' "$help_opts" | awk 'END { print NR }') long options"
