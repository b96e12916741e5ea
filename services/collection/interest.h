// Late-payment interest (forsinkelsesrente) on a claim's principal (billing-and-collection.md
// "Collection"; research § 2.3):
//   - simple interest on the principal only (no interest on interest, fees or costs);
//   - from the day after the due date through the payment day, both inclusive;
//   - actual days / 365, or / 366 for days in a leap year;
//   - split at every 1 January and 1 July; each period at its half-year's rate (rates.h);
//   - each period's amount is rounded half up to whole øre from its exact value, and the total
//     is the sum of the rounded period amounts (LateInterest::method says so).
// Paid on or before the due date: no interest and no periods. A half-year without a rate is an
// error naming it (code "rate_missing") — the computation never guesses a rate.
//
// Exact Decimal arithmetic throughout; no clock. Thread-safe: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/date.h"
#include "common/money.h"
#include "common/result.h"
#include "services/collection/rates.h"

namespace oppgjor::collection {

// The largest principal accepted (10^13 kr in øre); larger is an error, not an overflow.
inline constexpr std::int64_t interest_principal_max_ore = 1'000'000'000'000'000;

struct InterestPeriod {
  Date from;                    // first interest day of the period
  Date to;                      // last interest day (inclusive)
  int days = 0;                 // to − from + 1
  int year_days = 365;          // 366 when the period's year is a leap year
  HalfYear half_year;           // the half-year whose rate applies
  Decimal rate_pct;             // 12.50
  std::int64_t amount_ore = 0;  // principal × rate_pct / 100 × days / year_days, rounded half up
  std::string source;           // the rate's source
  std::string rule_version;
  bool uncertain = false;  // the rate is not confirmed from the regulation itself
  std::string note;        // the rate's note
};

struct LateInterest {
  std::int64_t principal_ore = 0;
  Date due;
  Date paid;
  std::int64_t interest_ore = 0;  // the sum of the periods' amount_ore
  std::vector<InterestPeriod> periods;
  std::string method;  // how it was computed, in one sentence (for the output)
  bool uncertain = false;
  // One line per period whose rate is uncertain ("2024 H2: rate 12.50 % is not confirmed …").
  std::vector<std::string> warnings;
};

// The method sentence every LateInterest carries.
const std::string& late_interest_method();

// Errors: "principal_invalid" (field "principal": negative), "principal_out_of_range" (field
// "principal": above interest_principal_max_ore), "rate_missing" (field
// "collection.late_interest_rate_pct", message "late-payment interest rate missing for 2027 H1",
// every missing half-year of the interval named, comma-separated).
Result<LateInterest> compute_late_interest(std::int64_t principal_ore, Date due, Date paid,
                                           const CollectionRates& rates = builtin_rates());

}  // namespace oppgjor::collection
