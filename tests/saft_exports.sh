#!/usr/bin/env bash
# Writes SAF-T files exported from a real event log into DIR (ctest saft_exports_xsd runs
# formats/saft/tests/official_xsd.sh with this as the producer): the sample's customers and
# invoice bases, January's invoice run, a credit basis correcting one invoiced basis and a second
# run (the credit note), an OCR giro file from the simulated bank (exact, partial and over-
# payments, payments with unknown KIDs into suspense), then closed days through March so the
# unpaid invoices get reminders with fees and interest. For each exported period DIR also gets
# the trial balance as of its last day (tb-NAME.json), which the checker compares with the
# closing balances. Usage: saft_exports.sh DIR   (OPPGJOR_BIN names the binary)
set -euo pipefail
dir=$1
bin=${OPPGJOR_BIN:?OPPGJOR_BIN}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db=$work/s.db
"$bin" sample --out "$work/s.jsonl" --customers 120 --year 2025 >/dev/null
"$bin" ingest "$work/s.jsonl" --db "$db" >/dev/null 2>&1
"$bin" invoice run --period 2025-01 --issue-date 2025-01-31 --actor kari --db "$db" >/dev/null
"$bin" invoice list --db "$db" --format json >"$work/invoices.json"
# A credit basis for half of the first invoiced basis's first line.
python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
bases = {}
for line in open(f"{work}/s.jsonl"):
    e = json.loads(line)
    p = e["payload"]
    if e["type"] == "invoicing.invoice_basis_received" and p["period"]["from"].startswith("2025-01"):
        bases.setdefault(p["customer_id"], p)
first = json.load(open(f"{work}/invoices.json"))[0]
b = bases[first["customer_id"]]
line = dict(b["fakturalinjer"][0])
credit = line["pris_ore"] // 2
line["antall"] = "1"
line["pris_ore"] = credit
line.pop("fritekst", None)
event = {"event_id": "9b0c2f6e-1d2a-4c3b-8a4e-0000000005af", "type": "invoicing.credit_basis_received",
         "schema_version": 1, "stream": "customer/" + first["customer_id"], "occurred_at": "2025-02-05",
         "source": "saft_exports_test",
         "payload": {"ordrenummer": "KR-" + b["ordrenummer"], "customer_id": first["customer_id"],
                     "fakturautsteder": b["fakturautsteder"], "claim_type": b["claim_type"],
                     "corrects": {"ordrenummer": [b["ordrenummer"]]}, "period": b["period"],
                     "reason_code": "price_correction", "reason": "Feil pris i januar",
                     "fakturalinjer": [line], "nettobelop_ore": credit, "avgiftsbelop_ore": 0,
                     "totalbelop_ore": credit}}
open(f"{work}/credit.jsonl", "w").write(json.dumps(event, ensure_ascii=False) + "\n")
PY
"$bin" ingest "$work/credit.jsonl" --db "$db" >/dev/null 2>&1
"$bin" invoice run --period 2025-01 --issue-date 2025-02-06 --actor kari --db "$db" >/dev/null
"$bin" sample-ocr --db "$db" --out "$work/pay.ocr" --date 2025-02-12 >/dev/null
"$bin" payments import-ocr "$work/pay.ocr" --db "$db" >/dev/null
"$bin" calendar close-day 2025-02-13 --through 2025-03-31 --actor nattjobb --db "$db" >/dev/null
mkdir -p "$dir"
export_period() {  # NAME FROM TO
  "$bin" export saf-t --db "$db" --from "$2" --to "$3" --out "$dir/export-$1.xml" >/dev/null
  "$bin" report trial-balance --db "$db" --as-of "$3" --format json >"$dir/tb-export-$1.json"
}
export_period 2025-01 2025-01-01 2025-01-31
export_period 2025-02-03 2025-02-01 2025-03-31
export_period 2025 2025-01-01 2025-12-31
# Same log, same period: the same bytes.
"$bin" export saf-t --db "$db" --from 2025-01-01 --to 2025-12-31 --out "$work/again.xml" >/dev/null
cmp -s "$dir/export-2025.xml" "$work/again.xml" ||
  { echo "saft_exports: two exports of the same log differ" >&2; exit 1; }
