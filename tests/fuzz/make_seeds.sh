#!/usr/bin/env bash
# Writes the raw seed inputs of every fuzz target into OUT/<target>/ (default build-fuzz/seeds):
# the CSV files of tests/golden (input.csv* and the other data files of the cases), data/*.csv
# and data/meta/*.csv, and the csv-spectrum conformance files when ../shared/conformance is
# there, each with the selector byte(s) its target reads first; plus hand-written numbers and
# periods for the decimal target. scripts/fuzz.sh merges them (minimised) into
# tests/fuzz/corpus/<target>/, which is what is committed.
# Usage: tests/fuzz/make_seeds.sh [OUT]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$root/build-fuzz/seeds}
rm -rf "$out"
mkdir -p "$out"/{csv,decimal,dataset,cli}

# A seed file named by the hash of its bytes, so that repeated inputs collapse into one.
put() { # $1 target, stdin: the bytes
  local tmp
  tmp=$(mktemp "$out/$1/.tmp.XXXXXX")
  cat >"$tmp"
  mv "$tmp" "$out/$1/$(sha1sum "$tmp" | cut -c1-40)"
}
byte() { printf "\\$(printf '%03o' "$1")"; }

files=()
while IFS= read -r -d '' f; do files+=("$f"); done < <(
  find "$root/tests/golden" -type f \( -name '*.csv' -o -name '*.csv.gz' \) -print0
  find "$root/data" -name '*.csv' -print0
  if [ -d "$root/../shared/conformance/csv-spectrum/csvs" ]; then
    find "$root/../shared/conformance/csv-spectrum/csvs" -name '*.csv' -print0
  fi
)

i=0
for f in "${files[@]}"; do
  i=$((i + 1))
  # csv: default limits with a comma, and now and then small limits or another delimiter.
  { byte 0; cat "$f"; } | put csv
  [ $((i % 5)) -eq 0 ] && { byte $((4 + 8 * (i % 8) + 64 * (i % 4))); cat "$f"; } | put csv
  # dataset: as it is; wide files with the wide flag; every fourth one after the metadata.
  case "$f" in
  *wide*) { byte 1; cat "$f"; } | put dataset ;;
  *) { byte 0; cat "$f"; } | put dataset ;;
  esac
  # cli: command and format cycle through the files; the option variant follows the file.
  selector=$(((i * 7) % 20))
  case "$f" in *wide*) selector=$((selector + 40)) ;; esac
  { byte "$selector"; cat "$f"; } | put cli
done
# The embedded metadata followed by a user's observations, derived figures and claims.
{ byte 0; cat "$root/data/meta/derived.csv"; byte 255; cat "$root/data/rd.csv" "$root/data/finance.csv" "$root/data/tuanjiehu.csv" | awk 'NR == 1 || !/^entity,/'; } | put dataset
{ byte 0; cat "$root/data/park_land.csv"; byte 255; cat "$root/data/meta/claims.csv"; } | put dataset
{ byte 248; } | put dataset # the embedded data only

for v in 0 -12.5 +3 .5 5. 3e4 1.5E-3 2.50 14.980 0.0015 -0 007 1e18 123456789012345678 \
  0.123456789012345678 1e400 1e-30 NaN -inf Infinity '1,234' '１２３' '26.4亿' '12%' '12 %' \
  ' 12' '12 ' '1e' '1e+' '5eV' '1.2.3' '--5' abc 2020 2020Q3 2020-09 2020-13 999 \
  '1.5|2.25' '-0.5|0.25' '99999999999999999.9|0.000000000000000001' '2.565|-2.5650'; do
  printf '%s' "$v" | put decimal
done
echo "seeds in $out: $(for t in csv decimal dataset cli; do printf '%s %s  ' "$t" "$(ls "$out/$t" | wc -l)"; done)"
