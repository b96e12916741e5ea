#!/usr/bin/env bash
# bench/kafka.sh [--events N] [--partitions P] [--batch-events B] [--services LIST] [--keep]
#
# The Kafka-mode figure of issue 7 (docs/PERFORMANCE.md, "Services runtime (issue 7)"): in one
# process and one run, on librdkafka's mock cluster, one `kafka::serve` instance (pass-through
# service, then care_fees) against raw librdkafka consume of the same topic. Target: >= 0.5x.
# Any other argument is passed to oppgjor_kafka_bench (e.g. a second --batch-events run is just
# another invocation). Builds a Release tree in build-bench/ (-j2 at most: shared machine);
# state under out/bench-kafka-<pid>/, deleted at the end unless --keep.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
keep=0
args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --keep) keep=1; shift ;;
    *) args+=("$1"); shift ;;
  esac
done
jobs=$(nproc)
if [[ $jobs -gt 2 ]]; then jobs=2; fi
# CMAKE_CXX_FLAGS is reset: an older build-bench/ cached -Wno-error=restrict, which the Release
# build no longer needs (the GCC 12 -Wrestrict false positives are written around in the code).
cmake -S "$root" -B "$root/build-bench" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_FLAGS= \
  "-DOPPGJOR_SKIP_MODULES=tests" >/dev/null
cmake --build "$root/build-bench" -j"$jobs" --target oppgjor_kafka_bench >/dev/null
bench="$root/build-bench/bench/oppgjor_kafka_bench"
work="$root/out/bench-kafka-$$"
mkdir -p "$work"
if [[ $keep -eq 0 ]]; then trap 'rm -rf "$work"' EXIT; fi
# Huge pages for the heap and freed memory kept for reuse, as the deployment runs
# (ops/RUNBOOK.md, "Memory"); override with
# GLIBC_TUNABLES= (empty) to measure without them.
export GLIBC_TUNABLES="${GLIBC_TUNABLES-glibc.malloc.hugetlb=1:glibc.malloc.trim_threshold=268435456:glibc.malloc.mmap_threshold=33554432}"
echo "== machine: $(nproc) cores; load:$(uptime | sed 's/.*load average://'); THP: $(cat /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null); GLIBC_TUNABLES=${GLIBC_TUNABLES}"
echo "== code: commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
set -x
"$bench" --work "$work" ${args[@]+"${args[@]}"}
{ set +x; } 2>/dev/null
echo "== load after the run:$(uptime | sed 's/.*load average://')"
