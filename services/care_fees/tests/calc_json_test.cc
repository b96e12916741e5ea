// The JSON edge: the CLI input document, output JSON and the Norwegian table, field errors.
#include "services/care_fees/calc_json.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "services/care_fees/tests/test_support.h"

namespace oppgjor::care_fees {
namespace {

using testing::store;

constexpr const char* issue_example = R"({"year": 2025,
  "income": [{"kind": "pension", "amount": "260000.00", "joint": false}],
  "deductions": [{"kind": "tax", "amount": "0"}], "spouse_at_home": null,
  "double_room_involuntary": false, "cost_cap_year": null})";

// Reads the output back; the tests below look members up by JSON pointer.
class Out {
 public:
  explicit Out(const std::string& text) {
    EXPECT_EQ(parser_.parse(text).get(root_), simdjson::SUCCESS) << text;
  }
  std::string_view str(std::string_view pointer) {
    std::string_view v;
    EXPECT_EQ(root_.at_pointer(pointer).get(v), simdjson::SUCCESS) << pointer;
    return v;
  }
  std::int64_t num(std::string_view pointer) {
    std::int64_t v = 0;
    EXPECT_EQ(root_.at_pointer(pointer).get(v), simdjson::SUCCESS) << pointer;
    return v;
  }
  std::size_t size(std::string_view pointer) {
    simdjson::dom::array a;
    if (root_.at_pointer(pointer).get(a) != simdjson::SUCCESS) return 0;
    return a.size();
  }
  simdjson::dom::element root() const { return root_; }

 private:
  simdjson::dom::parser parser_;
  simdjson::dom::element root_;
};

Error reject(const std::string& doc) {
  auto out = run_calc(doc, OutputFormat::json, store());
  EXPECT_FALSE(out) << doc;
  return out ? Error{} : out.error();
}

TEST(CalcJson, IssueExampleGivesDecimalStringsAndATrace) {
  auto out = run_calc(issue_example, OutputFormat::json, store());
  ASSERT_TRUE(out) << out.error().to_string();
  Out doc(*out);
  EXPECT_EQ(doc.str("/basis_nok"), "260000.00");
  EXPECT_EQ(doc.str("/fee_year_nok"), "200146.00");
  EXPECT_EQ(doc.str("/fee_month_nok"), "16678.83");  // 200 146 / 12 = 16 678.833…
  EXPECT_EQ(doc.str("/keep_nok"), "40377.50");
  EXPECT_EQ(doc.size("/monthly_charges_nok"), 12u);
  EXPECT_EQ(doc.str("/rule_version"), "care_fees.rules.2025-11.1");
  const std::size_t steps = doc.size("/trace/steps");
  ASSERT_GT(steps, 5u);
  bool saw_g = false;
  for (std::size_t i = 0; i < steps; ++i) {
    const std::string step = "/trace/steps/" + std::to_string(i);
    if (doc.str(step + "/step") != "grunnbelop") continue;
    saw_g = true;
    EXPECT_EQ(doc.str(step + "/parameters/0/value"), "130160");
    EXPECT_EQ(doc.str(step + "/parameters/0/effective_from"), "2025-05-01");
    EXPECT_EQ(doc.str(step + "/results/grunnbelop_nok"), "130160.00");
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
  EXPECT_EQ(Out(*out).str("/basis_nok"), "160000.00");
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
  Out doc(monthly_fees_to_json(*fees));
  ASSERT_EQ(doc.size("/months"), 12u);
  EXPECT_EQ(doc.num("/months/3/year"), 2025);
  EXPECT_EQ(doc.num("/months/3/month"), 4);
  EXPECT_EQ(doc.num("/months/3/days_billable"), 16);
  EXPECT_EQ(doc.str("/months/3/amount_nok"), "7384.00");
  EXPECT_TRUE(doc.root().at_pointer("/months/3/lines").is_array());
  EXPECT_TRUE(doc.root().at_pointer("/months/3/trace/steps").is_array());
  EXPECT_EQ(doc.str("/total_nok"), "118148.00");
}

}  // namespace
}  // namespace oppgjor::care_fees
