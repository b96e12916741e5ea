#!/usr/bin/env bash
# ctest ehf_official_rules: runs the official PEPPOL BIS Billing 3.0 rules (CEN EN 16931 and
# OpenPEPPOL Schematron, vendored in ../reference/peppol/) on every document ehf_samples writes,
# and on one deliberately broken document (a sample with its TaxInclusiveAmount changed), which
# must be rejected so this test cannot pass vacuously.
#
# Same steps as reference/peppol/validate.sh (compile each .sch with SchXslt2 into a cached XSLT,
# run it, read the SVRL; a failed assert flagged "fatal" fails), but each rule set runs once over
# the whole directory: one JVM per rule set instead of two per document (JVM start and stylesheet
# compilation cost seconds each). Prints every failed rule, warnings included.
# Usage: official_rules.sh PRODUCER WORK_DIR   (WORK_DIR/xsl is kept as the cache)
# PRODUCER is run as `PRODUCER DIR` and writes the documents into DIR: ehf_samples here, and
# tests/ehf_exports.sh for documents exported from a real log by `oppgjor invoice export-ehf`.
set -euo pipefail
samples_bin=$1
work=$2
here=$(cd "$(dirname "$0")" && pwd)
ref=$here/../reference/peppol
saxon=/usr/share/java/Saxon-HE.jar
[[ -f $saxon ]] || { echo "official_rules: $saxon missing: run ops/install-deps.sh (libsaxonhe-java default-jre-headless)" >&2; exit 2; }

rm -rf "$work/docs" "$work/svrl"
mkdir -p "$work/docs" "$work/xsl"
"$samples_bin" "$work/docs" >/dev/null

# The negative control: the O invoice with a total that no longer adds up (BR-CO-15 must fail).
good=$work/docs/invoice-nursing-home-o.xml
# Another producer's documents: the first invoice among them.
[[ -f $good ]] || good=$(grep -l '<Invoice ' "$work"/docs/*.xml | head -1)
broken=$work/docs/broken-tax-inclusive-amount.xml
sed -E 's#(<cbc:TaxInclusiveAmount currencyID="NOK">)[0-9.]+(</cbc:TaxInclusiveAmount>)#\1999.99\2#' \
  "$good" >"$broken"
cmp -s "$good" "$broken" && { echo "official_rules: could not break $good" >&2; exit 2; }

for rules in CEN-EN16931-UBL PEPPOL-EN16931-UBL; do
  xsl=$work/xsl/$rules.xsl
  if [[ ! -s $xsl || $ref/$rules.sch -nt $xsl ]]; then
    echo "official_rules: compiling $rules.sch (cached in $work/xsl)"
    java -jar "$saxon" -s:"$ref/$rules.sch" -xsl:"$ref/schxslt2-transpile.xsl" -o:"$xsl" 2>/dev/null
  fi
  mkdir -p "$work/svrl/$rules"
  java -jar "$saxon" -s:"$work/docs" -xsl:"$xsl" -o:"$work/svrl/$rules" 2>"$work/svrl/$rules.log" ||
    { cat "$work/svrl/$rules.log" >&2; exit 2; }
done

python3 - "$work" <<'PY'
import os, sys, xml.etree.ElementTree as ET
work = sys.argv[1]
ns = {'svrl': 'http://purl.oclc.org/dsdl/svrl'}
bad = 0
docs = sorted(os.listdir(os.path.join(work, 'docs')))
for doc in docs:
    fatal = 0
    for rules in ('CEN-EN16931-UBL', 'PEPPOL-EN16931-UBL'):
        svrl = os.path.join(work, 'svrl', rules, doc)
        for fa in ET.parse(svrl).getroot().iter('{http://purl.oclc.org/dsdl/svrl}failed-assert'):
            flag = fa.get('flag', 'fatal')
            text = ' '.join((fa.findtext('svrl:text', '', ns) or '').split())
            print(f"  {doc}: {rules}: {flag}: {fa.get('id')}: {text} at {fa.get('location')}")
            fatal += flag == 'fatal'
    expect_reject = doc.startswith('broken-')
    if expect_reject and fatal == 0:
        print(f"FAIL {doc}: deliberately broken, but no fatal rule failed"); bad += 1
    elif not expect_reject and fatal:
        print(f"FAIL {doc}: {fatal} fatal rule(s) failed"); bad += 1
    else:
        print(f"ok   {doc}: " + (f"rejected as it must be ({fatal} fatal)" if expect_reject else "passes"))
samples = [d for d in docs if not d.startswith('broken-')]
if len(samples) < 4:
    print(f"FAIL: only {len(samples)} samples written"); bad += 1
sys.exit(1 if bad else 0)
PY
