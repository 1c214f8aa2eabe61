#!/usr/bin/env bash
# Opens HTML reports of jjstat in a real browser, Debian's headless Chromium, and checks that
#   - each loads without a console message (no error, nothing blocked by its Content-Security-
#     Policy, so nothing was fetched) and renders a screenshot;
#   - every chart (<figure>) holds one <svg>, with the number of bars or points its data has;
#   - the Chinese text is in the DOM, and the file names no script, link, image or URL to fetch.
# Skipped, with a message and status 0, where chromium is missing (scripts/packages-test.txt
# lists it, so ./check.sh and .ci/run install it).
# Usage: browser_test.sh JJSTAT_BINARY DATA_DIR [SCREENSHOT]
#   DATA_DIR is tests/golden/report/data; SCREENSHOT, when given, receives the PNG of the Chinese
#   report of the embedded data (man/report.png is made this way).
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
data=$(cd "$2" && pwd)
keep=${3:-}
browser=""
for name in chromium chromium-browser; do
  if command -v "$name" >/dev/null 2>&1; then
    browser=$(command -v "$name")
    break
  fi
done
if [ -z "$browser" ]; then
  echo "browser_test: skipped: chromium not found (install it with scripts/deps.sh test)"
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
fail() {
  echo "browser_test: $*" >&2
  failed=1
}

# A fresh profile per run, and nothing that talks to the network on its own.
render() { # render HTML OUT_PREFIX: writes OUT_PREFIX.dom, .png and .err
  "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$(mktemp -d -p "$work")" --enable-logging=stderr --v=0 \
    --dump-dom "file://$1" >"$2.dom" 2>"$2.err" || fail "$(basename "$1"): --dump-dom failed"
  "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$(mktemp -d -p "$work")" --enable-logging=stderr --v=0 \
    --hide-scrollbars --window-size=1240,1754 --screenshot="$2.png" "file://$1" >/dev/null 2>>"$2.err" ||
    fail "$(basename "$1"): --screenshot failed"
}

# "bars:N" or "points:N" for each <svg> of a DOM, in order.
chart_counts() {
  awk 'BEGIN { RS = "<svg " } NR > 1 {
    sub(/<\/svg>.*/, "")
    bars = gsub(/<rect class="bar/, "")
    points = gsub(/<circle class="point"/, "")
    printf "%s%s", (NR > 2 ? " " : ""), (points > 0 ? "points:" points : "bars:" bars)
  } END { print "" }' "$1"
}

check() { # check NAME EXPECTED_CHARTS CHINESE_WORD -- jjstat arguments...
  local name=$1 expected=$2 word=$3
  shift 4
  local html="$work/$name.html"
  (cd "$data" && "$bin" report --format html "$@") >"$html" || {
    fail "$name: jjstat report $* failed"
    return
  }
  render "$html" "$work/$name"
  if grep -q 'CONSOLE' "$work/$name.err"; then
    fail "$name: the page logged to the console:"
    grep 'CONSOLE' "$work/$name.err" >&2
  fi
  grep -q '</html>' "$work/$name.dom" || fail "$name: the dumped DOM is incomplete"
  local png="$work/$name.png"
  if [ ! -s "$png" ] || [ "$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')" != 89504e470d0a1a0a ]; then
    fail "$name: no PNG screenshot"
  elif [ "$(wc -c <"$png")" -lt 20000 ]; then
    fail "$name: the screenshot is suspiciously small ($(wc -c <"$png") bytes)"
  fi
  local figures svgs
  figures=$(grep -o '<figure>' "$work/$name.dom" | wc -l)
  svgs=$(grep -o '<svg ' "$work/$name.dom" | wc -l)
  [ "$figures" -eq "$svgs" ] || fail "$name: $figures charts but $svgs <svg> elements"
  local actual
  actual=$(chart_counts "$work/$name.dom")
  [ "$actual" = "$expected" ] || fail "$name: charts: expected '$expected', the browser has '$actual'"
  grep -q "$word" "$work/$name.dom" || fail "$name: '$word' is not in the DOM"
  if grep -qiE '<script|<link|<img|<iframe|src=|url\(|@import|href="[a-z]+:' "$html"; then
    fail "$name: the file names something to fetch"
  fi
  echo "browser_test: $name: $(echo "$actual" | wc -w) charts ($actual)"
}

district_files=(--no-embedded --data observations.csv --data entities.csv --data categories.csv
  --data sources.csv --data derived.csv --data claims.csv)
# Output: three series and a ranking; innovation: three rankings (one on a log scale); public
# finance: two series with negative values and a ranking with a zero, a negative and a gap.
check districts_zh "points:4 points:3 points:3 bars:4 bars:4 bars:4 bars:4 points:3 points:3 bars:3" \
  "甲区" -- --lang zh "${district_files[@]}"
check districts_en "points:4 points:3 points:3 bars:4 bars:4 bars:4 bars:4 points:3 points:3 bars:3" \
  "District A" -- --lang en "${district_files[@]}"
# The embedded data: the rankings of planned area, zone area, amount, enterprises supported and
# amount per enterprise; no series has three periods.
check embedded_zh "bars:3 bars:5 bars:4 bars:3 bars:3" "江津区" -- --lang zh
[ -n "$keep" ] && cp "$work/embedded_zh.png" "$keep"
echo "browser_test: $("$browser" --version 2>/dev/null | head -1)"
exit $failed
