// Invoices as EHF documents (ehf_export.h).
#include "services/invoicing/ehf_export.h"

#include "formats/ehf/ubl_writer.h"

namespace oppgjor::invoicing {

namespace {

namespace ehf = formats::ehf;

// "2.5" → 2500; nullopt when the quantity has a fourth decimal that is not zero.
std::optional<std::int64_t> quantity_milli(const std::string& q) {
  std::int64_t whole = 0;
  std::int64_t frac = 0;
  int decimals = 0;
  bool point = false;
  for (char c : q) {
    if (c == '.') {
      point = true;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    if (!point) {
      whole = whole * 10 + (c - '0');
    } else {
      ++decimals;
      if (decimals <= 3) {
        frac = frac * 10 + (c - '0');
      } else if (c != '0') {
        return std::nullopt;
      }
    }
  }
  for (int d = std::min(decimals, 3); d < 3; ++d) frac *= 10;
  return whole * 1000 + frac;
}

std::string unit_code(const std::string& unit) {
  if (unit == "mnd" || unit == "måned") return "MON";
  if (unit == "dogn" || unit == "døgn" || unit == "dag") return "DAY";
  if (unit == "time") return "HUR";
  return "EA";
}

Result<ehf::Vat> vat_of(const InvoicingState& s, const InvoiceLine& l, Date on,
                        const std::string& field) {
  ehf::Vat v;
  if (l.vat_category == "O") {
    v.category = ehf::VatCategory::outside_scope;
    v.exemption_reason = "Utenfor merverdiavgiftsloven";
    return v;
  }
  auto code = s.rules().vat_code(l.vat_code, on);
  if (!code) return code.error();
  if (l.vat_category == "S") {
    v.category = ehf::VatCategory::standard;
    v.rate_bp = static_cast<std::int32_t>(
        (code->rate * 10000).round(0, common::Rounding::half_up).to_int64());
  } else if (l.vat_category == "Z") {
    v.category = ehf::VatCategory::zero_rated;
  } else if (l.vat_category == "E") {
    v.category = ehf::VatCategory::exempt;
    v.exemption_reason = "Unntatt etter merverdiavgiftsloven kapittel 3";
  } else {
    return make_error("ehf_vat_category_unsupported", field + ".vat_category",
                      "VAT category " + l.vat_category + " cannot be written as EHF here");
  }
  return v;
}

}  // namespace

Result<ehf::Document> ehf_document(const InvoicingState& s, const std::string& number) {
  auto it = s.invoices().find(number);
  if (it == s.invoices().end()) {
    return make_error("invoice_unknown", "invoice_number", "no invoice or credit note " + number);
  }
  const Invoice& inv = it->second;
  auto customer = s.customers().find(inv.customer_id);
  if (customer == s.customers().end() || customer->second.kind != "organisation" ||
      customer->second.organisation_number.empty()) {
    return make_error("ehf_buyer_not_organisation", "customer_id",
                      "EHF is sent to organisations; customer " + inv.customer_id +
                          " is not an organisation with an organisation number");
  }
  auto seller = s.rules().seller(inv.issue_date);
  if (!seller) return seller.error();

  ehf::Document d;
  d.kind = inv.kind == DocumentKind::invoice ? ehf::DocumentKind::invoice
                                             : ehf::DocumentKind::credit_note;
  d.number = inv.invoice_number;
  d.issue_date = inv.issue_date;
  if (inv.kind == DocumentKind::invoice) d.due_date = inv.due_date;
  d.seller.name = seller->name;
  d.seller.organisation_number = seller->organisation_number;
  d.seller.address = {seller->street, seller->city, seller->postcode, "NO"};
  d.seller.vat_registered = seller->vat_registered;
  const Customer& c = customer->second;
  d.buyer.name = c.name;
  d.buyer.organisation_number = c.organisation_number;
  d.buyer.address = {c.street, c.city, c.postal_code, "NO"};
  d.buyer.customer_number = c.customer_id;
  if (inv.kind == DocumentKind::invoice) {
    d.payment = ehf::Payment{inv.kid, seller->account_number};
  } else {
    if (!inv.credit_of) {
      return make_error("ehf_billing_reference_missing", "credit_of",
                        "credit note " + number + " credits no invoice; EHF needs the reference");
    }
    auto credited = s.invoices().find(*inv.credit_of);
    if (credited == s.invoices().end()) {
      return make_error("invoice_unknown", "credit_of",
                        "credited invoice " + *inv.credit_of + " unknown");
    }
    d.billing_reference =
        ehf::BillingReference{credited->second.invoice_number, credited->second.issue_date};
  }
  std::size_t i = 0;
  for (const auto& l : inv.lines) {
    const std::string field = "lines[" + std::to_string(i) + "]";
    auto q = quantity_milli(l.quantity);
    if (!q) {
      return make_error("ehf_quantity_precision", field + ".quantity",
                        "quantity " + l.quantity + " has more than 3 decimals");
    }
    ehf::Line line;
    line.id = std::to_string(++i);
    const bool reduction = l.unit_price_ore < 0;
    line.quantity_milli = reduction ? -*q : *q;
    line.unit_price_ore = reduction ? -l.unit_price_ore : l.unit_price_ore;
    line.line_amount_ore = l.amount_ore;
    line.unit_code = unit_code(l.unit);
    line.item_name = l.text;
    line.seller_item_id = l.product_code;
    auto vat = vat_of(s, l, inv.issue_date, field);
    if (!vat) return vat.error();
    line.vat = *vat;
    d.lines.push_back(std::move(line));
  }
  d.note = inv.kind == DocumentKind::invoice
               ? "Periode " + inv.period_from.to_norwegian() + "–" + inv.period_to.to_norwegian()
               : "Kreditnota til faktura " + *inv.credit_of;
  return d;
}

Result<std::string> ehf_xml(const InvoicingState& s, const std::string& invoice_number) {
  auto d = ehf_document(s, invoice_number);
  if (!d) return d.error();
  return formats::ehf::write_ubl(*d);
}

}  // namespace oppgjor::invoicing
