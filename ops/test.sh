#!/usr/bin/env bash
# The test command (README, .ci/run): installs what is needed, builds, checks formatting and runs
# every test with ctest. Exit 0 only when everything passed.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
bash ops/install-deps.sh
bash ops/check-format.sh
bash ops/build.sh
jobs=$(nproc 2>/dev/null || echo 2)
ctest --test-dir build --output-on-failure -j"$jobs" --timeout 600
echo "ops/test.sh: done in $(( $(date +%s) - start )) s"
