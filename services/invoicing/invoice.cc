// Invoices and credit notes: payload writer and decoder (invoice.h).
#include "services/invoicing/invoice.h"

#include "common/assert.h"
#include "events/canonical_json.h"
#include "events/json_fields.h"

namespace oppgjor::invoicing {

namespace {

using events::get_date;
using events::get_int;
using events::get_text;

Error bad(const std::string& field) {
  return make_error("invoice_invalid", field,
                    "invoicing.invoice_issued: " + field + " is missing or invalid");
}

void write_line(events::CanonicalWriter& w, const InvoiceLine& l) {
  w.begin_object();
  w.field("account", l.account);
  w.field_int("amount_ore", l.amount_ore);
  if (!l.function.empty()) w.field("function", l.function);
  w.field("issuer", l.issuer);
  w.field("ordrenummer", l.ordrenummer);
  w.field("product_code", l.product_code);
  w.field("quantity", l.quantity);
  if (!l.responsibility.empty()) w.field("responsibility", l.responsibility);
  w.field("text", l.text);
  if (!l.unit.empty()) w.field("unit", l.unit);
  w.field_int("unit_price_ore", l.unit_price_ore);
  w.field("vat_category", l.vat_category);
  w.field("vat_code", l.vat_code);
  w.field_int("vat_ore", l.vat_ore);
  w.end_object();
}

}  // namespace

std::string_view document_kind_name(DocumentKind kind) {
  return kind == DocumentKind::invoice ? "invoice" : "credit_note";
}

std::string invoice_number_of(int series, std::int64_t sequence) {
  OPPGJOR_ASSERT(series >= 1 && sequence >= 1 && sequence < series_block,
                 "invoice series and sequence in range");
  return std::to_string(series * series_block + sequence);
}

std::string invoice_payload(const Invoice& inv) {
  std::int64_t net = 0;
  std::int64_t vat = 0;
  for (const auto& l : inv.lines) {
    net += l.amount_ore;
    vat += l.vat_ore;
  }
  OPPGJOR_ASSERT(net == inv.net_ore && vat == inv.vat_ore && inv.total_ore == net + vat,
                 "an invoice's totals are the sums of its lines");
  std::string out;
  events::CanonicalWriter w(out);
  w.begin_object();
  w.key("basis_event_ids");
  w.begin_array();
  for (const auto& id : inv.basis_event_ids) w.string_value(id);
  w.end_array();
  w.field("claim_type", inv.claim_type);
  w.key("credit_of");
  if (inv.credit_of) {
    w.string_value(*inv.credit_of);
  } else {
    w.null_value();
  }
  w.field("customer_id", inv.customer_id);
  w.field("document", document_kind_name(inv.kind));
  w.field("due_date", inv.due_date.to_iso());
  w.field("invoice_number", inv.invoice_number);
  w.field("issue_date", inv.issue_date.to_iso());
  w.field("kid", inv.kid);
  w.key("lines");
  w.begin_array();
  for (const auto& l : inv.lines) write_line(w, l);
  w.end_array();
  w.field_int("net_ore", inv.net_ore);
  w.key("period");
  w.begin_object();
  w.field("from", inv.period_from.to_iso());
  w.field("to", inv.period_to.to_iso());
  w.end_object();
  w.field("rule_version", inv.rule_version);
  w.field("run_id", inv.run_id);
  w.field_int("sequence", inv.sequence);
  w.field_int("series", inv.series);
  w.field_int("total_ore", inv.total_ore);
  w.field_int("vat_ore", inv.vat_ore);
  w.end_object();
  return out;
}

Result<Invoice> decode_invoice(simdjson::dom::element p, InvoiceParts parts) {
  Invoice inv;
  std::string document;
  if (!get_text(p, "document", document)) return bad("document");
  if (document == "invoice") {
    inv.kind = DocumentKind::invoice;
  } else if (document == "credit_note") {
    inv.kind = DocumentKind::credit_note;
  } else {
    return bad("document");
  }
  if (!get_text(p, "invoice_number", inv.invoice_number)) return bad("invoice_number");
  std::int64_t series = 0;
  if (!get_int(p, "series", series) || series < 1) return bad("series");
  inv.series = static_cast<int>(series);
  if (!get_int(p, "sequence", inv.sequence)) return bad("sequence");
  if (!get_text(p, "customer_id", inv.customer_id)) return bad("customer_id");
  if (!get_text(p, "claim_type", inv.claim_type)) return bad("claim_type");
  if (!get_text(p, "kid", inv.kid)) return bad("kid");
  if (!get_date(p, "issue_date", inv.issue_date)) return bad("issue_date");
  if (!get_date(p, "due_date", inv.due_date)) return bad("due_date");
  simdjson::dom::element period;
  if (p["period"].get(period) != simdjson::SUCCESS || !get_date(period, "from", inv.period_from) ||
      !get_date(period, "to", inv.period_to)) {
    return bad("period");
  }
  std::string credit_of;
  if (get_text(p, "credit_of", credit_of)) inv.credit_of = credit_of;
  const bool whole = parts == InvoiceParts::whole;
  simdjson::dom::array lines;
  if (p["lines"].get(lines) != simdjson::SUCCESS) return bad("lines");
  if (whole) {
    std::size_t i = 0;
    for (simdjson::dom::element e : lines) {
      const std::string f = "lines[" + std::to_string(i++) + "]";
      InvoiceLine l;
      if (!get_text(e, "ordrenummer", l.ordrenummer) || !get_text(e, "issuer", l.issuer) ||
          !get_text(e, "product_code", l.product_code) || !get_text(e, "text", l.text) ||
          !get_text(e, "quantity", l.quantity) || !get_int(e, "unit_price_ore", l.unit_price_ore) ||
          !get_int(e, "amount_ore", l.amount_ore) || !get_text(e, "vat_code", l.vat_code) ||
          !get_text(e, "vat_category", l.vat_category) || !get_int(e, "vat_ore", l.vat_ore) ||
          !get_text(e, "account", l.account)) {
        return bad(f);
      }
      get_text(e, "unit", l.unit);
      get_text(e, "function", l.function);
      get_text(e, "responsibility", l.responsibility);
      inv.lines.push_back(std::move(l));
    }
  }
  if (!get_int(p, "net_ore", inv.net_ore)) return bad("net_ore");
  if (!get_int(p, "vat_ore", inv.vat_ore)) return bad("vat_ore");
  if (!get_int(p, "total_ore", inv.total_ore)) return bad("total_ore");
  simdjson::dom::array ids;
  if (p["basis_event_ids"].get(ids) != simdjson::SUCCESS) return bad("basis_event_ids");
  if (whole) {
    for (simdjson::dom::element e : ids) {
      std::string_view s;
      if (e.get(s) != simdjson::SUCCESS) return bad("basis_event_ids");
      inv.basis_event_ids.emplace_back(s);
    }
  }
  if (!get_text(p, "run_id", inv.run_id)) return bad("run_id");
  if (!get_text(p, "rule_version", inv.rule_version)) return bad("rule_version");
  return inv;
}

}  // namespace oppgjor::invoicing
