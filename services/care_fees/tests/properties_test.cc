// Seeded properties. A failure prints the seed and the case; rerun with the same seed to
// reproduce (the generator is std::mt19937_64, fully determined by the seed).
#include <gtest/gtest.h>

#include <random>

#include "services/care_fees/long_term_fee.h"
#include "services/care_fees/monthly_fees.h"
#include "services/care_fees/tests/test_support.h"

namespace oppgjor::care_fees {
namespace {

using testing::store;

constexpr std::uint64_t seed = 20251123;
constexpr int property_cases = 300;

Decimal random_ore(std::mt19937_64& rng, std::int64_t max_ore) {
  return Decimal::from_ore(std::uniform_int_distribution<std::int64_t>(0, max_ore)(rng));
}

FeeInput basis_of(int year, const Decimal& pension_nok) {
  FeeInput in;
  in.year = year;
  in.income.push_back({IncomeKind::pension, pension_nok, false});
  return in;
}

TEST(Properties, BelowGTheResidentKeepsExactlyQuarterGPlusThreeQuartersF) {
  std::mt19937_64 rng(seed);
  for (int i = 0; i < property_cases; ++i) {
    const int year = std::uniform_int_distribution<int>(2015, 2025)(rng);
    const Decimal g = store().grunnbelop_for_fee_year(year)->value;
    const Decimal f = store().fribelop(year, false)->value;
    const Decimal keep = Decimal::from_scaled(25, 2) * g + Decimal::from_scaled(75, 2) * f;
    const Decimal basis = random_ore(rng, g.to_int64() * 100 - 1);  // 0 <= B < G
    SCOPED_TRACE("seed " + std::to_string(seed) + " case " + std::to_string(i) + " year " +
                 std::to_string(year) + " B " + basis.to_string());
    auto fee = calculate_long_term_fee(basis_of(year, basis), store());
    ASSERT_TRUE(fee) << fee.error().to_string();
    EXPECT_EQ(fee->keep_nok, keep);
    if (basis >= keep) {
      EXPECT_EQ(basis - fee->fee_exact_nok, keep);
    } else {
      EXPECT_TRUE(fee->fee_exact_nok.is_zero());
    }
    EXPECT_GE(basis - fee->fee_year_nok, common::min(basis, keep));
  }
}

TEST(Properties, FeeNeverExceedsTheCostCap) {
  std::mt19937_64 rng(seed + 1);
  for (int i = 0; i < property_cases; ++i) {
    FeeInput in = basis_of(2025, random_ore(rng, 300'000'000));
    in.cost_cap_year_nok = random_ore(rng, 120'000'000);
    SCOPED_TRACE("seed " + std::to_string(seed + 1) + " case " + std::to_string(i));
    auto fee = calculate_long_term_fee(in, store());
    ASSERT_TRUE(fee);
    EXPECT_LE(fee->fee_year_nok, *in.cost_cap_year_nok);
    EXPECT_LE(fee->fee_exact_nok, *in.cost_cap_year_nok);
    EXPECT_LE(fee->fee_year_nok, fee->basis_nok);
  }
}

TEST(Properties, MonthsOfAWholeYearSumToTheYearlyAmount) {
  std::mt19937_64 rng(seed + 2);
  for (int i = 0; i < property_cases / 3; ++i) {
    const int year = std::uniform_int_distribution<int>(2022, 2025)(rng);
    MonthlyFeeInput in;
    in.year = year;
    in.basis = basis_of(year, random_ore(rng, 200'000'000));
    in.stays = {testing::long_term_stay(Date::ymd(year - 1, 3, 1), {}, false)};
    SCOPED_TRACE("seed " + std::to_string(seed + 2) + " case " + std::to_string(i));
    auto fees = calculate_monthly_fees(in, store());
    ASSERT_TRUE(fees) << fees.error().to_string();
    const Decimal fee_year = fees->yearly_fees.at(0).fee_year_nok;
    EXPECT_EQ(fees->total_nok, fee_year);
    const Decimal month_exact = fee_year.divide(12);
    for (const MonthFee& m : fees->months) {
      const Decimal diff = m.amount_nok - month_exact;
      EXPECT_LT(diff, Decimal::from_int(1));
      EXPECT_GT(diff, Decimal::from_int(-1));
    }
  }
}

}  // namespace
}  // namespace oppgjor::care_fees
