// The document model for EHF / PEPPOL BIS Billing 3.0: a plain value the invoicing service fills
// and ubl_writer.h turns into UBL 2.1 XML. No behaviour here beyond small helpers.
//
// Money is whole øre in int64 (`*_ore`), written as exact decimals with two digits ("123.45").
// Quantities are exact thousandths (`quantity_milli`: 2500 = 2.5). No binary floating point.
// VAT rates are basis points (`rate_bp`: 2500 = 25 %).
//
// Who fills what (README.md has the reasoning):
//  - buyer_reference (BT-10) is required by PEPPOL (R003). When upstream has none, leave it empty:
//    the writer then puts the buyer's customer number in our reskontro (buyer.customer_number),
//    which the buyer can quote back to us and which never carries a personal identifier.
//  - seller.vat_registered: the seller's VAT id "NO<orgnr>MVA" (NO-R-001) is written only when
//    the seller is VAT registered AND the document has no line in category O (BR-O-02 forbids a
//    seller VAT id on a document outside the scope of VAT: a municipality's claims for
//    kindergarten, nursing home, SFO are category O).
//  - seller.in_foretaksregisteret: writes PartyTaxScheme TAX "Foretaksregisteret" (NO-R-002).
//    Only AS/ASA/NUF must state it (foretaksregisterloven § 10-2); a municipality is registered in
//    Enhetsregisteret only, so it leaves this false and the validator's NO-R-002 *warning* is
//    expected and correct.
//
// Value type; thread-safe as any value.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/date.h"

namespace oppgjor::formats::ehf {

enum class DocumentKind { invoice, credit_note };

// VAT category codes (UNCL5305 subset used in Norway).
enum class VatCategory {
  standard,       // "S": rate_bp > 0 (25 %, 15 %, 12 %); seller must be VAT registered
  zero_rated,     // "Z": rate 0; seller must be VAT registered
  exempt,         // "E": rate 0, exemption_reason required; seller must be VAT registered
  outside_scope,  // "O": no rate, exemption_reason required; alone on its document (BR-O-*)
};
const char* vat_category_code(VatCategory category);  // "S", "Z", "E", "O"

struct Vat {
  VatCategory category = VatCategory::outside_scope;
  std::int32_t rate_bp = 0;      // basis points; only for standard (> 0), else 0
  std::string exemption_reason;  // BT-120, required for exempt and outside_scope
};

struct Address {
  std::string street;
  std::string city;
  std::string postcode;
  std::string country_code = "NO";  // ISO 3166-1 alpha-2
};

struct Party {
  std::string name;
  std::string organisation_number;  // 9 digits, MOD11-valid; endpoint and legal id, scheme 0192
  Address address;
  // Seller only:
  bool vat_registered = false;
  bool in_foretaksregisteret = false;
  // Buyer only: our customer number in the reskontro; the BT-10 fallback (see above).
  std::string customer_number;
};

struct Payment {
  std::string kid;             // → cac:PaymentMeans/cbc:PaymentID; optional (empty = none)
  std::string account_number;  // creditor kontonummer, 11 digits → PayeeFinancialAccount/cbc:ID
};
inline constexpr const char* payment_means_credit_transfer = "30";

struct Line {
  std::string id;                   // unique within the document, e.g. "1"
  std::int64_t quantity_milli = 0;  // 1000 = 1; negative allowed (a correction line)
  std::string unit_code = "EA";     // UN/ECE rec 20: "EA", "MON", "DAY", "HUR", ...
  std::int64_t unit_price_ore = 0;  // net price per unit, >= 0 (BR-27)
  // = quantity × unit price, rounded half up (away from zero) to whole øre. Given, not computed,
  // so the writer can refuse a line the invoicing service computed differently.
  std::int64_t line_amount_ore = 0;
  std::string item_name;
  std::string seller_item_id;  // optional product code → SellersItemIdentification
  Vat vat;
};

// The invoice a credit note credits (BG-3).
struct BillingReference {
  std::string invoice_number;
  common::Date invoice_issue_date;
};

struct Document {
  DocumentKind kind = DocumentKind::invoice;
  std::string number;  // BT-1, invoice or credit note number
  common::Date issue_date;
  std::optional<common::Date> due_date;  // BT-9; required for an invoice, ignored on a credit note
  std::string currency = "NOK";          // only NOK: amounts are øre
  std::string buyer_reference;           // BT-10; empty: buyer.customer_number is written
  std::string order_reference;           // BT-13, optional
  Party seller;
  Party buyer;
  std::optional<Payment> payment;  // required for an invoice
  // BT-20. Optional; on a credit note with none the writer states which invoice is credited
  // (BR-CO-25 needs a due date or terms, and a UBL 2.1 CreditNote has no DueDate).
  std::string payment_terms;
  std::vector<Line> lines;
  std::optional<BillingReference> billing_reference;  // required for a credit note
  std::string note;                                   // BT-22, optional, at most one
};

}  // namespace oppgjor::formats::ehf
