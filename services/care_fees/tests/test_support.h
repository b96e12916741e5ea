// Shared helpers for the care_fees tests: the built-in parameter store and input builders.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "services/care_fees/fee_input.h"
#include "services/care_fees/long_term_fee.h"
#include "services/care_fees/monthly_fees.h"
#include "services/care_fees/parameters.h"

namespace oppgjor::care_fees::testing {

inline const ParameterStore& store() {
  static const ParameterStore s = [] {
    auto loaded = builtin_parameters();
    if (!loaded) ADD_FAILURE() << loaded.error().to_string();
    return loaded ? *loaded : ParameterStore{};
  }();
  return s;
}

inline Decimal dec(const char* text) {
  return Decimal::parse(text).value();
}
inline Date day(int y, unsigned m, unsigned d) {
  return Date::ymd(y, m, d);
}

// A resident with one pension and an assessed tax, nothing else.
inline FeeInput pension_only(int year, const char* pension_nok, const char* tax_nok) {
  FeeInput in;
  in.year = year;
  in.income.push_back({IncomeKind::pension, dec(pension_nok), false});
  in.deductions.push_back({DeductionKind::tax, dec(tax_nok), false});
  return in;
}

inline Stay long_term_stay(Date from, std::optional<Date> to, bool from_home) {
  Stay s;
  s.stay_id = "S1";
  s.kind = StayKind::long_term;
  s.institution_id = "INST-1";
  s.from = from;
  s.to = to;
  s.from_home = from_home;
  return s;
}

inline std::vector<std::string> amounts(const MonthlyFees& fees) {
  std::vector<std::string> out;
  for (const MonthFee& m : fees.months) out.push_back(m.amount_nok.to_string());
  return out;
}

}  // namespace oppgjor::care_fees::testing
