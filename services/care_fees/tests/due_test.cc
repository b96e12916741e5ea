// Exact dues and the cumulative whole-krone rounding.
#include "services/care_fees/due.h"

#include <gtest/gtest.h>

#include "services/care_fees/tests/test_support.h"

namespace oppgjor::care_fees {
namespace {

using testing::dec;

TEST(Due, TwelfthsOfTwoKronerRoundCumulatively) {
  // 2 / 12 = 0.1666…: cumulative 0.17, 0.33, 0.5 (exact, half up → 1), 0.67, …
  std::vector<ExactDue> dues(12, ExactDue::fraction(dec("2"), 1, 12).value());
  const auto charges = cumulative_whole_kroner(dues);
  const std::vector<std::string> expected = {"0", "0", "1", "0", "0", "0",
                                             "0", "0", "1", "0", "0", "0"};
  for (std::size_t m = 0; m < 12; ++m) EXPECT_EQ(charges[m].to_string(), expected[m]) << m;
}

TEST(Due, FullYearSumsToTheYearlyAmount) {
  // 166 146 / 12 = 13 845.5: the months alternate 13 846 and 13 845.
  std::vector<ExactDue> dues(12, ExactDue::fraction(dec("166146"), 1, 12).value());
  const auto charges = cumulative_whole_kroner(dues);
  Decimal total;
  for (const Decimal& c : charges) total += c;
  EXPECT_EQ(total, dec("166146"));
  EXPECT_EQ(charges[0], dec("13846"));
  EXPECT_EQ(charges[1], dec("13845"));
}

TEST(Due, MonthShareIsExact) {
  // 166 146 × 16 / (12 × 30) = 7 384.2666…
  const ExactDue due = ExactDue::fraction(dec("166146"), 16, 360).value();
  EXPECT_EQ(due.display_nok(2), dec("7384.27"));
  EXPECT_EQ(due.whole_kroner_half_up(), dec("7384"));
  EXPECT_FALSE(ExactDue::fraction(dec("1"), 1, 11).has_value());  // 11 does not divide
}

}  // namespace
}  // namespace oppgjor::care_fees
