// An issued invoice or credit note as an EHF / PEPPOL BIS Billing 3.0 document
// (`oppgjor invoice export-ehf`): maps the invoicing service's Invoice, the customer and the
// seller rule data onto formats/ehf's Document, which the UBL writer checks and writes.
//
// Mapping (docs/INVOICING.md): seller = the municipality from the rule data in force on the issue
// date; buyer = the customer, which must be an organisation (EHF is for organisations; a person
// gets the invoice document by other channels): refused with ehf_buyer_not_organisation
// otherwise. Lines: the quantity in thousandths (a basis quantity with a fourth decimal is refused:
// ehf_quantity_precision); a reduction line (negative price) is written with a negative quantity
// and a positive price (BR-27). VAT category from the line, rate from the VAT code; O carries the
// exemption reason "Utenfor merverdiavgiftsloven". KID in PaymentID; a credit note names the
// invoice it credits (BillingReference) — one that credits no invoice cannot be sent as EHF.
#pragma once

#include <string>

#include "common/result.h"
#include "formats/ehf/document.h"
#include "services/invoicing/invoicing_state.h"

namespace oppgjor::invoicing {

Result<formats::ehf::Document> ehf_document(const InvoicingState& state,
                                            const std::string& invoice_number);

// ehf_document() then the UBL writer: the XML, or the refusal naming the field.
Result<std::string> ehf_xml(const InvoicingState& state, const std::string& invoice_number);

}  // namespace oppgjor::invoicing
