#!/usr/bin/env bash
# ops/tidy.sh [--full]: clang-tidy (.clang-tidy) over every project .cc file, with the compile
# commands of build/ (run ops/build.sh first). The checks listed in .clang-tidy's
# WarningsAsErrors (use after move, missing override, the analyzer's core checks) fail the run;
# other findings are listed in build/tidy.log and counted.
#
# Default (ops/test.sh): every check except the Clang static analyzer (clang-analyzer-*), which
# costs 20-50 s per file here; --full adds it (about half an hour on 2 cores: run it before a
# release, or on the files you touched: clang-tidy -p build FILE).
set -euo pipefail
cd "$(dirname "$0")/.."
checks='-clang-analyzer-*'
if [[ "${1:-}" == "--full" ]]; then checks=''; fi
[[ -f build/compile_commands.json ]] || { echo "ops/tidy.sh: run ops/build.sh first" >&2; exit 2; }
jobs=$(nproc 2>/dev/null || echo 2)
start=$(date +%s)
status=0
git ls-files '*.cc' |
  xargs -P"$jobs" -n 4 clang-tidy -p build --quiet ${checks:+--checks=$checks} \
    >build/tidy.log 2>&1 || status=$?
errors=$(grep -c ': error: ' build/tidy.log || true)
warnings=$(grep -c ': warning: ' build/tidy.log || true)
echo "ops/tidy.sh: $(git ls-files '*.cc' | wc -l) files, $errors errors, $warnings warnings" \
  "(build/tidy.log) in $(($(date +%s) - start)) s"
if [[ $status -ne 0 || $errors -ne 0 ]]; then
  grep -A3 ': error: ' build/tidy.log | head -60
  exit 1
fi
