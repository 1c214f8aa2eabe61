#!/usr/bin/env bash
# The README's second command (and .ci/run): builds everything and runs every test, first in
# the Release build (build/), then in a sanitizer build (build-asan/, ASan + UBSan).
# Safe to run again: no reinstall, and only what changed is rebuilt.
set -euo pipefail
cd "$(dirname "$0")"
scripts/deps.sh test
jobs=$(nproc)
[ -f build/CMakeCache.txt ] || cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DJJSTAT_WERROR=ON
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"
[ -f build-asan/CMakeCache.txt ] || cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug \
  -DJJSTAT_WERROR=ON -DJJSTAT_SANITIZE=ON
cmake --build build-asan -j"$jobs"
ctest --test-dir build-asan --output-on-failure -j"$jobs"
