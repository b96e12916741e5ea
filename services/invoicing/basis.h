// Invoice and credit bases (schemas invoicing.invoice_basis_received / credit_basis_received):
// the one decoder from payload to a Basis, and the business checks the schemas promise but JSON
// Schema cannot make (schemas/README.md): each line's amount is antall × pris_ore rounded half-up
// to whole øre; nettobelop_ore is the sum of the lines; avgiftsbelop_ore is the sum of each
// line's VAT (its amount × the VAT code's rate in force on period.from, rounded half-up);
// totalbelop_ore = nettobelop_ore + avgiftsbelop_ore; period.from <= period.to. The checks that
// need the service's state (the customer exists, ordrenummer is unique per issuer) are in
// invoicing_state.h.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "common/date.h"
#include "common/result.h"
#include "services/invoicing/billing_rules.h"

namespace oppgjor::invoicing {

enum class BasisKind { invoice, credit };

struct BasisLine {
  std::string product_code;  // vare.kode
  std::string text;          // vare.navn
  std::string unit;          // vare.enhet ("" when not given)
  std::string quantity;      // antall, the decimal string as sent
  std::int64_t unit_price_ore = 0;
  std::int64_t amount_ore = 0;  // antall × pris_ore, rounded half-up
  std::string vat_code;
  std::string vat_category;  // from the VAT code (O, S, Z, E)
  std::int64_t vat_ore = 0;
  std::string account;         // kontering.art
  std::string function;        // kontering.funksjon
  std::string responsibility;  // kontering.ansvar
};

struct Basis {
  BasisKind kind = BasisKind::invoice;
  std::string event_id;
  std::string ordrenummer;
  std::string customer_id;
  std::string issuer;  // fakturautsteder
  std::string claim_type;
  Date period_from;
  Date period_to;
  std::vector<BasisLine> lines;
  std::int64_t net_ore = 0;
  std::int64_t vat_ore = 0;
  std::int64_t total_ore = 0;
  std::vector<std::string> corrects;  // credit: ordrenummer of the corrected bases
  std::string reason_code;            // credit
};

// Decodes and checks a basis payload. The Error (a business refusal) names the field as a path
// into the payload ("fakturalinjer[1].antall", "nettobelop_ore") and says why.
Result<Basis> decode_basis(BasisKind kind, std::string_view event_id,
                           simdjson::dom::element payload, const BillingRules& rules);

// antall × pris_ore rounded half-up to øre; antall a non-negative decimal string (≤ 4 decimals).
Result<std::int64_t> line_amount_ore(std::string_view quantity, std::int64_t unit_price_ore,
                                     std::string_view field);

}  // namespace oppgjor::invoicing
