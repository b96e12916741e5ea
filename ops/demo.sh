#!/usr/bin/env bash
# The main job on the embedded default (one SQLite file, no server): installs, builds, generates
# a realistic sample of upstream events (with a few deliberately bad lines), ingests it, shows
# what was refused and why, proves a resend changes nothing, verifies the hash chain, replays
# twice to the same state hash, runs the services (`oppgjor run`), bills a year of nursing-home
# fees through the care_fees service, runs and approves a control recalculation (maker-checker),
# runs a billing month end to end (a CSV batch of bases, the invoice run with KID and due dates,
# an EHF invoice checked by the official rules, a bank's OCR file imported twice, suspense, the
# løsningsgrad, the trial balance, a GL07 batch), closes the business days of three months so
# unpaid claims move through reminder, collection notice and payment demand to hand-over (a notice
# rendered, the løsningsgrad before and after), proves the snapshots against a full rebuild,
# and computes one nursing-home fee with its trace.
set -euo pipefail
cd "$(dirname "$0")/.."
bash ops/install-deps.sh
bash ops/build.sh --target oppgjor
bin=build/oppgjor
# Huge pages for the heap and freed memory kept for reuse, as the deployment runs
# (ops/RUNBOOK.md, "Memory").
export GLIBC_TUNABLES="${GLIBC_TUNABLES-glibc.malloc.hugetlb=1:glibc.malloc.trim_threshold=268435456:glibc.malloc.mmap_threshold=33554432}"
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

step "11b. Every fee is a decision (vedtak): a resident's decision letter, in Norwegian"
decision=$(sqlite3 "$db" "SELECT json_extract(payload, '$.decision_id') FROM events
                          WHERE type = 'care_fees.decision_made'
                          ORDER BY json_extract(payload, '$.kind') = 'recalculation_correction' DESC,
                                   sequence LIMIT 1")
echo "  $(sqlite3 "$db" "SELECT count(*) FROM events WHERE type = 'care_fees.decision_made'") decisions in the log; the letter of $decision, once staff record that it reached the resident:"
$bin --log-level warn care-fees decision-delivered "$decision" --on 2026-07-03 \
  --actor post.mottak --db "$db" | sed 's/^/  /'
$bin --log-level warn care-fees letter "$decision" --db "$db" | tee "$out/vedtak-$decision.txt" |
  sed 's/^/    /'

step "12. A billing month: bases in (upstream and care fees), invoices out, payments in"
echo "  invoice bases as a batch file from the after-school system (one bad line, refused alone):"
cat > "$out/aks-2025-01.csv" <<'CSV'
source_reference;customer_id;claim_type;period;product_code;text;quantity;unit_price;vat_code;posting
AKS-EKSTRA-1;C0000002;after_school;2025-01;AKS_TUR;Skoletur;1;250,00;0;16000/215/A2150
AKS-EKSTRA-2;C0000005;after_school;2025-01;AKS_TUR;Skoletur;en;250,00;0;16000/215/A2150
CSV
set +e
$bin --log-level warn import basis "$out/aks-2025-01.csv" --source aks_admin --db "$db"
echo "  (exit $?: the bad line is in the dead-letter store with its line number and field)"
set -e
echo "  the invoice run for January 2025, every claim type (nursing homes from the care-fees bills):"
$bin --log-level warn invoice run --period 2025-01 --issue-date 2025-01-31 --db "$db" \
  --actor fakturering.batch | tail -1 | sed 's/^/  /'
$bin --log-level warn invoice run --period 2025-01 --issue-date 2025-01-31 --db "$db" \
  --actor fakturering.batch | tail -1 | sed 's/^/  again (nothing new): /'
$bin --log-level warn invoice list --db "$db" | sed -n 1,5p
org_invoice=$($bin --log-level warn invoice list --db "$db" --format json | python3 -c '
import json, sys
rows = json.load(sys.stdin)
orgs = {l.split("\"customer_id\":\"")[1].split("\"")[0] for l in open(sys.argv[1], errors="replace")
        if "\"kind\":\"organisation\"" in l}
print(next(r["invoice_number"] for r in rows if r["customer_id"] in orgs))' "$out/upstream.jsonl")
echo "  EHF for an organisation's invoice, checked by the official PEPPOL and CEN rules:"
$bin --log-level warn invoice export-ehf "$org_invoice" --db "$db" --out "$out/ehf-$org_invoice.xml"
bash formats/ehf/reference/peppol/validate.sh "$out/ehf-$org_invoice.xml" "$out/peppol-rules" |
  grep -v 'NO-R-002' | sed 's/^/    /' || true
echo "    (validate.sh exit 0: no fatal rule failed; NO-R-002 is a warning a municipality must not act on)"
echo "  the bank's OCR giro file for 14 February, imported, then imported again:"
$bin --log-level warn sample-ocr --db "$db" --out "$out/ocr-2025-02-14.txt" --date 2025-02-14 | sed 's/^/  /'
$bin --log-level warn payments import-ocr "$out/ocr-2025-02-14.txt" --db "$db" | sed 's/^/  /'
$bin --log-level warn payments import-ocr "$out/ocr-2025-02-14.txt" --db "$db" | sed 's/^/  again: /'
echo "  payments in suspense (no invoice with that KID):"
$bin --log-level warn payments suspense --db "$db" | sed 's/^/  /'
echo "  løsningsgrad per claim type and due month, as of 28 February:"
$bin --log-level warn report collection-rate --db "$db" --as-of 2025-02-28 | sed 's/^/  /'
$bin --log-level warn report collection-rate --db "$db" --as-of 2025-02-28 --format csv \
  >"$out/losningsgrad-2025-02.csv"
echo "  trial balance as of 28 February (debits = credits):"
$bin --log-level warn report trial-balance --db "$db" --as-of 2025-02-28 | sed 's/^/  /'
$bin --log-level warn ledger export-gl07 --period 2025-01 --db "$db" --out "$out/gl07-2025-01.txt" |
  sed 's/^/  Unit4 GL07 batch for January: /'

step "13. Collection: the nightly job closes the business days of February to April 2025"
echo "  (time enters only as calendar.day_closed; weekends and Easter send nothing, and days with"
echo "  nothing sent are not shown; the ledger posts every fee and interest)"
close_days() {
  $bin --log-level warn calendar close-day "$1" --through "$2" --db "$db" --actor nattjobb.innkreving |
    grep -E 'purringer|last_closed' | grep -v 'Ikke en virkedag' |
    grep -vE ': 0 purringer, 0 inkassovarsler, 0 betalingsoppfordringer, 0 overleveringer' |
    sed 's/^/  /'
}
close_days 2025-02-15 2025-03-09
echo "  the bank's OCR file for 10 March: many reminded claims are paid (late: interest is charged first)"
$bin --log-level warn sample-ocr --db "$db" --out "$out/ocr-2025-03-10.txt" --date 2025-03-10 \
  --transmission 0000002 --seed 310 | sed 's/^/  /'
$bin --log-level warn payments import-ocr "$out/ocr-2025-03-10.txt" --db "$db" | sed 's/^/  /'
close_days 2025-03-10 2025-04-30
echo "  closing 30 April again is refused (exit 3), and nothing changes:"
$bin --log-level warn calendar close-day 2025-04-30 --db "$db" --actor nattjobb.innkreving 2>&1 |
  sed 's/^/    /' || true
echo "  claims per dunning step, fees, interest, hand-overs and the løsningsgrad after each step:"
$bin --log-level warn report collection --db "$db" --as-of 2025-04-30 | sed 's/^/  /'
claim=$(sqlite3 "$db" "SELECT json_extract(payload, '\$.invoice_number') FROM events
                      WHERE type = 'collection.handed_over' ORDER BY sequence LIMIT 1")
echo "  one unpaid claim ($claim), step by step, and the payment demand it was sent:"
$bin --log-level warn claim show "$claim" --db "$db" | sed 's/^/  /'
$bin --log-level warn claim notice "$claim" --step 3 --db "$db" | sed 's/^/    /' || true
echo "  løsningsgrad per claim type and due month, as of 30 April (after the dunning; 28 February above):"
$bin --log-level warn report collection-rate --db "$db" --as-of 2025-04-30 | sed 's/^/  /'

step "14. The auditor: verify the chain, replay everything, and prove the snapshots"
$bin verify --db "$db"
$bin replay --db "$db" --check-snapshots | grep -E '^(snapshot|state_hash)'
echo "  SAF-T Financial 1.30 of the ledger for January to April, checked by Skatteetaten's XSD:"
$bin --log-level warn export saf-t --db "$db" --from 2025-01-01 --to 2025-04-30 \
  --out "$out/saft-2025-01-04.xml" | sed 's/^/    /'
xmllint --noout --schema formats/saft/reference/Norwegian_SAF-T_Financial_Schema_v_1.30.xsd \
  "$out/saft-2025-01-04.xml" 2>&1 | sed 's/^/    /'
echo "  who asked for what (commands and the service's answers):"
sqlite3 "$db" "SELECT '    #' || sequence || ' ' || type || ' by ' || coalesce(actor,'-') FROM events
               WHERE type LIKE '%_requested' OR type LIKE 'service.command_%'
               ORDER BY sequence DESC LIMIT 6"

if $bin care-fees --help >/dev/null 2>&1; then
  step "15. A nursing-home fee (vederlag) for 2025, with its trace"
  cat > "$out/fee-input.json" <<'JSON'
{"year": 2025, "income": [{"kind": "pension", "amount": "260000.00", "joint": false}],
 "deductions": [{"kind": "tax", "amount": "31000.00"}], "spouse_at_home": null,
 "double_room_involuntary": false, "cost_cap_year": null}
JSON
  $bin care-fees calc --input "$out/fee-input.json" --format table || true
fi
printf '\nDemo files are in %s\n' "$out"
