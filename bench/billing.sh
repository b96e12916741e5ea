#!/usr/bin/env bash
# bench/billing.sh [--customers N] [--payments M] [--paid-on DATE] [--perf] [--keep]
#
# The invoicing and ledger benchmarks of docs/PERFORMANCE.md ("Invoicing and ledger (issue 8)"),
# each beside a baseline measured in the same run (bench/billing_bench.cc):
#   1. invoice run: N customers (default 60,000) with one invoice basis each for January 2026;
#      timed: the invoicing.run_requested command appended and every service run to a fixed
#      point (N invoices, the ledger's postings); baseline: EventLog::append of the same events;
#   2. OCR import on that log: M payments (default 200,000) against the issued invoices' KIDs;
#      timed: ocr_file_events + append + run to a fixed point; baselines: append of the same
#      batch events, and of M events of one payment each. Paid on 2026-02-25 by default, after
#      the due date, so every matched payment also gets late-payment interest (collection) and
#      its posting (ledger); --paid-on 2026-02-18 measures a file paid on time.
# Each in its own process (its own peak memory). --perf: each under `perf record` (user-space
# cycles, DWARF call graphs) with only the timed part enabled; the profiles are left in the work
# directory (implies --keep; read them with `perf report -i …/invoice-run.perf.data`). Builds a Release tree in build-bench/; data under
# out/bench-billing-<pid>/, deleted at the end unless --keep.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
customers=60000
payments=200000
paid_on=2026-02-25
keep=0
perf=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --customers) customers="$2"; shift 2 ;;
    --payments) payments="$2"; shift 2 ;;
    --paid-on) paid_on="$2"; shift 2 ;;
    --perf) perf=1; keep=1; shift ;;
    --keep) keep=1; shift ;;
    *) echo "bench/billing.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
cmake -S "$root" -B "$root/build-bench" -DCMAKE_BUILD_TYPE=Release \
  "-DOPPGJOR_SKIP_MODULES=tests" >/dev/null
cmake --build "$root/build-bench" -j"$(nproc)" --target oppgjor_billing_bench >/dev/null
bench="$root/build-bench/bench/oppgjor_billing_bench"
work="$root/out/bench-billing-$$"
mkdir -p "$work"
if [[ $keep -eq 0 ]]; then trap 'rm -rf "$work"' EXIT; fi
# Huge pages for the heap and freed memory kept for reuse, as the deployment runs
# (ops/RUNBOOK.md, "Memory"); override with
# GLIBC_TUNABLES= (empty) to measure without them.
export GLIBC_TUNABLES="${GLIBC_TUNABLES-glibc.malloc.hugetlb=1:glibc.malloc.trim_threshold=268435456:glibc.malloc.mmap_threshold=33554432}"
echo "== machine: $(nproc) cores; load:$(uptime | sed 's/.*load average://'); THP: $(cat /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null); GLIBC_TUNABLES=${GLIBC_TUNABLES}"
echo "== code: commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
# run MODE ARGS...: the bench, under perf with --perf.
run() {
  local mode="$1"
  if [[ $perf -eq 1 ]]; then
    rm -f "$work/$mode.ctl"
    mkfifo "$work/$mode.ctl"
    perf record -q -F 499 --call-graph dwarf,16384 -e cycles:u --control "fifo:$work/$mode.ctl" \
      -D -1 -o "$work/$mode.perf.data" -- "$bench" "$@" --perf-ctl "$work/$mode.ctl"
  else
    "$bench" "$@"
  fi
}
set -x
run invoice-run --dir "$work" --customers "$customers" --results "$work/results.txt"
run ocr --dir "$work" --payments "$payments" --paid-on "$paid_on" --results "$work/results.txt"
{ set +x; } 2>/dev/null
echo "== load after the run:$(uptime | sed 's/.*load average://')"
