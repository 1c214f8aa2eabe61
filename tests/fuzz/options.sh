# Sourced by tests/fuzz/run_target.sh (ctest) and scripts/fuzz.sh (long runs): the libFuzzer
# options of a target and the replay of its committed regressions, in one place.

# Sets the array `options` for TARGET, crash files going to ARTIFACTS/.
fuzz_options() { # $1 target, $2 artifacts folder
  local here max_len dict
  here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
  case "$1" in
  decimal) max_len=256 ;;
  *) max_len=4096 ;;
  esac
  options=(-timeout=10 -rss_limit_mb=2048 -max_len=$max_len -artifact_prefix="$2/")
  dict=$here/$1.dict
  [ "$1" = cli ] && dict=$here/dataset.dict # the same schema words
  [ -f "$dict" ] && options+=(-dict="$dict")
  return 0
}

# Runs FUZZER on every file of tests/fuzz/regressions/TARGET/ (with `options`), output to LOG;
# fails when one of them fails again.
fuzz_replay() { # $1 fuzzer, $2 target, $3 log
  local regressions
  regressions=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/regressions/$2
  [ -d "$regressions" ] && [ -n "$(ls -A "$regressions")" ] || return 0
  "$1" "${options[@]}" "$regressions"/* >"$3" 2>&1
}
