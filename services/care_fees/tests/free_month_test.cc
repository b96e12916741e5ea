// The free first month (issue 10, item 3; nursing-home-fees.md, "First month free"): counted from
// the admission date as the courts count month periods (domstolloven § 148); a transfer inside
// long-term care does not end it, only leaving long-term care does; a short stay turned into
// long-term gets none unless the rule option says so.
// Basis throughout: pension 260 000, tax 40 000 → fee_year 166 146, a month 13 845.50
// (monthly_fees_test.cc); short-term day rate 2025 = 200.
#include <gtest/gtest.h>

#include <random>

#include "services/care_fees/monthly_fees.h"
#include "services/care_fees/tests/test_support.h"

namespace oppgjor::care_fees {
namespace {

using testing::amounts;
using testing::day;
using testing::dec;
using testing::long_term_stay;
using testing::pension_only;
using testing::store;
using testing::year_2025;

// The stay split at a transfer on `on` (the day belongs to the new segment), as the projection
// folds care_fees.stay_transferred.
std::vector<Stay> transferred(Stay first, Date on, std::string institution_id) {
  Stay second = first;
  first.to = on;
  second.from = on;
  second.from_home = false;
  second.institution_id = std::move(institution_id);
  return {first, second};
}

TEST(FreeMonth, AdmittedOnTheThirtyFirstPaysFromTheLastDayOfNextMonth) {
  // Admitted from home 31 January 2025: February has no 31st, so the month ends and payment
  // starts on 28 February (free 31.1–27.2).
  // February: 1 day of 28: 166 146 × 1 / (12 × 28) = 494.48… → 494
  // March: cumulative 494.48 + 13 845.50 = 14 339.98 → 14 340 − 494 = 13 846; then alternating.
  auto fees =
      calculate_monthly_fees(year_2025({long_term_stay(day(2025, 1, 31), {}, true)}), store());
  ASSERT_TRUE(fees) << fees.error().to_string();
  const std::vector<std::string> expected = {"0",     "494",   "13846", "13845", "13846", "13845",
                                             "13846", "13845", "13846", "13845", "13846", "13845"};
  EXPECT_EQ(amounts(*fees), expected);
  EXPECT_EQ(fees->months[1].lines.back().first_date, day(2025, 2, 28));
}

TEST(FreeMonth, ARoomChangeInsideTheFreeMonthKeepsIt) {
  // Admitted from home 15 March, moved to another room (institution unit) on 1 April: still free
  // 15.3–14.4, paid from 15 April. April 16 of 30 days: 166 146 × 16 / 360 = 7 384.27 → 7 384,
  // exactly as without the move (monthly_fees_test.cc, PartYearFromHomeWithFreeMonth).
  const Stay stay = long_term_stay(day(2025, 3, 15), {}, true);
  auto fees = calculate_monthly_fees(year_2025(transferred(stay, day(2025, 4, 1), "INST-1-ROOM-2")),
                                     store());
  ASSERT_TRUE(fees) << fees.error().to_string();
  const std::vector<std::string> expected = {"0",     "0",     "0",     "7384",  "13846", "13845",
                                             "13846", "13845", "13846", "13845", "13846", "13845"};
  EXPECT_EQ(amounts(*fees), expected);
  bool continues = false;
  for (const TraceStep& s : fees->trace.steps) {
    for (const TraceItem& r : s.results) continues = continues || r.value == "continues";
  }
  EXPECT_TRUE(continues);
}

TEST(FreeMonth, LeavingLongTermCareEndsIt) {
  // Admitted from home 15 March, discharged 5 April (15.3–5.4 free), back on 10 April in a new
  // stay not from home: paid from 10 April, 21 of 30 days: 166 146 × 21 / 360 = 9 691.85 → 9 692.
  Stay back = long_term_stay(day(2025, 4, 10), {}, false);
  back.stay_id = "S2";
  auto fees = calculate_monthly_fees(
      year_2025({long_term_stay(day(2025, 3, 15), day(2025, 4, 5), true), back}), store());
  ASSERT_TRUE(fees) << fees.error().to_string();
  EXPECT_EQ(fees->months[3].amount_nok, dec("9692"));
}

TEST(FreeMonth, AShortStayTurnedLongTermGetsNoneByDefaultAndOneWithTheOption) {
  // Short stay from home 1–20 March (20 døgn × 200 = 4 000), long-term from 21 March.
  // Default: long-term paid from 21 March, 11 of 31 days: 166 146 × 11 / 372 = 4 912.92;
  //   March 4 000 + 4 912.92 = 8 912.92 → 8 913.
  // Option short_to_long_free_month: free 21.3–20.4; March 4 000; April 21.4–30.4, 10 of 30 days:
  //   166 146 × 10 / 360 = 4 615.17; cumulative 8 615.17 → 8 615 − 4 000 = 4 615.
  Stay s = long_term_stay(day(2025, 3, 1), {}, true);
  s.kind = StayKind::short_term;
  std::vector<Stay> stays = transferred(s, day(2025, 3, 21), "INST-1");
  stays[0].to = day(2025, 3, 20);  // the short stay's last day; long-term from the next day
  stays[1].kind = StayKind::long_term;
  auto by_default = calculate_monthly_fees(year_2025(stays), store());
  ASSERT_TRUE(by_default) << by_default.error().to_string();
  EXPECT_EQ(by_default->months[2].amount_nok, dec("8913"));
  MonthlyFeeInput in = year_2025(stays);
  in.basis.options.short_to_long_free_month = ShortToLongFreeMonth::yes;
  auto with_option = calculate_monthly_fees(in, store());
  ASSERT_TRUE(with_option) << with_option.error().to_string();
  EXPECT_EQ(with_option->months[2].amount_nok, dec("4000"));
  EXPECT_EQ(with_option->months[3].amount_nok, dec("4615"));
}

// Property (seeded): a transfer inside long-term care (another room or institution of the same
// type) on any day never changes a month's amount or the year's total.
TEST(FreeMonth, ATransferInsideLongTermCareNeverChangesTheYear) {
  const std::uint64_t seed = 20261130;
  std::mt19937_64 rng(seed);
  const Date jan1 = day(2025, 1, 1);
  for (int i = 0; i < 150; ++i) {
    const Date admitted = jan1.add_days(std::uniform_int_distribution<int>(0, 364)(rng));
    const int left = admitted.days_until(day(2025, 12, 31));
    const Date on = admitted.add_days(std::uniform_int_distribution<int>(0, left)(rng));
    const bool from_home = (rng() & 1) != 0;
    SCOPED_TRACE("seed " + std::to_string(seed) + " case " + std::to_string(i) + " admitted " +
                 admitted.to_iso() + " transfer " + on.to_iso());
    const Stay stay = long_term_stay(admitted, {}, from_home);
    auto plain = calculate_monthly_fees(year_2025({stay}), store());
    auto moved = calculate_monthly_fees(year_2025(transferred(stay, on, "INST-2")), store());
    ASSERT_TRUE(plain && moved);
    EXPECT_EQ(amounts(*plain), amounts(*moved));
    EXPECT_EQ(plain->total_nok, moved->total_nok);
  }
}

}  // namespace
}  // namespace oppgjor::care_fees
