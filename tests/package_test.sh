#!/usr/bin/env bash
# Builds the Debian package with CPack and checks what it holds.
# Usage: package_test.sh BUILD_DIR
set -euo pipefail
build=$1
fail() { echo "package_test: $*" >&2; exit 1; }
command -v dpkg-deb > /dev/null || { echo "package_test: dpkg-deb not found: skipped"; exit 0; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
(cd "$build" && cpack -G DEB -B "$out" > "$out/cpack.log") || { cat "$out/cpack.log" >&2; fail "cpack failed"; }
deb=$(ls "$out"/*.deb)
files=$(dpkg-deb -c "$deb" | awk '{print $6}')
for f in ./usr/bin/jjstat ./usr/share/man/man1/jjstat.1 ./usr/share/bash-completion/completions/jjstat \
         ./usr/share/zsh/vendor-completions/_jjstat ./usr/share/fish/vendor_completions.d/jjstat.fish; do
  grep -qx -- "$f" <<< "$files" || fail "the package lacks $f"
done
[ "$(dpkg-deb -f "$deb" Package)" = jjstat ] || fail "wrong package name"
echo "package_test: $(basename "$deb") holds the binary, the man page and the three completions"
