// The JSON edge: the CLI input document, output JSON and the Norwegian table, field errors.
#include "services/care_fees/calc_json.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "services/care_fees/tests/test_support.h"

namespace oppgjor::care_fees {
namespace {

using testing::store;

constexpr const char* issue_example = R"({"year": 2025,
  "income": [{"kind": "pension", "amount": "260000.00", "joint": false}],
  "deductions": [{"kind": "tax", "amount": "0"}], "spouse_at_home": null,
  "double_room_involuntary": false, "cost_cap_year": null})";

Error reject(const std::string& doc) {
  auto out = run_calc(doc, OutputFormat::json, store());
  EXPECT_FALSE(out) << doc;
  return out ? Error{} : out.error();
}

TEST(CalcJson, IssueExampleGivesDecimalStringsAndATrace) {
  auto out = run_calc(issue_example, OutputFormat::json, store());
  ASSERT_TRUE(out) << out.error().to_string();
  const auto doc = nlohmann::json::parse(*out);
  EXPECT_EQ(doc["basis_nok"], "260000.00");
  EXPECT_EQ(doc["fee_year_nok"], "200146.00");
  EXPECT_EQ(doc["fee_month_nok"], "16678.83");  // 200 146 / 12 = 16 678.833…
  EXPECT_EQ(doc["keep_nok"], "40377.50");
  EXPECT_EQ(doc["monthly_charges_nok"].size(), 12u);
  EXPECT_EQ(doc["rule_version"], "care_fees.rules.2025-11.1");
  const auto& steps = doc["trace"]["steps"];
  ASSERT_GT(steps.size(), 5u);
  bool saw_g = false;
  for (const auto& s : steps) {
    if (s["step"] != "grunnbelop") continue;
    saw_g = true;
    EXPECT_EQ(s["parameters"][0]["value"], "130160");
    EXPECT_EQ(s["parameters"][0]["effective_from"], "2025-05-01");
    EXPECT_EQ(s["results"]["grunnbelop_nok"], "130160.00");
  }
  EXPECT_TRUE(saw_g);
}

TEST(CalcJson, TableIsNorwegian) {
  auto out = run_calc(issue_example, OutputFormat::table, store());
  ASSERT_TRUE(out);
  EXPECT_NE(out->find("Beregningsgrunnlag"), std::string::npos);
  EXPECT_NE(out->find("260 000,00"), std::string::npos);
  EXPECT_NE(out->find("Grunnbeløp (G), i kraft fra 01.05.2025"), std::string::npos);
  EXPECT_NE(out->find("130 160,00"), std::string::npos);
  EXPECT_NE(out->find("Fribeløp 2025"), std::string::npos);
  EXPECT_NE(out->find("Vederlag per år"), std::string::npos);
  EXPECT_NE(out->find("200 146,00"), std::string::npos);
}

TEST(CalcJson, OptionalMembers) {
  auto out = run_calc(R"({"year": 2025,
      "income": [{"kind": "pension", "amount": "300000"},
                 {"kind": "interest", "amount": "10000", "joint": true}],
      "deductions": [{"kind": "tax", "amount": "60000"}],
      "discretionary_deductions": [{"amount": "5000", "reason": "husleie tidligere bolig"}],
      "spouse_at_home": {"assumed_survivor_pension": "200000", "own_income": "120000"},
      "rule_options": {"keep_rule": "quarter_g_three_quarters_f"}})",
                      OutputFormat::json, store());
  ASSERT_TRUE(out) << out.error().to_string();
  // B = 305 000 − 60 000 − 80 000 − 5 000 = 160 000
  EXPECT_EQ(nlohmann::json::parse(*out)["basis_nok"], "160000.00");
}

TEST(CalcJson, ErrorsNameTheField) {
  Error e = reject(R"({"year": 2025, "income": [{"kind": "pension", "amount": "1"},
      {"kind": "pension", "amount": "1"}, {"kind": "salary", "amount": "1"}]})");
  EXPECT_EQ(e.code, "unknown_income_kind");
  EXPECT_EQ(e.field, "income[2].kind");
  e = reject(R"({"year": 2025, "income": [{"kind": "pension", "amount": "-1.00"}]})");
  EXPECT_EQ(e.code, "amount_negative");
  EXPECT_EQ(e.field, "income[0].amount");
  e = reject(R"({"year": 2025, "income": [{"kind": "pension", "amount": 260000}]})");
  EXPECT_EQ(e.code, "field_type");
  EXPECT_EQ(e.field, "income[0].amount");
  e = reject(R"({"year": 2025, "income": [{"kind": "pension", "amount": "1.005"}]})");
  EXPECT_EQ(e.code, "amount_too_many_decimals");
  e = reject(R"({"year": 2025, "income": [], "deduction": []})");
  EXPECT_EQ(e.code, "unknown_field");
  EXPECT_EQ(e.field, "deduction");
  e = reject(R"({"income": []})");
  EXPECT_EQ(e.code, "field_missing");
  EXPECT_EQ(e.field, "year");
  e = reject(R"({"year": 2025, "income": [], "deductions": [{"kind": "vat", "amount": "1"}]})");
  EXPECT_EQ(e.code, "unknown_deduction_kind");
  EXPECT_EQ(e.field, "deductions[0].kind");
  e = reject(R"({"year": 2025, "income": [], "spouse_at_home": {"own_income": "1"}})");
  EXPECT_EQ(e.field, "spouse_at_home.assumed_survivor_pension");
  e = reject(R"({"year": 2025, "income": [], "rule_options": {"keep_rule": "all"}})");
  EXPECT_EQ(e.code, "unknown_rule_option");
  EXPECT_EQ(e.field, "rule_options.keep_rule");
  e = reject(R"({"year": 2025, "income": [)");
  EXPECT_EQ(e.code, "json_syntax");
  e = reject(R"({"year": 18446744073709549591, "income": []})");
  EXPECT_EQ(e.code, "year_out_of_range");
}

TEST(CalcJson, MissingParameterIsARejectionNamingIt) {
  Error e = reject(R"({"year": 2026, "income": []})");
  EXPECT_EQ(e.code, "parameter_missing");
  EXPECT_EQ(e.message, "care_fees.fribelop_nok missing for 2026");
}

TEST(CalcJson, MonthlyFeesJsonHasTheInvoiceBasisShape) {
  MonthlyFeeInput in;
  in.year = 2025;
  in.basis = testing::pension_only(2025, "260000", "40000");
  in.stays = {testing::long_term_stay(testing::day(2025, 3, 15), {}, true)};
  auto fees = calculate_monthly_fees(in, store());
  ASSERT_TRUE(fees);
  const auto doc = nlohmann::json::parse(monthly_fees_to_json(*fees));
  ASSERT_EQ(doc["months"].size(), 12u);
  const auto& april = doc["months"][3];
  EXPECT_EQ(april["year"], 2025);
  EXPECT_EQ(april["month"], 4);
  EXPECT_EQ(april["days_billable"], 16);
  EXPECT_EQ(april["amount_nok"], "7384.00");
  EXPECT_TRUE(april["lines"].is_array());
  EXPECT_TRUE(april["trace"]["steps"].is_array());
  EXPECT_EQ(doc["total_nok"], "118148.00");
}

}  // namespace
}  // namespace oppgjor::care_fees
