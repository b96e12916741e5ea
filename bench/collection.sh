#!/usr/bin/env bash
# bench/collection.sh [--claims N] [--due-permille P] [--repeat R] [--perf] [--keep]
#
# The collection benchmark of docs/PERFORMANCE.md ("Collection close-day (issue 9)"), beside a
# baseline measured in the same run (bench/collection_bench.cc): the collection service's state
# with N open claims (default 1,000,000; P per mille, default 15, due for a first reminder on the
# day, 10 % with a reminder whose deadline is after it, the rest not due yet) built in memory by
# folding invoicing.invoice_issued payloads (not timed); timed: the decision on one
# calendar.day_closed (claims evaluated per second) against a plain scan of the same open items,
# R times each (default 3), interleaved; then the decision as the runner stamps it, the fold of
# its outputs, and the snapshot's save() and load(). Peak memory and the state's heap per claim.
# --perf: the first decision under `perf record` (user-space cycles, DWARF call graphs); the
# profile is left in the work directory (implies --keep; read it with
# `perf report -i …/close-day.perf.data`). Builds a Release tree in build-bench/; results under
# out/bench-collection-<pid>/, deleted at the end unless --keep.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
claims=1000000
due=15
repeat=3
keep=0
perf=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --claims) claims="$2"; shift 2 ;;
    --due-permille) due="$2"; shift 2 ;;
    --repeat) repeat="$2"; shift 2 ;;
    --perf) perf=1; keep=1; shift ;;
    --keep) keep=1; shift ;;
    *) echo "bench/collection.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
cmake -S "$root" -B "$root/build-bench" -DCMAKE_BUILD_TYPE=Release \
  "-DOPPGJOR_SKIP_MODULES=tests" >/dev/null
cmake --build "$root/build-bench" -j"$(nproc)" --target oppgjor_collection_bench >/dev/null
bench="$root/build-bench/bench/oppgjor_collection_bench"
work="$root/out/bench-collection-$$"
mkdir -p "$work"
if [[ $keep -eq 0 ]]; then trap 'rm -rf "$work"' EXIT; fi
# Huge pages for the heap and freed memory kept for reuse, as the deployment runs
# (ops/RUNBOOK.md, "Memory"); override with
# GLIBC_TUNABLES= (empty) to measure without them.
export GLIBC_TUNABLES="${GLIBC_TUNABLES-glibc.malloc.hugetlb=1:glibc.malloc.trim_threshold=268435456:glibc.malloc.mmap_threshold=33554432}"
echo "== machine: $(nproc) cores; load:$(uptime | sed 's/.*load average://'); THP: $(cat /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null); GLIBC_TUNABLES=${GLIBC_TUNABLES}"
echo "== code: commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
args=(--claims "$claims" --due-permille "$due" --repeat "$repeat" --dir "$work" --results "$work/results.txt")
set -x
if [[ $perf -eq 1 ]]; then
  rm -f "$work/close-day.ctl"
  mkfifo "$work/close-day.ctl"
  perf record -q -F 499 --call-graph dwarf,16384 -e cycles:u --control "fifo:$work/close-day.ctl" \
    -D -1 -o "$work/close-day.perf.data" -- "$bench" "${args[@]}" --no-snapshot \
    --perf-ctl "$work/close-day.ctl"
else
  "$bench" "${args[@]}"
fi
{ set +x; } 2>/dev/null
echo "== load after the run:$(uptime | sed 's/.*load average://')"
