#!/usr/bin/env bash
# The test command (README, .ci/run): installs what is needed, builds, checks formatting and runs
# every test with ctest, then runs the unit and end-to-end tests again under AddressSanitizer and
# UndefinedBehaviorSanitizer (build-asan/). Exit 0 only when everything passed.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
bash ops/install-deps.sh
bash ops/check-format.sh
bash ops/build.sh
jobs=$(nproc 2>/dev/null || echo 2)
ctest --test-dir build --output-on-failure -j"$jobs" --timeout 600
plain=$(date +%s)
echo "ops/test.sh: build and tests done in $((plain - start)) s"

# The sanitizer run. Only the test binaries and what they run (the oppgjor binary) are built;
# benchmarks are not. A report from either sanitizer aborts the test that caused it.
# Left out here, by name, and why:
#   KafkaIntake.*  - librdkafka's mock cluster and its threads run ~10x slower under ASan, and
#                    the consumer-group timings it depends on (KAFKA-TESTING.md) then stretch
#                    past the test timeout; librdkafka itself is not instrumented, so little is
#                    gained. The Kafka intake code runs under ASan in the kafka_unreachable
#                    and dry-run e2e tests, which need no broker.
sanitizer_excluded='^KafkaIntake\.'
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOPPGJOR_SANITIZE=ON >/dev/null
cmake --build build-asan -j"$jobs" --target common_tests events_tests replay_tests care_fees_tests runtime_tests \
  oppgjor e2e_tests
# detect_leaks: a leak is a finding too. abort_on_error gives a core-style exit gtest reports.
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j"$jobs" --timeout 900 -E "$sanitizer_excluded"
echo "ops/test.sh: sanitizer build and tests done in $(($(date +%s) - plain)) s"
echo "ops/test.sh: done in $(($(date +%s) - start)) s"
