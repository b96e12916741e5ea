// The invoicing service's state: folding and rows (invoicing_state.h).
#include "services/invoicing/invoicing_state.h"

#include <algorithm>
#include <charconv>
#include <iterator>

#include "common/assert.h"
#include "events/canonical_json.h"
#include "events/json_fields.h"
#include "services/runtime/snapshot_lines.h"

namespace oppgjor::invoicing {

namespace {

using events::text_or;

// An open basis's record in the snapshot: kind, event id, customer, issuer, ordrenummer, claim
// type, period from and to, total in øre; then its payload.
constexpr std::size_t open_basis_fields = 9;
// A customer's and an issued document's records have as many fields, most of them empty: kind
// "customer" and the customer id, then the customer as JSON; kind "issued", the document's
// number, customer, claim type and total, then its payload (invoice_payload). Each is parsed
// alone when loaded. They are records, not arrays in the head: the head is parsed whole, and a
// year of invoices there would make that parse several GiB (state invoicing.state.4).
constexpr std::string_view customer_kind = "customer";
constexpr std::string_view issued_kind = "issued";

void merge_address(simdjson::dom::element p, Customer& c) {
  simdjson::dom::element a;
  if (p["address"].get(a) != simdjson::SUCCESS) return;
  c.street = text_or(a, "street");
  c.postal_code = text_or(a, "postal_code");
  c.city = text_or(a, "city");
}

// The text an open basis views when the state's loaded snapshot does not hold it as it is.
struct BasisText {
  std::string event_id, issuer, ordrenummer, claim_type, payload;
};

// What the state keeps of a basis folded here (OpenBasis): its text in one block of its own.
OpenBasis open_basis(Basis&& b, std::string_view payload) {
  auto text = std::make_shared<BasisText>();
  text->event_id = std::move(b.event_id);
  text->issuer = std::move(b.issuer);
  text->ordrenummer = std::move(b.ordrenummer);
  text->claim_type = std::move(b.claim_type);
  text->payload = std::string(payload);
  OpenBasis o;
  o.kind = b.kind;
  o.event_id = text->event_id;
  o.issuer = text->issuer;
  o.ordrenummer = text->ordrenummer;
  o.claim_type = text->claim_type;
  o.period_from = b.period_from;
  o.period_to = b.period_to;
  o.total_ore = b.total_ore;
  o.payload = text->payload;
  o.storage = std::move(text);
  return o;
}

}  // namespace

Result<Basis> OpenBasis::decode(simdjson::dom::parser& parser, const BillingRules& rules) const {
  simdjson::dom::element p;
  if (parser.parse(payload.data(), payload.size()).get(p) != simdjson::SUCCESS) {
    return make_error("basis_invalid", "payload",
                      "the kept payload of basis " + std::string(event_id) + " is not JSON");
  }
  return decode_basis(kind, event_id, p, rules);
}

std::string order_key(std::string_view issuer, std::string_view ordrenummer) {
  std::string key(issuer);
  key += '/';
  key += ordrenummer;
  return key;
}

bool InvoicingState::folds(std::string_view type) {
  return type == "customers.customer_registered" || type == "customers.customer_changed" ||
         type == invoice_basis_type || type == credit_basis_type || type == basis_refused_type ||
         type == invoice_issued_type;
}

std::int64_t InvoicingState::last_sequence(int series) const {
  auto it = last_sequence_.find(series);
  return it == last_sequence_.end() ? 0 : it->second;
}

Result<Basis> InvoicingState::check_basis(BasisKind kind, std::string_view event_id,
                                          simdjson::dom::element payload) const {
  auto basis = decode_basis(kind, event_id, payload, *rules_);
  if (!basis) return basis.error();
  if (customers_.find(basis->customer_id) == customers_.end()) {
    return make_error("customer_unknown", "customer_id",
                      "customer " + basis->customer_id + " is not registered");
  }
  if (order_keys().contains(order_set_key(basis->issuer, basis->ordrenummer))) {
    return make_error("ordrenummer_duplicate", "ordrenummer",
                      "ordrenummer " + basis->ordrenummer + " from " + basis->issuer +
                          " was already received (a resend with a new event id)");
  }
  return basis;
}

const OrderKeys& InvoicingState::order_keys() const {
  if (open_keys_pending_) {
    std::size_t open = 0;
    for (const auto& [customer, list] : open_) open += list.size();
    order_keys_.reserve_more(open);
    for (const auto& [customer, list] : open_) {
      for (const OpenBasis& b : list) {
        if (b.storage != nullptr) {  // folded here (its key is in already) or had escapes
          order_keys_.insert(order_set_key(b.issuer, b.ordrenummer));
          continue;
        }
        // Loaded as it is: its issuer and ordrenummer fields lie side by side in the snapshot,
        // a tab between, which is its key (order_keys.h).
        OPPGJOR_ASSERT(b.ordrenummer.data() == b.issuer.data() + b.issuer.size() + 1,
                       "a loaded open basis views its adjacent issuer and ordrenummer fields");
        order_keys_.insert_view(
            std::string_view(b.issuer.data(), b.issuer.size() + 1 + b.ordrenummer.size()));
      }
    }
    open_keys_pending_ = false;
  }
  return order_keys_;
}

Status InvoicingState::fold(const events::EventView& e, simdjson::dom::element p) {
  if (e.type == "customers.customer_registered") {
    Customer c;
    c.customer_id = text_or(p, "customer_id");
    if (customers_.count(c.customer_id) != 0) return ok_status();  // the first registration holds
    c.kind = text_or(p, "kind");
    c.name = text_or(p, "name");
    c.organisation_number = text_or(p, "organisation_number");
    c.district = text_or(p, "district");
    merge_address(p, c);
    customers_.emplace(c.customer_id, std::move(c));
    return ok_status();
  }
  if (e.type == "customers.customer_changed") {
    auto it = customers_.find(text_or(p, "customer_id"));
    if (it == customers_.end()) return ok_status();
    if (auto name = text_or(p, "name"); !name.empty()) it->second.name = name;
    if (auto district = text_or(p, "district"); !district.empty()) it->second.district = district;
    merge_address(p, it->second);
    return ok_status();
  }
  if (e.type == invoice_basis_type) return fold_basis(BasisKind::invoice, e, p);
  if (e.type == credit_basis_type) return fold_basis(BasisKind::credit, e, p);
  if (e.type == basis_refused_type) return fold_refusal(p);
  if (e.type == invoice_issued_type) return fold_invoice(e, p);
  return ok_status();
}

Status InvoicingState::fold_basis(BasisKind kind, const events::EventView& e,
                                  simdjson::dom::element p) {
  auto basis = check_basis(kind, e.event_id, p);
  if (!basis) {
    // The decision recorded the refusal (invoicing.basis_refused, folded next); keep it here
    // too so a state rebuilt by a projection alone shows it.
    Refusal r{std::string(e.event_id), text_or(p, "customer_id"), text_or(p, "ordrenummer"),
              basis.error()};
    refusals_.insert_or_assign(r.event_id, std::move(r));
    return ok_status();
  }
  order_keys_.insert(order_set_key(basis->issuer, basis->ordrenummer));
  std::string customer = std::move(basis->customer_id);
  open_[std::move(customer)].push_back(open_basis(std::move(basis).value(), e.payload));
  return ok_status();
}

Status InvoicingState::fold_refusal(simdjson::dom::element p) {
  Refusal r;
  r.event_id = text_or(p, "basis_event_id");
  r.customer_id = text_or(p, "customer_id");
  r.ordrenummer = text_or(p, "ordrenummer");
  r.why = make_error(text_or(p, "code"), text_or(p, "field"), text_or(p, "message"));
  // A basis accepted when folded but refused when decided (the rule data changed between the
  // decision and this build): the recorded decision wins.
  auto it = open_.find(r.customer_id);
  if (it != open_.end()) {
    auto& list = it->second;
    for (auto b = list.begin(); b != list.end(); ++b) {
      if (b->event_id == r.event_id) {
        order_keys_.erase(order_set_key(b->issuer, b->ordrenummer));
        list.erase(b);
        break;
      }
    }
    if (list.empty()) open_.erase(it);
  }
  refusals_.insert_or_assign(r.event_id, std::move(r));
  return ok_status();
}

Status InvoicingState::fold_invoice(const events::EventView& e, simdjson::dom::element p) {
  auto inv = decode_invoice(p);
  if (!inv) return inv.error();
  // Numbers are gapless per series: an invoice that does not follow its series' last is a bug.
  const std::int64_t last = last_sequence(inv->series);
  if (inv->sequence != last + 1) {
    return make_error("series_gap", "sequence",
                      "invoice " + inv->invoice_number + " (event " + std::string(e.event_id) +
                          ") is not number " + std::to_string(last + 1) + " of series " +
                          std::to_string(inv->series));
  }
  last_sequence_[inv->series] = inv->sequence;
  series_count_ = std::max(series_count_, inv->series);
  auto it = open_.find(inv->customer_id);
  if (it != open_.end()) {
    auto& list = it->second;
    std::erase_if(list, [&](const OpenBasis& b) {
      return std::find(inv->basis_event_ids.begin(), inv->basis_event_ids.end(), b.event_id) !=
             inv->basis_event_ids.end();
    });
    if (list.empty()) open_.erase(it);
  }
  for (const auto& line : inv->lines) {
    // Its bases leave the open set; their keys stay taken (as a load of the document has them).
    order_keys_.insert(order_set_key(line.issuer, line.ordrenummer));
    if (inv->kind == DocumentKind::invoice) {
      invoiced_in_.emplace(order_key(line.issuer, line.ordrenummer), inv->invoice_number);
    }
  }
  const std::string number = inv->invoice_number;
  invoices_.insert_or_assign(number, std::move(inv).value());
  return ok_status();
}

void InvoicingState::emit(replay::RowSink& sink) const {
  std::string value;
  for (const auto& [number, inv] : invoices_) {
    value.clear();
    events::CanonicalWriter w(value);
    w.begin_object();
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
    w.field("issue_date", inv.issue_date.to_iso());
    w.field("kid", inv.kid);
    w.field_int("lines", static_cast<std::int64_t>(inv.lines.size()));
    w.field_int("total_ore", inv.total_ore);
    w.end_object();
    sink.row("invoice/" + number, value);
  }
  for (const auto& [customer, list] : open_) {
    std::vector<const OpenBasis*> sorted;
    for (const auto& b : list) sorted.push_back(&b);
    std::sort(sorted.begin(), sorted.end(), [](const OpenBasis* a, const OpenBasis* b) {
      return order_key(a->issuer, a->ordrenummer) < order_key(b->issuer, b->ordrenummer);
    });
    for (const OpenBasis* bp : sorted) {
      const OpenBasis& b = *bp;
      value.clear();
      events::CanonicalWriter w(value);
      w.begin_object();
      w.field("claim_type", b.claim_type);
      w.field("event_id", b.event_id);
      w.field("kind", b.kind == BasisKind::invoice ? "invoice" : "credit");
      w.field("period_from", b.period_from.to_iso());
      w.field_int("total_ore", b.total_ore);
      w.end_object();
      sink.row("open_basis/" + customer + "/" + order_key(b.issuer, b.ordrenummer), value);
    }
  }
  for (const auto& [id, r] : refusals_) {
    value.clear();
    events::CanonicalWriter w(value);
    w.begin_object();
    w.field("code", r.why.code);
    w.field("customer_id", r.customer_id);
    w.field("field", r.why.field);
    w.field("ordrenummer", r.ordrenummer);
    w.end_object();
    sink.row("refusal/" + id, value);
  }
  for (const auto& [series, last] : last_sequence_) {
    value.clear();
    events::CanonicalWriter w(value);
    w.begin_object();
    w.field_int("last", last);
    w.end_object();
    std::string key = std::to_string(series);
    key.insert(0, 4 - std::min<std::size_t>(4, key.size()), '0');  // rows in key order
    sink.row("series/" + key, value);
  }
}

std::string InvoicingState::save() const {
  return runtime::saved_whole(*this);
}

void InvoicingState::save_to(runtime::SnapshotSink& sink) const {
  // Handed on a MiB at a time (runtime/snapshot_sink.h).
  runtime::SnapshotChunks chunks(sink);
  std::string& out = chunks.text();
  events::CanonicalWriter w(out);
  w.begin_object();
  w.key("refusals");
  w.begin_array();
  for (const auto& [id, r] : refusals_) {
    w.begin_object();
    w.field("code", r.why.code);
    w.field("customer_id", r.customer_id);
    w.field("event_id", r.event_id);
    w.field("field", r.why.field);
    w.field("message", r.why.message);
    w.field("ordrenummer", r.ordrenummer);
    w.end_object();
    chunks.maybe_flush();
  }
  w.end_array();
  w.end_object();
  // Then the record lines (runtime/snapshot_lines.h): the customers, the issued documents, and
  // the open bases, one line each: what the state keeps of each as fields, which a load reads
  // without parsing the payload, then the payload as received.
  out.push_back('\n');
  std::string json;
  for (const auto& [id, c] : customers_) {
    json.clear();
    events::CanonicalWriter cw(json);
    cw.begin_object();
    cw.field("city", c.city);
    cw.field("customer_id", c.customer_id);
    cw.field("district", c.district);
    cw.field("kind", c.kind);
    cw.field("name", c.name);
    cw.field("organisation_number", c.organisation_number);
    cw.field("postal_code", c.postal_code);
    cw.field("street", c.street);
    cw.end_object();
    runtime::append_snapshot_record_escaped<open_basis_fields>(
        out, {customer_kind, {}, id, {}, {}, {}, {}, {}, {}}, json);
    chunks.maybe_flush();
  }
  for (const auto& [number, inv] : invoices_) {
    const std::string total = std::to_string(inv.total_ore);
    runtime::append_snapshot_record_escaped<open_basis_fields>(
        out, {issued_kind, number, inv.customer_id, {}, {}, inv.claim_type, {}, {}, total},
        invoice_payload(inv));
    chunks.maybe_flush();
  }
  for (const auto& [customer, list] : open_) {
    for (const auto& b : list) {
      const std::string_view kind = b.kind == BasisKind::invoice ? "invoice" : "credit";
      const std::string from = b.period_from.to_iso();
      const std::string to = b.period_to.to_iso();
      const std::string total = std::to_string(b.total_ore);
      runtime::append_snapshot_record_escaped<open_basis_fields>(
          out, {kind, b.event_id, customer, b.issuer, b.ordrenummer, b.claim_type, from, to, total},
          b.payload);
      chunks.maybe_flush();
    }
  }
  chunks.flush();
}

Status InvoicingState::load(std::string_view snapshot) {
  auto copy = std::make_shared<const std::string>(snapshot);
  const std::string_view bytes = *copy;
  return load(bytes, std::move(copy));
}

Status InvoicingState::load_customer(simdjson::dom::element e) {
  Customer c;
  c.customer_id = text_or(e, "customer_id");
  c.kind = text_or(e, "kind");
  c.name = text_or(e, "name");
  c.organisation_number = text_or(e, "organisation_number");
  c.district = text_or(e, "district");
  c.street = text_or(e, "street");
  c.postal_code = text_or(e, "postal_code");
  c.city = text_or(e, "city");
  customers_.emplace(c.customer_id, std::move(c));
  return ok_status();
}

Status InvoicingState::load_issued(simdjson::dom::element e) {
  auto inv = decode_invoice(e);
  if (!inv) return inv.error();
  auto& last = last_sequence_[inv->series];
  last = std::max(last, inv->sequence);
  series_count_ = std::max(series_count_, inv->series);
  for (const auto& line : inv->lines) {
    order_keys_.insert(order_set_key(line.issuer, line.ordrenummer));
    if (inv->kind == DocumentKind::invoice) {
      invoiced_in_.emplace(order_key(line.issuer, line.ordrenummer), inv->invoice_number);
    }
  }
  const std::string number = inv->invoice_number;
  invoices_.emplace(number, std::move(inv).value());
  return ok_status();
}

Status InvoicingState::load(std::string_view snapshot, std::shared_ptr<const void> keep) {
  const auto corrupt = [](const std::string& what) {
    return make_error("snapshot_invalid", what, "invoicing snapshot: " + what + " unreadable");
  };
  std::string_view records;
  auto head = runtime::snapshot_head(snapshot, records, "invoicing");
  if (!head) return head.error();
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(head->data(), head->size()).get(doc) != simdjson::SUCCESS) {
    return corrupt("document");
  }
  simdjson::dom::array list;
  if (doc["refusals"].get(list) != simdjson::SUCCESS) return corrupt("refusals");
  for (simdjson::dom::element e : list) {
    Refusal r{text_or(e, "event_id"), text_or(e, "customer_id"), text_or(e, "ordrenummer"),
              make_error(text_or(e, "code"), text_or(e, "field"), text_or(e, "message"))};
    refusals_.insert_or_assign(r.event_id, std::move(r));
  }
  // The open bases: their fields read, their payloads kept where they are (OpenBasis); their
  // order keys (the bytes from the issuer's field to the ordrenummer's) hashed when first asked
  // for (order_keys()).
  image_ = std::move(keep);
  open_keys_pending_ = true;
  // The customers' and issued documents' records, each parsed alone with this one.
  simdjson::dom::parser record_parser;
  // The open bases' records come grouped by customer, in order: a customer's bases are gathered
  // in `run`, then moved into the customer's list at its exact size (no list grown by doubling:
  // fresh memory is most of a load's cost), with one map lookup per customer.
  std::string customer_of_run;
  std::vector<OpenBasis> run;
  const auto end_run = [&] {
    if (run.empty()) return;
    auto& bases = open_[customer_of_run];
    bases.reserve(bases.size() + run.size());
    std::move(run.begin(), run.end(), std::back_inserter(bases));
    run.clear();
  };
  auto loaded = runtime::for_each_snapshot_line<open_basis_fields>(
      records, "invoicing",
      [&](const std::array<std::string_view, open_basis_fields>& fields,
          std::string_view json) -> Status {
        if (fields[0] == customer_kind || fields[0] == issued_kind) {
          simdjson::dom::element e;
          if (record_parser.parse(json.data(), json.size()).get(e) != simdjson::SUCCESS) {
            return corrupt(std::string(fields[0]) + " record");
          }
          return fields[0] == issued_kind ? load_issued(e) : load_customer(e);
        }
        OpenBasis b;
        if (fields[0] != "invoice" && fields[0] != "credit") return corrupt("open basis kind");
        b.kind = fields[0] == "credit" ? BasisKind::credit : BasisKind::invoice;
        // The text fields are viewed where they are, unless one was escaped (a tab, newline or
        // backslash in an upstream value: rare); then the basis keeps its own unescaped copy.
        constexpr std::array<std::size_t, 4> text_fields = {1, 3, 4, 5};
        bool escaped = false;
        for (const std::size_t i : text_fields) {
          escaped = escaped || fields[i].find('\\') != std::string_view::npos;
        }
        if (!escaped) {
          b.event_id = fields[1];
          b.issuer = fields[3];
          b.ordrenummer = fields[4];
          b.claim_type = fields[5];
        } else {
          auto text = std::make_shared<BasisText>();
          std::array<std::string*, 4> into = {&text->event_id, &text->issuer, &text->ordrenummer,
                                              &text->claim_type};
          for (std::size_t k = 0; k < text_fields.size(); ++k) {
            auto f = runtime::snapshot_field(fields[text_fields[k]]);
            if (!f) return corrupt("open basis field");
            *into[k] = std::move(*f);
          }
          b.event_id = text->event_id;
          b.issuer = text->issuer;
          b.ordrenummer = text->ordrenummer;
          b.claim_type = text->claim_type;
          b.storage = std::move(text);
        }
        auto customer = runtime::snapshot_field(fields[2]);
        if (!customer) return corrupt("open basis field");
        auto from = Date::parse(fields[6]);
        auto to = Date::parse(fields[7]);
        if (!from || !to) return corrupt("open basis period");
        b.period_from = *from;
        b.period_to = *to;
        const std::string_view total = fields[8];
        const auto [end, ec] =
            std::from_chars(total.data(), total.data() + total.size(), b.total_ore);
        if (ec != std::errc() || end != total.data() + total.size()) {
          return corrupt("open basis total");
        }
        b.payload = json;  // the state keeps the snapshot (image_)
        if (*customer != customer_of_run) {
          end_run();
          customer_of_run = std::move(*customer);
        }
        run.push_back(std::move(b));
        return ok_status();
      });
  if (!loaded.ok()) return loaded;
  end_run();
  return ok_status();
}

}  // namespace oppgjor::invoicing
