#!/bin/sh
# Q2 top-10 rd_spending 2020 by value, competition rank with jjstat. usage: jjstat_q2.sh FILE
# Prints jjstat's own CSV (bench/check_jjstat.py converts it to the kit's layout).
# JJSTAT names the binary; default: build-bench/jjstat of this repository (bench/run.sh builds it).
# (No command substitution: a fork would add to the start-up time this script is used to measure.)
case $0 in */*) d=${0%/*} ;; *) d=. ;; esac
exec "${JJSTAT:-$d/../../build-bench/jjstat}" rank rd_spending --period 2020 --top 10 --data "$1" --no-embedded --format csv
