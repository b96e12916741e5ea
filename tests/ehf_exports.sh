#!/usr/bin/env bash
# Writes EHF documents exported from a real event log into DIR (ctest ehf_exports_official_rules
# runs formats/ehf/tests/official_rules.sh with this as the producer): the sample's customers and
# invoice bases, an invoice run, a credit basis correcting one organisation's invoiced basis, a
# second run (the credit note), then `oppgjor invoice export-ehf` for three organisations'
# invoices and the credit note. Usage: ehf_exports.sh DIR   (OPPGJOR_BIN names the binary)
set -euo pipefail
dir=$1
bin=${OPPGJOR_BIN:?OPPGJOR_BIN}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" sample --out "$work/s.jsonl" --customers 300 --year 2025 >/dev/null
"$bin" ingest "$work/s.jsonl" --db "$work/s.db" >/dev/null 2>&1
"$bin" invoice run --period 2025-01 --issue-date 2025-01-31 --actor kari --db "$work/s.db" >/dev/null
"$bin" invoice list --db "$work/s.db" --format json >"$work/invoices.json"
# The organisations' invoices, and a credit basis for the first one's first basis (half of it).
python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
orgs, bases = set(), {}
for line in open(f"{work}/s.jsonl"):
    e = json.loads(line)
    p = e["payload"]
    if e["type"] == "customers.customer_registered" and p["kind"] == "organisation":
        orgs.add(p["customer_id"])
    if e["type"] == "invoicing.invoice_basis_received" and p["period"]["from"].startswith("2025-01"):
        bases.setdefault(p["customer_id"], p)
invoices = [i for i in json.load(open(f"{work}/invoices.json")) if i["customer_id"] in orgs]
assert len(invoices) >= 3, f"only {len(invoices)} organisation invoices"
first = invoices[0]
b = bases[first["customer_id"]]
line = dict(b["fakturalinjer"][0])
credit = (line["pris_ore"] // 2)
line["antall"] = "1"
line["pris_ore"] = credit
line.pop("fritekst", None)
event = {"event_id": "9b0c2f6e-1d2a-4c3b-8a4e-000000000001", "type": "invoicing.credit_basis_received",
         "schema_version": 1, "stream": "customer/" + first["customer_id"], "occurred_at": "2025-02-05",
         "source": "ehf_exports_test",
         "payload": {"ordrenummer": "KR-" + b["ordrenummer"], "customer_id": first["customer_id"],
                     "fakturautsteder": b["fakturautsteder"], "claim_type": b["claim_type"],
                     "corrects": {"ordrenummer": [b["ordrenummer"]]}, "period": b["period"],
                     "reason_code": "price_correction", "reason": "Feil pris i januar",
                     "fakturalinjer": [line], "nettobelop_ore": credit, "avgiftsbelop_ore": 0,
                     "totalbelop_ore": credit}}
open(f"{work}/credit.jsonl", "w").write(json.dumps(event, ensure_ascii=False) + "\n")
open(f"{work}/numbers", "w").write("\n".join(i["invoice_number"] for i in invoices[:3]) + "\n")
PY
"$bin" ingest "$work/credit.jsonl" --db "$work/s.db" >/dev/null 2>&1
"$bin" invoice run --period 2025-01 --issue-date 2025-02-06 --actor kari --db "$work/s.db" >/dev/null
"$bin" invoice list --db "$work/s.db" --format json >"$work/after.json"
credit_note=$(python3 -c "import json,sys; print([i['invoice_number'] for i in json.load(open(sys.argv[1])) if i['credit_of']][0])" "$work/after.json")
mkdir -p "$dir"
while read -r n; do
  "$bin" invoice export-ehf "$n" --db "$work/s.db" --out "$dir/export-invoice-$n.xml" >/dev/null
done <"$work/numbers"
"$bin" invoice export-ehf "$credit_note" --db "$work/s.db" --out "$dir/export-credit-note-$credit_note.xml" >/dev/null
