#!/usr/bin/env bash
# Installs the build into a temporary prefix and uses what was installed as a user would.
# Usage: install_test.sh BUILD_DIR
set -euo pipefail
build=$1
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" > /dev/null
fail() { echo "install_test: $*" >&2; exit 1; }
for f in bin/jjstat share/man/man1/jjstat.1 share/bash-completion/completions/jjstat \
         share/zsh/vendor-completions/_jjstat share/fish/vendor_completions.d/jjstat.fish; do
  [ -e "$prefix/$f" ] || fail "missing $f"
done
"$prefix/bin/jjstat" --version | grep -q '^jjstat ' || fail "the installed binary does not run"
[ "$("$prefix/bin/jjstat" growth rd_spending --format csv | sed -n 2p | cut -d, -f11)" = 76.23497997329773 ] ||
  fail "the installed binary computes another R&D growth"
warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$prefix/share/man/man1/jjstat.1" 2>&1 >/dev/null)
[ -z "$warnings" ] || fail "man -l warns: $warnings"
LC_ALL=C.UTF-8 MANWIDTH=80 man -l "$prefix/share/man/man1/jjstat.1" | grep -q 'EXIT STATUS' || fail "the man page does not render"
complete_words() { # the words bash completes for a command line given as arguments
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _jjstat; echo "${COMPREPLY[*]}"' \
    _ "$prefix/share/bash-completion/completions/jjstat" "$@"
}
[ "$(complete_words jjstat ra)" = rank ] || fail "'jjstat ra' does not complete to rank"
[ "$(complete_words jjstat growth --fo)" = --format ] || fail "'jjstat growth --fo' does not complete to --format"
[ "$(complete_words jjstat growth --format j)" = "json jsonl" ] || fail "--format values do not complete"
case " $(complete_words jjstat rank rd_) " in *" rd_spending "*) ;; *) fail "indicator ids do not complete" ;; esac
# Every command and long option of --help is in each shell's script.
for cmd in $("$prefix/bin/jjstat" --help | awk '/^Subcommands:/{on=1;next} on && /^  [a-z]/{print $1} on && /^[^ ]/{on=0}'); do
  for script in share/bash-completion/completions/jjstat share/zsh/vendor-completions/_jjstat \
                share/fish/vendor_completions.d/jjstat.fish; do
    grep -q -- "$cmd" "$prefix/$script" || fail "$script lacks the command $cmd"
    for option in $("$prefix/bin/jjstat" "$cmd" --help | grep -oE -- '--[a-z][a-z-]+' | sort -u); do
      [ "$option" = --help ] && continue
      name=${option#--}
      grep -qE -- "(--|-l )$name( |\\[|\\)|\"|$)" "$prefix/$script" || fail "$script lacks $cmd $option"
    done
  done
done
echo "install_test: installed files, binary, man page and completions all work"
