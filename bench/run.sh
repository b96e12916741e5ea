#!/usr/bin/env bash
# bench/run.sh [--events N] [--default-payloads] [--no-json] [--keep]
#
# The ingest / replay benchmark of docs/PERFORMANCE.md, with its SQLite baselines measured in the
# same run, then the JSON parser comparison of docs/DEPENDENCIES.md. Builds a Release tree in
# build-bench/, writes its data under out/bench-<pid>/ (git-ignored; about 1 GB for 2 million
# events) and deletes it at the end unless --keep. A quick run: bash bench/run.sh --events 200000
#
#   --events N           events to generate and ingest (default 2000000)
#   --default-payloads   use the generator's default (larger) invoice bases instead of --compact
#   --no-json            skip json_parse_bench
#   --keep               keep the generated data and databases
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
events=2000000
compact=--compact
json=1
keep=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --events) events="$2"; shift 2 ;;
    --default-payloads) compact=""; shift ;;
    --no-json) json=0; shift ;;
    --keep) keep=1; shift ;;
    *) echo "bench/run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

# Release, as measured, with warnings fatal like every build type.
# The same configuration of build-bench/ as runtime.sh, kafka.sh, billing.sh and collection.sh
# (services/wiring links every service, so none can be left out); only the targets named below
# are built.
cmake -S "$root" -B "$root/build-bench" -DCMAKE_BUILD_TYPE=Release \
  "-DOPPGJOR_SKIP_MODULES=tests" >/dev/null
cmake --build "$root/build-bench" -j"$(nproc)" --target oppgjor_log_bench json_parse_bench >/dev/null
bench="$root/build-bench/bench/oppgjor_log_bench"

work="$root/out/bench-$$"
mkdir -p "$work"
if [[ $keep -eq 0 ]]; then trap 'rm -rf "$work"' EXIT; fi
results="$work/results.txt"

# Huge pages for the heap and freed memory kept for reuse, as the deployment runs
# (ops/RUNBOOK.md, "Memory"); override with
# GLIBC_TUNABLES= (empty) to measure without them.
export GLIBC_TUNABLES="${GLIBC_TUNABLES-glibc.malloc.hugetlb=1:glibc.malloc.trim_threshold=268435456:glibc.malloc.mmap_threshold=33554432}"
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')," \
     "$(awk '/MemTotal/ {printf "%.0f GiB RAM", $2/1048576}' /proc/meminfo); load:$(uptime | sed 's/.*load average://')"
echo "== code: commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet HEAD -- events replay bench 2>/dev/null || echo ' (with local changes)')"
echo "== data: $work"
set -x
"$bench" generate --events "$events" --out "$work/events.jsonl" $compact --results "$results"
"$bench" ingest --in "$work/events.jsonl" --db "$work/log_full.db" --durability full --results "$results"
"$bench" ingest --in "$work/events.jsonl" --db "$work/log_normal.db" --durability normal --results "$results"
"$bench" raw-insert --from "$work/log_full.db" --db "$work/raw_full.db" --durability full --results "$results"
"$bench" raw-insert --from "$work/log_normal.db" --db "$work/raw_normal.db" --durability normal --results "$results"
"$bench" raw-insert --from "$work/log_full.db" --db "$work/raw_indexed.db" --durability full --with-indexes --results "$results"
rm -f "$work/log_normal.db" "$work/raw_normal.db" "$work/raw_indexed.db"
"$bench" replay --db "$work/log_full.db" --breakdown --results "$results"
"$bench" raw-scan --db "$work/raw_full.db" --results "$results"
"$bench" phases --in "$work/events.jsonl" --db "$work/phases.db" --limit $(( events < 200000 ? events : 200000 )) --results "$results"
{ set +x; } 2>/dev/null
echo "== load after the run:$(uptime | sed 's/.*load average://')"
"$bench" report --results "$results"
if [[ $json -eq 1 ]]; then
  echo
  echo "== JSON parsers (docs/DEPENDENCIES.md)"
  "$root/build-bench/bench/json_parse_bench" --benchmark_min_time=0.5
fi
