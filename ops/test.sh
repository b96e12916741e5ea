#!/usr/bin/env bash
# The test command (README, .ci/run): installs what is needed, builds, checks formatting, runs
# clang-tidy over the core (ops/tidy.sh) and every test with ctest, then runs the unit and
# end-to-end tests again under AddressSanitizer and UndefinedBehaviorSanitizer (build-asan/).
# Exit 0 only when everything passed.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
bash ops/install-deps.sh
bash ops/check-format.sh
# Everything but the benchmarks (bench/*.sh build those in their own Release tree): they are the
# slowest translation units and no test runs them.
OPPGJOR_BENCH=OFF bash ops/build.sh
# clang-tidy over the runtime, the Kafka transport and host, the log and its intake, the ledger
# and invoicing services and the OCR reader (untrusted bank files) (~3 min; the whole tree is
# `bash ops/tidy.sh`, ~25 min here).
bash ops/tidy.sh services/runtime kafka events/event_log.cc events/intake.cc services/ledger \
  services/invoicing formats/ocr
jobs=$(nproc 2>/dev/null || echo 2)
ctest --test-dir build --output-on-failure -j"$jobs" --timeout 600
plain=$(date +%s)
echo "ops/test.sh: build and tests done in $((plain - start)) s"

# The sanitizer run. Only the test binaries and what they run (the oppgjor binary) are built;
# benchmarks are not. A report from either sanitizer (leaks included) fails the test that caused
# it. Nothing is left out: the Kafka mock-cluster test, the slowest, measured 16 s under the
# sanitizers against 15 s without (its time is the mock's fixed group-join waits, not CPU).
# Measured on a 2-core dev machine shared with two other builds: the sanitizer tests take ~95 s;
# the build is the larger part (~43 min there against ~32 min for the plain build; CI, with the
# machine to itself, builds the plain tree in a few minutes).
# -O1 -g1: the sanitizers need no more (line tables for their reports); compiling at -O2 -g
# roughly doubles a translation unit's time here, and the build is most of this step.
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOPPGJOR_SANITIZE=ON \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" >/dev/null
cmake --build build-asan -j"$jobs" --target common_tests events_tests replay_tests care_fees_tests runtime_tests \
  invoicing_tests ocr_tests oppgjor e2e_tests
# detect_leaks: a leak is a finding too. abort_on_error gives a core-style exit gtest reports.
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j"$jobs" --timeout 900
echo "ops/test.sh: sanitizer build and tests done in $(($(date +%s) - plain)) s"
echo "ops/test.sh: done in $(($(date +%s) - start)) s"
