// Collection rule data as dated values (rules/collection_rates.json, compiled in): the
// late-payment interest rate per half-year (forsinkelsesrenteloven § 3), the inkassosats
// (inkassoforskriften § 1-1) and the notice fees as fractions of the inkassosats (§ 1-2).
//
// Every value is dated at both ends (effective_from and effective_to, inclusive) and carries its
// source, the rule_version it came with, and `uncertain` where the research did not confirm it
// from the regulation itself (derived, or a secondary source). A lookup for a day no value covers
// is an Error naming what is missing — there is no default and no "previous value carried on".
// Values from `rules.parameter_set` events are added on top with add() (same names, same
// members), as services/care_fees/parameters.h does.
//
// Thread-safety: const methods may be called concurrently; add() needs exclusive access.
#pragma once

#include <compare>
#include <cstdint>
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

namespace oppgjor::collection {

using common::Date;
using common::Decimal;

// Parameter names, <area>.<name>_<unit> as in rules.parameter_set.
namespace param {
inline constexpr std::string_view late_interest_rate = "collection.late_interest_rate_pct";
inline constexpr std::string_view inkassosats = "collection.inkassosats_nok";
inline constexpr std::string_view reminder_fee_fraction = "collection.reminder_fee_fraction_ratio";
inline constexpr std::string_view collection_notice_fee_fraction =
    "collection.collection_notice_fee_fraction_ratio";
inline constexpr std::string_view payment_demand_fee_fraction =
    "collection.payment_demand_fee_fraction_ratio";
}  // namespace param

// Error codes (stable).
namespace errc {
inline constexpr std::string_view rate_missing = "rate_missing";              // no interest rate
inline constexpr std::string_view parameter_missing = "parameter_missing";    // sats, fraction
inline constexpr std::string_view parameter_invalid = "parameter_invalid";    // add(), decoding
inline constexpr std::string_view rules_data_invalid = "rules_data_invalid";  // a rules file
}  // namespace errc

// A value with its period, source, rule_version and uncertainty (events/dated_value.h).
using events::DatedValue;

// A calendar half-year: H1 = 1 January – 30 June, H2 = 1 July – 31 December.
struct HalfYear {
  int year = 0;
  int half = 1;  // 1 or 2

  static HalfYear of(Date day);
  Date first_day() const;
  Date last_day() const;
  HalfYear next() const;
  std::string label() const;  // "2024 H1"
  bool operator==(const HalfYear&) const = default;
  std::strong_ordering operator<=>(const HalfYear& o) const {
    return year != o.year ? year <=> o.year : half <=> o.half;
  }
};

// The late-payment interest rate in force for a half-year.
struct DatedRate {
  HalfYear half_year;
  Decimal rate_pct;  // 12.50 for 12.50 % a year
  Date effective_from;
  Date effective_to;  // inclusive
  std::string source;
  std::string rule_version;
  bool uncertain = false;
  std::string note;
};

enum class NoticeKind { reminder, collection_notice, payment_demand };
// "reminder", "collection_notice", "payment_demand".
std::string_view notice_kind_name(NoticeKind kind);
// The fee-fraction parameter of a notice kind (param::…_fee_fraction).
std::string_view fee_fraction_parameter(NoticeKind kind);

// The fee for one notice sent on a day: the fraction of the inkassosats in force that day, exact,
// rounded half up to whole øre (35.00 for 1/20 of 700; 1/20 of 750 would stay 37.50).
struct NoticeFee {
  NoticeKind kind = NoticeKind::reminder;
  Date sent;
  std::int64_t amount_ore = 0;
  Decimal inkassosats_nok;
  Decimal fraction;           // 0.05
  std::string fraction_text;  // "1/20"
  // The days on which both the inkassosats and the fraction used here are in force.
  Date effective_from;
  Date effective_to;
  std::string source;  // the inkassosats' source; the fraction's source
  std::string rule_version;
  bool uncertain = false;  // either value is uncertain
  std::string note;        // the notes of both values, when any
};

class CollectionRates {
 public:
  // Parses a rules file ({"rule_version", "note", "parameters": [{"parameter", "unit",
  // "description", "values": [DatedValue…]}]}). Every value needs effective_to. Error code
  // "rules_data_invalid", field the JSON path ("parameters[0].values[3].effective_to").
  static Result<CollectionRates> parse(std::string_view json);

  // Adds a dated value of `parameter` (a "collection." name), replacing an existing value with
  // the same effective_from — a `rules.parameter_set` event on top of the shipped data. Errors
  // (code "parameter_invalid", field the member): a name outside "collection."; an effective_to
  // before effective_from; for the parameters in param::, a missing effective_to, and a value
  // out of range (a rate 0..100 that starts on 1 January or 1 July and ends on 30 June or
  // 31 December; an inkassosats > 0 with at most two decimals; a fraction in (0, 1]).
  Status add(std::string_view parameter, DatedValue value);

  // The value of `parameter` in force on `on`. Error "parameter_missing" naming the parameter
  // and the date.
  Result<DatedValue> value_on(std::string_view parameter, Date on) const;

  // The late-payment interest rate for the half-year containing `day`. Error "rate_missing",
  // field "collection.late_interest_rate_pct", message "late-payment interest rate missing for
  // 2027 H1".
  Result<DatedRate> late_interest_rate(Date day) const;

  // The fee for a notice of `kind` sent on `sent`. Error "parameter_missing" naming the missing
  // inkassosats or fee fraction and the date.
  Result<NoticeFee> notice_fee(NoticeKind kind, Date sent) const;

  // The values of a parameter, sorted by effective_from (empty when none).
  const std::vector<DatedValue>& values(std::string_view parameter) const;

  const std::string& rule_version() const { return rule_version_; }

 private:
  std::map<std::string, std::vector<DatedValue>, std::less<>> values_;
  std::string rule_version_;
};

// The compiled-in rule data (rules/collection_rates.json), parsed once; an error there is a bug
// in the shipped data (the tests load it) and aborts.
const CollectionRates& builtin_rates();

// Shorthands on a rule set (the built-in one by default).
Result<DatedRate> late_interest_rate(Date day, const CollectionRates& rates = builtin_rates());
Result<NoticeFee> notice_fee(NoticeKind kind, Date sent,
                             const CollectionRates& rates = builtin_rates());

// The decoder of one dated value (a rules file's value, a `rules.parameter_set` payload).
using events::decode_dated_value;

// A rate or amount with at least two decimals, exact: 12.5 -> "12.50", 12.125 -> "12.125".
std::string decimal_text_2(const Decimal& value);

// An exact ratio as the smallest fraction: 0.05 -> "1/20", 0.15 -> "3/20", 1 -> "1/1".
std::string fraction_text(const Decimal& ratio);

}  // namespace oppgjor::collection
