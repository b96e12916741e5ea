// JSON decoding and rendering for the calculation (see calc_json.h). nlohmann_json is used here
// because this is off the hot path (one document per command) and it builds ordered output.
#include "services/care_fees/calc_json.h"

#include <algorithm>
#include <initializer_list>

#include <nlohmann/json.hpp>

#include "services/care_fees/errors.h"

namespace oppgjor::care_fees {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

Error field_error(std::string_view code, const std::string& field, std::string message) {
  return make_error(std::string(code), field, std::move(message));
}

Status only_members(const json& obj, const std::string& path,
                    std::initializer_list<std::string_view> allowed) {
  if (!obj.is_object()) return field_error(errc::field_type, path, "must be an object");
  for (const auto& [key, unused] : obj.items()) {
    bool known = false;
    for (std::string_view a : allowed) known = known || a == key;
    if (!known) {
      const std::string field = path.empty() ? key : path + "." + key;
      return field_error(errc::unknown_field, field, "unknown member");
    }
  }
  return ok_status();
}

std::string member_path(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

Result<Decimal> amount(const json& obj, const std::string& path, std::string_view key) {
  const std::string field = member_path(path, key);
  const auto it = obj.find(key);
  if (it == obj.end()) return field_error(errc::field_missing, field, "required");
  if (!it->is_string()) {
    return field_error(errc::field_type, field, "an amount is a decimal string, e.g. \"1234.50\"");
  }
  auto ore = common::parse_ore(it->get<std::string>(), field);
  if (!ore) return ore.error();
  return Decimal::from_ore(*ore);
}

Result<bool> flag(const json& obj, const std::string& path, std::string_view key) {
  const auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return false;
  if (!it->is_boolean())
    return field_error(errc::field_type, member_path(path, key), "true or false");
  return it->get<bool>();
}

Result<std::string> text(const json& obj, const std::string& path, std::string_view key,
                         bool required) {
  const auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) {
    if (required) return field_error(errc::field_missing, member_path(path, key), "required");
    return std::string{};
  }
  if (!it->is_string()) return field_error(errc::field_type, member_path(path, key), "a string");
  return it->get<std::string>();
}

// The array member `key` (absent or null: empty).
Result<const json*> array(const json& doc, std::string_view key, bool required) {
  static const json empty = json::array();
  const auto it = doc.find(key);
  if (it == doc.end() || it->is_null()) {
    if (required) return field_error(errc::field_missing, std::string(key), "required");
    return &empty;
  }
  if (!it->is_array()) return field_error(errc::field_type, std::string(key), "must be an array");
  return &*it;
}

std::string at(std::string_view list, std::size_t i) {
  return std::string(list) + "[" + std::to_string(i) + "]";
}

Result<IncomeItem> income_item(const json& j, const std::string& path) {
  if (auto s = only_members(j, path, {"kind", "amount", "joint"}); !s) return s.error();
  auto kind_text = text(j, path, "kind", true);
  if (!kind_text) return kind_text.error();
  const auto kind = parse_income_kind(*kind_text);
  if (!kind) {
    return field_error(errc::unknown_income_kind, path + ".kind",
                       "unknown income kind \"" + *kind_text + "\"");
  }
  auto value = amount(j, path, "amount");
  if (!value) return value.error();
  auto joint = flag(j, path, "joint");
  if (!joint) return joint.error();
  return IncomeItem{*kind, *value, *joint};
}

Result<DeductionItem> deduction_item(const json& j, const std::string& path) {
  if (auto s = only_members(j, path, {"kind", "amount", "joint"}); !s) return s.error();
  auto kind_text = text(j, path, "kind", true);
  if (!kind_text) return kind_text.error();
  const auto kind = parse_deduction_kind(*kind_text);
  if (!kind) {
    return field_error(errc::unknown_deduction_kind, path + ".kind",
                       "unknown deduction kind \"" + *kind_text + "\"");
  }
  auto value = amount(j, path, "amount");
  if (!value) return value.error();
  auto joint = flag(j, path, "joint");
  if (!joint) return joint.error();
  return DeductionItem{*kind, *value, *joint};
}

Result<DiscretionaryDeduction> discretionary_item(const json& j, const std::string& path) {
  if (auto s = only_members(j, path, {"amount", "reason"}); !s) return s.error();
  auto value = amount(j, path, "amount");
  if (!value) return value.error();
  auto reason = text(j, path, "reason", true);
  if (!reason) return reason.error();
  return DiscretionaryDeduction{*value, *reason};
}

template <class Item, class Parse>
Status parse_list(const json& doc, std::string_view key, bool required, Parse parse,
                  std::vector<Item>& out) {
  auto list = array(doc, key, required);
  if (!list) return list.error();
  for (std::size_t i = 0; i < (*list)->size(); ++i) {
    auto item = parse((**list)[i], at(key, i));
    if (!item) return item.error();
    out.push_back(std::move(*item));
  }
  return ok_status();
}

}  // namespace

namespace {

Status spouse(const json& doc, FeeInput& in) {
  const auto it = doc.find("spouse_at_home");
  if (it == doc.end() || it->is_null()) return ok_status();
  const std::string path = "spouse_at_home";
  if (auto s = only_members(*it, path, {"assumed_survivor_pension", "own_income"}); !s) return s;
  auto pension = amount(*it, path, "assumed_survivor_pension");
  if (!pension) return pension.error();
  auto own = amount(*it, path, "own_income");
  if (!own) return own.error();
  in.spouse_at_home = SpouseAtHome{*pension, *own};
  return ok_status();
}

template <class Rule>
Status rule_option(const json& opts, std::string_view key, std::initializer_list<Rule> rules,
                   Rule& out) {
  auto name = text(opts, "rule_options", key, false);
  if (!name) return name.error();
  if (name->empty()) return ok_status();
  for (Rule r : rules) {
    if (rule_name(r) == *name) {
      out = r;
      return ok_status();
    }
  }
  return field_error(errc::unknown_rule_option, member_path("rule_options", key),
                     "unknown rule option \"" + *name + "\"");
}

Status options(const json& doc, RuleOptions& o) {
  const auto it = doc.find("rule_options");
  if (it == doc.end() || it->is_null()) return ok_status();
  if (auto s =
          only_members(*it, "rule_options", {"grunnbelop_rule", "keep_rule", "dependant_rule"});
      !s) {
    return s;
  }
  if (auto s = rule_option(*it, "grunnbelop_rule",
                           {GrunnbelopRule::in_force_1_may, GrunnbelopRule::yearly_average},
                           o.grunnbelop_rule);
      !s) {
    return s;
  }
  if (auto s = rule_option(*it, "keep_rule",
                           {KeepRule::quarter_g_three_quarters_f, KeepRule::quarter_g_full_f},
                           o.keep_rule);
      !s) {
    return s;
  }
  return rule_option(*it, "dependant_rule",
                     {DependantRule::survivor_pension_gap,
                      DependantRule::survivor_pension_gap_plus_half_gross_pension},
                     o.dependant_rule);
}

Status scalars(const json& doc, FeeInput& in) {
  const auto year = doc.find("year");
  if (year == doc.end()) return field_error(errc::field_missing, "year", "required");
  if (!year->is_number_integer()) return field_error(errc::field_type, "year", "an integer year");
  // A uint64 beyond int64 reads as negative here, so the range check also catches it.
  const auto year_value = year->get<std::int64_t>();
  if (year_value < fee_year_min || year_value > fee_year_max) {
    return field_error(errc::year_out_of_range, "year", "year must be between 2000 and 2100");
  }
  in.year = static_cast<int>(year_value);
  auto double_room = flag(doc, "", "double_room_involuntary");
  if (!double_room) return double_room.error();
  in.double_room_involuntary = *double_room;
  const auto cap = doc.find("cost_cap_year");
  if (cap != doc.end() && !cap->is_null()) {
    auto value = amount(doc, "", "cost_cap_year");
    if (!value) return value.error();
    in.cost_cap_year_nok = *value;
  }
  auto type = text(doc, "", "institution_type", false);
  if (!type) return type.error();
  in.institution_type = *type;
  auto decision = text(doc, "", "decision_date", false);
  if (!decision) return decision.error();
  if (!decision->empty()) {
    auto date = Date::parse(*decision, "decision_date");
    if (!date) return date.error();
    in.decision_date = *date;
  }
  return ok_status();
}

Result<json> parse_document(std::string_view text_in) {
  try {
    json doc = json::parse(text_in);
    if (!doc.is_object()) return field_error(errc::field_type, "", "the input must be an object");
    return doc;
  } catch (const json::parse_error& e) {
    return field_error(errc::json_syntax, "", e.what());
  }
}

}  // namespace

Result<FeeInput> parse_fee_input_json(std::string_view json_text) {
  auto doc = parse_document(json_text);
  if (!doc) return doc.error();
  if (auto s = only_members(*doc, "",
                            {"year", "income", "deductions", "discretionary_deductions",
                             "spouse_at_home", "double_room_involuntary", "cost_cap_year",
                             "institution_type", "decision_date", "rule_options"});
      !s) {
    return s.error();
  }
  FeeInput in;
  if (auto s = scalars(*doc, in); !s) return s.error();
  if (auto s = parse_list(*doc, "income", true, income_item, in.income); !s) return s.error();
  if (auto s = parse_list(*doc, "deductions", false, deduction_item, in.deductions); !s) {
    return s.error();
  }
  if (auto s = parse_list(*doc, "discretionary_deductions", false, discretionary_item,
                          in.discretionary_deductions);
      !s) {
    return s.error();
  }
  if (auto s = spouse(*doc, in); !s) return s.error();
  if (auto s = options(*doc, in.options); !s) return s.error();
  if (auto s = validate_fee_input(in); !s) return s.error();
  return in;
}

namespace {

ordered_json items_json(const std::vector<TraceItem>& items) {
  ordered_json out = ordered_json::object();
  for (const TraceItem& i : items) out[i.name] = i.value;
  return out;
}

ordered_json parameter_json(const TraceParameter& p) {
  ordered_json out = {
      {"name", p.name},
      {"value", p.value},
      {"effective_from", p.effective_from},
      {"effective_to", p.effective_to.empty() ? ordered_json() : ordered_json(p.effective_to)},
      {"source", p.source},
      {"rule_version", p.rule_version},
      {"uncertain", p.uncertain}};
  if (p.example) out["example"] = true;
  return out;
}

ordered_json trace_json(const Trace& t) {
  ordered_json steps = ordered_json::array();
  for (const TraceStep& s : t.steps) {
    ordered_json params = ordered_json::array();
    for (const TraceParameter& p : s.parameters) params.push_back(parameter_json(p));
    steps.push_back({{"step", s.name},
                     {"note", s.note},
                     {"inputs", items_json(s.inputs)},
                     {"parameters", std::move(params)},
                     {"results", items_json(s.results)}});
  }
  return {{"rule_version", t.rule_version},
          {"calculation_version", t.calculation_version},
          {"options", items_json(t.options)},
          {"steps", std::move(steps)}};
}

ordered_json amounts_json(const std::vector<Decimal>& amounts) {
  ordered_json out = ordered_json::array();
  for (const Decimal& a : amounts) out.push_back(amount_string(a));
  return out;
}

ordered_json yearly_json(const YearlyFee& fee) {
  return {{"year", fee.year},
          {"basis_nok", amount_string(fee.basis_nok)},
          {"fee_year_nok", amount_string(fee.fee_year_nok)},
          {"fee_month_nok", amount_string(fee.fee_month_nok)},
          {"keep_nok", amount_string(fee.keep_nok)},
          {"monthly_charges_nok", amounts_json(fee.monthly_charges_nok)},
          {"grunnbelop_nok", amount_string(fee.grunnbelop_nok)},
          {"fribelop_nok", amount_string(fee.fribelop_nok)},
          {"fee_raw_nok", amount_string(fee.fee_raw_nok)},
          {"fee_exact_nok", amount_string(fee.fee_exact_nok)},
          {"cost_cap_year_nok", fee.cost_cap_year_nok
                                    ? ordered_json(amount_string(*fee.cost_cap_year_nok))
                                    : ordered_json()},
          {"rule_version", fee.trace.rule_version},
          {"warnings", uncertainty_warnings(fee.trace)},
          {"trace", trace_json(fee.trace)}};
}

ordered_json line_json(const MonthLine& l) {
  return {{"kind", l.kind},
          {"stay_id", l.stay_id},
          {"from", l.first_date.to_iso()},
          {"to", l.last_date.to_iso()},
          {"days", l.days},
          {"billable", l.billable},
          {"double_room", l.double_room},
          {"formula", l.formula},
          {"due_nok", amount_string(l.due_nok)}};
}

ordered_json month_json(const MonthFee& m) {
  ordered_json lines = ordered_json::array();
  for (const MonthLine& l : m.lines) lines.push_back(line_json(l));
  return {{"year", m.year},
          {"month", m.month},
          {"days_billable", m.days_billable},
          {"amount_nok", amount_string(m.amount_nok)},
          {"due_nok", amount_string(m.due_nok)},
          {"lines", std::move(lines)},
          {"trace", trace_json(m.trace)}};
}

}  // namespace

std::string yearly_fee_to_json(const YearlyFee& fee) {
  return yearly_json(fee).dump(2) + "\n";
}

std::string monthly_fees_to_json(const MonthlyFees& fees) {
  ordered_json months = ordered_json::array();
  for (const MonthFee& m : fees.months) months.push_back(month_json(m));
  ordered_json yearly = ordered_json::array();
  std::vector<const Trace*> traces = {&fees.trace};
  for (const YearlyFee& y : fees.yearly_fees) {
    yearly.push_back(yearly_json(y));
    traces.push_back(&y.trace);
  }
  for (const MonthFee& m : fees.months) traces.push_back(&m.trace);
  std::vector<std::string> warnings;
  for (const Trace* t : traces) {
    for (std::string& w : uncertainty_warnings(*t)) {
      if (std::find(warnings.begin(), warnings.end(), w) == warnings.end()) warnings.push_back(w);
    }
  }
  const ordered_json out = {{"year", fees.year},
                            {"total_nok", amount_string(fees.total_nok)},
                            {"institution_days", fees.institution_days},
                            {"months", std::move(months)},
                            {"yearly_fees", std::move(yearly)},
                            {"warnings", warnings},
                            {"trace", trace_json(fees.trace)}};
  return out.dump(2) + "\n";
}

std::string month_fee_to_json(const MonthFee& month) {
  return month_json(month).dump();
}

std::string trace_to_json(const Trace& trace) {
  return trace_json(trace).dump();
}

Result<std::string> run_calc(std::string_view input_json, OutputFormat format,
                             const ParameterStore& store) {
  auto input = parse_fee_input_json(input_json);
  if (!input) return input.error();
  auto fee = calculate_long_term_fee(*input, store);
  if (!fee) return fee.error();
  if (format == OutputFormat::table) return yearly_fee_to_table(*fee, *input);
  return yearly_fee_to_json(*fee);
}

}  // namespace oppgjor::care_fees
