// Late-payment interest (interest.h).
#include "services/collection/interest.h"

#include <algorithm>

namespace oppgjor::collection {

const std::string& late_interest_method() {
  static const std::string method =
      "simple interest on the principal from the day after the due date through the payment day, "
      "actual days/365 (366 in a leap year), split at every 1 January and 1 July with that "
      "half-year's rate; each period's amount rounded half up to øre; the total is the sum of the "
      "rounded period amounts";
  return method;
}

Result<LateInterest> compute_late_interest(std::int64_t principal_ore, Date due, Date paid,
                                           const CollectionRates& rates) {
  if (principal_ore < 0) {
    return make_error("principal_invalid", "principal",
                      "the principal is negative: " + common::ore_to_string(principal_ore));
  }
  if (principal_ore > interest_principal_max_ore) {
    return make_error(
        "principal_out_of_range", "principal",
        "the principal is above " + common::ore_to_string(interest_principal_max_ore) + " kr");
  }
  LateInterest out;
  out.principal_ore = principal_ore;
  out.due = due;
  out.paid = paid;
  out.method = late_interest_method();
  if (paid <= due) return out;

  const Decimal principal = Decimal::from_ore(principal_ore);
  std::string missing;
  for (Date from = due.add_days(1); from <= paid;) {
    const HalfYear half = HalfYear::of(from);
    const Date to = std::min(half.last_day(), paid);
    const Date next = to.add_days(1);
    auto rate = rates.late_interest_rate(from);
    if (!rate) {
      if (!missing.empty()) missing += ", ";
      missing += half.label();
      from = next;
      continue;
    }
    InterestPeriod p;
    p.from = from;
    p.to = to;
    p.days = from.days_until(to) + 1;
    p.year_days = Date::is_leap_year(from.year()) ? 366 : 365;
    p.half_year = half;
    p.rate_pct = rate->rate_pct;
    // Exact: principal (2 decimals) × rate (a few decimals) × days; one division, truncated at
    // the 18th decimal, which cannot move a half-up rounding to øre of a positive amount (the
    // ties lie on the 18-digit grid).
    const Decimal exact =
        (principal * rate->rate_pct * p.days).divide(std::int64_t{100} * p.year_days);
    p.amount_ore = exact.to_ore(common::Rounding::half_up);
    p.source = rate->source;
    p.rule_version = rate->rule_version;
    p.uncertain = rate->uncertain;
    p.note = rate->note;
    if (p.uncertain) {
      out.uncertain = true;
      out.warnings.push_back(half.label() + ": rate " + decimal_text_2(rate->rate_pct) +
                             " % is not confirmed from the regulation itself" +
                             (p.note.empty() ? std::string() : ": " + p.note));
    }
    out.interest_ore += p.amount_ore;
    out.periods.push_back(std::move(p));
    from = next;
  }
  if (!missing.empty()) {
    return make_error(std::string(errc::rate_missing), std::string(param::late_interest_rate),
                      "late-payment interest rate missing for " + missing + " (rules " +
                          rates.rule_version() + ")");
  }
  return out;
}

}  // namespace oppgjor::collection
