// Invoice runs: planning (invoice_run.h).
#include "services/invoicing/invoice_run.h"

#include <algorithm>
#include <map>
#include <optional>

#include "services/runtime/two_threads.h"

namespace oppgjor::invoicing {

namespace {

// A run decodes the bases it takes (OpenBasis::decode) this many at a time, in chunks of
// decode_chunk on two threads: a few MiB of decoded bases alive at once.
constexpr std::size_t decode_block = 4096;
constexpr std::size_t decode_chunk = 256;

bool in_period(const OpenBasis& b, const RunRequest& q) {
  return b.period_from.year() == q.period_first.year() &&
         b.period_from.month() == q.period_first.month();
}

bool wanted(const RunRequest& q, std::string_view claim_type) {
  return q.claim_types.empty() ||
         std::find(q.claim_types.begin(), q.claim_types.end(), claim_type) != q.claim_types.end();
}

InvoiceLine line_of(const Basis& b, const BasisLine& l) {
  InvoiceLine out;
  out.ordrenummer = b.ordrenummer;
  out.issuer = b.issuer;
  out.product_code = l.product_code;
  out.text = l.text;
  out.unit = l.unit;
  out.quantity = l.quantity;
  out.unit_price_ore = l.unit_price_ore;
  out.amount_ore = l.amount_ore;
  out.vat_code = l.vat_code;
  out.vat_category = l.vat_category;
  out.vat_ore = l.vat_ore;
  out.account = l.account;
  out.function = l.function;
  out.responsibility = l.responsibility;
  return out;
}

void add_totals(Invoice& inv) {
  inv.net_ore = 0;
  inv.vat_ore = 0;
  for (const auto& l : inv.lines) {
    inv.net_ore += l.amount_ore;
    inv.vat_ore += l.vat_ore;
  }
  inv.total_ore = inv.net_ore + inv.vat_ore;
}

// The invoice a credit basis corrects (invoice_run.h), or null.
const Invoice* credited_invoice(const InvoicingState& s, const Basis& credit) {
  for (const auto& number : credit.corrects) {
    auto it = s.invoiced_in().find(order_key(credit.issuer, number));
    if (it != s.invoiced_in().end()) return &s.invoices().at(it->second);
  }
  const Invoice* best = nullptr;
  for (const auto& [number, inv] : s.invoices()) {
    if (inv.kind != DocumentKind::invoice || inv.customer_id != credit.customer_id ||
        inv.claim_type != credit.claim_type) {
      continue;
    }
    if (inv.period_to < credit.period_from || credit.period_to < inv.period_from) continue;
    if (best == nullptr || best->issue_date < inv.issue_date ||
        (best->issue_date == inv.issue_date && best->invoice_number < inv.invoice_number)) {
      best = &inv;
    }
  }
  return best;
}

}  // namespace

Result<RunRequest> decode_run_request(simdjson::dom::element p, std::string_view run_id) {
  RunRequest q;
  q.run_id = std::string(run_id);
  std::string_view period;
  if (p["period"].get(period) != simdjson::SUCCESS) {
    return make_error("field_missing", "period", "perioden mangler (YYYY-MM)");
  }
  auto first = Date::parse(std::string(period) + "-01", "period");
  if (!first || period.size() != 7) {
    return make_error("period_invalid", "period",
                      "perioden må være YYYY-MM: " + std::string(period));
  }
  q.period = std::string(period);
  q.period_first = *first;
  std::string_view issue;
  if (p["issue_date"].get(issue) != simdjson::SUCCESS) {
    return make_error("field_missing", "issue_date", "fakturadato mangler");
  }
  auto issue_date = Date::parse(issue, "issue_date");
  if (!issue_date) return make_error("date_invalid", "issue_date", "ugyldig fakturadato");
  q.issue_date = *issue_date;
  simdjson::dom::array types;
  if (p["claim_types"].get(types) == simdjson::SUCCESS) {
    for (simdjson::dom::element t : types) {
      std::string_view name;
      if (t.get(name) != simdjson::SUCCESS || !is_claim_type(name)) {
        return make_error("claim_type_unknown", "claim_types", "ukjent kravtype");
      }
      q.claim_types.emplace_back(name);
    }
    std::sort(q.claim_types.begin(), q.claim_types.end());
  }
  std::int64_t partitions = 1;
  if (p["partitions"].get(partitions) == simdjson::SUCCESS) {
    if (partitions < 1 || partitions > runtime::parts_max) {
      return make_error("partitions_invalid", "partitions", "partitions må være 1..1024");
    }
    q.partitions = static_cast<int>(partitions);
  }
  return q;
}

namespace {

// One customer's part of a run: `taken`, the customer's bases of the run in log order, decoded.
Status plan_customer(const InvoicingState& s, const RunRequest& q, int series,
                     std::int64_t& sequence, const std::string& customer_id,
                     const std::vector<Basis>& taken, RunPlan& plan) {
  std::map<std::string, std::vector<const Basis*>> charges;
  std::map<std::string, std::vector<const Basis*>> credits;
  for (const Basis& b : taken) {
    (b.kind == BasisKind::invoice ? charges : credits)[b.claim_type].push_back(&b);
  }
  if (charges.empty() && credits.empty()) return ok_status();
  bool any = false;
  for (const auto& claim_type : claim_type_names()) {
    auto rules = s.rules().claim_type(claim_type, q.issue_date);
    const auto make = [&](DocumentKind kind,
                          const std::vector<const Basis*>& bases) -> Result<Invoice> {
      Invoice inv;
      inv.kind = kind;
      inv.customer_id = customer_id;
      inv.claim_type = claim_type;
      inv.issue_date = q.issue_date;
      inv.run_id = q.run_id;
      inv.rule_version = s.rules().rule_version();
      inv.period_from = bases.front()->period_from;
      inv.period_to = bases.front()->period_to;
      for (const Basis* b : bases) {
        inv.period_from = std::min(inv.period_from, b->period_from);
        inv.period_to = std::max(inv.period_to, b->period_to);
        inv.basis_event_ids.push_back(b->event_id);
        for (const auto& l : b->lines) inv.lines.push_back(line_of(*b, l));
      }
      add_totals(inv);
      return inv;
    };
    auto number = [&](Invoice& inv) -> Status {
      ++sequence;
      if (sequence >= series_block) {
        return make_error("series_full", "series",
                          "fakturaserie " + std::to_string(series) + " er full");
      }
      inv.series = series;
      inv.sequence = sequence;
      inv.invoice_number = invoice_number_of(series, sequence);
      return ok_status();
    };
    if (auto c = charges.find(claim_type); c != charges.end()) {
      if (!rules) return rules.error();
      auto inv = make(DocumentKind::invoice, c->second);
      if (!inv) return inv.error();
      if (inv->total_ore < 0) {
        ++plan.negative_total;
        plan.notes.push_back("kunde " + customer_id + ", " + claim_type +
                             ": grunnlagene summerer til under null; ikke fakturert");
      } else {
        if (auto st = number(*inv); !st) return st.error();
        auto kid = make_kid(rules->kid, customer_id, inv->series * series_block + inv->sequence);
        if (!kid) return kid.error();
        inv->kid = *kid;
        inv->due_date = due_date_for(q.issue_date, rules->payment_terms_days);
        ++plan.invoices;
        plan.invoiced_ore += inv->total_ore;
        plan.documents.push_back(std::move(inv).value());
        any = true;
      }
    }
    if (auto c = credits.find(claim_type); c != credits.end()) {
      for (const Basis* b : c->second) {
        auto inv = make(DocumentKind::credit_note, {b});
        if (!inv) return inv.error();
        if (auto st = number(*inv); !st) return st.error();
        inv->due_date = q.issue_date;
        if (const Invoice* credited = credited_invoice(s, *b)) {
          inv->credit_of = credited->invoice_number;
          inv->kid = credited->kid;
        } else {
          plan.notes.push_back("kreditnota " + inv->invoice_number + " (kunde " + customer_id +
                               "): fant ingen faktura den krediterer");
        }
        ++plan.credit_notes;
        plan.credited_ore += inv->total_ore;
        plan.documents.push_back(std::move(inv).value());
        any = true;
      }
    }
  }
  if (any) ++plan.customers;
  return ok_status();
}

}  // namespace

Result<RunPlan> plan_run(const InvoicingState& s, const RunRequest& q, runtime::Part part) {
  if (s.series_count() != 0 && s.series_count() > q.partitions) {
    return make_error("partitions_changed", "partitions",
                      "fakturaseriene er delt i " + std::to_string(s.series_count()) +
                          " partisjoner; kjøringen ber om " + std::to_string(q.partitions));
  }
  const int series = part.index + 1;
  std::int64_t sequence = s.last_sequence(series);
  RunPlan plan;
  // The customers this run takes bases of, a block at a time: their bases are decoded whole
  // (their lines) on two threads, then planned in customer order on this one.
  std::vector<std::pair<const std::string*, std::vector<const OpenBasis*>>> block;
  std::vector<std::optional<Result<Basis>>> decoded;
  std::size_t block_bases = 0;
  std::vector<Basis> taken;
  const auto plan_block = [&]() -> Status {
    std::vector<const OpenBasis*> all;
    all.reserve(block_bases);
    for (const auto& [customer, bases] : block) all.insert(all.end(), bases.begin(), bases.end());
    decoded.assign(all.size(), std::nullopt);
    runtime::for_each_on_two_threads(all.size(), decode_chunk, [&](std::size_t i) {
      thread_local simdjson::dom::parser parser;
      decoded[i] = all[i]->decode(parser, s.rules());
    });
    std::size_t next = 0;
    for (const auto& [customer, bases] : block) {
      taken.clear();
      for (std::size_t i = 0; i < bases.size(); ++i, ++next) {
        Result<Basis>& basis = *decoded[next];
        if (!basis) return basis.error();
        taken.push_back(std::move(basis).value());
      }
      if (auto st = plan_customer(s, q, series, sequence, *customer, taken, plan); !st.ok()) {
        return st;
      }
    }
    block.clear();
    block_bases = 0;
    return ok_status();
  };
  for (const auto& [customer_id, open] : s.open_bases()) {
    if (q.partitions > 1 && runtime::partition_of(customer_id, q.partitions) != part.index) {
      continue;
    }
    std::vector<const OpenBasis*> bases;
    for (const OpenBasis& b : open) {
      if (in_period(b, q) && wanted(q, b.claim_type)) bases.push_back(&b);
    }
    if (bases.empty()) continue;
    block_bases += bases.size();
    block.emplace_back(&customer_id, std::move(bases));
    if (block_bases >= decode_block) {
      if (auto st = plan_block(); !st.ok()) return st.error();
    }
  }
  if (auto st = plan_block(); !st.ok()) return st.error();
  return plan;
}

}  // namespace oppgjor::invoicing
