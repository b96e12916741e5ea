// Rule parameters that staff set (issue 10, item 10): validation and the event, and what is in
// force. The shipped data has no fribeløp for 2026 (calculations for 2026 are refused, naming it).
#include "services/care_fees/rules_admin.h"

#include <gtest/gtest.h>

#include "services/care_fees/tests/test_support.h"

namespace oppgjor::care_fees {
namespace {

using testing::day;
using testing::dec;
using testing::store;

ParameterSetRequest fribelop_2026() {
  ParameterSetRequest r;
  r.parameter = "care_fees.fribelop_nok";
  r.value = "10900";
  r.from = day(2026, 1, 1);
  r.to = day(2026, 12, 31);
  r.source = "Rundskriv I-2/2026";
  r.actor = "kari.regler";
  return r;
}

TEST(RulesAdmin, SettingAMissingValueGivesTheEventAndTheCalculationUsesIt) {
  auto e = plan_parameter_set(store(), fribelop_2026());
  ASSERT_TRUE(e) << e.error().to_string();
  EXPECT_EQ(e->type, "rules.parameter_set");
  EXPECT_EQ(e->stream, "rules/care_fees.fribelop_nok");
  EXPECT_EQ(e->actor, "kari.regler");
  EXPECT_EQ(e->payload_json,
            R"({"effective_from":"2026-01-01","effective_to":"2026-12-31",)"
            R"("parameter":"care_fees.fribelop_nok","rule_version":"care_fees.set.2026-01-01",)"
            R"("source":"Rundskriv I-2/2026","unit":"nok","value":"10900"})");
  // The same request gives the same event id: setting it twice appends nothing, also once the
  // value is in the store (no overlap with itself).
  EXPECT_EQ(plan_parameter_set(store(), fribelop_2026())->event_id, e->event_id);
  ParameterStore with = store();
  DatedValue v;
  v.value = dec("10900");
  v.effective_from = day(2026, 1, 1);
  v.effective_to = day(2026, 12, 31);
  v.source = "Rundskriv I-2/2026";
  v.rule_version = "care_fees.set.2026-01-01";
  ASSERT_TRUE(with.add("care_fees.fribelop_nok", v).ok());
  auto again = plan_parameter_set(with, fribelop_2026());
  ASSERT_TRUE(again) << again.error().to_string();
  EXPECT_EQ(again->event_id, e->event_id);
  ParameterSetRequest other = fribelop_2026();
  other.value = "11000";
  EXPECT_EQ(plan_parameter_set(with, other).error().code, "parameter_overlap");
}

TEST(RulesAdmin, BadRequestsNameTheField) {
  // Table: what is changed → code, field.
  struct Case {
    void (*change)(ParameterSetRequest&);
    const char* code;
    const char* field;
  };
  const Case cases[] = {
      {[](ParameterSetRequest& r) { r.parameter = "care_fees.fribeloep_nok"; }, "parameter_unknown",
       "parameter"},
      {[](ParameterSetRequest& r) { r.value = "1090000"; }, "value_out_of_range", "value"},
      {[](ParameterSetRequest& r) { r.value = "-5"; }, "value_out_of_range", "value"},
      {[](ParameterSetRequest& r) { r.value = "10900.005"; }, "value_out_of_range", "value"},
      {[](ParameterSetRequest& r) { r.value = "ti tusen"; }, "decimal_syntax", "value"},
      {[](ParameterSetRequest& r) { r.to = day(2025, 12, 31); }, "period_invalid", "to"},
      {[](ParameterSetRequest& r) { r.source.clear(); }, "source_missing", "source"},
      {[](ParameterSetRequest& r) { r.scope = "institution_type=nursing_home"; }, "field_type",
       "scope"},
      // 2025 already has 10 450 in the shipped data: an overlap needs --replace.
      {[](ParameterSetRequest& r) { r.from = day(2025, 7, 1); }, "parameter_overlap", "from"},
  };
  for (const Case& c : cases) {
    ParameterSetRequest r = fribelop_2026();
    c.change(r);
    auto e = plan_parameter_set(store(), r);
    ASSERT_FALSE(e) << c.code;
    EXPECT_EQ(e.error().code, c.code);
    EXPECT_EQ(e.error().field, c.field) << c.code;
  }
  ParameterSetRequest replacing = fribelop_2026();
  replacing.from = day(2025, 7, 1);
  replacing.replace = true;
  EXPECT_TRUE(plan_parameter_set(store(), replacing));
}

TEST(RulesAdmin, ACostCapForOneInstitution) {
  ParameterSetRequest r;
  r.parameter = "care_fees.cost_cap_year_nok";
  r.value = "1020000";
  r.from = day(2026, 1, 1);
  r.scope = "institution_id=SYKEHJEM-A";
  r.source = "Oslo kommune, budsjett 2026";
  auto e = plan_parameter_set(store(), r);
  ASSERT_TRUE(e) << e.error().to_string();
  EXPECT_NE(e->payload_json.find(R"("scope":{"institution_id":"SYKEHJEM-A"})"), std::string::npos)
      << e->payload_json;
}

TEST(RulesAdmin, WhatIsInForceOnADate) {
  const auto rows = parameters_in_force(store(), "care_fees.fribelop", day(2025, 6, 1));
  ASSERT_EQ(rows.size(), 2u);  // fribelop_double_room_nok and fribelop_nok
  EXPECT_EQ(rows[1].parameter, "care_fees.fribelop_nok");
  EXPECT_EQ(rows[1].value.value, dec("10450"));
  EXPECT_TRUE(parameters_in_force(store(), "care_fees.fribelop_nok", day(2026, 6, 1)).empty());
}

}  // namespace
}  // namespace oppgjor::care_fees
