#!/usr/bin/env bash
# Configures and builds Oppgjør into build/ (RelWithDebInfo at -O2 -g1, warnings fatal). Used by demo.sh and
# test.sh; run it alone after editing code.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
# -g1: line tables (backtraces, sanitizer and assertion reports) without full debug info, which
# costs about a fifth of the compile time here. OPPGJOR_BENCH=OFF (ops/test.sh) leaves out bench/.
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" \
  -DOPPGJOR_BENCH="${OPPGJOR_BENCH:-ON}" >/dev/null
cmake --build build -j"$jobs" "$@"
