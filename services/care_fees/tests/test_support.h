// Shared helpers for the care_fees tests: the built-in parameter store and input builders.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "services/care_fees/fee_input.h"
#include "services/care_fees/long_term_fee.h"
#include "services/care_fees/monthly_fees.h"
#include "services/care_fees/parameters.h"
#include "services/care_fees/trace.h"

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

// A short-term stay `id` over [from, to] (not from home).
inline Stay short_stay(const char* id, Date from, Date to) {
  Stay s = long_term_stay(from, to, false);
  s.stay_id = id;
  s.kind = StayKind::short_term;
  return s;
}

// 2025 with the given stays; pension 260 000, tax 40 000.
inline MonthlyFeeInput year_2025(std::vector<Stay> stays) {
  MonthlyFeeInput in;
  in.year = 2025;
  in.stays = std::move(stays);
  in.basis = pension_only(2025, "260000", "40000");
  return in;
}

// The trace step called `name`, or nullptr.
inline const TraceStep* step(const Trace& t, std::string_view name) {
  for (const TraceStep& s : t.steps) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

// The result `name` of a trace step, or "?".
inline std::string result(const TraceStep& s, std::string_view name) {
  for (const TraceItem& i : s.results) {
    if (i.name == name) return i.value;
  }
  return "?";
}

inline std::vector<std::string> amounts(const MonthlyFees& fees) {
  std::vector<std::string> out;
  for (const MonthFee& m : fees.months) out.push_back(m.amount_nok.to_string());
  return out;
}

}  // namespace oppgjor::care_fees::testing
