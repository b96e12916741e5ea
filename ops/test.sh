#!/usr/bin/env bash
# The test command (README, .ci/run): installs what is needed, checks formatting, builds every
# module and test once with AddressSanitizer and UndefinedBehaviorSanitizer (build-asan/), then
# runs every test with ctest in that tree and, beside it, clang-tidy over the core (ops/tidy.sh).
# Exit 0 only when everything passed.
#
# One tree, not two: CI has 2 cores and 90 minutes, and the full run must stay well under 30.
# Building the code twice (an optimised tree for the tests and a sanitizer tree for them again)
# took 34 minutes in CI before the invoicing and ledger modules came; every test under the
# sanitizers is the stronger check of the two, and the same code paths run (OPPGJOR_ASSERT is on
# in every build type). The kill test keeps its 50 seeded points here (ctest timeout 900 s).
# The optimised build (`ops/build.sh`, -O2) is what ops/demo.sh and the benchmarks use.
# -O1 -g1: the sanitizers need no more (line tables for their reports); -O2 -g roughly doubles a
# translation unit's compile time here. The benchmarks are left out (bench/*.sh build them in
# their own Release tree; no test runs them).
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
bash ops/install-deps.sh
bash ops/check-format.sh
jobs=$(nproc 2>/dev/null || echo 2)
settings=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DOPPGJOR_SANITIZE=ON -DOPPGJOR_BENCH=OFF
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG")
# A unity build (CMakeLists.txt, OPPGJOR_UNITY: a target's files compiled eight to a unit) takes a
# quarter less CPU than one unit per file. Its compile commands name the units, not the files, so
# clang-tidy reads those of a tree of the same settings that is only configured, file by file.
cmake -S . -B build-asan "${settings[@]}" -DOPPGJOR_UNITY=ON >/dev/null
cmake -S . -B build-asan/files "${settings[@]}" -DOPPGJOR_UNITY=OFF >/dev/null
cmake --build build-asan -j"$jobs"
built=$(date +%s)
echo "ops/test.sh: built in $((built - start)) s"
# clang-tidy over the runtime, the Kafka transport and host, the log and its intake, the ledger
# service and the OCR reader (untrusted bank files) (~3 min on 2 cores; the whole tree is
# `bash ops/tidy.sh`, ~25 min here). It runs on one core beside the tests: many tests wait on
# child processes and the Kafka mock cluster rather than compute, so the two together take less
# time than one after the other (CI has 2 cores). Its report is printed after the tests.
TIDY_JOBS=1 TIDY_BUILD_DIR=build-asan/files bash ops/tidy.sh services/runtime kafka events/event_log.cc \
  events/intake.cc services/ledger formats/ocr >build-asan/tidy-summary.log 2>&1 &
tidy_pid=$!
# detect_leaks: a leak is a finding too. abort_on_error gives a core-style exit gtest reports.
# malloc_context_size=8: the allocation and free stacks a report shows keep 8 frames (the
# default 30 made unwinding and storing them a fifth of every test program's time; the stack of
# the bad access itself is always whole).
tests_status=0
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1:malloc_context_size=8 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j"$jobs" --timeout 900 || tests_status=$?
tidy_status=0
wait "$tidy_pid" || tidy_status=$?
cat build-asan/tidy-summary.log
echo "ops/test.sh: done in $(($(date +%s) - start)) s"
if [[ $tests_status -ne 0 || $tidy_status -ne 0 ]]; then
  echo "ops/test.sh: FAILED (ctest exit $tests_status, clang-tidy exit $tidy_status)" >&2
  exit 1
fi
