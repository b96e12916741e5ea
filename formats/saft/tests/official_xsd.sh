#!/usr/bin/env bash
# ctest saft_exports_xsd: validates every SAF-T file a producer writes against Skatteetaten's
# official XSD (reference/Norwegian_SAF-T_Financial_Schema_v_1.30.xsd) with xmllint, and one
# deliberately broken copy (the first account's mandatory GroupingCode removed), which must be
# rejected so this test cannot pass vacuously. Then checks what the XSD cannot: TotalDebit =
# TotalCredit = the sum of the lines, NumberOfEntries = the transactions, every transaction
# balances and is dated within the selection, the customers' closing balances sum to their
# balance account's, no customer's RegistrationNumber is anything but a 9-digit organisation
# number (never a person's fødselsnummer), and — where the producer wrote the ledger's trial
# balance as of the last day next to a file (tb-NAME.json) — every account's closing balance
# equals it and its opening balance plus the period's lines equals the closing balance.
# Usage: official_xsd.sh PRODUCER WORK_DIR   (PRODUCER is run as `PRODUCER DIR`)
set -euo pipefail
producer=$1
work=$2
here=$(cd "$(dirname "$0")" && pwd)
xsd=$here/../reference/Norwegian_SAF-T_Financial_Schema_v_1.30.xsd
command -v xmllint >/dev/null ||
  { echo "official_xsd: xmllint missing: run ops/install-deps.sh (libxml2-utils)" >&2; exit 2; }

rm -rf "$work/docs"
mkdir -p "$work/docs"
"$producer" "$work/docs" >/dev/null

good=$(ls "$work"/docs/*.xml | head -1)
[[ -n $good ]] || { echo "official_xsd: the producer wrote no file" >&2; exit 2; }
broken=$work/docs/broken-grouping-code-missing.xml
awk '!done && /<GroupingCode>/ { done = 1; next } { print }' "$good" >"$broken"
cmp -s "$good" "$broken" && { echo "official_xsd: could not break $good" >&2; exit 2; }

bad=0
for doc in "$work"/docs/*.xml; do
  name=$(basename "$doc")
  if xmllint --noout --schema "$xsd" "$doc" 2>"$work/xmllint.log"; then
    verdict=valid
  else
    verdict=invalid
    sed 's/^/  /' "$work/xmllint.log" | head -5
  fi
  if [[ $name == broken-* ]]; then
    if [[ $verdict == valid ]]; then echo "FAIL $name: deliberately broken, but the XSD accepts it"; bad=1
    else echo "ok   $name: rejected by the XSD as it must be"; fi
  else
    if [[ $verdict == invalid ]]; then echo "FAIL $name: not valid against the XSD"; bad=1
    else echo "ok   $name: valid against the XSD"; fi
  fi
done

python3 - "$work/docs" <<'PY' || bad=1
import json, os, sys, xml.etree.ElementTree as ET
from decimal import Decimal
d = sys.argv[1]
ns = {"s": "urn:StandardAuditFile-Taxation-Financial:NO"}
def ore(text): return int(Decimal(text) * 100)
bad = 0
docs = sorted(f for f in os.listdir(d) if f.endswith(".xml") and not f.startswith("broken-"))
for doc in docs:
    root = ET.parse(os.path.join(d, doc)).getroot()
    problems = []
    start = root.findtext("s:Header/s:SelectionCriteria/s:SelectionStartDate", namespaces=ns)
    end = root.findtext("s:Header/s:SelectionCriteria/s:SelectionEndDate", namespaces=ns)
    gle = root.find("s:GeneralLedgerEntries", ns)
    debit = credit = entries = 0
    moved = {}
    for tx in gle.iterfind("s:Journal/s:Transaction", ns):
        entries += 1
        date = tx.findtext("s:TransactionDate", namespaces=ns)
        if not (start <= date <= end):
            problems.append(f"{tx.findtext('s:TransactionID', namespaces=ns)} dated {date} outside {start}..{end}")
        tx_debit = tx_credit = 0
        for line in tx.iterfind("s:Line", ns):
            account = line.findtext("s:AccountID", namespaces=ns)
            dr = line.findtext("s:DebitAmount/s:Amount", namespaces=ns)
            cr = line.findtext("s:CreditAmount/s:Amount", namespaces=ns)
            amount = ore(dr) if dr is not None else -ore(cr)
            moved[account] = moved.get(account, 0) + amount
            tx_debit += max(amount, 0)
            tx_credit += max(-amount, 0)
        if tx_debit != tx_credit:
            problems.append(f"{tx.findtext('s:TransactionID', namespaces=ns)} does not balance")
        debit += tx_debit
        credit += tx_credit
    if ore(gle.findtext("s:TotalDebit", namespaces=ns)) != debit:
        problems.append(f"TotalDebit is not the sum of the debit lines ({debit} øre)")
    if ore(gle.findtext("s:TotalCredit", namespaces=ns)) != credit:
        problems.append(f"TotalCredit is not the sum of the credit lines ({credit} øre)")
    if debit != credit:
        problems.append("TotalDebit differs from TotalCredit")
    if int(gle.findtext("s:NumberOfEntries", namespaces=ns)) != entries:
        problems.append("NumberOfEntries is not the number of transactions")
    def balance(account, when):
        dr = account.findtext(f"s:{when}DebitBalance", namespaces=ns)
        return ore(dr) if dr is not None else -ore(account.findtext(f"s:{when}CreditBalance", namespaces=ns))
    closing = {}
    for account in root.iterfind("s:MasterFiles/s:GeneralLedgerAccounts/s:Account", ns):
        aid = account.findtext("s:AccountID", namespaces=ns)
        closing[aid] = balance(account, "Closing")
        if balance(account, "Opening") + moved.get(aid, 0) != closing[aid]:
            problems.append(f"account {aid}: opening + the period's lines is not the closing balance")
    for reg in root.iterfind("s:MasterFiles/s:Customers/s:Customer/s:RegistrationNumber", ns):
        if not (len(reg.text) == 9 and reg.text.isdigit()):  # an organisation number, never 11
            problems.append("a customer's RegistrationNumber is not an organisation number")
    receivables = {}
    for c in root.iterfind("s:MasterFiles/s:Customers/s:Customer/s:BalanceAccount", ns):
        aid = c.findtext("s:AccountID", namespaces=ns)
        receivables[aid] = receivables.get(aid, 0) + balance(c, "Closing")
    for aid, total in receivables.items():
        if total != closing.get(aid):
            problems.append(f"account {aid}: the customers' closing balances sum to {total}, not {closing.get(aid)}")
    checked = ""
    tb_path = os.path.join(d, "tb-" + doc[:-4] + ".json")
    if os.path.exists(tb_path):
        tb = {r["account"]: r["debit_ore"] - r["credit_ore"] for r in json.load(open(tb_path))}
        for aid in sorted(set(tb) | set(closing)):
            if tb.get(aid, 0) != closing.get(aid, 0):
                problems.append(f"account {aid}: closing {closing.get(aid)} but trial balance {tb.get(aid)}")
        checked = f", closing balances = trial balance as of {end} ({len(tb)} accounts)"
    if problems:
        bad += 1
        print(f"FAIL {doc}: " + "; ".join(problems[:5]))
    else:
        print(f"ok   {doc}: {entries} transactions, TotalDebit = TotalCredit = {debit // 100}.{debit % 100:02d}{checked}")
if len(docs) < 1:
    print("FAIL: no files written"); bad += 1
sys.exit(1 if bad else 0)
PY
exit $bad
