#!/usr/bin/env bash
# bench/runtime.sh [--events N] [--big-events N] [--keep]
#
# The services-runtime benchmarks of docs/PERFORMANCE.md ("Services runtime"), each beside a
# baseline measured in the same run:
#   1. runner overhead: a pass-through service over N events (default 2,000,000) against replay
#      of the same log;
#   2. catch-up: on a log of --big-events (default 10,000,000) the first run of every service,
#      a reading command from fresh snapshots, and catching up 10,000 new events.
# Builds a Release tree in build-bench/; data under out/bench-runtime-<pid>/ (several GB for
# 10 million events), deleted at the end unless --keep.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
events=2000000
big=10000000
keep=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --events) events="$2"; shift 2 ;;
    --big-events) big="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "bench/runtime.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
cmake -S "$root" -B "$root/build-bench" -DCMAKE_BUILD_TYPE=Release \
  "-DOPPGJOR_SKIP_MODULES=tests" >/dev/null
cmake --build "$root/build-bench" -j"$(nproc)" --target oppgjor_log_bench oppgjor_runtime_bench oppgjor >/dev/null
log_bench="$root/build-bench/bench/oppgjor_log_bench"
bench="$root/build-bench/bench/oppgjor_runtime_bench"
oppgjor="$root/build-bench/oppgjor"
work="$root/out/bench-runtime-$$"
mkdir -p "$work"
if [[ $keep -eq 0 ]]; then trap 'rm -rf "$work"' EXIT; fi
# Huge pages for the heap and freed memory kept for reuse, as the deployment runs
# (ops/RUNBOOK.md, "Memory"); override with
# GLIBC_TUNABLES= (empty) to measure without them.
export GLIBC_TUNABLES="${GLIBC_TUNABLES-glibc.malloc.hugetlb=1:glibc.malloc.trim_threshold=268435456:glibc.malloc.mmap_threshold=33554432}"
echo "== machine: $(nproc) cores; load:$(uptime | sed 's/.*load average://'); THP: $(cat /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null); GLIBC_TUNABLES=${GLIBC_TUNABLES}"
echo "== code: commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
set -x
"$log_bench" generate --events "$events" --out "$work/events.jsonl" --compact --results /dev/null
"$log_bench" ingest --in "$work/events.jsonl" --db "$work/pass.db" --durability normal --results /dev/null
"$bench" passthrough --db "$work/pass.db"
rm -f "$work/pass.db"* "$work/events.jsonl"
"$log_bench" generate --events "$big" --out "$work/big.jsonl" --compact --results /dev/null
"$log_bench" ingest --in "$work/big.jsonl" --db "$work/big.db" --durability normal --results /dev/null
rm -f "$work/big.jsonl"
"$oppgjor" sample --out "$work/tail-all.jsonl" --customers 900 --year 2026 --seed 77 >/dev/null
head -n 10000 "$work/tail-all.jsonl" > "$work/tail.jsonl"
"$bench" catchup --db "$work/big.db" --tail "$work/tail.jsonl"
{ set +x; } 2>/dev/null
echo "== load after the run:$(uptime | sed 's/.*load average://')"
