// Rule parameters: the shipped data, dated lookups, missing values, overrides from events.
#include "services/care_fees/parameters.h"

#include <gtest/gtest.h>

#include "services/care_fees/rules_data.h"
#include "services/care_fees/tests/test_support.h"

namespace oppgjor::care_fees {
namespace {

using testing::day;
using testing::dec;
using testing::store;

TEST(Parameters, BuiltinDataLoadsWithARuleVersion) {
  auto loaded = builtin_parameters();
  ASSERT_TRUE(loaded) << loaded.error().to_string();
  EXPECT_EQ(loaded->rule_version(), "care_fees.rules.2025-11.1");
  EXPECT_GE(embedded_rule_files().size(), 5u);
}

TEST(Parameters, GrunnbelopChangesOnFirstMay) {
  EXPECT_EQ(store().grunnbelop_on(day(2025, 4, 30))->value, dec("124028"));
  EXPECT_EQ(store().grunnbelop_on(day(2025, 5, 1))->value, dec("130160"));
  EXPECT_EQ(store().grunnbelop_for_fee_year(2025)->value, dec("130160"));
  EXPECT_EQ(store().grunnbelop_for_fee_year(2015)->value, dec("90068"));
  EXPECT_EQ(store().grunnbelop_for_fee_year(2020)->effective_from, day(2020, 5, 1));
}

TEST(Parameters, EveryGrunnbelopFrom2015IsThere) {
  for (int year = 2015; year <= 2025; ++year) {
    auto g = store().grunnbelop_for_fee_year(year);
    ASSERT_TRUE(g) << year;
    EXPECT_FALSE(g->source.empty()) << year;
    EXPECT_FALSE(g->uncertain) << year;
  }
  EXPECT_TRUE(store().grunnbelop_for_fee_year(2026)->uncertain);  // UNVERIFIED in the research
}

TEST(Parameters, FribelopAndRatesPerYear) {
  EXPECT_EQ(store().fribelop(2025, false)->value, dec("10450"));
  EXPECT_EQ(store().fribelop(2025, true)->value, dec("50500"));
  EXPECT_EQ(store().fribelop(2024, true)->value, dec("48300"));
  EXPECT_EQ(store().short_stay_rate(2025, ShortStayKind::dogn)->value, dec("200"));
  EXPECT_EQ(store().short_stay_rate(2025, ShortStayKind::day_or_night)->value, dec("115"));
  EXPECT_EQ(store().short_stay_rate(2024, ShortStayKind::dogn)->value, dec("193"));
}

TEST(Parameters, ConflictingValuesAreMarkedUncertain) {
  EXPECT_TRUE(store().fribelop(2017, false)->uncertain);
  EXPECT_TRUE(store().fribelop(2019, false)->uncertain);
  EXPECT_TRUE(store().fribelop(2021, false)->uncertain);
  EXPECT_FALSE(store().fribelop(2025, false)->uncertain);
}

TEST(Parameters, CostCapsAreExampleDataForOslo) {
  auto cap = store().cost_cap(2025, "nursing_home");
  ASSERT_TRUE(cap);
  EXPECT_TRUE(cap->example);
  EXPECT_TRUE(cap->uncertain);
  EXPECT_FALSE(store().cost_cap(2016, "nursing_home")->example);
}

TEST(Parameters, MissingYearNamesParameterAndYear) {
  auto f = store().fribelop(2031, false);
  ASSERT_FALSE(f);
  EXPECT_EQ(f.error().code, "parameter_missing");
  EXPECT_EQ(f.error().message, "care_fees.fribelop_nok missing for 2031");
  auto g = store().grunnbelop_for_fee_year(2031);
  ASSERT_FALSE(g);
  EXPECT_EQ(g.error().message,
            "care_fees.grunnbelop_nok missing for 2031 (in force on 2031-05-01)");
  auto dated = store().grunnbelop_on(day(2012, 6, 1));
  ASSERT_FALSE(dated);
  EXPECT_EQ(dated.error().message, "care_fees.grunnbelop_nok missing for 2012-06-01");
  // The 2014 dobbeltrom fribeløp only starts 1 July 2014: no value for the 2014 fee year.
  EXPECT_EQ(store().fribelop(2014, true).error().message,
            "care_fees.fribelop_double_room_nok missing for 2014");
  EXPECT_EQ(store().cost_cap(2025, "hospice").error().message,
            "care_fees.cost_cap_year_nok[hospice] missing for 2025");
}

TEST(Parameters, AddFromAnEventAddsAYearAndOverridesAValue) {
  ParameterStore s = store();
  DatedValue v;
  v.value = dec("10900");
  v.effective_from = day(2026, 1, 1);
  v.effective_to = day(2026, 12, 31);
  v.source = "rules.parameter_set event";
  v.rule_version = "event:42";
  ASSERT_TRUE(s.add(param::fribelop, v));
  EXPECT_EQ(s.fribelop(2026, false)->value, dec("10900"));
  v.value = dec("10800");
  ASSERT_TRUE(s.add(param::fribelop, v));  // same effective_from: replaces
  EXPECT_EQ(s.fribelop(2026, false)->value, dec("10800"));
  EXPECT_EQ(s.fribelop(2025, false)->value, dec("10450"));
}

TEST(Parameters, AddRejectsBadNamesAndPeriods) {
  ParameterStore s;
  DatedValue v;
  v.effective_from = day(2025, 1, 1);
  v.effective_to = day(2024, 1, 1);
  EXPECT_EQ(s.add("care_fees.fribelop_nok", v).error().code, "parameter_invalid");
  v.effective_to.reset();
  EXPECT_EQ(s.add("ledger.interest", v).error().code, "parameter_invalid");
}

TEST(Parameters, BadRulesDataIsRejectedWithFileAndPath) {
  ParameterStore s;
  auto st = load_rules_json("x.json",
                            R"({"parameters":[{"parameter":"care_fees.x","values":[{"value":"1,5",
      "effective_from":"2025-01-01","source":"s","rule_version":"r"}]}]})",
                            s);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, "rules_data_invalid");
  EXPECT_EQ(st.error().field, "x.json:$.parameters[0].values[0].value");
  auto unknown =
      load_rules_json("y.json", R"({"parameters":[{"parameter":"care_fees.x","values":[{"value":"1",
      "effective_from":"2025-01-01","source":"s","rule_version":"r","valid":true}]}]})",
                      s);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().field, "y.json:$.parameters[0].values[0].valid");
}

}  // namespace
}  // namespace oppgjor::care_fees
