// Checks a Document before it is written: everything the writer needs and the rules of PEPPOL BIS
// Billing 3.0 that depend on the content (not on how it is written). Returns the first problem
// found as an Error whose code is in errors.h and whose field names the document field, e.g.
//   ehf_organisation_number_invalid at buyer.organisation_number
//   ehf_line_amount_mismatch at lines[1].line_amount_ore
//   ehf_vat_outside_scope_mixed at lines[2].vat.category
//
// Checked: required text present and free of control characters (PEPPOL-EN16931-R008 forbids
// empty elements); organisation numbers (MOD11), kontonummer, KID (MOD10 or MOD11) with
// common/identifiers.h; currency NOK; an invoice has a due date and payment; a credit note has a
// billing reference; BT-10 can be filled (buyer_reference or buyer.customer_number); 1..lines_max
// lines with unique ids; each amount = quantity × price rounded half up; VAT: S has a rate in
// (0, 100 %], Z/E/O have none, E/O have an exemption reason, lines of one (category, rate) share
// it, O is never mixed with other categories (BR-O-11, BR-O-12), and S/Z/E need a VAT-registered
// seller (BR-S-02, BR-Z-02, BR-E-02).
//
// Pure; thread-safe.
#pragma once

#include "common/result.h"
#include "formats/ehf/document.h"

namespace oppgjor::formats::ehf {

Status validate_document(const Document& document);

}  // namespace oppgjor::formats::ehf
