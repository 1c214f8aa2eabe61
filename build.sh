#!/usr/bin/env bash
# The README's first command: installs what is missing, builds a Release jjstat in build/ and
# runs the main job (a summary of the embedded data). Safe to run again: no reinstall, and only
# what changed is rebuilt.
set -euo pipefail
cd "$(dirname "$0")"
scripts/deps.sh build
# Without the tests: they need Boost.Test, which only check.sh installs (check.sh turns them on).
[ -f build/CMakeCache.txt ] ||
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DJJSTAT_WERROR=ON -DJJSTAT_TESTS=OFF
cmake --build build -j"$(nproc)" --target jjstat
./build/jjstat summary --format table
