// The invoice-basis projection (invoice_bases_projection.h).
#include "replay/invoice_bases_projection.h"

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <unordered_set>
#include <utility>

#include "events/canonical_json.h"

namespace oppgjor::replay {
namespace {

// The texts a basis repeats (customer ids, issuers, claim types, period dates, a credit's
// corrects) are kept once each; a basis holds pointers to them. unordered_set nodes never move,
// so the pointers stay valid.
class Interned {
 public:
  const std::string* get(std::string_view s) {
    auto it = set_.find(s);
    if (it == set_.end()) it = set_.emplace(s).first;
    return &*it;
  }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_set<std::string, Hash, std::equal_to<>> set_;
};

// One basis, about 80 bytes: what its row needs and nothing else. The ordrenummer is the tail
// of the row's key ("<stream>#<ordrenummer>"), so it is not stored twice.
struct Basis {
  const std::string* customer_id = nullptr;
  const std::string* fakturautsteder = nullptr;
  const std::string* claim_type = nullptr;
  const std::string* period_from = nullptr;
  const std::string* period_to = nullptr;
  const std::string* corrects_json = nullptr;  // credits only
  std::int64_t nettobelop_ore = 0, avgiftsbelop_ore = 0, totalbelop_ore = 0;
  std::int64_t lines = 0;
  std::int64_t events = 0;
  std::uint32_t ordrenummer_size = 0;
  bool credit = false;
};

Status missing(std::string_view what) {
  return make_error("projection_bug", std::string("payload/") + std::string(what),
                    "validated basis lacks it");
}

// (customer_id, ordrenummer) pairs, looked up by views.
struct PairLess {
  using is_transparent = void;
  template <class A, class B>
  bool operator()(const A& a, const B& b) const {
    return std::pair<std::string_view, std::string_view>(a.first, a.second) <
           std::pair<std::string_view, std::string_view>(b.first, b.second);
  }
};

class InvoiceBases final : public Projection {
 public:
  std::string_view name() const override { return "invoice_bases"; }
  bool wants(std::string_view type) const override {
    return type == "invoicing.invoice_basis_received" || type == "invoicing.credit_basis_received";
  }
  Status apply(const events::EventView& e, simdjson::dom::element p) override {
    Basis b;
    b.credit = e.type == "invoicing.credit_basis_received";
    std::string_view ordrenummer;
    if (auto st = read_basis(p, b, ordrenummer); !st.ok()) return st;
    if (b.credit) {
      simdjson::dom::array corrected;
      if (p["corrects"]["ordrenummer"].get(corrected) == simdjson::SUCCESS) {
        for (auto o : corrected) {
          std::string_view v;
          if (o.get(v) == simdjson::SUCCESS) credited_.emplace(*b.customer_id, std::string(v));
        }
      }
    }
    key_.assign(e.stream);
    key_ += '#';
    key_ += ordrenummer;
    auto it = bases_.find(key_);
    if (it == bases_.end()) it = bases_.emplace(key_, Basis{}).first;
    b.events = it->second.events + 1;
    b.ordrenummer_size = static_cast<std::uint32_t>(ordrenummer.size());
    it->second = b;
    return ok_status();
  }
  void emit(RowSink& sink) const override {
    std::string value;
    for (const auto& [key, b] : bases_) {
      value.clear();
      render(key, b, value);
      sink.row(key, value);
    }
  }

 private:
  Status read_basis(simdjson::dom::element p, Basis& b, std::string_view& ordrenummer) {
    const std::pair<const char*, const std::string**> texts[] = {
        {"customer_id", &b.customer_id},
        {"fakturautsteder", &b.fakturautsteder},
        {"ordrenummer", nullptr},
        {"claim_type", &b.claim_type}};
    for (const auto& [k, out] : texts) {
      std::string_view v;
      if (p[k].get(v) != simdjson::SUCCESS) return missing(k);
      if (out == nullptr) {
        ordrenummer = v;  // a view into the parsed payload, valid during apply
      } else {
        *out = interned_.get(v);
      }
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
    b.period_from = interned_.get(from);
    b.period_to = interned_.get(to);
    simdjson::dom::array lines;
    if (p["fakturalinjer"].get(lines) != simdjson::SUCCESS) return missing("fakturalinjer");
    b.lines = static_cast<std::int64_t>(lines.size());
    if (simdjson::dom::element c; b.credit && p["corrects"].get(c) == simdjson::SUCCESS) {
      scratch_.clear();
      if (auto st = events::append_canonical(c, scratch_, ""); !st.ok()) return st;
      b.corrects_json = interned_.get(scratch_);
    }
    return ok_status();
  }

  void render(std::string_view key, const Basis& b, std::string& out) const {
    const std::string_view ordrenummer = key.substr(key.size() - b.ordrenummer_size);
    const bool credited = credited_.count(std::pair<std::string_view, std::string_view>(
                              *b.customer_id, ordrenummer)) > 0;
    events::CanonicalWriter w(out);
    w.begin_object();
    w.field_int("avgiftsbelop_ore", b.avgiftsbelop_ore);
    w.field("claim_type", *b.claim_type);
    if (b.credit) {
      w.key("corrects");
      w.raw_value(b.corrects_json == nullptr ? std::string_view() : *b.corrects_json);
    }
    w.field("customer_id", *b.customer_id);
    w.field_int("events", b.events);
    w.field("fakturautsteder", *b.fakturautsteder);
    w.field("kind", b.credit ? "credit" : "invoice");
    w.field_int("lines", b.lines);
    w.field_int("nettobelop_ore", b.nettobelop_ore);
    w.field("ordrenummer", ordrenummer);
    w.key("period");
    w.begin_object();
    w.field("from", *b.period_from);
    w.field("to", *b.period_to);
    w.end_object();
    w.field("status", b.credit ? "credit" : credited ? "credited" : "received");
    w.field_int("totalbelop_ore", b.totalbelop_ore);
    w.end_object();
  }

  Interned interned_;
  std::map<std::string, Basis, std::less<>> bases_;                   // key order = emit order
  std::set<std::pair<std::string, std::string>, PairLess> credited_;  // (customer_id, ordrenummer)
  std::string key_, scratch_;                                         // reused buffers
};

}  // namespace

std::unique_ptr<Projection> make_invoice_bases_projection() {
  return std::make_unique<InvoiceBases>();
}

}  // namespace oppgjor::replay
