#!/usr/bin/env bash
# Runs each libFuzzer target of a MARGINALIA_FUZZ build for SECONDS, two at a time, over its seed
# corpus (the fixtures, tests/fuzz/seeds, the regression corpus). Exit 1 when a target crashed: the
# input is in BUILD/fuzz-crashes/ (tests/fuzz/README.md says how it becomes a regression test).
# Usage: run_fuzzers.sh BUILD_DIR SECONDS [TARGET...]   (targets: transcript qdc qde qdpx query text_formats word)
set -uo pipefail
build=$1
seconds=$2
shift 2
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(transcript qdc qde qdpx query text_formats word)
jobs=${FUZZ_JOBS:-2}
mkdir -p "$build/fuzz-corpus" "$build/fuzz-crashes" "$build/fuzz-logs"
export LSAN_OPTIONS="suppressions=$(cd "$(dirname "$0")" && pwd)/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

run_one() {
  local name=$1 seeds
  read -r -a seeds <"$build/tests/fuzz/$name.seeds"
  mkdir -p "$build/fuzz-corpus/$name"
  # -timeout: an input that takes 10 s is a hang; -rss_limit_mb: a runaway allocation is a crash.
  "$build/tests/fuzz/fuzz_$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$build/fuzz-crashes/$name-" \
    "$build/fuzz-corpus/$name" "${seeds[@]}" >"$build/fuzz-logs/$name.log" 2>&1
  local rc=$?
  local runs
  runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$build/fuzz-logs/$name.log" | grep -oE '[0-9]+$')
  if [ $rc -eq 0 ]; then
    echo "fuzz_$name: ${runs:-?} inputs in $seconds s, no crash (corpus $(ls "$build/fuzz-corpus/$name" | wc -l) files)"
  else
    echo "fuzz_$name: CRASHED (exit $rc); log $build/fuzz-logs/$name.log:"
    grep -E 'ERROR|SUMMARY|Test unit written' "$build/fuzz-logs/$name.log" | head -5
  fi
  return $rc
}

failed=0
pids=()
for name in "${targets[@]}"; do
  run_one "$name" &
  pids+=($!)
  if [ ${#pids[@]} -ge "$jobs" ]; then
    wait "${pids[0]}" || failed=1
    pids=("${pids[@]:1}")
  fi
done
for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
exit $failed
