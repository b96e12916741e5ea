// Monthly fees from stays: scenarios with hand-checked numbers (2025 parameters).
//
// The basis used throughout unless stated: pension 260 000, tax 40 000 → B = 220 000,
// fee_year = 166 146 (see long_term_fee_test.cc), fee_year / 12 = 13 845.50,
// dobbeltrom fee_year = 136 109. Short-term day rate 2025 = 200, day/night rate = 115.
#include "services/care_fees/monthly_fees.h"

#include <gtest/gtest.h>

#include "services/care_fees/tests/test_support.h"

namespace oppgjor::care_fees {
namespace {

using testing::amounts;
using testing::day;
using testing::dec;
using testing::long_term_stay;
using testing::pension_only;
using testing::short_stay;
using testing::store;
using testing::year_2025;

TEST(MonthlyFees, WholeYearLongTermSumsToTheYearlyAmount) {
  // Admitted in 2024, not from home: every month 13 845.50 due; cumulative rounding alternates
  // 13 846, 13 845, … and the year sums to exactly 166 146.
  auto fees =
      calculate_monthly_fees(year_2025({long_term_stay(day(2024, 6, 1), {}, false)}), store());
  ASSERT_TRUE(fees) << fees.error().to_string();
  const std::vector<std::string> expected = {"13846", "13845", "13846", "13845", "13846", "13845",
                                             "13846", "13845", "13846", "13845", "13846", "13845"};
  EXPECT_EQ(amounts(*fees), expected);
  EXPECT_EQ(fees->total_nok, dec("166146"));
  EXPECT_EQ(fees->months[1].days_billable, 28);
  EXPECT_EQ(fees->institution_days, 365);
}

TEST(MonthlyFees, PartYearFromHomeWithFreeMonth) {
  // Admitted from home 15 March: free 15.3–14.4, billing from 15 April.
  // April: 16 of 30 days: 166 146 × 16 / 360 = 7 384.2666… → 7 384
  // May: cumulative 7 384.27 + 13 845.50 = 21 229.77 → 21 230 → 13 846; then alternating.
  auto fees =
      calculate_monthly_fees(year_2025({long_term_stay(day(2025, 3, 15), {}, true)}), store());
  ASSERT_TRUE(fees) << fees.error().to_string();
  const std::vector<std::string> expected = {"0",     "0",     "0",     "7384",  "13846", "13845",
                                             "13846", "13845", "13846", "13845", "13846", "13845"};
  EXPECT_EQ(amounts(*fees), expected);
  // 7 384.2666… + 8 × 13 845.50 = 118 148.2666… → 118 148
  EXPECT_EQ(fees->total_nok, dec("118148"));
  EXPECT_EQ(fees->months[2].lines[0].kind, LineKind::free_month);
  EXPECT_EQ(fees->months[2].days_billable, 0);
  EXPECT_EQ(fees->months[3].days_billable, 16);
  EXPECT_EQ(fees->months[3].lines[1].formula, "166146.00 × 16 / (12 × 30)");
}

TEST(MonthlyFees, PartYearNotFromHomeProratesTheAdmissionMonth) {
  // Admitted 15 March from another institution: 17 of 31 days billable:
  // 166 146 × 17 / 372 = 7 592.69… → 7 593
  auto fees =
      calculate_monthly_fees(year_2025({long_term_stay(day(2025, 3, 15), {}, false)}), store());
  ASSERT_TRUE(fees);
  EXPECT_EQ(fees->months[2].amount_nok, dec("7593"));
  EXPECT_EQ(fees->months[2].days_billable, 17);
}

TEST(MonthlyFees, ShortTermStayCrossingSixtyDays) {
  // Short-term 1 January – 31 March (90 døgn). Døgn 1–60 = 1.1–1.3 at 200:
  //   January 31 × 200 = 6 200; February 28 × 200 = 5 600;
  //   March 1 × 200 + 30 døgn × 166 146 / 12 / 30 = 200 + 13 845.50 = 14 045.50
  // cumulative: 6 200, 11 800, 25 845.50 → 25 846: March is charged 14 046.
  auto fees = calculate_monthly_fees(
      year_2025({short_stay("K1", day(2025, 1, 1), day(2025, 3, 31))}), store());
  ASSERT_TRUE(fees) << fees.error().to_string();
  EXPECT_EQ(fees->months[0].amount_nok, dec("6200"));
  EXPECT_EQ(fees->months[1].amount_nok, dec("5600"));
  EXPECT_EQ(fees->months[2].amount_nok, dec("14046"));
  EXPECT_EQ(fees->total_nok, dec("25846"));
  ASSERT_EQ(fees->months[2].lines.size(), 2u);
  EXPECT_EQ(fees->months[2].lines[0].kind, LineKind::short_term_rate);
  EXPECT_EQ(fees->months[2].lines[0].days, 1);
  EXPECT_EQ(fees->months[2].lines[1].kind, LineKind::short_term_after_limit);
  EXPECT_EQ(fees->months[2].lines[1].first_date, day(2025, 3, 2));
}

TEST(MonthlyFees, SeveralShortStaysCountTogetherAndMunicipalRateIsCapped) {
  // 40 døgn (1.1–9.2) and 30 døgn (1.3–30.3): døgn 41–60 are 1–20 March, 21–30 March beyond.
  // Municipal rate 180 (< state 200): Jan 31 × 180 = 5 580; Feb 9 × 180 = 1 620;
  // March 20 × 180 + 10 × 461.5166… (= 166 146 / 360) = 3 600 + 4 615.1666… = 8 215.17
  MonthlyFeeInput in = year_2025({short_stay("K1", day(2025, 1, 1), day(2025, 2, 9)),
                                  short_stay("K2", day(2025, 3, 1), day(2025, 3, 30))});
  in.municipal_rate_dogn_nok = dec("180");
  auto fees = calculate_monthly_fees(in, store());
  ASSERT_TRUE(fees) << fees.error().to_string();
  EXPECT_EQ(fees->months[0].amount_nok, dec("5580"));
  EXPECT_EQ(fees->months[1].amount_nok, dec("1620"));
  EXPECT_EQ(fees->months[2].amount_nok, dec("8215"));
  EXPECT_EQ(fees->institution_days, 70);
  in.municipal_rate_dogn_nok = dec("250");  // above the state maximum: capped at 200
  EXPECT_EQ(calculate_monthly_fees(in, store())->months[0].amount_nok, dec("6200"));
}

TEST(MonthlyFees, NoFreeMonthAfterMoreThanSixtyShortTermDays) {
  // 70 short-term døgn before a long-term admission from home on 1 April: no free month.
  auto fees = calculate_monthly_fees(year_2025({short_stay("K1", day(2025, 1, 1), day(2025, 3, 11)),
                                                long_term_stay(day(2025, 4, 1), {}, true)}),
                                     store());
  ASSERT_TRUE(fees);
  EXPECT_EQ(fees->months[3].lines[0].kind, LineKind::long_term);
  EXPECT_EQ(fees->months[3].days_billable, 30);
  // With only 30 short-term døgn before, the free month applies (April is free).
  auto free = calculate_monthly_fees(year_2025({short_stay("K1", day(2025, 1, 1), day(2025, 1, 30)),
                                                long_term_stay(day(2025, 4, 1), {}, true)}),
                                     store());
  ASSERT_TRUE(free);
  EXPECT_EQ(free->months[3].amount_nok, dec("0"));
  EXPECT_EQ(free->months[3].lines[0].kind, LineKind::free_month);
}

TEST(MonthlyFees, DoubleRoomForPartOfTheYear) {
  // Dobbeltrom against the wish 1.1–30.6: months 1–6 at 136 109 / 12 = 11 342.41…,
  // months 7–12 at 13 845.50. Cumulative after June: 6 × 136 109 / 12 = 68 054.50 exactly,
  // half up → 68 055. The year: 68 054.50 + 83 073 = 151 127.50 → 151 128.
  Stay s = long_term_stay(day(2024, 1, 1), {}, false);
  s.double_room_against_wish.push_back({day(2025, 1, 1), day(2025, 6, 30)});
  auto fees = calculate_monthly_fees(year_2025({s}), store());
  ASSERT_TRUE(fees) << fees.error().to_string();
  const std::vector<std::string> expected = {"11342", "11343", "11342", "11343", "11342", "11343",
                                             "13845", "13846", "13845", "13846", "13845", "13846"};
  EXPECT_EQ(amounts(*fees), expected);
  EXPECT_EQ(fees->total_nok, dec("151128"));
  ASSERT_EQ(fees->yearly_fees.size(), 2u);
  EXPECT_EQ(fees->yearly_fees[0].fee_year_nok, dec("136109"));
  EXPECT_TRUE(fees->months[0].lines[0].double_room);
}

TEST(MonthlyFees, DeathMidMonth) {
  // Dies 15 June: billable to and including 15 June. June: 166 146 × 15 / 360 = 6 922.75;
  // cumulative 5 × 13 845.50 + 6 922.75 = 76 150.25 → 76 150; May ended at 69 228.
  auto fees = calculate_monthly_fees(
      year_2025({long_term_stay(day(2024, 6, 1), day(2025, 6, 15), false)}), store());
  ASSERT_TRUE(fees);
  EXPECT_EQ(fees->months[5].amount_nok, dec("6922"));
  EXPECT_EQ(fees->months[5].days_billable, 15);
  EXPECT_EQ(fees->months[6].amount_nok, dec("0"));
  EXPECT_EQ(fees->total_nok, dec("76150"));
}

TEST(MonthlyFees, TransferDayIsBilledOnce) {
  // Transfer on 10 May from one nursing home to another: 31 billable days in May.
  Stay first = long_term_stay(day(2024, 1, 1), day(2025, 5, 10), false);
  Stay second = long_term_stay(day(2025, 5, 10), {}, false);
  second.stay_id = "S2";
  auto fees = calculate_monthly_fees(year_2025({first, second}), store());
  ASSERT_TRUE(fees);
  EXPECT_EQ(fees->months[4].days_billable, 31);
  EXPECT_EQ(fees->total_nok, dec("166146"));
}

TEST(MonthlyFees, RespiteIsFreeAndDayStaysUseTheDayNightRate) {
  Stay respite = short_stay("A1", day(2025, 2, 1), day(2025, 2, 14));
  respite.kind = StayKind::respite;
  Stay day_stays = short_stay("D1", day(2025, 3, 3), day(2025, 3, 6));
  day_stays.kind = StayKind::short_term_day;
  auto fees = calculate_monthly_fees(year_2025({respite, day_stays}), store());
  ASSERT_TRUE(fees);
  EXPECT_EQ(fees->months[1].amount_nok, dec("0"));
  EXPECT_EQ(fees->months[1].lines[0].kind, LineKind::no_fee);
  EXPECT_EQ(fees->months[2].amount_nok, dec("460"));  // 4 × 115
  EXPECT_EQ(fees->institution_days, 0);
}

TEST(MonthlyFees, AbsencesAreTracedButNotDeducted) {
  Stay s = long_term_stay(day(2024, 1, 1), {}, false);
  s.absences.push_back({day(2025, 3, 1), day(2025, 3, 10)});
  auto fees = calculate_monthly_fees(year_2025({s}), store());
  ASSERT_TRUE(fees);
  EXPECT_EQ(fees->total_nok, dec("166146"));
  bool traced = false;
  for (const TraceStep& st : fees->trace.steps) traced = traced || st.name == "absences";
  EXPECT_TRUE(traced);
}

TEST(MonthlyFees, RecalculationWithAnotherBasisDiffsPerMonth) {
  // The control recalculation calls the same function with the final basis.
  MonthlyFeeInput provisional = year_2025({long_term_stay(day(2024, 6, 1), {}, false)});
  MonthlyFeeInput final_basis = provisional;
  final_basis.basis = pension_only(2025, "260000", "0");  // fee_year 200 146
  auto before = calculate_monthly_fees(provisional, store());
  auto after = calculate_monthly_fees(final_basis, store());
  ASSERT_TRUE(before && after);
  EXPECT_EQ(after->total_nok - before->total_nok, dec("34000"));
  auto same = calculate_monthly_fees(provisional, store());
  for (std::size_t m = 0; m < 12; ++m) {
    EXPECT_EQ(same->months[m].amount_nok, before->months[m].amount_nok);
  }
}

TEST(MonthlyFees, BadStaysNameTheField) {
  auto fees = calculate_monthly_fees(
      year_2025({long_term_stay(day(2025, 5, 1), day(2025, 4, 1), false)}), store());
  ASSERT_FALSE(fees);
  EXPECT_EQ(fees.error().code, "stay_dates_invalid");
  EXPECT_EQ(fees.error().field, "stays[0].to");
  Stay s = long_term_stay(day(2025, 1, 1), {}, false);
  s.double_room_against_wish.push_back({day(2025, 6, 1), day(2025, 5, 1)});
  EXPECT_EQ(calculate_monthly_fees(year_2025({s}), store()).error().field,
            "stays[0].double_room_against_wish[0].to");
  MonthlyFeeInput wrong_year = year_2025({});
  wrong_year.basis.year = 2024;
  EXPECT_EQ(calculate_monthly_fees(wrong_year, store()).error().code, "basis_year_mismatch");
}

TEST(MonthlyFees, ShortTermRateMissingForTheYearNamesIt) {
  MonthlyFeeInput in;
  in.year = 2016;  // no short-stay rate in the research for 2016
  in.basis = pension_only(2016, "200000", "0");
  in.stays = {short_stay("K1", day(2016, 2, 1), day(2016, 2, 5))};
  auto fees = calculate_monthly_fees(in, store());
  ASSERT_FALSE(fees);
  EXPECT_EQ(fees.error().message, "care_fees.short_stay_rate_dogn_nok missing for 2016");
}

}  // namespace
}  // namespace oppgjor::care_fees
