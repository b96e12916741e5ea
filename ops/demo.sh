#!/usr/bin/env bash
# The main job on the embedded default (one SQLite file, no server): installs, builds, generates
# a realistic sample of upstream events (with a few deliberately bad lines), ingests it, shows
# what was refused and why, proves a resend changes nothing, verifies the hash chain, replays
# twice to the same state hash, runs the services (`oppgjor run`), bills a year of nursing-home
# fees through the care_fees service, runs and approves a control recalculation (maker-checker),
# proves the snapshots against a full rebuild, and computes one nursing-home fee with its trace.
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
$bin sample --out "$out/upstream.jsonl" --customers 2000 --year 2025 --final-assessments --faults

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

step "8. The services catch up with the log (embedded runner: checkpoints, snapshot beside the log)"
$bin --log-level warn run --db "$db"
$bin --log-level warn run --db "$db" | tail -1 | sed 's/^/  again, from the snapshot: /'

step "9. Nursing-home fees: each month is a command with its actor; the care_fees service bills"
for m in 1 2 3 4 5 6 7 8 9 10 11 12; do
  $bin --log-level warn care-fees bill --year 2025 --month "$m" --db "$db" --actor fakturering.batch |
    tail -1 | sed "s/^/  month $m: /"
done
$bin --log-level warn care-fees bill --year 2025 --month 1 --db "$db" --actor fakturering.batch |
  tail -1 | sed 's/^/  month 1 again (nothing new): /'

step "10. Control recalculation (kontrollberegning) 2025 with the final tax assessments: a dry run"
$bin --log-level warn care-fees recalc --year 2025 --db "$db" --actor kari.saksbehandler \
  --out-dir "$out" | tee "$out/recalc.txt" | head -6
run_id=$(sed -n 's/^run_id=//p' "$out/recalc.txt")
ls "$out"/kontrollberegning-* | sed 's/^/  report: /'

step "11. Approval (maker-checker): the maker is refused, the head of unit approves, twice"
set +e
$bin --log-level warn care-fees approve "$run_id" --actor kari.saksbehandler --db "$db"
echo "(exit $?)"
set -e
$bin --log-level warn care-fees approve "$run_id" --actor per.enhetsleder --db "$db"
$bin --log-level warn care-fees approve "$run_id" --actor per.enhetsleder --db "$db"

step "12. The auditor: verify the chain, replay everything, and prove the snapshots"
$bin verify --db "$db"
$bin replay --db "$db" --check-snapshots | grep -E '^(snapshot|state_hash)'
echo "  who asked for what (commands and the service's answers):"
sqlite3 "$db" "SELECT '    #' || sequence || ' ' || type || ' by ' || coalesce(actor,'-') FROM events
               WHERE type LIKE 'care_fees.%_requested' OR type LIKE 'service.command_%'
               ORDER BY sequence DESC LIMIT 6"

if $bin care-fees --help >/dev/null 2>&1; then
  step "13. A nursing-home fee (vederlag) for 2025, with its trace"
  cat > "$out/fee-input.json" <<'JSON'
{"year": 2025, "income": [{"kind": "pension", "amount": "260000.00", "joint": false}],
 "deductions": [{"kind": "tax", "amount": "31000.00"}], "spouse_at_home": null,
 "double_room_involuntary": false, "cost_cap_year": null}
JSON
  $bin care-fees calc --input "$out/fee-input.json" --format table || true
fi
printf '\nDemo files are in %s\n' "$out"
