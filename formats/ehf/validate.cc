#include "formats/ehf/validate.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/identifiers.h"
#include "formats/ehf/errors.h"
#include "formats/ehf/totals.h"

namespace oppgjor::formats::ehf {

namespace {

namespace ec = error_code;

Error fail(const char* code, std::string field, std::string message) {
  return make_error(code, std::move(field), std::move(message));
}

bool blank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// XML 1.0 cannot carry C0 control characters other than tab, newline and carriage return.
Status check_text(std::string_view text, const std::string& field, bool required) {
  if (required && blank(text)) return fail(ec::text_missing, field, "required text is blank");
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 && c != '\t' && c != '\n' && c != '\r') {
      return fail(ec::text_invalid, field, "control character in text");
    }
  }
  return ok_status();
}

Status check_address(const Address& a, const std::string& field) {
  if (auto s = check_text(a.street, field + ".street", true); !s) return s;
  if (auto s = check_text(a.city, field + ".city", true); !s) return s;
  if (auto s = check_text(a.postcode, field + ".postcode", true); !s) return s;
  const std::string& cc = a.country_code;
  if (cc.size() != 2 || cc[0] < 'A' || cc[0] > 'Z' || cc[1] < 'A' || cc[1] > 'Z') {
    return fail(ec::country_code_invalid, field + ".country_code", "not ISO 3166-1 alpha-2");
  }
  return ok_status();
}

Status check_party(const Party& p, const std::string& field) {
  if (auto s = check_text(p.name, field + ".name", true); !s) return s;
  if (!common::is_valid_organisation_number(p.organisation_number)) {
    return fail(ec::organisation_number_invalid, field + ".organisation_number",
                p.organisation_number.empty() ? "missing" : "not a valid organisasjonsnummer");
  }
  if (auto s = check_address(p.address, field + ".address"); !s) return s;
  return check_text(p.customer_number, field + ".customer_number", false);
}

Status check_payment(const Document& d) {
  if (!d.payment) {
    if (d.kind == DocumentKind::invoice) {
      return fail(ec::payment_missing, "payment", "an invoice needs payment information");
    }
    return ok_status();
  }
  const std::string& account = d.payment->account_number;
  if (account.size() != 11 || !common::is_valid_account_number(account)) {
    return fail(ec::account_number_invalid, "payment.account_number",
                "not an 11-digit kontonummer");
  }
  const std::string& kid = d.payment->kid;
  if (!kid.empty() && !common::kid_check(common::KidScheme::mod10, kid) &&
      !common::kid_check(common::KidScheme::mod11, kid)) {
    return fail(ec::kid_invalid, "payment.kid", "not a valid MOD10 or MOD11 KID");
  }
  return ok_status();
}

Status check_header(const Document& d) {
  if (auto s = check_text(d.number, "number", true); !s) return s;
  if (d.currency != "NOK") return fail(ec::currency_not_nok, "currency", "amounts are in øre");
  if (d.kind == DocumentKind::invoice && !d.due_date) {
    return fail(ec::due_date_missing, "due_date", "an invoice needs a due date");
  }
  if (d.kind == DocumentKind::credit_note) {
    if (!d.billing_reference) {
      return fail(ec::billing_reference_missing, "billing_reference",
                  "a credit note must name the invoice it credits");
    }
    if (auto s = check_text(d.billing_reference->invoice_number, "billing_reference.invoice_number",
                            true);
        !s) {
      return s;
    }
  }
  if (blank(d.buyer_reference) && blank(d.buyer.customer_number)) {
    return fail(ec::buyer_reference_missing, "buyer_reference",
                "neither a buyer reference nor the buyer's customer number");
  }
  for (const auto& [text, field] :
       {std::pair{&d.buyer_reference, "buyer_reference"},
        std::pair{&d.order_reference, "order_reference"},
        std::pair{&d.payment_terms, "payment_terms"}, std::pair{&d.note, "note"}}) {
    if (auto s = check_text(*text, field, false); !s) return s;
  }
  return ok_status();
}

bool unit_code_ok(std::string_view code) {
  if (code.empty() || code.size() > 3) return false;
  for (char c : code) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

Status check_vat(const Vat& vat, bool seller_vat_registered, const std::string& field) {
  const bool needs_rate = vat.category == VatCategory::standard;
  if (needs_rate ? (vat.rate_bp <= 0 || vat.rate_bp > 10'000) : vat.rate_bp != 0) {
    return fail(
        ec::vat_rate_invalid, field + ".rate_bp",
        needs_rate ? "category S needs a rate in (0, 100 %]" : "only category S has a rate");
  }
  const bool needs_reason =
      vat.category == VatCategory::exempt || vat.category == VatCategory::outside_scope;
  if (needs_reason && blank(vat.exemption_reason)) {
    return fail(ec::vat_exemption_reason_missing, field + ".exemption_reason",
                "categories E and O need an exemption reason (BR-E-10, BR-O-10)");
  }
  if (auto s = check_text(vat.exemption_reason, field + ".exemption_reason", false); !s) return s;
  if (vat.category != VatCategory::outside_scope && !seller_vat_registered) {
    return fail(ec::seller_not_vat_registered, field + ".category",
                "categories S, Z and E need a VAT-registered seller");
  }
  return ok_status();
}

Status check_line_amounts(const Line& line, const std::string& field) {
  if (line.quantity_milli < -quantity_milli_max || line.quantity_milli > quantity_milli_max) {
    return fail(ec::quantity_out_of_range, field + ".quantity_milli", "beyond 1 000 000 units");
  }
  if (line.unit_price_ore < 0 || line.unit_price_ore > amount_ore_max) {
    return fail(ec::price_out_of_range, field + ".unit_price_ore",
                "a price is never negative (BR-27); give a negative quantity instead");
  }
  const auto expected = line_amount_ore(line.quantity_milli, line.unit_price_ore);
  if (!expected || *expected != line.line_amount_ore) {
    return fail(ec::line_amount_mismatch, field + ".line_amount_ore",
                "must equal quantity × unit price rounded half up to øre");
  }
  return ok_status();
}

Status check_line(const Line& line, bool seller_vat_registered, const std::string& field) {
  if (auto s = check_text(line.id, field + ".id", true); !s) return s;
  if (!unit_code_ok(line.unit_code)) {
    return fail(ec::unit_code_invalid, field + ".unit_code", "not a UN/ECE rec 20 code");
  }
  if (auto s = check_line_amounts(line, field); !s) return s;
  if (auto s = check_text(line.item_name, field + ".item_name", true); !s) return s;
  if (auto s = check_text(line.seller_item_id, field + ".seller_item_id", false); !s) return s;
  return check_vat(line.vat, seller_vat_registered, field + ".vat");
}

// Across lines: unique ids, O alone, one exemption reason per (category, rate).
Status check_lines_together(const std::vector<Line>& lines) {
  std::set<std::string> ids;
  std::map<std::pair<VatCategory, std::int32_t>, const std::string*> reasons;
  const bool first_is_o = lines.front().vat.category == VatCategory::outside_scope;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string field = "lines[" + std::to_string(i) + "]";
    const Line& line = lines[i];
    if (!ids.insert(line.id).second) {
      return fail(ec::line_id_duplicate, field + ".id", "line ids must be unique");
    }
    if ((line.vat.category == VatCategory::outside_scope) != first_is_o) {
      return fail(ec::vat_outside_scope_mixed, field + ".vat.category",
                  "category O cannot share a document with other categories (BR-O-11, BR-O-12)");
    }
    const auto [it, inserted] =
        reasons.try_emplace({line.vat.category, line.vat.rate_bp}, &line.vat.exemption_reason);
    if (!inserted && *it->second != line.vat.exemption_reason) {
      return fail(ec::vat_exemption_reason_differs, field + ".vat.exemption_reason",
                  "lines of one VAT category and rate share one exemption reason");
    }
  }
  return ok_status();
}

}  // namespace

Status validate_document(const Document& d) {
  if (auto s = check_header(d); !s) return s;
  if (auto s = check_party(d.seller, "seller"); !s) return s;
  if (auto s = check_party(d.buyer, "buyer"); !s) return s;
  if (auto s = check_payment(d); !s) return s;
  if (d.lines.empty()) return fail(ec::no_lines, "lines", "a document needs at least one line");
  if (d.lines.size() > lines_max) return fail(ec::too_many_lines, "lines", "more than lines_max");
  for (std::size_t i = 0; i < d.lines.size(); ++i) {
    const std::string field = "lines[" + std::to_string(i) + "]";
    if (auto s = check_line(d.lines[i], d.seller.vat_registered, field); !s) return s;
  }
  return check_lines_together(d.lines);
}

}  // namespace oppgjor::formats::ehf
