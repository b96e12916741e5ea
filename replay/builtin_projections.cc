#include "replay/builtin_projections.h"

#include <algorithm>
#include <map>
#include <unordered_map>
#include <vector>

#include "common/string_hash.h"
#include "events/canonical_json.h"
#include "replay/invoice_bases_projection.h"

namespace oppgjor::replay {

namespace {

using common::StringMap;

// Emits a hash map's entries in key order.
template <class V, class F>
void emit_sorted(const StringMap<V>& m, RowSink& sink, F&& render) {
  std::vector<const typename StringMap<V>::value_type*> entries;
  entries.reserve(m.size());
  for (const auto& kv : m) entries.push_back(&kv);
  std::sort(entries.begin(), entries.end(),
            [](const auto* a, const auto* b) { return a->first < b->first; });
  std::string value;
  for (const auto* kv : entries) {
    value.clear();
    render(kv->second, value);
    sink.row(kv->first, value);
  }
}

template <class V>
V& slot(StringMap<V>& m, std::string_view key) {
  auto it = m.find(key);
  if (it == m.end()) it = m.emplace(std::string(key), V{}).first;
  return it->second;
}

class EventCounts final : public Projection {
 public:
  std::string_view name() const override { return "event_counts"; }
  bool wants(std::string_view) const override { return true; }
  bool needs_payload() const override { return false; }
  Status apply(const events::EventView& e, simdjson::dom::element) override {
    if (last_ == nullptr || e.type != last_type_) {  // runs of one type are common
      auto& n = slot(counts_, e.type);
      last_ = &n;
      last_type_ = counts_.find(e.type)->first;
    }
    ++*last_;
    return ok_status();
  }
  void emit(RowSink& sink) const override {
    emit_sorted(counts_, sink, [](std::int64_t n, std::string& out) {
      events::CanonicalWriter w(out);
      w.begin_object();
      w.field_int("count", n);
      w.end_object();
    });
  }

 private:
  StringMap<std::int64_t> counts_;
  std::int64_t* last_ = nullptr;  // node of last_type_ (unordered_map nodes never move)
  std::string_view last_type_;
};

class Streams final : public Projection {
 public:
  std::string_view name() const override { return "streams"; }
  bool wants(std::string_view) const override { return true; }
  bool needs_payload() const override { return false; }
  Status apply(const events::EventView& e, simdjson::dom::element) override {
    auto& s = slot(streams_, e.stream);
    ++s.events;
    s.version = e.stream_version;
    if (s.last_type != e.type) s.last_type.assign(e.type);
    return ok_status();
  }
  void emit(RowSink& sink) const override {
    emit_sorted(streams_, sink, [](const Info& s, std::string& out) {
      events::CanonicalWriter w(out);
      w.begin_object();
      w.field_int("events", s.events);
      w.field("last_type", s.last_type);
      w.field_int("version", s.version);
      w.end_object();
    });
  }

 private:
  struct Info {
    std::int64_t events = 0;
    std::int64_t version = 0;
    std::string last_type;
  };
  StringMap<Info> streams_;
};

// Customer state as field -> canonical JSON value; changes overwrite fields.
class Customers final : public Projection {
 public:
  std::string_view name() const override { return "customers"; }
  bool wants(std::string_view type) const override {
    return type == "customers.customer_registered" || type == "customers.customer_changed";
  }
  Status apply(const events::EventView& e, simdjson::dom::element payload) override {
    std::string_view id;
    if (payload["customer_id"].get(id) != simdjson::SUCCESS) {
      return make_error("projection_bug", "payload/customer_id", "validated event lacks it");
    }
    simdjson::dom::object fields;
    if (payload.get_object().get(fields) != simdjson::SUCCESS) {
      return make_error("projection_bug", "payload", "validated payload is not an object");
    }
    auto& c = slot(customers_, id);
    for (auto field : fields) {
      if (field.key == "customer_id" || field.key == "reason") continue;
      std::string& v = c.fields[std::string(field.key)];
      v.clear();
      if (auto st = events::append_canonical(field.value, v, ""); !st.ok()) return st;
    }
    ++c.version;
    if (e.type == "customers.customer_changed") ++c.changes;
    return ok_status();
  }
  void emit(RowSink& sink) const override {
    emit_sorted(customers_, sink, [](const Customer& c, std::string& out) {
      // The payload's fields merged in key order with the two counters of our own.
      const std::pair<std::string_view, std::int64_t> counters[] = {{"changes", c.changes},
                                                                    {"version", c.version}};
      std::size_t next = 0;
      events::CanonicalWriter w(out);
      w.begin_object();
      auto counters_before = [&](std::string_view key) {
        for (; next < 2 && counters[next].first < key; ++next) {
          w.field_int(counters[next].first, counters[next].second);
        }
      };
      for (const auto& [k, v] : c.fields) {
        counters_before(k);
        w.key(k);
        w.raw_value(v);
      }
      counters_before("\x7f");
      w.end_object();
    });
  }

 private:
  struct Customer {
    std::map<std::string, std::string> fields;
    std::int64_t version = 0;
    std::int64_t changes = 0;
  };
  StringMap<Customer> customers_;
};

// Rule parameters as dated data: key "<parameter>@<effective_from>[@<scope>]", value the
// canonical payload of the latest rules.parameter_set for that key (a later event for the same
// key and date supersedes: within the stream rules/<parameter>, order is the producer's).
class RuleParameters final : public Projection {
 public:
  std::string_view name() const override { return "rule_parameters"; }
  bool wants(std::string_view type) const override { return type == "rules.parameter_set"; }
  Status apply(const events::EventView& e, simdjson::dom::element payload) override {
    std::string_view parameter, from;
    if (payload["parameter"].get(parameter) != simdjson::SUCCESS ||
        payload["effective_from"].get(from) != simdjson::SUCCESS) {
      return make_error("projection_bug", "payload", "validated rules.parameter_set lacks keys");
    }
    std::string key = std::string(parameter) + "@" + std::string(from);
    if (simdjson::dom::element scope; payload["scope"].get(scope) == simdjson::SUCCESS) {
      std::string scope_json;
      if (auto st = events::append_canonical(scope, scope_json, ""); !st.ok()) return st;
      key += "@" + scope_json;
    }
    slot(values_, key).assign(e.payload);
    return ok_status();
  }
  void emit(RowSink& sink) const override {
    emit_sorted(values_, sink, [](const std::string& v, std::string& out) { out = v; });
  }

 private:
  StringMap<std::string> values_;
};

// The business calendar as closed by calendar.day_closed: the engine's only notion of "today".
class BusinessCalendar final : public Projection {
 public:
  std::string_view name() const override { return "calendar"; }
  bool wants(std::string_view type) const override { return type == "calendar.day_closed"; }
  Status apply(const events::EventView&, simdjson::dom::element payload) override {
    std::string_view date;
    std::string_view calendar = "business";
    if (payload["date"].get(date) != simdjson::SUCCESS) {
      return make_error("projection_bug", "payload/date", "validated day_closed lacks a date");
    }
    if (payload["calendar"].get(calendar) != simdjson::SUCCESS) calendar = "business";
    auto& c = slot(calendars_, calendar);
    ++c.days_closed;
    if (date > c.last_closed) c.last_closed.assign(date);
    return ok_status();
  }
  void emit(RowSink& sink) const override {
    emit_sorted(calendars_, sink, [](const Info& c, std::string& out) {
      events::CanonicalWriter w(out);
      w.begin_object();
      w.field_int("days_closed", c.days_closed);
      w.field("last_closed", c.last_closed);
      w.end_object();
    });
  }

 private:
  struct Info {
    std::int64_t days_closed = 0;
    std::string last_closed;
  };
  StringMap<Info> calendars_;
};

}  // namespace

std::unique_ptr<Projection> make_event_counts_projection() {
  return std::make_unique<EventCounts>();
}
std::unique_ptr<Projection> make_streams_projection() {
  return std::make_unique<Streams>();
}
std::unique_ptr<Projection> make_customers_projection() {
  return std::make_unique<Customers>();
}

std::unique_ptr<Projection> make_rule_parameters_projection() {
  return std::make_unique<RuleParameters>();
}
std::unique_ptr<Projection> make_calendar_projection() {
  return std::make_unique<BusinessCalendar>();
}

void register_builtin_projections(ProjectionRegistry& registry) {
  registry.add("calendar", make_calendar_projection);
  registry.add("customers", make_customers_projection);
  registry.add("rule_parameters", make_rule_parameters_projection);
  registry.add("event_counts", make_event_counts_projection);
  registry.add("invoice_bases", make_invoice_bases_projection);
  registry.add("streams", make_streams_projection);
}

}  // namespace oppgjor::replay
