#!/usr/bin/env bash
# The README's first command: installs what is missing, builds a Release jjstat in build/ and
# runs the main job (a summary of the embedded data). Safe to run again: no reinstall, and only
# what changed is rebuilt.
set -euo pipefail
cd "$(dirname "$0")"
scripts/deps.sh build
[ -f build/CMakeCache.txt ] || cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DJJSTAT_WERROR=ON
cmake --build build -j"$(nproc)" --target jjstat
./build/jjstat summary --format table
