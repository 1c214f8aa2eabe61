#!/usr/bin/env bash
# jjstat against the peers a user would pick instead, in one command (issue 4):
#     bench/run.sh                                  (from anywhere; see bench/README.md)
# 1. builds jjstat in Release into build-bench/ (unless JJSTAT names a binary),
# 2. generates the kit's panels into $DATA, or reuses them,
# 3. times jjstat and the peers on Q1-Q4 at each size, interleaved round by round (the kit's
#    bench.py), and the start-up case (hyperfine),
# 4. checks jjstat's answers against the kit's reference (bench/check_jjstat.py) and the peers'
#    (the kit's check.py),
# 5. writes $RES/report.md (wall, peak memory, jjstat / peer) and prints it.
# The kit is ../shared/bench beside the repository: its scripts are called from there, not copied.
#
# Knobs (environment, all optional):
#   SIZES="1m 10m"          throughput sizes (1m = 1 M rows, 42 MB; 10m = 10 M rows, 418 MB)
#   PEERS="duckdb polars awk"   peers besides jjstat; PEERS=all for
#                           "awk mlr datamash sqlite duckdb pandas polars csvkit"
#   RUNS=N                  rounds per (query, size); default 5 at 1m, 3 at 10m
#   WARMUP=N                warm-up rounds, not recorded; default 1 at 1m, 0 at 10m
#   STARTUP_RUNS=200        hyperfine runs of the start-up case (20 warm-up runs before)
#   STARTUP_PEERS="awk datamash sqlite mlr"   peers in the start-up case (Q1 on the tiny panel)
#   SKIP_INSTALL=1          do not apt-get / npm install anything that is missing
#   JJSTAT=PATH             time this jjstat binary and do not build
#   DATA=/tmp               where panel_{tiny,1m,10m}.csv are (generated when missing)
#   CACHE=disk              disk: each panel's cached pages are dropped and read back (cat), as
#                           a file that comes from disk; written: the page cache as it is (a
#                           panel just generated is cached as written), only read through
#   RES=/tmp/jjstat-bench/results   report.md, check_*.md, versions.txt, sizes.tsv, raw/*.json
#   OUT=/tmp/jjstat-bench/out       the queries' outputs (jjstat's in $OUT/jjstat/)
#   NPMPEERS=/tmp/npmpeers  npm prefix of @duckdb/node-api and nodejs-polars
#   CSVKIT_10M=1            also run csvkit at 10m (skipped by default: over 5 min a query)
#   BENCH_KIT=DIR           the kit (default: <repo>/../shared/bench)
# Exit status: 0; 1 when jjstat's answers do not check (the tables are printed all the same);
# 2 when a tool, the build or the data is missing.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
KIT=$(cd "${BENCH_KIT:-$ROOT/../shared/bench}" && pwd)
DATA=${DATA:-/tmp}
RES=${RES:-/tmp/jjstat-bench/results}
OUT=${OUT:-/tmp/jjstat-bench/out}
export NPMPEERS=${NPMPEERS:-/tmp/npmpeers}
SIZES=${SIZES:-"1m 10m"}
PEERS=${PEERS:-"duckdb polars awk"}
[ "$PEERS" = all ] && PEERS="awk mlr datamash sqlite duckdb pandas polars csvkit"
RUNS=${RUNS:-}
CACHE=${CACHE:-disk}
case $CACHE in disk | written) ;; *) echo "CACHE must be disk or written, not '$CACHE'" >&2; exit 2 ;; esac
WARMUP=${WARMUP:-}
STARTUP_RUNS=${STARTUP_RUNS:-200}
STARTUP_PEERS=${STARTUP_PEERS:-"awk datamash sqlite mlr"}
RAW=$RES/raw
BIN=/tmp/jjstat-bench/bin
mkdir -p "$RAW" "$OUT/jjstat" "$BIN"
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 2; }
has() { case " $PEERS $STARTUP_PEERS " in *" $1 "*) return 0 ;; esac; return 1; }

# ---------------------------------------------------------------- 0. tools
if [ -z "${SKIP_INSTALL:-}" ]; then
  missing=""
  for t in mlr datamash sqlite3 hyperfine gcc; do command -v $t >/dev/null || missing="$missing $t"; done
  [ -x /usr/bin/time ] || missing="$missing time"
  /usr/bin/python3 -c 'import pandas' 2>/dev/null || missing="$missing pandas"
  has csvkit && { command -v csvsql >/dev/null || missing="$missing csvsql"; }
  if [ -n "$missing" ]; then
    log "installing Debian peers (missing:$missing)"
    apt-get update -q
    pkgs=(miller datamash sqlite3 hyperfine python3-pandas time gcc)
    if has csvkit; then pkgs+=(csvkit); fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${pkgs[@]}"
  fi
  if { has duckdb || has polars; } &&
     ! { [ -d "$NPMPEERS/node_modules/@duckdb/node-api" ] && [ -d "$NPMPEERS/node_modules/nodejs-polars-linux-x64-gnu" ]; }; then
    log "installing npm peers into $NPMPEERS"
    mkdir -p "$NPMPEERS"
    (cd "$NPMPEERS" && { [ -f package.json ] || npm init -y >/dev/null; } &&
      npm i @duckdb/node-api && npm i -E nodejs-polars@0.25.2 &&
      # as in the kit: npm does not pull the platform binary of nodejs-polars by itself here
      npm i -E nodejs-polars-linux-x64-gnu@0.25.2) >&2
  fi
fi
for t in hyperfine gcc python3; do command -v $t >/dev/null || die "$t is missing (run without SKIP_INSTALL)"; done
[ -x /usr/bin/time ] || die "/usr/bin/time is missing (Debian package time)"

# ---------------------------------------------------------------- 1. jjstat
JJSTAT_GIVEN=${JJSTAT:-}
if [ -n "$JJSTAT_GIVEN" ]; then
  JJSTAT=$(cd "$(dirname "$JJSTAT")" && pwd)/$(basename "$JJSTAT")
  log "timing $JJSTAT (JJSTAT set: no build)"
else
  [ -n "${SKIP_INSTALL:-}" ] || "$ROOT/scripts/deps.sh" build
  log "building jjstat (Release) in $ROOT/build-bench (log: $RES/build.log)"
  { cmake -S "$ROOT" -B "$ROOT/build-bench" -DCMAKE_BUILD_TYPE=Release -DJJSTAT_TESTS=OFF &&
    cmake --build "$ROOT/build-bench" -j"$(nproc)" --target jjstat; } > "$RES/build.log" 2>&1 ||
    { tail -20 "$RES/build.log" >&2; die "the build failed"; }
  JJSTAT=$ROOT/build-bench/jjstat
  # A build that overlapped an edit of a header can leave objects compiled against the old text but
  # newer than the new one; make never rebuilds them and the binary may crash. Once: rebuild all.
  if ! { "$JJSTAT" growth rd_spending --format csv && printf 'entity,indicator,period,value,unit\na,x,2016,1,t\na,x,2020,2,t\n' |
         "$JJSTAT" growth --data - --no-embedded --format csv; } > /dev/null 2>&1; then
    log "the jjstat just built fails a smoke test; rebuilding build-bench from clean"
    cmake --build "$ROOT/build-bench" -j"$(nproc)" --target jjstat --clean-first >> "$RES/build.log" 2>&1 ||
      { tail -20 "$RES/build.log" >&2; die "the build failed"; }
  fi
fi
export JJSTAT
"$JJSTAT" growth rd_spending --format csv > /dev/null ||
  die "$JJSTAT fails on 'growth rd_spending --format csv'"

# ---------------------------------------------------------------- versions
ver() { printf '%s: ' "$1"; shift; "$@" 2>/dev/null || echo "(not available)"; }
{
  echo "date_utc: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(lscpu | sed -n 's/^Model name: *//p'), kernel $(uname -r)"
  echo "os: $(. /etc/os-release; echo "$PRETTY_NAME")"
  echo "load: $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min, before the runs)"
  echo "page cache: CACHE=$CACHE ($([ "$CACHE" = disk ] && echo "each panel dropped from the page cache and read back with cat before its runs" || echo "each panel read through with cat, cached as it was"))"
  echo "jjstat: $("$JJSTAT" --version 2>/dev/null | head -1 | cut -d' ' -f1-2)$(
    [ -n "$JJSTAT_GIVEN" ] && echo ", given by JJSTAT" || echo ", built from commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(
      [ -n "$(git -C "$ROOT" status --porcelain -- src include CMakeLists.txt cmake data 2>/dev/null)" ] && echo ' plus uncommitted changes in src/include/data')")"
  echo "build: $JJSTAT, $(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$(dirname "$JJSTAT")/CMakeCache.txt" 2>/dev/null || echo '?'), $(g++ --version | head -1)"
  echo "peers: $PEERS; start-up: $STARTUP_PEERS"
  has awk && echo "awk: $(readlink -f "$(command -v awk)") $(dpkg-query -W -f='${Version}' mawk 2>/dev/null)"
  has mlr && ver mlr mlr --version
  has datamash && ver datamash sh -c 'datamash --version | head -1'
  has sqlite && ver sqlite3 sh -c 'sqlite3 --version | cut -d" " -f1-2'
  has pandas && ver pandas /usr/bin/python3 -c 'import pandas, numpy; print("pandas", pandas.__version__, "numpy", numpy.__version__)'
  has csvkit && ver csvkit csvsql --version
  if has duckdb || has polars; then ver node node --version; fi
  has duckdb && ver duckdb node -p "'@duckdb/node-api ' + require('$NPMPEERS/node_modules/@duckdb/node-api/package.json').version"
  has polars && ver polars node -p "'nodejs-polars ' + require('$NPMPEERS/node_modules/nodejs-polars/package.json').version"
  ver hyperfine hyperfine --version
} > "$RES/versions.txt"
cat "$RES/versions.txt" >&2

# ---------------------------------------------------------------- 2. data
declare -A GEN=([tiny]="3 2" [1m]="10000 10" [10m]="100000 10")
declare -A ROWS=([tiny]=60 [1m]=1000000 [10m]=10000000)
declare -A SEEN=()
: > "$RES/sizes.tsv"
for s in tiny 1m $SIZES; do
  [ -n "${GEN[$s]:-}" ] || die "unknown size '$s' (sizes: tiny 1m 10m)"
  [ -n "${SEEN[$s]:-}" ] && continue
  SEEN[$s]=1
  f=$DATA/panel_$s.csv
  # reuse a file only when it is whole (an interrupted generation leaves a short one)
  if ! [ -s "$f" ] || [ "$(wc -l < "$f")" != $((ROWS[$s] + 1)) ]; then
    log "generating $f"
    # shellcheck disable=SC2086  # GEN holds two arguments
    python3 "$KIT/gen_panel.py" ${GEN[$s]} "$f.part.$$" && mv "$f.part.$$" "$f"
  fi
  printf '%s\t%s\t%s\n' "$s" "${ROWS[$s]}" "$(stat -c %s "$f")" >> "$RES/sizes.tsv"
done
gcc -O2 -Wall -o "$BIN/nlcount" "$KIT/floor/nlcount.c"
PROBE="$BIN/nlcount scan $DATA/panel_1m.csv"

# ---------------------------------------------------------------- 3a. start-up
tiny=$DATA/panel_tiny.csv
slug() { printf '%s' "$1" | tr -c 'A-Za-z0-9' '_'; }
names=("/bin/true" "sh -c 'exec /bin/true' (wrapper cost)" "jjstat (embedded): growth rd_spending" "jjstat Q1 (tiny panel)")
cmds=("/bin/true" "sh -c 'exec /bin/true'" "$JJSTAT growth rd_spending --format csv" "$ROOT/bench/peers/jjstat_q1.sh $tiny")
for p in $STARTUP_PEERS; do
  q=1; [ "$p" = datamash ] && q=4
  sc=$KIT/peers/${p}_q$q.sh
  [ -x "$sc" ] || continue
  case $p in sqlite) tool=sqlite3 ;; duckdb | polars) tool=node ;; pandas) tool=python3 ;; csvkit) tool=csvsql ;; *) tool=$p ;; esac
  command -v "$tool" > /dev/null || { log "start-up: skip $p ($tool is missing)"; continue; }
  names+=("$p Q$q (tiny panel)"); cmds+=("$sc $tiny")
done
args=()
for i in "${!names[@]}"; do args+=(-n "${names[$i]}" "${cmds[$i]}"); done
log "start-up: ${#names[@]} commands x $STARTUP_RUNS runs"
hyperfine -N -w 20 -r "$STARTUP_RUNS" --export-json "$RAW/startup.json" "${args[@]}" > /dev/null
for i in "${!names[@]}"; do
  r=$RAW/rss_startup_$(slug "${names[$i]}").txt
  : > "$r"
  for _ in 1 2 3; do /usr/bin/time -f %M -a -o "$r" sh -c "exec ${cmds[$i]}" > /dev/null; done
done

# ---------------------------------------------------------------- 3b. throughput
# The panel in the page cache before its runs. With CACHE=disk, as a file read from disk: its
# cached pages dropped (written back first) and read back. A file cached as it was written keeps
# the small pages the writes made; read from disk, it is cached in large pages where the kernel
# can (ext4 on Linux 6.16 and later), which jjstat's mapping maps 2 MiB at a time (bench/README.md:
# about 10 % of jjstat's rank, 2-3 % of the peers').
warm_cache() {
  if [ "$CACHE" = disk ]; then
    sync "$1" 2>/dev/null || sync
    dd if="$1" iflag=nocache count=0 status=none 2>/dev/null || log "could not drop $1 from the page cache"
  fi
  cat "$1" > /dev/null
}
median_of() { python3 -c "
import json, statistics, sys
d = json.load(open(sys.argv[1]))['results'].get(sys.argv[2])
print(statistics.median(r['wall'] for r in d['runs']) if d and d['runs'] else 0)" "$1" "$2"; }
rm -f "$RAW"/tp_q*.json
for s in $SIZES; do
  f=$DATA/panel_$s.csv
  rm -f "$OUT"/*_q[1-4]_"$s".csv "$OUT"/jjstat/*_q[1-4]_"$s".csv
  warm_cache "$f"
  rounds=${RUNS:-5}; warm=${WARMUP:-1}
  [ "$s" = 10m ] && { rounds=${RUNS:-3}; warm=${WARMUP:-0}; }
  for q in 1 2 3 4; do
    pairs=(jjstat "$ROOT/bench/peers/jjstat_q$q.sh $f > $OUT/jjstat/jjstat_q${q}_$s.csv")
    slow=()
    for p in $PEERS; do
      sc=$KIT/peers/${p}_q$q.sh
      [ -x "$sc" ] || continue
      cmd="$sc $f > $OUT/${p}_q${q}_$s.csv"
      if [ "$p" = csvkit ]; then
        if [ "$s" = 10m ] && [ -z "${CSVKIT_10M:-}" ]; then log "skip csvkit Q$q $s (set CSVKIT_10M=1)"; continue; fi
        slow+=("$p" "$cmd"); continue
      fi
      if [ "$s" = 10m ] && [ -f "$RAW/tp_q${q}_1m.json" ]; then
        m=$(median_of "$RAW/tp_q${q}_1m.json" "$p")
        if python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) > 30 else 1)" "$m"; then
          log "skip $p Q$q $s (1m median ${m} s: 10m would take over 5 min)"; continue; fi
      fi
      pairs+=("$p" "$cmd")
    done
    pairs+=("wc -l" "wc -l $f > /dev/null")
    log "throughput Q$q $s: $((${#pairs[@]} / 2)) commands x $rounds rounds (+$warm warm-up)"
    python3 "$KIT/bench.py" --out "$RAW/tp_q${q}_$s.json" --rounds "$rounds" --warmup "$warm" \
      --probe "$PROBE" "${pairs[@]}"
    python3 -c "import json, sys; sys.exit(any(r['exit'] for r in json.load(open(sys.argv[1]))['results']['jjstat']['runs']))" \
      "$RAW/tp_q${q}_$s.json" || log "WARNING: jjstat exited non-zero on Q$q $s (its stderr is above)"
    if [ ${#slow[@]} -gt 0 ]; then
      log "throughput Q$q $s, own block: ${slow[0]} x 3 rounds"
      python3 "$KIT/bench.py" --out "$RAW/tp_q${q}_${s}_slow.json" --rounds 3 --warmup 0 \
        --probe "$PROBE" "${slow[@]}"
    fi
  done
done

# ---------------------------------------------------------------- 4. answers
status=0
for s in $SIZES; do
  f=$DATA/panel_$s.csv
  log "cross-check $s"
  python3 "$KIT/check.py" "$OUT" "$s" "$f" > "$RES/check_peers_$s.md"
  python3 "$ROOT/bench/check_jjstat.py" "$OUT/jjstat" "$s" "$f" > "$RES/check_jjstat_$s.md" || status=1
  cat "$RES/check_jjstat_$s.md" >&2
done

# ---------------------------------------------------------------- 5. tables
python3 "$ROOT/bench/report.py" "$RES" > "$RES/report.md"
cat "$RES/report.md"
log "done: $RES/report.md"
[ $status = 0 ] || log "jjstat's answers do not all check: see $RES/check_jjstat_*.md"
exit $status
