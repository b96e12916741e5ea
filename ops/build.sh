#!/usr/bin/env bash
# Configures and builds Oppgjør into build/ (RelWithDebInfo, warnings fatal). Used by demo.sh and
# test.sh; run it alone after editing code.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs" "$@"
