// Rule options (issue 10, item 7), each recorded in every trace with its value, the defaults
// included: hospital days toward the 60 døgn, a free month for a short stay turned long-term
// (free_month_test.cc), a short stay's day of departure, and the absence rule.
// 2025: short-term day rate 200; basis pension 260 000, tax 40 000 → fee_year 166 146, a
// long-term day beyond the limit 166 146 / 12 / 30 = 461.5166….
#include <gtest/gtest.h>

#include "services/care_fees/calc_json.h"
#include "services/care_fees/monthly_fees.h"
#include "services/care_fees/tests/test_support.h"

namespace oppgjor::care_fees {
namespace {

using testing::day;
using testing::dec;
using testing::long_term_stay;
using testing::pension_only;
using testing::short_stay;
using testing::store;
using testing::year_2025;

std::string option(const Trace& t, std::string_view name) {
  for (const TraceItem& o : t.options) {
    if (o.name == name) return o.value;
  }
  return "?";
}

TEST(RuleOptions, HospitalDaysCountTowardTheSixtyOnlyWhenSwitchedOn) {
  // Short stay 1 January – 20 February (31 + 20 = 51 døgn: January 6 200, February 4 000), in
  // hospital 21–28 February (8 days, no stay), short stay 1–10 March.
  // Off: March døgn 52–61: 1–9 March at 200 = 1 800, 10 March beyond: 461.52;
  //   cumulative 10 200 + 2 261.52 = 12 461.52 → 12 462 − 10 200 = 2 262.
  // On: the hospital days are døgn 52–59; 1 March is døgn 60 (200), 2–10 March beyond:
  //   9 × 166 146 / 360 = 4 153.65; cumulative 10 200 + 4 353.65 → 14 554 − 10 200 = 4 354.
  MonthlyFeeInput in = year_2025({short_stay("K1", day(2025, 1, 1), day(2025, 2, 20)),
                                  short_stay("K2", day(2025, 3, 1), day(2025, 3, 10))});
  in.hospital_stays = {{day(2025, 2, 21), day(2025, 2, 28)}};
  auto off = calculate_monthly_fees(in, store());
  ASSERT_TRUE(off) << off.error().to_string();
  EXPECT_EQ(off->months[0].amount_nok, dec("6200"));
  EXPECT_EQ(off->months[1].amount_nok, dec("4000"));
  EXPECT_EQ(off->months[2].amount_nok, dec("2262"));
  EXPECT_EQ(off->institution_days, 61);
  in.basis.options.hospital_days_count = HospitalDays::on;
  auto on = calculate_monthly_fees(in, store());
  ASSERT_TRUE(on) << on.error().to_string();
  EXPECT_EQ(on->months[2].amount_nok, dec("4354"));
  EXPECT_EQ(on->institution_days, 69);
  EXPECT_EQ(option(on->trace, "hospital_days_count"), "on");
}

TEST(RuleOptions, AShortStaysDayOfDepartureCountsByDefault) {
  // Short stay 1–10 March: by default 10 døgn × 200 = 2 000; with short_stay_departure_day =
  // not_counted 10 March is no døgn: 9 × 200 = 1 800.
  MonthlyFeeInput in = year_2025({short_stay("K1", day(2025, 3, 1), day(2025, 3, 10))});
  auto counts = calculate_monthly_fees(in, store());
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->months[2].amount_nok, dec("2000"));
  in.basis.options.short_stay_departure_day = DepartureDay::not_counted;
  auto not_counted = calculate_monthly_fees(in, store());
  ASSERT_TRUE(not_counted);
  EXPECT_EQ(not_counted->months[2].amount_nok, dec("1800"));
  EXPECT_EQ(not_counted->institution_days, 9);
}

TEST(RuleOptions, EveryTraceRecordsEveryOptionWithItsDefault) {
  auto fees =
      calculate_monthly_fees(year_2025({long_term_stay(day(2024, 6, 1), {}, false)}), store());
  ASSERT_TRUE(fees);
  const std::vector<std::pair<const char*, const char*>> defaults = {
      {"grunnbelop_rule", "in_force_1_may"},
      {"keep_rule", "quarter_g_three_quarters_f"},
      {"dependant_rule", "survivor_pension_gap"},
      {"short_to_long_free_month", "no"},
      {"hospital_days_count", "off"},
      {"short_stay_departure_day", "counts"},
      {"absence_rule", "no_change"}};
  std::vector<const Trace*> traces = {&fees->trace, &fees->yearly_fees.at(0).trace};
  for (const MonthFee& m : fees->months) traces.push_back(&m.trace);
  for (const Trace* t : traces) {
    for (const auto& [name, value] : defaults) EXPECT_EQ(option(*t, name), value) << name;
  }
  // The calc document sets them by name; an unknown value names the field.
  auto in = parse_fee_input_json(
      R"({"year":2025,"income":[],"rule_options":{"hospital_days_count":"on",)"
      R"("short_stay_departure_day":"not_counted","short_to_long_free_month":"yes",)"
      R"("absence_rule":"no_change"}})");
  ASSERT_TRUE(in) << in.error().to_string();
  EXPECT_EQ(in->options.hospital_days_count, HospitalDays::on);
  EXPECT_EQ(in->options.short_stay_departure_day, DepartureDay::not_counted);
  EXPECT_EQ(in->options.short_to_long_free_month, ShortToLongFreeMonth::yes);
  auto bad =
      parse_fee_input_json(R"({"year":2025,"income":[],"rule_options":{"absence_rule":"reduce"}})");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, "unknown_rule_option");
  EXPECT_EQ(bad.error().field, "rule_options.absence_rule");
}

}  // namespace
}  // namespace oppgjor::care_fees
