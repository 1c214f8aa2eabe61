#!/usr/bin/env bash
# The README's second command (and .ci/run): builds everything and runs every test, in three
# builds:
#   build/       Release, the binary users get: the whole test suite;
#   build-asan/  g++ with ASan + UBSan (-fno-sanitize-recover=all), _GLIBCXX_ASSERTIONS and gcov:
#                the whole test suite again, then the coverage of the reader, the parsers and the
#                statistics modules (gcovr; only they carry gcov's counters), which must reach
#                95 % of lines and 85 % of branches;
#   build-fuzz/  clang with libFuzzer: each fuzz target replays its regressions and is fuzzed for
#                JJSTAT_FUZZ_SECONDS (20) from its committed corpus.
# Safe to run again: no reinstall, and only what changed is rebuilt.
set -euo pipefail
cd "$(dirname "$0")"
scripts/deps.sh test
jobs=$(nproc)
# Configured once, or again when ./build.sh configured it without the tests.
grep -qs '^JJSTAT_TESTS:BOOL=ON$' build/CMakeCache.txt ||
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DJJSTAT_WERROR=ON -DJJSTAT_TESTS=ON
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"

cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DJJSTAT_WERROR=ON -DJJSTAT_SANITIZE=ON \
  -DJJSTAT_COVERAGE=ON >/dev/null
cmake --build build-asan -j"$jobs"
find build-asan -name '*.gcda' -delete # the coverage of this run only
ctest --test-dir build-asan --output-on-failure -j"$jobs"
scripts/coverage.sh build-asan

scripts/fuzz-build.sh
ctest --test-dir build-fuzz --output-on-failure -j"$jobs"
cat build-fuzz/tests/fuzz/work/*/summary.txt
