#!/usr/bin/env bash
# Inputs that never end (a device such as /dev/zero) end in a one-line error, not a hang:
#   (a) a streaming command reports the first bad row and does not read the device on to its end
#       (it would never get there): exit 3, nothing on stdout, within 60 s;
#   (b) a command that reads its files whole reads /dev/zero up to its first NUL byte, the error,
#       and stops there: exit 3 under a 1 GiB memory limit, as is standard input beside the
#       embedded data, which is copied up to it;
#   (c) a text that never ends after a good header (`yes` after one) read whole (show as a
#       table) runs out of memory under that limit and says so: exit 4, one line on stderr,
#       nothing on stdout; streamed (show in csv), it ends at its first bad row: exit 3;
#   (e) a text that never ends without a header jjstat knows (`yes`) stops at its first line,
#       the error, whether read whole or copied beside the embedded data: exit 3 under that limit
#       and within 60 s, nothing on stdout.
#   (d) a streaming command that finds a bad row in a pipe of text that never ends (a header,
#       then `yes`), on standard input or from a named pipe (beside the embedded data too, where
#       either is copied as it is read), reports that row and does not read the pipe on: exit 3,
#       nothing on stdout, within 60 s.
# (b) and (c) not in a sanitizer build, whose shadow memory needs more address space than such a
# limit leaves.
# Usage: device_test.sh JJSTAT_BINARY SANITIZED(0|1)
set -u
if [ $# -ne 2 ]; then
  echo "usage: $0 JJSTAT_BINARY SANITIZED" >&2
  exit 1
fi
bin=$1
sanitized=$2
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
status=0
check() { # name expected_status expected_first_stderr_line actual_status
  local name=$1 want=$2 line=$3 got=$4
  if [ "$got" != "$want" ] || [ -s "$out" ] || [ "$(head -n 1 "$err")" != "$line" ]; then
    echo "FAIL $name: status $got (expected $want), $(wc -c < "$out") bytes on stdout, stderr:"
    head -c 300 "$err"
    echo
    status=1
  else
    echo "ok   $name"
  fi
}
timeout 60 "$bin" growth --no-embedded --data /dev/zero > "$out" 2> "$err"
check "growth --data /dev/zero" 3 "/dev/zero:1:1: error: NUL byte; expected UTF-8 text" $?
header=entity,indicator,period,value,unit
(echo "$header"; yes) | timeout 60 "$bin" growth --no-embedded --data - > "$out" 2> "$err"
check "(header; yes) | growth --data -" 3 "<stdin>:2:2: error: row has 1 field but the header has 5" \
  $?
(echo "$header"; yes) | timeout 60 "$bin" growth --data - > "$out" 2> "$err"
check "(header; yes) | growth --data -, beside the embedded data" 3 \
  "<stdin>:2:2: error: row has 1 field but the header has 5" $?
fifo_dir=$(mktemp -d)
mkfifo "$fifo_dir/rows"
# (The writer ends on a broken pipe once jjstat has gone.)
{ echo "$header"; yes; } > "$fifo_dir/rows" 2> /dev/null &
timeout 60 "$bin" growth --no-embedded --data "$fifo_dir/rows" > "$out" 2> "$err"
check "growth --data FIFO (header; yes)" 3 \
  "$fifo_dir/rows:2:2: error: row has 1 field but the header has 5" $?
wait
{ echo "$header"; yes; } > "$fifo_dir/rows" 2> /dev/null &
# (Under the 1 GiB limit where it applies: read whole, as before the pipe was copied, it would
# run out of memory, exit 4.)
(if [ "$sanitized" = 0 ]; then ulimit -v 1048576; fi
  timeout 60 "$bin" growth --data "$fifo_dir/rows" > "$out" 2> "$err")
check "growth --data FIFO (header; yes), beside the embedded data" 3 \
  "$fifo_dir/rows:2:2: error: row has 1 field but the header has 5" $?
wait
rm -rf "$fifo_dir"
if [ "$sanitized" = 0 ]; then
  (ulimit -v 1048576; timeout 60 "$bin" show --no-embedded --data /dev/zero > "$out" 2> "$err")
  check "show --data /dev/zero" 3 "/dev/zero:1:1: error: NUL byte; expected UTF-8 text" $?
  (ulimit -v 1048576; timeout 60 "$bin" growth rd_spending --data - < /dev/zero > "$out" 2> "$err")
  check "growth --data - < /dev/zero, beside the embedded data" 3 \
    "<stdin>:1:1: error: NUL byte; expected UTF-8 text" $?
  # (A table needs every row for its widths: show reads its input whole.)
  (ulimit -v 1048576
    (echo "$header"; yes) | timeout 120 "$bin" show --no-embedded --data - --format table \
      > "$out" 2> "$err")
  check "(header; yes) | show --data - --format table" 4 \
    "jjstat: error: out of memory: an input is too large to hold, or never ends" $?
  lines=$(wc -l < "$err")
  if [ "$lines" != 1 ]; then
    echo "FAIL (header; yes) | show --data - --format table: $lines lines on stderr (expected 1)"
    status=1
  fi
  # (In csv, show streams standard input through a copy, and stops at the first bad row.)
  (ulimit -v 1048576
    (echo "$header"; yes) | timeout 60 "$bin" show --no-embedded --data - --format csv \
      > "$out" 2> "$err")
  check "(header; yes) | show --data - --format csv" 3 \
    "<stdin>:2:2: error: row has 1 field but the header has 5" $?
  (ulimit -v 1048576
    (echo "$header"; yes) | timeout 60 "$bin" show --data - --format csv > "$out" 2> "$err")
  check "(header; yes) | show --data - --format csv, beside the embedded data" 3 \
    "<stdin>:2:2: error: row has 1 field but the header has 5" $?
  unrecognised="<stdin>:1:1: error: unrecognised header starting with 'y'; expected an observations\
 table (entity, indicator, period, value, unit, ...) or a table of entities, categories, sources,\
 derived figures or claims"
  (ulimit -v 1048576; yes | timeout 60 "$bin" show --no-embedded --data - > "$out" 2> "$err")
  check "yes | show --data -" 3 "$unrecognised" $?
  (ulimit -v 1048576; yes | timeout 60 "$bin" growth --data - > "$out" 2> "$err")
  check "yes | growth --data -, beside the embedded data" 3 "$unrecognised" $?
fi
exit $status
