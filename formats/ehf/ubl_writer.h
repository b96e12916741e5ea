// Writes a Document as a UBL 2.1 Invoice or CreditNote per PEPPOL BIS Billing 3.0 / EHF Billing
// 3.0 (README.md lists what is written and why).
//
// write_ubl validates first (validate.h) and returns that Error unchanged when the document is
// not writable; otherwise the complete XML text (UTF-8, with declaration). The output passes the
// official CEN EN 16931 and PEPPOL Schematron rules without a fatal failure (test
// ehf_official_rules); a municipality seller draws the NO-R-002 warning by design (document.h).
//
// Written: CustomizationID/ProfileID of BIS Billing 3.0; type code 380 (invoice) or 381 (credit
// note); BuyerReference (buyer_reference, else buyer.customer_number); seller and buyer with
// EndpointID, PartyLegalEntity/CompanyID (scheme 0192), name and postal address; PaymentMeans code
// 30 with KID in PaymentID and the kontonummer in PayeeFinancialAccount/ID; one TaxTotal with a
// TaxSubtotal per (category, rate); LegalMonetaryTotal and lines computed exactly (totals.h).
//
// Pure: no I/O, no clock. Thread-safe.
#pragma once

#include <string>

#include "common/result.h"
#include "formats/ehf/document.h"

namespace oppgjor::formats::ehf {

inline constexpr const char* customization_id =
    "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0";
inline constexpr const char* profile_id = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0";
inline constexpr const char* scheme_organisation_number = "0192";  // ICD: Norwegian orgnr

Result<std::string> write_ubl(const Document& document);

}  // namespace oppgjor::formats::ehf
