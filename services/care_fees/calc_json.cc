// JSON decoding and rendering for the calculation (see calc_json.h): simdjson reads the document
// (the items through fee_input_json.h, shared with the income_reported fold), CanonicalWriter
// writes the results.
#include "services/care_fees/calc_json.h"

#include <algorithm>
#include <initializer_list>
#include <map>

#include <simdjson.h>

#include "events/canonical_json.h"
#include "services/care_fees/errors.h"
#include "services/care_fees/fee_input_json.h"

namespace oppgjor::care_fees {
namespace {

using json_in::member_path;
using simdjson::dom::element;

Error field_error(std::string_view code, const std::string& field, std::string message) {
  return make_error(std::string(code), field, std::move(message));
}

template <class Rule>
Status rule_option(element opts, std::string_view key, std::initializer_list<Rule> rules,
                   Rule& out) {
  auto name = json_in::text(opts, "rule_options", key, false);
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

Status options(element doc, RuleOptions& o) {
  element opts;
  if (doc["rule_options"].get(opts) != simdjson::SUCCESS || opts.is_null()) return ok_status();
  if (auto s = json_in::only_members(
          opts, "rule_options",
          {"grunnbelop_rule", "keep_rule", "dependant_rule", "short_to_long_free_month",
           "hospital_days_count", "short_stay_departure_day", "absence_rule"});
      !s) {
    return s;
  }
  if (auto s = rule_option(opts, "grunnbelop_rule",
                           {GrunnbelopRule::in_force_1_may, GrunnbelopRule::yearly_average},
                           o.grunnbelop_rule);
      !s) {
    return s;
  }
  if (auto s = rule_option(opts, "keep_rule",
                           {KeepRule::quarter_g_three_quarters_f, KeepRule::quarter_g_full_f},
                           o.keep_rule);
      !s) {
    return s;
  }
  if (auto s = rule_option(opts, "dependant_rule",
                           {DependantRule::survivor_pension_gap,
                            DependantRule::survivor_pension_gap_plus_half_gross_pension},
                           o.dependant_rule);
      !s) {
    return s;
  }
  if (auto s = rule_option(opts, "short_to_long_free_month",
                           {ShortToLongFreeMonth::no, ShortToLongFreeMonth::yes},
                           o.short_to_long_free_month);
      !s) {
    return s;
  }
  if (auto s = rule_option(opts, "hospital_days_count", {HospitalDays::off, HospitalDays::on},
                           o.hospital_days_count);
      !s) {
    return s;
  }
  if (auto s = rule_option(opts, "short_stay_departure_day",
                           {DepartureDay::counts, DepartureDay::not_counted},
                           o.short_stay_departure_day);
      !s) {
    return s;
  }
  return rule_option(opts, "absence_rule", {AbsenceRule::no_change}, o.absence_rule);
}

Status year(element doc, FeeInput& in) {
  element y;
  if (doc["year"].get(y) != simdjson::SUCCESS) {
    return field_error(errc::field_missing, "year", "required");
  }
  const auto out_of_range = [] {
    return field_error(errc::year_out_of_range, "year", "year must be between 2000 and 2100");
  };
  std::int64_t value = 0;
  if (y.is_uint64() && !y.is_int64()) return out_of_range();  // beyond int64: far out of range
  if (y.get(value) != simdjson::SUCCESS) {
    return field_error(errc::field_type, "year", "an integer year");
  }
  if (value < fee_year_min || value > fee_year_max) return out_of_range();
  in.year = static_cast<int>(value);
  return ok_status();
}

Status scalars(element doc, FeeInput& in) {
  if (auto s = year(doc, in); !s) return s;
  auto double_room = json_in::flag(doc, "", "double_room_involuntary");
  if (!double_room) return double_room.error();
  in.double_room_involuntary = *double_room;
  element cap;
  if (doc["cost_cap_year"].get(cap) == simdjson::SUCCESS && !cap.is_null()) {
    auto value = json_in::amount(doc, "", "cost_cap_year");
    if (!value) return value.error();
    in.cost_cap_year_nok = *value;
  }
  auto type = json_in::text(doc, "", "institution_type", false);
  if (!type) return type.error();
  in.institution_type = *type;
  auto institution = json_in::text(doc, "", "institution_id", false);
  if (!institution) return institution.error();
  in.institution_id = *institution;
  auto decision = json_in::text(doc, "", "decision_date", false);
  if (!decision) return decision.error();
  if (!decision->empty()) {
    auto date = Date::parse(*decision, "decision_date");
    if (!date) return date.error();
    in.decision_date = *date;
  }
  return ok_status();
}

}  // namespace

Result<FeeInput> parse_fee_input_json(std::string_view json_text) {
  simdjson::dom::parser parser;
  element doc;
  if (const auto err = parser.parse(json_text.data(), json_text.size()).get(doc);
      err != simdjson::SUCCESS) {
    return field_error(errc::json_syntax, "", simdjson::error_message(err));
  }
  if (!doc.is_object()) return field_error(errc::field_type, "", "the input must be an object");
  if (auto s = json_in::only_members(
          doc, "",
          {"year", "income", "deductions", "discretionary_deductions", "spouse_at_home",
           "dependants", "double_room_involuntary", "cost_cap_year", "institution_id",
           "institution_type", "decision_date", "covered_from", "covered_to", "rule_options"});
      !s) {
    return s.error();
  }
  FeeInput in;
  if (auto s = scalars(doc, in); !s) return s.error();
  if (auto s = json_in::list(doc, "income", "income", true, &json_in::income_item, in.income); !s) {
    return s.error();
  }
  if (auto s = json_in::list(doc, "deductions", "deductions", false, &json_in::deduction_item,
                             in.deductions);
      !s) {
    return s.error();
  }
  if (auto s = json_in::list(doc, "discretionary_deductions", "discretionary_deductions", false,
                             &json_in::discretionary_deduction, in.discretionary_deductions);
      !s) {
    return s.error();
  }
  auto spouse = json_in::spouse_at_home(doc, "", "spouse_at_home");
  if (!spouse) return spouse.error();
  in.spouse_at_home = *spouse;
  if (auto s = json_in::dependants(doc, "", "dependants", in); !s) return s.error();
  if (auto s = json_in::covered_period(doc, "", in); !s) return s.error();
  if (auto s = options(doc, in.options); !s) return s.error();
  if (auto s = validate_fee_input(in); !s) return s.error();
  return in;
}

namespace {

using events::CanonicalWriter;

// Trace items as an object: a name given twice keeps its last value (as before).
void write_items(CanonicalWriter& w, std::string_view key, const std::vector<TraceItem>& items) {
  std::map<std::string, std::string_view> sorted;
  for (const TraceItem& i : items) sorted[i.name] = i.value;
  w.key(key);
  w.begin_object();
  for (const auto& [name, value] : sorted) w.field(name, value);
  w.end_object();
}

void write_parameter(CanonicalWriter& w, const TraceParameter& p) {
  w.begin_object();
  w.field("effective_from", p.effective_from);
  w.key("effective_to");
  if (p.effective_to.empty()) {
    w.null_value();
  } else {
    w.string_value(p.effective_to);
  }
  if (p.example) {
    w.key("example");
    w.bool_value(true);
  }
  w.field("name", p.name);
  w.field("rule_version", p.rule_version);
  w.field("source", p.source);
  w.key("uncertain");
  w.bool_value(p.uncertain);
  w.field("value", p.value);
  w.end_object();
}

void write_trace(CanonicalWriter& w, const Trace& t) {
  w.begin_object();
  w.field("calculation_version", t.calculation_version);
  write_items(w, "options", t.options);
  w.field("rule_version", t.rule_version);
  w.key("steps");
  w.begin_array();
  for (const TraceStep& s : t.steps) {
    w.begin_object();
    write_items(w, "inputs", s.inputs);
    w.field("note", s.note);
    w.key("parameters");
    w.begin_array();
    for (const TraceParameter& p : s.parameters) write_parameter(w, p);
    w.end_array();
    write_items(w, "results", s.results);
    w.field("step", s.name);
    w.end_object();
  }
  w.end_array();
  w.end_object();
}

void write_strings(CanonicalWriter& w, std::string_view key, const std::vector<std::string>& v) {
  w.key(key);
  w.begin_array();
  for (const std::string& s : v) w.string_value(s);
  w.end_array();
}

void write_yearly(CanonicalWriter& w, const YearlyFee& fee) {
  w.begin_object();
  w.field("basis_nok", amount_string(fee.basis_nok));
  w.key("cost_cap_year_nok");
  if (fee.cost_cap_year_nok) {
    w.string_value(amount_string(*fee.cost_cap_year_nok));
  } else {
    w.null_value();
  }
  w.field("fee_exact_nok", amount_string(fee.fee_exact_nok));
  w.field("fee_month_nok", amount_string(fee.fee_month_nok));
  w.field("fee_raw_nok", amount_string(fee.fee_raw_nok));
  w.field("fee_year_nok", amount_string(fee.fee_year_nok));
  w.field("fribelop_nok", amount_string(fee.fribelop_nok));
  w.field("grunnbelop_nok", amount_string(fee.grunnbelop_nok));
  w.field("keep_nok", amount_string(fee.keep_nok));
  w.key("monthly_charges_nok");
  w.begin_array();
  for (const Decimal& a : fee.monthly_charges_nok) w.string_value(amount_string(a));
  w.end_array();
  w.field("rule_version", fee.trace.rule_version);
  w.key("trace");
  write_trace(w, fee.trace);
  std::vector<std::string> warnings = uncertainty_warnings(fee.trace);
  if (!fee.cost_cap_year_nok) warnings.emplace_back(no_cost_cap_warning);
  write_strings(w, "warnings", warnings);
  w.field_int("year", fee.year);
  w.end_object();
}

void write_line(CanonicalWriter& w, const MonthLine& l) {
  w.begin_object();
  w.key("billable");
  w.bool_value(l.billable);
  w.field_int("days", l.days);
  w.key("double_room");
  w.bool_value(l.double_room);
  w.field("due_nok", amount_string(l.due_nok));
  w.field("formula", l.formula);
  w.field("from", l.first_date.to_iso());
  w.field("kind", line_kind_name(l.kind));
  w.field("stay_id", l.stay_id);
  w.field("to", l.last_date.to_iso());
  w.end_object();
}

void write_month(CanonicalWriter& w, const MonthFee& m) {
  w.begin_object();
  w.field("amount_nok", amount_string(m.amount_nok));
  w.field_int("days_billable", m.days_billable);
  w.field("due_nok", amount_string(m.due_nok));
  w.key("lines");
  w.begin_array();
  for (const MonthLine& l : m.lines) write_line(w, l);
  w.end_array();
  w.field_int("month", m.month);
  w.key("trace");
  write_trace(w, m.trace);
  w.field_int("year", m.year);
  w.end_object();
}

// Canonical JSON laid out for people: two spaces per level, one member or element per line,
// "key": value, empty containers as {} and [] (the layout the command has always printed).
// REQUIRES: `canonical` is canonical JSON (no whitespace outside strings).
std::string indented(std::string_view canonical) {
  std::string out;
  out.reserve(canonical.size() * 2);
  int depth = 0;
  bool in_string = false;
  const auto newline = [&out, &depth] {
    out += '\n';
    out.append(static_cast<std::size_t>(depth) * 2, ' ');
  };
  for (std::size_t i = 0; i < canonical.size(); ++i) {
    const char c = canonical[i];
    if (in_string) {
      out += c;
      if (c == '\\') {
        out += canonical[++i];
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        out += c;
        break;
      case '{':
      case '[':
        out += c;
        if (i + 1 < canonical.size() && (canonical[i + 1] == '}' || canonical[i + 1] == ']')) {
          out += canonical[++i];
        } else {
          ++depth;
          newline();
        }
        break;
      case '}':
      case ']':
        --depth;
        newline();
        out += c;
        break;
      case ',':
        out += c;
        newline();
        break;
      case ':':
        out += ": ";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace

std::string yearly_fee_to_json(const YearlyFee& fee) {
  std::string out;
  CanonicalWriter w(out);
  write_yearly(w, fee);
  return indented(out) + "\n";
}

std::string monthly_fees_to_json(const MonthlyFees& fees) {
  std::vector<const Trace*> traces = {&fees.trace};
  for (const YearlyFee& y : fees.yearly_fees) traces.push_back(&y.trace);
  for (const MonthFee& m : fees.months) traces.push_back(&m.trace);
  std::vector<std::string> warnings;
  for (const Trace* t : traces) {
    for (std::string& w : uncertainty_warnings(*t)) {
      if (std::find(warnings.begin(), warnings.end(), w) == warnings.end()) warnings.push_back(w);
    }
  }
  for (const YearlyFee& y : fees.yearly_fees) {
    const std::string w(no_cost_cap_warning);
    if (!y.cost_cap_year_nok && std::find(warnings.begin(), warnings.end(), w) == warnings.end()) {
      warnings.push_back(w);
    }
  }
  std::string out;
  CanonicalWriter w(out);
  w.begin_object();
  w.field_int("institution_days", fees.institution_days);
  w.key("months");
  w.begin_array();
  for (const MonthFee& m : fees.months) write_month(w, m);
  w.end_array();
  w.field("total_nok", amount_string(fees.total_nok));
  w.key("trace");
  write_trace(w, fees.trace);
  write_strings(w, "warnings", warnings);
  w.field_int("year", fees.year);
  w.key("yearly_fees");
  w.begin_array();
  for (const YearlyFee& y : fees.yearly_fees) write_yearly(w, y);
  w.end_array();
  w.end_object();
  return indented(out) + "\n";
}

std::string month_fee_to_json(const MonthFee& month) {
  std::string out;
  CanonicalWriter w(out);
  write_month(w, month);
  return out;
}

std::string trace_to_json(const Trace& trace) {
  std::string out;
  CanonicalWriter w(out);
  write_trace(w, trace);
  return out;
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
