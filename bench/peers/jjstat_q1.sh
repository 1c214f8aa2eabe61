#!/bin/sh
# Q1 growth 2016->2020 and CAGR per (entity, indicator) with jjstat. usage: jjstat_q1.sh FILE
# Prints jjstat's CSV, of the columns the kit's peers print (--columns; bench/check_jjstat.py
# converts them to the kit's layout).
# JJSTAT names the binary; default: build-bench/jjstat of this repository (bench/run.sh builds it).
# (No command substitution: a fork would add to the start-up time this script is used to measure.)
case $0 in */*) d=${0%/*} ;; *) d=. ;; esac
exec "${JJSTAT:-$d/../../build-bench/jjstat}" growth --from 2016 --to 2020 --data "$1" --no-embedded --format csv \
  --columns entity,indicator,from_value,to_value,pct_change,cagr
