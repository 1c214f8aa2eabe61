#!/usr/bin/env bash
# Builds the libFuzzer targets (CMake option JJSTAT_FUZZ, clang, ASan + UBSan) in build-fuzz/,
# or in $JJSTAT_FUZZ_BUILD. Used by check.sh (which then runs them briefly through ctest) and by
# scripts/fuzz.sh (long runs). Only what changed is rebuilt.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${JJSTAT_FUZZ_BUILD:-$root/build-fuzz}
# -O1 with line tables only: fast enough to fuzz, quick to compile, stack traces with lines.
cmake -S "$root" -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -gline-tables-only" \
  -DJJSTAT_FUZZ=ON -DJJSTAT_TESTS=OFF -DJJSTAT_WERROR=ON >/dev/null
cmake --build "$build" -j"$(nproc)" --target fuzz_csv fuzz_decimal fuzz_dataset fuzz_cli
