#!/usr/bin/env bash
# Builds jjstat with profile-guided optimisation (g++; CMake's JJSTAT_PGO) in BUILD_DIR
# (build-pgo by default): an instrumented build first, then training runs of the streaming
# queries on a generated panel (300 000 rows, sorted by entity and again by period, in
# BUILD_DIR/pgo-train/) and of two queries on the embedded data, then a build that the counts
# guide. Arguments after the directory go to cmake (-DJJSTAT_WERROR=ON, say). About twice the
# time of a plain build; measured in bench/README.md, "Profile-guided optimisation (an option)".
# Usage: scripts/pgo.sh [BUILD_DIR [CMAKE_ARGS...]]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build-pgo}
[ $# -gt 0 ] && shift
mkdir -p "$build"
build=$(cd "$build" && pwd)
profiles=$build/pgo
train=$build/pgo-train

configure() {
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DJJSTAT_TESTS=OFF \
    -DJJSTAT_PGO="$1" -DJJSTAT_PGO_DIR="$profiles" "${@:2}" >/dev/null
  cmake --build "$build" -j"$(nproc)" --target jjstat
}

# 1. Instrumented, without the counts of an earlier training.
rm -rf "$profiles"
configure generate "$@"

# 2. The panel: 3 000 entities x 10 indicators x 10 years, values with two decimals; the same
# rows by period.
mkdir -p "$train"
awk 'BEGIN {
  split("rd_spending rd_intensity smart_factories enterprises platforms investment funding " \
        "projects land output", ids, " ");
  print "entity,indicator,period,value,unit";
  for (e = 0; e < 3000; e++)
    for (i = 1; i <= 10; i++)
      for (y = 2011; y <= 2020; y++)
        printf "区县%05d,%s,%d,%.2f,%s\n", e, ids[i], y, ((e * 37 + i * 11 + y * 7) % 9973) / 7.0,
               (i % 2 ? "亿元" : "个");
}' > "$train/sorted.csv"
{ head -1 "$train/sorted.csv"; tail -n +2 "$train/sorted.csv" | sort -t, -k3,3 -s; } \
  > "$train/by_period.csv"

# 3. Training: the benchmark's four queries and their kin, then the embedded data.
jj=$build/jjstat
for data in "$train/sorted.csv" "$train/by_period.csv"; do
  for query in "growth --from 2016 --to 2020" "growth" "rank rd_spending --period 2020 --top 10" \
    "rank rd_spending --by cagr --from 2016 --to 2020 --top 10" "describe" "list"; do
    # shellcheck disable=SC2086 # (the query's words)
    "$jj" $query --data "$data" --no-embedded --format csv >/dev/null
  done
done
"$jj" growth rd_spending --format csv >/dev/null
"$jj" summary --format table >/dev/null

# 4. Built again after the counts.
configure use "$@"
echo "scripts/pgo.sh: $jj built after its training (profiles in $profiles)"
