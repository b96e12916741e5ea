// Staff-set rule parameters (rules_admin.h).
#include "services/care_fees/rules_admin.h"

#include "events/canonical_json.h"
#include "services/care_fees/errors.h"

namespace oppgjor::care_fees {
namespace {

Decimal d(const char* text) {
  return Decimal::parse(text).value();
}

Error invalid(std::string_view code, std::string field, std::string message) {
  return make_error(std::string(code), std::move(field), std::move(message));
}

const KnownParameter* find_known(std::string_view name) {
  for (const KnownParameter& k : known_parameters()) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

// "institution_type=nursing_home" → the store's scope key ("nursing_home", "institution:ID").
Result<std::string> scope_key(const KnownParameter& k, const std::string& scope) {
  if (scope.empty()) return std::string{};
  const auto eq = scope.find('=');
  const std::string kind = scope.substr(0, eq);
  const std::string value = eq == std::string::npos ? "" : scope.substr(eq + 1);
  if (!k.scoped || value.empty() || (kind != "institution_type" && kind != "institution_id")) {
    return invalid(errc::field_type, "scope",
                   k.scoped ? "institution_type=TYPE or institution_id=ID"
                            : std::string(k.name) + " takes no scope");
  }
  return kind == "institution_id" ? institution_scope(value) : value;
}

bool overlaps(const DatedValue& v, Date from, const std::optional<Date>& to) {
  const bool starts_before_end = !to || v.effective_from <= *to;
  const bool ends_after_start = !v.effective_to || from <= *v.effective_to;
  return starts_before_end && ends_after_start;
}

std::string payload(const ParameterSetRequest& r, const KnownParameter& k, const Decimal& value) {
  std::string out;
  events::CanonicalWriter w(out);
  w.begin_object();
  w.field("effective_from", r.from.to_iso());
  if (r.to) w.field("effective_to", r.to->to_iso());
  w.field("parameter", r.parameter);
  w.field("rule_version", "care_fees.set." + r.from.to_iso());
  if (!r.scope.empty()) {
    const auto eq = r.scope.find('=');
    w.key("scope");
    w.begin_object();
    w.field(r.scope.substr(0, eq), r.scope.substr(eq + 1));
    w.end_object();
  }
  w.field("source", r.source);
  w.field("unit", k.unit);
  w.field("value", value.to_string());
  w.end_object();
  return out;
}

}  // namespace

const std::vector<KnownParameter>& known_parameters() {
  static const std::vector<KnownParameter> all = {
      {param::grunnbelop, "nok", d("50000"), d("500000"), false},
      {param::fribelop, "nok", d("1000"), d("100000"), false},
      {param::fribelop_double_room, "nok", d("1000"), d("200000"), false},
      {param::short_stay_rate_dogn, "nok", d("0"), d("2000"), false},
      {param::short_stay_rate_day_night, "nok", d("0"), d("1000"), false},
      {param::cost_cap_year, "nok", d("100000"), d("10000000"), true},
      {param::fee_share_below_g, "ratio", d("0"), d("1"), false},
      {param::fee_share_above_g, "ratio", d("0"), d("1"), false},
      {param::keep_share_of_g, "ratio", d("0"), d("1"), false},
      {param::keep_share_of_fribelop, "ratio", d("0"), d("1"), false},
      {param::short_term_days_max, "days", d("1"), d("366"), false},
      {param::long_term_day_divisor, "days", d("28"), d("31"), false},
  };
  return all;
}

Result<events::EngineEvent> plan_parameter_set(const ParameterStore& store,
                                               const ParameterSetRequest& r) {
  const KnownParameter* k = find_known(r.parameter);
  if (k == nullptr) {
    return invalid(errc::parameter_unknown, "parameter",
                   "unknown parameter \"" + r.parameter + "\" (oppgjor rules list shows them)");
  }
  auto value = Decimal::parse(r.value, "value");
  if (!value) return value.error();
  if (*value < k->min || k->max < *value) {
    return invalid(errc::value_out_of_range, "value",
                   r.parameter + " must be between " + k->min.to_string() + " and " +
                       k->max.to_string() + ", not " + r.value);
  }
  if (k->unit == "nok" && value->round(2, common::Rounding::down) != *value) {
    return invalid(errc::value_out_of_range, "value", "an amount in kroner has at most 2 decimals");
  }
  if (r.to && *r.to < r.from) return invalid(errc::period_invalid, "to", "ends before it starts");
  if (r.source.empty())
    return invalid(errc::source_missing, "source", "say where the value is from");
  auto scope = scope_key(*k, r.scope);
  if (!scope) return scope.error();
  const std::string scoped = scoped_parameter(r.parameter, *scope);
  for (const DatedValue& v : store.values_of(scoped)) {
    // The same value for the same period again: the same event (appending it adds nothing).
    const bool same = v.effective_from == r.from && v.effective_to == r.to && v.value == *value;
    if (!r.replace && !same && overlaps(v, r.from, r.to)) {
      return invalid(errc::parameter_overlap, "from",
                     scoped + " already has " + v.value.to_string() + " from " +
                         v.effective_from.to_iso() +
                         (v.effective_to ? " to " + v.effective_to->to_iso() : "") + " (" +
                         v.source + "); give --replace to supersede it");
    }
  }
  events::EngineEvent e;
  e.event_id = events::deterministic_event_id("rules/set/" + scoped + "/" + r.from.to_iso() + "/" +
                                              value->to_string());
  e.type = "rules.parameter_set";
  e.stream = "rules/" + r.parameter;
  e.occurred_at = r.from.to_iso();
  if (!r.actor.empty()) e.actor = r.actor;
  e.payload_json = payload(r, *k, *value);
  return e;
}

std::vector<ParameterInForce> parameters_in_force(const ParameterStore& store,
                                                  std::string_view parameter, Date at) {
  std::vector<ParameterInForce> out;
  for (const std::string& name : store.names()) {
    if (!parameter.empty() && name.rfind(parameter, 0) != 0) continue;
    auto v = store.value_on(name, at);
    if (v) out.push_back({name, std::move(*v)});
  }
  return out;
}

}  // namespace oppgjor::care_fees
