#include "services/care_fees/state_codec.h"

#include "services/care_fees/decisions.h"

#include <algorithm>
#include <array>

#include <simdjson.h>

#include <vector>

#include "events/canonical_json.h"
#include "events/json_fields.h"
#include "events/json_value.h"
#include "services/care_fees/fold_events.h"
#include "services/runtime/snapshot_lines.h"

namespace oppgjor::care_fees {
namespace {

using events::CanonicalWriter;
using simdjson::dom::element;

constexpr std::string_view income_type = "care_fees.income_reported";

// ---- writing

void write_raw(CanonicalWriter& w, const RawEvent& e) {
  w.begin_object();
  if (!e.actor.empty()) w.field("actor", e.actor);
  w.field("event_id", e.event_id);
  w.field("occurred_at", e.occurred_at);
  w.key("payload");
  w.raw_value(e.payload);
  w.field_int("sequence", e.sequence);
  w.field("type", e.type);
  w.end_object();
}

void write_optional_date(CanonicalWriter& w, std::string_view key, const std::optional<Date>& d) {
  w.key(key);
  if (d) {
    w.string_value(d->to_iso());
  } else {
    w.null_value();
  }
}

void write_stay(CanonicalWriter& w, const StayRecord& s) {
  w.begin_object();
  w.key("absences");
  w.begin_array();
  for (const auto& [from, to] : s.absences) {
    w.begin_object();
    w.field("from", from.to_iso());
    write_optional_date(w, "to", to);
    w.end_object();
  }
  w.end_array();
  w.field("district", s.district);
  w.field("end_reason", s.end_reason);
  w.key("ended");
  w.bool_value(s.ended);
  w.key("segments");
  w.begin_array();
  for (const StaySegment& g : s.segments) {
    w.begin_object();
    w.field("district", g.district);
    w.key("double_room");
    w.bool_value(g.double_room);
    w.field("from", g.from.to_iso());
    w.key("from_home");
    w.bool_value(g.from_home);
    w.field("institution_id", g.institution_id);
    w.field("institution_type", g.institution_type);
    w.field("kind", stay_kind_name(g.kind));
    write_optional_date(w, "to", g.to);
    w.end_object();
  }
  w.end_array();
  w.field("stay_id", s.stay_id);
  w.end_object();
}

void write_charges(CanonicalWriter& w, const ResidentState& r) {
  w.key("charged");
  w.begin_array();
  for (const auto& [ym, month] : r.charged) {
    w.begin_object();
    w.field_int("charged_ore", month.charged_ore);
    w.key("entries");
    w.begin_array();
    for (const ChargeEntry& c : month.entries) {
      w.begin_object();
      w.field_int("amount_ore", c.amount_ore);
      w.key("bill");
      if (c.bill) {
        const BillBasis& b = *c.bill;
        w.begin_object();
        w.field("basis_nok", b.basis_nok.to_string());
        w.field_int("days_billable", b.days_billable);
        w.field("fee_year_nok", b.fee_year_nok.to_string());
        w.field("fribelop_from", b.fribelop_from);
        w.field("fribelop_nok", b.fribelop_nok);
        w.field("grunnbelop_from", b.grunnbelop_from);
        w.field("grunnbelop_nok", b.grunnbelop_nok);
        w.field("income_event_id", b.income_event_id);
        w.end_object();
      } else {
        w.null_value();
      }
      w.key("credit");
      w.bool_value(c.credit);
      if (c.district) w.field("district", *c.district);
      w.field("ordrenummer", c.ordrenummer);
      w.end_object();
    }
    w.end_array();
    w.field_int("month", ym.month);
    w.field_int("year", ym.year);
    w.end_object();
  }
  w.end_array();
}

void write_rejection(CanonicalWriter& w, const Rejection& r) {
  w.begin_object();
  w.field("code", r.code);
  w.field("customer_id", r.customer_id);
  w.field("event_id", r.event_id);
  w.field("field", r.field);
  w.field("message", r.message);
  w.field("type", r.type);
  w.end_object();
}

void write_resident(CanonicalWriter& w, const ResidentState& r) {
  w.begin_object();
  write_charges(w, r);
  w.field("city", r.city);
  w.field("customer_district", r.customer_district);
  w.field("customer_id", r.customer_id);
  w.key("income_events");
  w.begin_array();
  for (const RawEvent& e : r.income_events) write_raw(w, e);
  w.end_array();
  w.field("name", r.name);
  w.key("ordrenummer");
  w.begin_array();
  for (const std::string& o : r.ordrenummer) w.string_value(o);
  w.end_array();
  w.field("postal_code", r.postal_code);
  w.key("registered");
  w.bool_value(r.registered);
  w.key("rejections");
  w.begin_array();
  for (const Rejection& x : r.rejections) {
    if (x.type != income_type) write_rejection(w, x);  // the income fold makes these again
  }
  w.end_array();
  w.key("stay_order");
  w.begin_array();
  for (const std::string& id : r.stay_order) w.string_value(id);
  w.end_array();
  w.key("stays");
  w.begin_array();
  for (const auto& [id, s] : r.stays) write_stay(w, s);
  w.end_array();
  w.field("street", r.street);
  w.end_object();
}

void write_run(CanonicalWriter& w, const RunRecord& run) {
  w.begin_object();
  w.field("approved_by", run.approved_by);
  w.field_int("as_of_sequence", run.as_of_sequence);
  w.field("district", run.district);
  w.field("reason", run.reason);
  w.field("rejected_by", run.rejected_by);
  w.field("report_sha256", run.report_sha256);
  w.field("run_id", run.run_id);
  w.field("started_by", run.started_by);
  w.field("status", to_string(run.status));
  w.field_int("year", run.year);
  w.end_object();
}

// ---- reading

Error bad(std::string_view what) {
  return make_error("snapshot_invalid", std::string(what),
                    "care_fees snapshot: bad " + std::string(what));
}

bool flag(element e, std::string_view key) {
  bool v = false;
  return e[key].get(v) == simdjson::SUCCESS && v;
}

// The elements of the array at `key` (none when it is missing or not an array).
std::vector<element> list(element e, std::string_view key) {
  std::vector<element> out;
  element a;
  if (e[key].get(a) != simdjson::SUCCESS || !a.is_array()) return out;
  for (element x : events::array_of(a)) out.push_back(x);
  return out;
}

Result<std::optional<Date>> optional_date(element e, std::string_view key) {
  element v;
  if (e[key].get(v) != simdjson::SUCCESS || v.is_null()) return std::optional<Date>{};
  auto d = Date::parse(events::text_or(e, key), key);
  if (!d) return d.error();
  return std::optional<Date>(*d);
}

Result<StayRecord> read_stay(element s) {
  StayRecord r;
  r.stay_id = events::text_or(s, "stay_id");
  r.district = events::text_or(s, "district");
  r.ended = flag(s, "ended");
  r.end_reason = events::text_or(s, "end_reason");
  for (element a : list(s, "absences")) {
    auto from = Date::parse(events::text_or(a, "from"), "absences.from");
    auto to = optional_date(a, "to");
    if (!from || !to) return bad("stays.absences");
    r.absences[*from] = *to;
  }
  for (element g : list(s, "segments")) {
    StaySegment seg;
    const auto kind = parse_stay_kind(events::text_or(g, "kind"));
    auto from = Date::parse(events::text_or(g, "from"), "segments.from");
    auto to = optional_date(g, "to");
    if (!kind || !from || !to) return bad("stays.segments");
    seg.kind = *kind;
    seg.institution_id = events::text_or(g, "institution_id");
    seg.institution_type = events::text_or(g, "institution_type");
    seg.from = *from;
    seg.to = *to;
    seg.from_home = flag(g, "from_home");
    seg.double_room = flag(g, "double_room");
    seg.district = events::text_or(g, "district");
    r.segments.push_back(std::move(seg));
  }
  if (r.segments.empty()) return bad("stays.segments");
  return r;
}

Result<ChargeEntry> read_entry(element c) {
  ChargeEntry entry;
  entry.ordrenummer = events::text_or(c, "ordrenummer");
  entry.credit = flag(c, "credit");
  entry.amount_ore = events::int_or(c, "amount_ore");
  if (std::string_view d; c["district"].get(d) == simdjson::SUCCESS)
    entry.district = std::string(d);
  element b;
  if (c["bill"].get(b) == simdjson::SUCCESS && b.is_object()) {
    BillBasis bill;
    auto basis = Decimal::parse(events::text_or(b, "basis_nok"), "basis_nok");
    auto fee = Decimal::parse(events::text_or(b, "fee_year_nok"), "fee_year_nok");
    if (!basis || !fee) return bad("charged.entries.bill");
    bill.basis_nok = *basis;
    bill.fee_year_nok = *fee;
    bill.income_event_id = events::text_or(b, "income_event_id");
    bill.grunnbelop_nok = events::text_or(b, "grunnbelop_nok");
    bill.grunnbelop_from = events::text_or(b, "grunnbelop_from");
    bill.fribelop_nok = events::text_or(b, "fribelop_nok");
    bill.fribelop_from = events::text_or(b, "fribelop_from");
    bill.days_billable = static_cast<int>(events::int_or(b, "days_billable"));
    entry.bill = std::move(bill);
  }
  return entry;
}

Rejection read_rejection(element x) {
  return Rejection{events::text_or(x, "customer_id"), events::text_or(x, "event_id"),
                   events::text_or(x, "type"),        events::text_or(x, "code"),
                   events::text_or(x, "field"),       events::text_or(x, "message")};
}

// Folds a kept event again through `step`.
Status refold(CareFeesState& state, element raw,
              void (*step)(CareFeesState&, const fold::EventRef&, fold::Payload)) {
  std::string_view event_id, type, occurred_at;
  element payload;
  if (raw["event_id"].get(event_id) != simdjson::SUCCESS ||
      raw["type"].get(type) != simdjson::SUCCESS ||
      raw["occurred_at"].get(occurred_at) != simdjson::SUCCESS ||
      raw["payload"].get(payload) != simdjson::SUCCESS) {
    return bad("raw event");
  }
  const std::int64_t sequence = events::int_or(raw, "sequence");
  std::string_view actor;
  if (raw["actor"].get(actor) != simdjson::SUCCESS) actor = {};
  keep_raw(state, event_id, type, occurred_at, sequence, simdjson::minify(payload), payload, actor);
  step(state, fold::EventRef{event_id, type, occurred_at, sequence, actor}, payload);
  return ok_status();
}

Status read_resident(CareFeesState& state, element x) {
  const std::string id = events::text_or(x, "customer_id");
  ResidentState& r = state.residents[id];
  r.customer_id = id;
  r.registered = flag(x, "registered");
  r.customer_district = events::text_or(x, "customer_district");
  r.name = events::text_or(x, "name");
  r.street = events::text_or(x, "street");
  r.postal_code = events::text_or(x, "postal_code");
  r.city = events::text_or(x, "city");
  for (element s : list(x, "stays")) {
    auto stay = read_stay(s);
    if (!stay) return stay.error();
    const std::string stay_id = stay->stay_id;
    r.stays.emplace(stay_id, std::move(*stay));
  }
  for (element s : list(x, "stay_order")) {
    std::string_view v;
    if (s.get(v) != simdjson::SUCCESS) return bad("stay_order");
    r.stay_order.emplace_back(v);
  }
  for (element m : list(x, "charged")) {
    MonthCharges month;
    month.charged_ore = events::int_or(m, "charged_ore");
    for (element c : list(m, "entries")) {
      auto entry = read_entry(c);
      if (!entry) return entry.error();
      month.entries.push_back(std::move(*entry));
    }
    const YearMonth ym{static_cast<int>(events::int_or(m, "year")),
                       static_cast<unsigned>(events::int_or(m, "month"))};
    r.charged[ym] = std::move(month);
  }
  for (element o : list(x, "ordrenummer")) {
    std::string_view v;
    if (o.get(v) != simdjson::SUCCESS) return bad("ordrenummer");
    r.ordrenummer.emplace(v);
  }
  for (element j : list(x, "rejections")) r.rejections.push_back(read_rejection(j));
  for (element e : list(x, "income_events")) {
    if (auto st = refold(state, e, &fold::income_reported); !st.ok()) return st;
  }
  return ok_status();
}

RunRecord read_run(element x) {
  RunRecord run;
  run.run_id = events::text_or(x, "run_id");
  run.year = static_cast<int>(events::int_or(x, "year"));
  run.district = events::text_or(x, "district");
  run.as_of_sequence = events::int_or(x, "as_of_sequence");
  run.started_by = events::text_or(x, "started_by");
  run.status = parse_run_status(events::text_or(x, "status")).value_or(RunStatus::started);
  run.approved_by = events::text_or(x, "approved_by");
  run.rejected_by = events::text_or(x, "rejected_by");
  run.reason = events::text_or(x, "reason");
  run.report_sha256 = events::text_or(x, "report_sha256");
  return run;
}

}  // namespace

void keep_raw(CareFeesState& state, std::string_view event_id, std::string_view type,
              std::string_view occurred_at, std::int64_t sequence, std::string_view payload_json,
              simdjson::dom::element payload, std::string_view actor) {
  if (!state.keep_raw_inputs) return;
  if (type != income_type) {
    std::string_view parameter;
    if (payload["parameter"].get(parameter) != simdjson::SUCCESS ||
        parameter.rfind("care_fees.", 0) != 0) {
      return;  // not a care-fees parameter: the fold step ignores it too
    }
  }
  RawEvent raw{std::string(event_id),     std::string(type), std::string(occurred_at), sequence,
               std::string(payload_json), std::string(actor)};
  if (type == income_type) {
    std::string_view customer_id;
    if (payload["customer_id"].get(customer_id) != simdjson::SUCCESS) customer_id = {};
    auto& r = state.residents[std::string(customer_id)];
    r.customer_id = std::string(customer_id);
    r.income_events.push_back(std::move(raw));
  } else {
    state.parameter_events.push_back(std::move(raw));
  }
}

namespace {

// The record kinds after the head, in the order they are written and must be read: parameters
// before the residents whose income reports fold against them, decisions after the residents
// they decide for, runs last.
constexpr std::array<std::string_view, 4> record_kinds = {"parameter", "resident", "decision",
                                                          "run"};

}  // namespace

std::string save_state(const CareFeesState& state) {
  std::string out;
  {
    CanonicalWriter w(out);
    w.begin_object();
    w.field_int("format", snapshot_format);
    w.field_int("last_input_sequence", state.last_input_sequence);
    w.end_object();
  }
  out.push_back('\n');
  // Each record written alone, then as a line (runtime/snapshot_lines.h).
  std::string json;
  const auto record = [&](std::size_t kind, const auto& write) {
    json.clear();
    CanonicalWriter w(json);
    write(w);
    runtime::append_snapshot_record<1>(out, {record_kinds[kind]}, json);
  };
  for (const RawEvent& e : state.parameter_events) {
    record(0, [&](CanonicalWriter& w) { write_raw(w, e); });
  }
  for (const auto& resident : state.residents) {
    record(1, [&](CanonicalWriter& w) { write_resident(w, resident.second); });
  }
  for (const DecisionEvent& e : state.decisions.events) {
    // Decisions and appeals, folded again on load (decisions.h).
    record(2, [&](CanonicalWriter& w) {
      write_raw(w, RawEvent{e.event_id, e.type, e.occurred_at, e.sequence, e.payload, {}});
    });
  }
  for (const auto& run : state.runs) {
    record(3, [&](CanonicalWriter& w) { write_run(w, run.second); });
  }
  return out;
}

Status load_state(std::string_view snapshot, CareFeesState& state) {
  std::string_view records;
  auto head = runtime::snapshot_head(snapshot, records, "care_fees");
  if (!head) return head.error();
  simdjson::dom::parser parser;
  element root;
  if (parser.parse(head->data(), head->size()).get(root) != simdjson::SUCCESS ||
      !root.is_object()) {
    return bad("json");
  }
  if (events::int_or(root, "format") != snapshot_format) return bad("format");
  state.keep_raw_inputs = true;
  state.last_input_sequence = events::int_or(root, "last_input_sequence");
  // Each record parsed alone (its JSON is valid until the next record).
  simdjson::dom::parser record_parser;
  std::size_t last_kind = 0;
  return runtime::for_each_snapshot_record<1>(
      records, "care_fees", record_parser,
      [&](const std::array<std::string_view, 1>& fields, std::string_view, element x) -> Status {
        const auto* kind = std::find(record_kinds.begin(), record_kinds.end(), fields[0]);
        if (kind == record_kinds.end()) return bad("record kind");
        const auto k = static_cast<std::size_t>(kind - record_kinds.begin());
        if (k < last_kind) return bad("record order");
        last_kind = k;
        switch (k) {
          case 0:
            return refold(state, x, &fold::parameter_set);
          case 1:
            return read_resident(state, x);
          case 2:
            return refold(state, x, &fold::decision_event);
          default: {
            RunRecord run = read_run(x);
            const std::string id = run.run_id;
            state.runs[id] = std::move(run);
            return ok_status();
          }
        }
      });
}

}  // namespace oppgjor::care_fees
