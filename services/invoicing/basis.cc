// Invoice and credit bases: decoding and the business checks (basis.h).
#include "services/invoicing/basis.h"

#include <stdexcept>

#include "common/money.h"
#include "events/json_fields.h"

namespace oppgjor::invoicing {

namespace {

using events::text_or;

Result<std::string> required_text(simdjson::dom::element obj, std::string_view key,
                                  const std::string& field) {
  std::string_view v;
  if (obj[key].get(v) != simdjson::SUCCESS || v.empty()) {
    return make_error("field_missing", field, field + " is missing or not a string");
  }
  return std::string(v);
}

Result<std::int64_t> required_int(simdjson::dom::element obj, std::string_view key,
                                  const std::string& field) {
  std::int64_t v = 0;
  if (obj[key].get(v) != simdjson::SUCCESS) {
    return make_error("field_missing", field, field + " is missing or not an integer");
  }
  return v;
}

Result<Date> required_date(simdjson::dom::element obj, std::string_view key,
                           const std::string& field) {
  auto text = required_text(obj, key, field);
  if (!text) return text.error();
  auto d = Date::parse(*text, field);
  if (!d) return make_error("date_invalid", field, field + " is not a valid date: " + *text);
  return *d;
}

Result<BasisLine> decode_line(simdjson::dom::element line, const std::string& field, Date on,
                              const BillingRules& rules) {
  BasisLine out;
  simdjson::dom::element vare;
  if (line["vare"].get(vare) != simdjson::SUCCESS) {
    return make_error("field_missing", field + ".vare", "the line has no vare");
  }
  auto code = required_text(vare, "kode", field + ".vare.kode");
  if (!code) return code.error();
  out.product_code = *code;
  auto name = required_text(vare, "navn", field + ".vare.navn");
  if (!name) return name.error();
  out.text = *name;
  out.unit = text_or(vare, "enhet");
  simdjson::dom::element kontering;
  if (vare["kontering"].get(kontering) != simdjson::SUCCESS) {
    return make_error("field_missing", field + ".vare.kontering", "the line has no posting string");
  }
  auto art = required_text(kontering, "art", field + ".vare.kontering.art");
  if (!art) return art.error();
  out.account = *art;
  out.function = text_or(kontering, "funksjon");
  out.responsibility = text_or(kontering, "ansvar");

  auto quantity = required_text(line, "antall", field + ".antall");
  if (!quantity) return quantity.error();
  out.quantity = *quantity;
  auto price = required_int(line, "pris_ore", field + ".pris_ore");
  if (!price) return price.error();
  out.unit_price_ore = *price;
  auto amount = line_amount_ore(out.quantity, out.unit_price_ore, field);
  if (!amount) return amount.error();
  out.amount_ore = *amount;

  auto vat_code = required_text(line, "mva_kode", field + ".mva_kode");
  if (!vat_code) return vat_code.error();
  out.vat_code = *vat_code;
  auto vat = rules.vat_code(out.vat_code, on);
  if (!vat) {
    return make_error("vat_code_unknown", field + ".mva_kode",
                      "VAT code " + out.vat_code + " is not in force on " + on.to_iso());
  }
  out.vat_category = vat->category;
  try {
    out.vat_ore =
        (common::Decimal::from_ore(out.amount_ore) * vat->rate).to_ore(common::Rounding::half_up);
  } catch (const std::overflow_error&) {
    return make_error("amount_out_of_range", field + ".mva_kode", "the line's VAT is out of range");
  }
  return out;
}

}  // namespace

Result<std::int64_t> line_amount_ore(std::string_view quantity, std::int64_t unit_price_ore,
                                     std::string_view field) {
  const std::string f = std::string(field) + ".antall";
  auto q = common::Decimal::parse(quantity, f);
  if (!q) {
    return make_error("quantity_invalid", f,
                      "antall is not a decimal number: " + std::string(quantity));
  }
  if (q->is_negative()) {
    return make_error(
        "quantity_negative", f,
        "antall must not be negative (a reduction is a line with a negative pris_ore)");
  }
  if (!(q->round(4, common::Rounding::down) == *q)) {
    return make_error("quantity_invalid", f, "antall has more than 4 decimals");
  }
  try {
    return (common::Decimal::from_ore(unit_price_ore) * *q).to_ore(common::Rounding::half_up);
  } catch (const std::overflow_error&) {
    return make_error("amount_out_of_range", std::string(field) + ".pris_ore",
                      "antall × pris_ore is out of range");
  }
}

Result<Basis> decode_basis(BasisKind kind, std::string_view event_id,
                           simdjson::dom::element payload, const BillingRules& rules) {
  Basis b;
  b.kind = kind;
  b.event_id = std::string(event_id);
  auto ordrenummer = required_text(payload, "ordrenummer", "ordrenummer");
  if (!ordrenummer) return ordrenummer.error();
  b.ordrenummer = *ordrenummer;
  auto customer = required_text(payload, "customer_id", "customer_id");
  if (!customer) return customer.error();
  b.customer_id = *customer;
  auto issuer = required_text(payload, "fakturautsteder", "fakturautsteder");
  if (!issuer) return issuer.error();
  b.issuer = *issuer;
  auto claim_type = required_text(payload, "claim_type", "claim_type");
  if (!claim_type) return claim_type.error();
  if (!is_claim_type(*claim_type)) {
    return make_error("claim_type_unknown", "claim_type", "unknown claim type " + *claim_type);
  }
  b.claim_type = *claim_type;
  simdjson::dom::element period;
  if (payload["period"].get(period) != simdjson::SUCCESS) {
    return make_error("field_missing", "period", "period is missing");
  }
  auto from = required_date(period, "from", "period.from");
  if (!from) return from.error();
  auto to = required_date(period, "to", "period.to");
  if (!to) return to.error();
  if (*to < *from) {
    return make_error("period_invalid", "period.to",
                      "period.to " + to->to_iso() + " is before period.from " + from->to_iso());
  }
  b.period_from = *from;
  b.period_to = *to;

  simdjson::dom::array lines;
  if (payload["fakturalinjer"].get(lines) != simdjson::SUCCESS || lines.size() == 0) {
    return make_error("field_missing", "fakturalinjer", "a basis needs at least one line");
  }
  std::size_t i = 0;
  std::int64_t net = 0;
  std::int64_t vat = 0;
  for (simdjson::dom::element line : lines) {
    auto decoded =
        decode_line(line, "fakturalinjer[" + std::to_string(i++) + "]", b.period_from, rules);
    if (!decoded) return decoded.error();
    net += decoded->amount_ore;
    vat += decoded->vat_ore;
    b.lines.push_back(std::move(decoded).value());
  }
  auto net_sent = required_int(payload, "nettobelop_ore", "nettobelop_ore");
  if (!net_sent) return net_sent.error();
  auto vat_sent = required_int(payload, "avgiftsbelop_ore", "avgiftsbelop_ore");
  if (!vat_sent) return vat_sent.error();
  auto total_sent = required_int(payload, "totalbelop_ore", "totalbelop_ore");
  if (!total_sent) return total_sent.error();
  if (*net_sent != net) {
    return make_error("total_mismatch", "nettobelop_ore",
                      "nettobelop_ore " + std::to_string(*net_sent) +
                          " is not the sum of the lines (antall × pris_ore, rounded half-up): " +
                          std::to_string(net));
  }
  if (*vat_sent != vat) {
    return make_error("total_mismatch", "avgiftsbelop_ore",
                      "avgiftsbelop_ore " + std::to_string(*vat_sent) +
                          " is not the sum of the lines' VAT: " + std::to_string(vat));
  }
  if (*total_sent != net + vat) {
    return make_error(
        "total_mismatch", "totalbelop_ore",
        "totalbelop_ore " + std::to_string(*total_sent) +
            " is not nettobelop_ore + avgiftsbelop_ore: " + std::to_string(net + vat));
  }
  b.net_ore = net;
  b.vat_ore = vat;
  b.total_ore = net + vat;
  if (kind == BasisKind::credit) {
    if (b.total_ore < 0) {
      return make_error("amount_negative", "totalbelop_ore",
                        "a credit basis states what is credited, as a positive amount");
    }
    b.reason_code = text_or(payload, "reason_code");
    simdjson::dom::element corrects;
    if (payload["corrects"].get(corrects) == simdjson::SUCCESS) {
      simdjson::dom::array numbers;
      if (corrects["ordrenummer"].get(numbers) == simdjson::SUCCESS) {
        for (simdjson::dom::element n : numbers) {
          std::string_view s;
          if (n.get(s) == simdjson::SUCCESS) b.corrects.emplace_back(s);
        }
      }
    }
  }
  return b;
}

}  // namespace oppgjor::invoicing
