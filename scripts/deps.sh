#!/usr/bin/env bash
# Installs the Debian packages jjstat needs and are missing (nothing when all are there).
# Usage: scripts/deps.sh [build|test]   (test adds what the test suite needs)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
packages=$(sed -e 's/#.*//' "$here/scripts/packages-build.txt")
if [ "${1:-build}" = test ]; then
  packages="$packages $(sed -e 's/#.*//' "$here/scripts/packages-test.txt")"
fi
missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "installing:$missing" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends $missing
fi
