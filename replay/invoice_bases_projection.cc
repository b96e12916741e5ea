// The invoice-basis projection (invoice_bases_projection.h).
#include "replay/invoice_bases_projection.h"

#include <map>
#include <set>
#include <string>
#include <utility>

#include "events/canonical_json.h"

namespace oppgjor::replay {
namespace {

struct Basis {
  bool credit = false;
  std::string customer_id, fakturautsteder, ordrenummer, claim_type, period_from, period_to;
  std::string corrects_json;  // credits only
  std::int64_t nettobelop_ore = 0, avgiftsbelop_ore = 0, totalbelop_ore = 0, lines = 0;
  std::int64_t events = 0;
};

Status missing(std::string_view what) {
  return make_error("projection_bug", std::string("payload/") + std::string(what),
                    "validated basis lacks it");
}

class InvoiceBases final : public Projection {
 public:
  std::string_view name() const override { return "invoice_bases"; }
  bool wants(std::string_view type) const override {
    return type == "invoicing.invoice_basis_received" || type == "invoicing.credit_basis_received";
  }
  Status apply(const events::EventView& e, simdjson::dom::element p) override {
    Basis b;
    b.credit = e.type == "invoicing.credit_basis_received";
    if (auto st = read_basis(p, b); !st.ok()) return st;
    if (b.credit) {
      simdjson::dom::array corrected;
      if (p["corrects"]["ordrenummer"].get(corrected) == simdjson::SUCCESS) {
        for (auto o : corrected) {
          std::string_view v;
          if (o.get(v) == simdjson::SUCCESS) credited_.emplace(b.customer_id, std::string(v));
        }
      }
    }
    std::string key(e.stream);
    key += '#';
    key += b.ordrenummer;
    Basis& slot = bases_[key];
    b.events = slot.events + 1;
    slot = std::move(b);
    return ok_status();
  }
  void emit(RowSink& sink) const override {
    std::string value;
    for (const auto& [key, b] : bases_) {
      value.clear();
      render(b, value);
      sink.row(key, value);
    }
  }

 private:
  static Status read_basis(simdjson::dom::element p, Basis& b) {
    const std::pair<const char*, std::string*> texts[] = {{"customer_id", &b.customer_id},
                                                          {"fakturautsteder", &b.fakturautsteder},
                                                          {"ordrenummer", &b.ordrenummer},
                                                          {"claim_type", &b.claim_type}};
    for (const auto& [k, out] : texts) {
      std::string_view v;
      if (p[k].get(v) != simdjson::SUCCESS) return missing(k);
      out->assign(v);
    }
    const std::pair<const char*, std::int64_t*> amounts[] = {
        {"nettobelop_ore", &b.nettobelop_ore},
        {"avgiftsbelop_ore", &b.avgiftsbelop_ore},
        {"totalbelop_ore", &b.totalbelop_ore}};
    for (const auto& [k, out] : amounts) {
      if (p[k].get(*out) != simdjson::SUCCESS) return missing(k);
    }
    std::string_view from, to;
    if (p["period"]["from"].get(from) != simdjson::SUCCESS ||
        p["period"]["to"].get(to) != simdjson::SUCCESS) {
      return missing("period");
    }
    b.period_from.assign(from);
    b.period_to.assign(to);
    simdjson::dom::array lines;
    if (p["fakturalinjer"].get(lines) != simdjson::SUCCESS) return missing("fakturalinjer");
    b.lines = static_cast<std::int64_t>(lines.size());
    if (simdjson::dom::element c; b.credit && p["corrects"].get(c) == simdjson::SUCCESS) {
      if (auto st = events::append_canonical(c, b.corrects_json, ""); !st.ok()) return st;
    }
    return ok_status();
  }

  void render(const Basis& b, std::string& out) const {
    const bool credited = credited_.count({b.customer_id, b.ordrenummer}) > 0;
    events::CanonicalWriter w(out);
    w.begin_object();
    w.field_int("avgiftsbelop_ore", b.avgiftsbelop_ore);
    w.field("claim_type", b.claim_type);
    if (b.credit) {
      w.key("corrects");
      w.raw_value(b.corrects_json);
    }
    w.field("customer_id", b.customer_id);
    w.field_int("events", b.events);
    w.field("fakturautsteder", b.fakturautsteder);
    w.field("kind", b.credit ? "credit" : "invoice");
    w.field_int("lines", b.lines);
    w.field_int("nettobelop_ore", b.nettobelop_ore);
    w.field("ordrenummer", b.ordrenummer);
    w.key("period");
    w.begin_object();
    w.field("from", b.period_from);
    w.field("to", b.period_to);
    w.end_object();
    w.field("status", b.credit ? "credit" : credited ? "credited" : "received");
    w.field_int("totalbelop_ore", b.totalbelop_ore);
    w.end_object();
  }

  std::map<std::string, Basis> bases_;                      // key order = emit order
  std::set<std::pair<std::string, std::string>> credited_;  // (customer_id, ordrenummer)
};

}  // namespace

std::unique_ptr<Projection> make_invoice_bases_projection() {
  return std::make_unique<InvoiceBases>();
}

}  // namespace oppgjor::replay
