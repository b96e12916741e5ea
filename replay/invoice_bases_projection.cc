// The invoice-basis projection (invoice_bases_projection.h).
#include "replay/invoice_bases_projection.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "events/canonical_json.h"

namespace oppgjor::replay {
namespace {

// The texts a basis repeats (customer ids, issuers, claim types, period dates, a credit's
// corrects) are kept once each; a basis holds pointers to them. unordered_set nodes never move,
// so the pointers stay valid.
class Interned {
 public:
  // `last` is the caller's one-entry cache (the same issuer, claim type or period repeats in
  // runs).
  const std::string* get(std::string_view s, const std::string*& last) {
    if (last != nullptr && *last == s) return last;
    auto it = set_.find(s);
    if (it == set_.end()) it = set_.emplace(s).first;
    last = &*it;
    return last;
  }
  const std::string* get(std::string_view s) {
    const std::string* none = nullptr;
    return get(s, none);
  }

 public:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

 private:
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
    auto it = bases_.find(std::string_view(key_));
    if (it == bases_.end()) it = bases_.emplace(key_, Basis{}).first;
    b.events = it->second.events + 1;
    b.ordrenummer_size = static_cast<std::uint32_t>(ordrenummer.size());
    it->second = b;
    return ok_status();
  }
  void emit(RowSink& sink) const override {
    std::vector<const std::pair<const std::string, Basis>*> sorted;
    sorted.reserve(bases_.size());
    for (const auto& entry : bases_) sorted.push_back(&entry);
    std::sort(sorted.begin(), sorted.end(),
              [](const auto* a, const auto* b) { return a->first < b->first; });
    std::string value;
    for (const auto* entry : sorted) {
      value.clear();
      render(entry->first, entry->second, value);
      sink.row(entry->first, value);
    }
  }

 private:
  // One pass over the payload's members (a lookup per field would scan the members each time).
  Status read_basis(simdjson::dom::element p, Basis& b, std::string_view& ordrenummer) {
    simdjson::dom::object obj;
    if (p.get(obj) != simdjson::SUCCESS) return missing("customer_id");
    enum : unsigned {
      kCustomer = 1,
      kIssuer = 2,
      kOrder = 4,
      kClaim = 8,
      kNetto = 16,
      kAvgift = 32,
      kTotal = 64,
      kPeriod = 128,
      kLines = 256,
    };
    unsigned seen = 0;
    std::string_view from, to;
    simdjson::dom::element corrects;
    bool has_corrects = false;
    for (auto field : obj) {
      const std::string_view k = field.key;
      const simdjson::dom::element v = field.value;
      std::string_view text;
      if (k == "customer_id") {
        if (v.get(text) == simdjson::SUCCESS)
          b.customer_id = interned_.get(text), seen |= kCustomer;
      } else if (k == "fakturautsteder") {
        if (v.get(text) == simdjson::SUCCESS) {
          b.fakturautsteder = interned_.get(text, last_issuer_);
          seen |= kIssuer;
        }
      } else if (k == "ordrenummer") {
        if (v.get(ordrenummer) == simdjson::SUCCESS) seen |= kOrder;  // valid during apply
      } else if (k == "claim_type") {
        if (v.get(text) == simdjson::SUCCESS)
          b.claim_type = interned_.get(text, last_claim_), seen |= kClaim;
      } else if (k == "nettobelop_ore") {
        if (v.get(b.nettobelop_ore) == simdjson::SUCCESS) seen |= kNetto;
      } else if (k == "avgiftsbelop_ore") {
        if (v.get(b.avgiftsbelop_ore) == simdjson::SUCCESS) seen |= kAvgift;
      } else if (k == "totalbelop_ore") {
        if (v.get(b.totalbelop_ore) == simdjson::SUCCESS) seen |= kTotal;
      } else if (k == "period") {
        if (v["from"].get(from) == simdjson::SUCCESS && v["to"].get(to) == simdjson::SUCCESS) {
          seen |= kPeriod;
        }
      } else if (k == "fakturalinjer") {
        simdjson::dom::array lines;
        if (v.get(lines) == simdjson::SUCCESS) {
          b.lines = static_cast<std::int64_t>(lines.size());
          seen |= kLines;
        }
      } else if (k == "corrects") {
        corrects = v;
        has_corrects = true;
      }
    }
    // The first missing field in the order the projection has always reported them.
    const std::pair<unsigned, const char*> required[] = {
        {kCustomer, "customer_id"}, {kIssuer, "fakturautsteder"}, {kOrder, "ordrenummer"},
        {kClaim, "claim_type"},     {kNetto, "nettobelop_ore"},   {kAvgift, "avgiftsbelop_ore"},
        {kTotal, "totalbelop_ore"}, {kPeriod, "period"},          {kLines, "fakturalinjer"}};
    for (const auto& [bit, k] : required) {
      if ((seen & bit) == 0) return missing(k);
    }
    b.period_from = interned_.get(from, last_from_);
    b.period_to = interned_.get(to, last_to_);
    if (b.credit && has_corrects) {
      scratch_.clear();
      if (auto st = events::append_canonical(corrects, scratch_, ""); !st.ok()) return st;
      b.corrects_json = interned_.get(scratch_);
    }
    return ok_status();
  }

  // The row's canonical JSON written directly (the keys are constants in sorted order): the same
  // bytes CanonicalWriter would write, without its per-key bookkeeping.
  static void put_int(std::string_view key, std::int64_t v, std::string& out) {
    out.append(key);
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, static_cast<std::size_t>(r.ptr - buf));
  }
  static void put_text(std::string_view key, std::string_view v, std::string& out) {
    out.append(key);
    events::append_json_string(v, out);
  }
  void render(std::string_view key, const Basis& b, std::string& out) const {
    const std::string_view ordrenummer = key.substr(key.size() - b.ordrenummer_size);
    const bool credited = credited_.count(std::pair<std::string_view, std::string_view>(
                              *b.customer_id, ordrenummer)) > 0;
    put_int("{\"avgiftsbelop_ore\":", b.avgiftsbelop_ore, out);
    put_text(",\"claim_type\":", *b.claim_type, out);
    if (b.credit) {
      out += ",\"corrects\":";
      if (b.corrects_json != nullptr) out += *b.corrects_json;
    }
    put_text(",\"customer_id\":", *b.customer_id, out);
    put_int(",\"events\":", b.events, out);
    put_text(",\"fakturautsteder\":", *b.fakturautsteder, out);
    out += b.credit ? ",\"kind\":\"credit\"" : ",\"kind\":\"invoice\"";
    put_int(",\"lines\":", b.lines, out);
    put_int(",\"nettobelop_ore\":", b.nettobelop_ore, out);
    put_text(",\"ordrenummer\":", ordrenummer, out);
    put_text(",\"period\":{\"from\":", *b.period_from, out);
    put_text(",\"to\":", *b.period_to, out);
    out += b.credit   ? "},\"status\":\"credit\""
           : credited ? "},\"status\":\"credited\""
                      : "},\"status\":\"received\"";
    put_int(",\"totalbelop_ore\":", b.totalbelop_ore, out);
    out += '}';
  }

  Interned interned_;
  // Keyed lookups while folding; emit sorts the keys once.
  std::unordered_map<std::string, Basis, Interned::Hash, std::equal_to<>> bases_;
  const std::string *last_issuer_ = nullptr, *last_claim_ = nullptr, *last_from_ = nullptr,
                    *last_to_ = nullptr;
  std::set<std::pair<std::string, std::string>, PairLess> credited_;  // (customer_id, ordrenummer)
  std::string key_, scratch_;                                         // reused buffers
};

}  // namespace

std::unique_ptr<Projection> make_invoice_bases_projection() {
  return std::make_unique<InvoiceBases>();
}

}  // namespace oppgjor::replay
