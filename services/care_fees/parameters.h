// Rule parameters as dated data (ARCHITECTURE.md, "Rules as dated data").
//
// A ParameterStore holds, per parameter name, a list of DatedValues sorted by effective_from.
// The built-in store is loaded from the rules/*.json files compiled into the library
// (builtin_parameters()); values from `rules.parameter_set` events are added on top with add(),
// which inserts a new period or replaces the value with the same effective_from. A lookup
// returns the value in force on a date; when no value covers the date the result is an Error
// (code "parameter_missing") whose message names the parameter and the year or date — there is
// no fallback value in code.
//
// Thread-safety: const methods may be called concurrently; add() needs exclusive access.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "common/date.h"
#include "common/money.h"
#include "common/result.h"
#include "events/dated_value.h"

namespace oppgjor::care_fees {

using common::Date;
using common::Decimal;

// Parameter names, <area>.<name>_<unit> as in rules.parameter_set. A value can be scoped to an
// institution type (the cost cap); the store keys it as
// "care_fees.cost_cap_year_nok[nursing_home]".
namespace param {
inline constexpr std::string_view grunnbelop = "care_fees.grunnbelop_nok";
inline constexpr std::string_view fribelop = "care_fees.fribelop_nok";
inline constexpr std::string_view fribelop_double_room = "care_fees.fribelop_double_room_nok";
inline constexpr std::string_view short_stay_rate_dogn = "care_fees.short_stay_rate_dogn_nok";
inline constexpr std::string_view short_stay_rate_day_night =
    "care_fees.short_stay_rate_day_night_nok";
inline constexpr std::string_view cost_cap_year = "care_fees.cost_cap_year_nok";
inline constexpr std::string_view fee_share_below_g = "care_fees.fee_share_below_g_ratio";
inline constexpr std::string_view fee_share_above_g = "care_fees.fee_share_above_g_ratio";
inline constexpr std::string_view keep_share_of_g = "care_fees.keep_share_of_g_ratio";
inline constexpr std::string_view keep_share_of_fribelop = "care_fees.keep_share_of_fribelop_ratio";
inline constexpr std::string_view short_term_days_max = "care_fees.short_term_limit_days";
inline constexpr std::string_view long_term_day_divisor = "care_fees.long_term_month_days";
}  // namespace param

// A value with its period, source, rule_version and flags (events/dated_value.h).
using events::DatedValue;

enum class ShortStayKind { dogn, day_or_night };

// The posting string (kontostreng) of a nursing-home bill, as rule data per institution and
// district (rules/postings.json): an empty scope member matches any.
struct Posting {
  std::string district;        // "bydel_sagene"; empty: any district
  std::string institution_id;  // "SYKEHJEM-A"; empty: any institution
  std::string art;
  std::string funksjon;
  std::string ansvar;
  Date effective_from;
  std::optional<Date> effective_to;  // inclusive
  std::string source;
  std::string rule_version;
  bool example = false;
};
inline constexpr std::string_view posting_parameter = "care_fees.posting";

// A value and the scoped name it was found under (the trace shows which scope applied).
struct ScopedValue {
  std::string parameter;
  DatedValue value;
};

class ParameterStore {
 public:
  // Adds a dated value of `parameter` (scoped to `institution_type` when non-empty, like a
  // rules.parameter_set event's scope), replacing an existing value with the same
  // effective_from. Errors ("parameter_invalid"): a name outside "care_fees.", an
  // effective_to before effective_from.
  // `scope` is an institution type or institution_scope(id).
  Status add(std::string_view parameter, DatedValue value, std::string_view scope = {});

  // The value of `parameter` in force on `on`.
  Result<DatedValue> value_on(std::string_view parameter, Date on) const;
  // The value in force on 1 January of `year` (yearly parameters: fribeløp, rates, caps).
  Result<DatedValue> value_for_year(std::string_view parameter, int year) const;

  Result<DatedValue> grunnbelop_on(Date on) const;
  // The G in force on 1 May of `year` (product decision: "G for year Y").
  Result<DatedValue> grunnbelop_for_fee_year(int year) const;
  Result<DatedValue> fribelop(int year, bool double_room) const;
  Result<DatedValue> short_stay_rate(int year, ShortStayKind kind) const;
  // REQUIRES: institution_type is non-empty ("nursing_home", "care_centre").
  Result<DatedValue> cost_cap(int year, std::string_view institution_type) const;
  // The institution's own cap for `year` when the store has one, else its type's cap.
  // REQUIRES: institution_id or institution_type non-empty. The error names the type's
  // parameter (or the institution's, when no type is given).
  Result<ScopedValue> cost_cap_for(int year, std::string_view institution_id,
                                   std::string_view institution_type) const;

  // Adds a posting entry (replacing one with the same scope and effective_from).
  Status add_posting(Posting posting);
  // The posting in force on `on` for the institution and district: institution and district
  // both matching wins over the institution alone, over the district alone, over no scope.
  // Error parameter_missing naming "care_fees.posting" when no entry covers the date.
  Result<Posting> posting(Date on, std::string_view district,
                          std::string_view institution_id) const;

  // Every dated value of `scoped_parameter` (scoped_parameter() names), sorted by effective_from;
  // empty when there is none. For the staff's `rules set` overlap check and `rules list`.
  const std::vector<DatedValue>& values_of(std::string_view scoped_parameter) const;
  // Every scoped name the store holds, sorted.
  std::vector<std::string> names() const;

  // The rule-set version of the built-in data ("care_fees.rules.2025-11.1").
  const std::string& rule_version() const { return rule_version_; }
  void set_rule_version(std::string v) { rule_version_ = std::move(v); }

 private:
  Result<DatedValue> find(std::string_view parameter, Date on, const std::string& when) const;

  std::map<std::string, std::vector<DatedValue>, std::less<>> values_;
  std::vector<Posting> postings_;
  std::string rule_version_;
};

std::string_view short_stay_parameter(ShortStayKind kind);
// "care_fees.cost_cap_year_nok[nursing_home]"; the bare name when institution_type is empty.
std::string scoped_parameter(std::string_view parameter, std::string_view institution_type);
// The scope key of one institution: "institution:SYKEHJEM-A" (scoped_parameter() then gives
// "care_fees.cost_cap_year_nok[institution:SYKEHJEM-A]").
std::string institution_scope(std::string_view institution_id);

// The one decoder of a dated value from JSON (a rules file's "values", a rules.parameter_set
// payload): events/dated_value.h.
using events::decode_dated_value;

// Parses one rules file ({"parameters": [...]} or the rule-set header {"rule_version": ...};
// a parameter may carry "scope": {"institution_type": "nursing_home"} or
// {"institution_id": "SYKEHJEM-A"})
// into `store`. Error code "rules_data_invalid" with the file and the JSON path in `field`.
Status load_rules_json(std::string_view file_name, std::string_view json, ParameterStore& store);

// The store built from the embedded rules/*.json. Parsed once; an error here is a bug in the
// shipped data (the tests load it).
Result<ParameterStore> builtin_parameters();

}  // namespace oppgjor::care_fees
