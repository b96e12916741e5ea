// Part-year income (issue 10, item 1; nursing-home-fees.md, "Part-year income"): an income report
// states the period it covers, and a part year's basis is annualised,
//   B_year = round_half_up(B_covered × days_in_year / days_covered, øre).
// 2025 parameters: G (1.5.2025) = 130 160, F = 10 450, keep = 40 377.50 (long_term_fee_test.cc).
#include <gtest/gtest.h>

#include <random>

#include "services/care_fees/calc_json.h"
#include "services/care_fees/long_term_fee.h"
#include "services/care_fees/monthly_fees.h"
#include "services/care_fees/tests/test_support.h"

namespace oppgjor::care_fees {
namespace {

using testing::amounts;
using testing::day;
using testing::dec;
using testing::long_term_stay;
using testing::pension_only;
using testing::result;
using testing::step;
using testing::store;

// The resident dies on 15 March 2025; the income data covers 1 January – 15 March:
// 31 + 28 + 15 = 74 days, pension 53 000, tax 8 000 → B_covered = 45 000.
FeeInput death_in_march() {
  FeeInput in = pension_only(2025, "53000", "8000");
  in.covered_from = day(2025, 1, 1);
  in.covered_to = day(2025, 3, 15);
  return in;
}

TEST(PartYearIncome, DeathInMarchAnnualisesTheBasis) {
  // B_year = 45 000 × 365 / 74 = 16 425 000 / 74 = 221 959.4594… → 221 959.46 (half up, øre)
  // fee_raw = 0.75 × (130 160 − 10 450) + 0.85 × (221 959.46 − 130 160)
  //         = 89 782.50 + 0.85 × 91 799.46 = 89 782.50 + 78 029.541 = 167 812.041
  // floor = 221 959.46 − 40 377.50 = 181 581.96 (does not bind) → fee_year 167 812
  auto fee = calculate_long_term_fee(death_in_march(), store());
  ASSERT_TRUE(fee) << fee.error().to_string();
  EXPECT_EQ(fee->basis_covered_nok, dec("45000"));
  EXPECT_EQ(fee->days_covered, 74);
  EXPECT_EQ(fee->days_in_year, 365);
  EXPECT_EQ(fee->basis_nok, dec("221959.46"));
  EXPECT_EQ(fee->fee_raw_nok, dec("167812.041"));
  EXPECT_EQ(fee->fee_year_nok, dec("167812"));
  const TraceStep* period = step(fee->trace, "income_period");
  ASSERT_NE(period, nullptr);
  EXPECT_EQ(result(*period, "annualisation_factor"), "365 / 74");
  EXPECT_EQ(result(*period, "basis_nok"), "221959.46");
}

TEST(PartYearIncome, DeathInMarchMonthlyCharges) {
  // Long-term since 2024, not from home; death on 15 March 2025 (the day is billable).
  // fee_year 167 812: January 167 812 / 12 = 13 984.333… → 13 984;
  // February: cumulative 27 968.67 → 27 969 → 13 985;
  // March 15 of 31 days: 167 812 × 15 / 372 = 6 766.6129…; cumulative 34 735.28 → 34 735 → 6 766.
  // Without annualising, B = 45 000 < G: fee_raw 0.75 × 34 550 = 25 912.50, floor 45 000 −
  // 40 377.50 = 4 622.50 → fee_year 4 622, and the three months would come to 385 + 385 + 187.
  MonthlyFeeInput in;
  in.year = 2025;
  in.stays = {long_term_stay(day(2024, 6, 1), day(2025, 3, 15), false)};
  in.basis = death_in_march();
  auto fees = calculate_monthly_fees(in, store());
  ASSERT_TRUE(fees) << fees.error().to_string();
  const std::vector<std::string> expected = {"13984", "13985", "6766", "0", "0", "0",
                                             "0",     "0",     "0",    "0", "0", "0"};
  EXPECT_EQ(amounts(*fees), expected);
  EXPECT_EQ(fees->total_nok, dec("34735"));

  in.basis.covered_from.reset();
  in.basis.covered_to.reset();
  auto unannualised = calculate_monthly_fees(in, store());
  ASSERT_TRUE(unannualised);
  EXPECT_EQ(unannualised->total_nok, dec("957"));  // 385 + 385 + 187
}

TEST(PartYearIncome, LeapYearHalfYear) {
  // 2024 is a leap year: 1 January – 30 June is 31+29+31+30+31+30 = 182 days.
  // B_covered = 100 000 → 100 000 × 366 / 182 = 201 098.9010… → 201 098.90
  FeeInput in = pension_only(2024, "100000", "0");
  in.covered_to = day(2024, 6, 30);
  auto fee = calculate_long_term_fee(in, store());
  ASSERT_TRUE(fee) << fee.error().to_string();
  EXPECT_EQ(fee->days_covered, 182);
  EXPECT_EQ(fee->days_in_year, 366);
  EXPECT_EQ(fee->basis_nok, dec("201098.90"));
}

// Property (seeded): stating the whole year as the covered period changes nothing, to the øre,
// even for a basis with three decimals (a joint item at 50 %).
TEST(PartYearIncome, AnnualisingAWholeYearChangesNothing) {
  const std::uint64_t seed = 20261130;
  std::mt19937_64 rng(seed);
  for (int i = 0; i < 200; ++i) {
    const int year = std::uniform_int_distribution<int>(2015, 2025)(rng);
    FeeInput in;
    in.year = year;
    const auto ore = [&rng] {
      return Decimal::from_ore(std::uniform_int_distribution<std::int64_t>(0, 80'000'000)(rng));
    };
    in.income.push_back({IncomeKind::pension, ore(), false});
    in.income.push_back({IncomeKind::interest, Decimal::from_ore(1), true});  // 0.005
    in.deductions.push_back({DeductionKind::tax, Decimal::from_ore(12345), false});
    SCOPED_TRACE("seed " + std::to_string(seed) + " case " + std::to_string(i));
    auto plain = calculate_long_term_fee(in, store());
    in.covered_from = day(year, 1, 1);
    in.covered_to = day(year, 12, 31);
    auto stated = calculate_long_term_fee(in, store());
    ASSERT_TRUE(plain && stated);
    EXPECT_EQ(plain->basis_nok, stated->basis_nok);
    EXPECT_EQ(plain->basis_nok, plain->basis_covered_nok);
    EXPECT_EQ(plain->fee_exact_nok, stated->fee_exact_nok);
    EXPECT_EQ(plain->fee_year_nok, stated->fee_year_nok);
    EXPECT_EQ(result(*step(stated->trace, "income_period"), "annualisation_factor"), "1");
  }
}

TEST(PartYearIncome, APeriodOutsideTheYearIsRefusedNamingTheField) {
  // Table: (covered_from, covered_to) → code, field.
  struct Case {
    std::optional<Date> from, to;
    const char* code;
    const char* field;
  };
  const Case cases[] = {
      {day(2024, 12, 31), {}, "period_outside_year", "covered_from"},
      {{}, day(2026, 1, 1), "period_outside_year", "covered_to"},
      {day(2025, 5, 1), day(2025, 4, 30), "period_invalid", "covered_to"},
  };
  for (const Case& c : cases) {
    FeeInput in = pension_only(2025, "100000", "0");
    in.covered_from = c.from;
    in.covered_to = c.to;
    auto fee = calculate_long_term_fee(in, store());
    ASSERT_FALSE(fee);
    EXPECT_EQ(fee.error().code, c.code);
    EXPECT_EQ(fee.error().field, c.field);
  }
  auto doc = parse_fee_input_json(
      R"({"year":2025,"income":[],"covered_from":"2025-01-01","covered_to":"2025-13-01"})");
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().field, "covered_to");
  doc = parse_fee_input_json(R"({"year":2025,"income":[],"covered_to":"2024-03-15"})");
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().code, "period_outside_year");
  EXPECT_EQ(doc.error().field, "covered_to");
}

TEST(PartYearIncome, TheCalcDocumentCarriesThePeriod) {
  auto out =
      run_calc(R"({"year":2025,"income":[{"kind":"pension","amount":"53000.00","joint":false}],)"
               R"("deductions":[{"kind":"tax","amount":"8000.00"}],)"
               R"("covered_from":"2025-01-01","covered_to":"2025-03-15"})",
               OutputFormat::json, store());
  ASSERT_TRUE(out) << out.error().to_string();
  EXPECT_NE(out->find(R"("basis_nok": "221959.46")"), std::string::npos) << *out;
  EXPECT_NE(out->find(R"("annualisation_factor": "365 / 74")"), std::string::npos);
  EXPECT_NE(out->find(R"("covered_to": "2025-03-15")"), std::string::npos);
}

}  // namespace
}  // namespace oppgjor::care_fees
