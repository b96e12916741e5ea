#!/usr/bin/env bash
# ops/tidy.sh [--full] [PATH...]: clang-tidy (.clang-tidy) over the project's .cc files (all, or
# those under PATHs), with the compile commands of build/ (run ops/build.sh first). The checks in
# .clang-tidy's WarningsAsErrors (use after move, missing override, the analyzer's core checks)
# fail the run; other findings are listed in build/tidy.log and counted.
#
# Without --full, every configured check except the Clang static analyzer (clang-analyzer-*),
# which costs 20-50 s per file here. The whole tree takes ~25 min on 2 cores even so, so
# ops/test.sh runs it over the code where ownership and lifetime bugs hide (the runtime, the
# Kafka transport and host, the log and its intake); run it over everything before a release.
# The compiler's own warnings are gcc's job (-Werror in the build): -Wno-error keeps clang's
# view of them (GNU extensions in librdkafka's macros, gcc-only warning names) from failing here.
set -euo pipefail
cd "$(dirname "$0")/.."
checks='-clang-analyzer-*'
if [[ "${1:-}" == "--full" ]]; then
  checks=''
  shift
fi
# The compile commands of build/ (or TIDY_BUILD_DIR, e.g. build-asan in ops/test.sh).
dir=${TIDY_BUILD_DIR:-build}
[[ -f $dir/compile_commands.json ]] || { echo "ops/tidy.sh: run ops/build.sh first ($dir)" >&2; exit 2; }
jobs=${TIDY_JOBS:-$(nproc 2>/dev/null || echo 2)}
# The build force-includes g++'s precompiled headers (CMakeLists.txt, OPPGJOR_PCH), which clang
# cannot read: clang-tidy gets the same commands without them, so each file is checked with the
# includes it names itself.
mkdir -p "$dir/tidy-db"
sed -E 's# -Winvalid-pch -include [^ ]*cmake_pch\.hxx##g' "$dir/compile_commands.json" \
  >"$dir/tidy-db/compile_commands.json"
start=$(date +%s)
mapfile -t files < <(git ls-files -- "${@:-.}" | grep '\.cc$')
status=0
printf '%s\n' "${files[@]}" |
  xargs -P"$jobs" -n 2 clang-tidy -p "$dir/tidy-db" --quiet --extra-arg=-Wno-error \
    ${checks:+--checks=$checks} >"$dir/tidy.log" 2>&1 || status=$?
errors=$(grep -c ': error: ' "$dir/tidy.log" || true)
warnings=$(grep -c ': warning: ' "$dir/tidy.log" || true)
echo "ops/tidy.sh: ${#files[@]} files, $errors errors, $warnings warnings ($dir/tidy.log)" \
  "in $(($(date +%s) - start)) s"
if [[ $status -ne 0 || $errors -ne 0 ]]; then
  grep -A3 ': error: ' "$dir/tidy.log" | head -60
  exit 1
fi
