#!/usr/bin/env bash
# The main job on the embedded default (one SQLite file, no server): installs, builds, generates
# a realistic sample of upstream events (with a few deliberately bad lines), ingests it, shows
# what was refused and why, proves a resend changes nothing, verifies the hash chain, replays
# twice to the same state hash, and computes one nursing-home fee with its trace.
set -euo pipefail
cd "$(dirname "$0")/.."
bash ops/install-deps.sh
bash ops/build.sh --target oppgjor
bin=build/oppgjor
out=out/demo
rm -rf "$out" && mkdir -p "$out"
db=$out/oppgjor.db

step() { printf '\n== %s\n' "$*"; }

step "1. Upstream systems publish a year of billing events (synthetic people, valid check digits)"
$bin sample --out "$out/upstream.jsonl" --customers 2000 --year 2025 --faults

step "2. Ingest: validate against schemas/, dedupe by event_id, append to the hash-chained log"
set +e; $bin ingest "$out/upstream.jsonl" --db "$db"; rc=$?; set -e
echo "(exit $rc: 3 means some lines were refused and kept in the dead-letter store)"

step "3. What was refused, with the field and the reason (personal identifiers masked)"
$bin deadletters --db "$db" | cut -c1-160

step "4. The same file again: nothing is booked twice"
set +e; $bin ingest "$out/upstream.jsonl" --db "$db"; set -e

step "5. Verify the hash chain"
$bin verify --db "$db"

step "6. Replay the log into a fresh state store, twice: the same state hash"
$bin replay --db "$db" --out "$out/state.db"
$bin replay --db "$db" | head -1

step "7. One customer's stream, as a caseworker sees it"
$bin log show --db "$db" --stream customer/C0000002 --limit 2

if $bin care-fees --help >/dev/null 2>&1; then
  step "8. A nursing-home fee (vederlag) for 2025, with its trace"
  cat > "$out/fee-input.json" <<'JSON'
{"year": 2025, "income": [{"kind": "pension", "amount": "260000.00", "joint": false}],
 "deductions": [{"kind": "tax", "amount": "31000.00"}], "spouse_at_home": null,
 "double_room_involuntary": false, "cost_cap_year": null}
JSON
  $bin care-fees calc --input "$out/fee-input.json" --format table || true
fi
printf '\nDemo files are in %s\n' "$out"
