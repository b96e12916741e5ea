// The dependant deduction (issue 10, item 4; nursing-home-fees.md, "Calculation basis B"): per
// dependant max(0, assumed pension − own earned income − own national-insurance pension), other
// income of the dependant not counted; the deduction is the sum over dependants.
// 2025: G = 130 160, F = 10 450, keep = 40 377.50 (long_term_fee_test.cc).
#include <gtest/gtest.h>

#include "services/care_fees/calc_json.h"
#include "services/care_fees/long_term_fee.h"
#include "services/care_fees/tests/test_support.h"

namespace oppgjor::care_fees {
namespace {

using testing::dec;
using testing::pension_only;
using testing::result;
using testing::step;
using testing::store;

// Pension 300 000, tax 60 000; at home a spouse and a minor child.
//   spouse: assumed survivor pension 200 000; own income earned 50 000 + national-insurance
//           pension 40 000 (count) + rental 30 000 (other: does not count)
//           → max(0, 200 000 − 90 000) = 110 000
//   child:  assumed children's pension 40 000; own earned income 10 000 → 30 000
//   deduction 140 000; B = 300 000 − 60 000 − 140 000 = 100 000 (< G)
//   fee_raw = 0.75 × (100 000 − 10 450) = 67 162.50; floor = 100 000 − 40 377.50 = 59 622.50
//   fee_year = 59 622
FeeInput spouse_and_minor_child() {
  FeeInput in = pension_only(2025, "300000", "60000");
  Dependant spouse{DependantRelation::spouse, dec("200000"), {}};
  spouse.income = {{DependantIncomeKind::earned, dec("50000")},
                   {DependantIncomeKind::national_insurance_pension, dec("40000")},
                   {DependantIncomeKind::other, dec("30000")}};
  Dependant child{DependantRelation::minor_child, dec("40000"), {}};
  child.income = {{DependantIncomeKind::earned, dec("10000")}};
  in.dependants = {spouse, child};
  return in;
}

TEST(Dependants, ASpouseAndAMinorChildAtHome) {
  auto fee = calculate_long_term_fee(spouse_and_minor_child(), store());
  ASSERT_TRUE(fee) << fee.error().to_string();
  const TraceStep* s = step(fee->trace, "dependant_deduction");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(result(*s, "dependants[0] spouse own_income_counted_nok"), "90000.00");
  EXPECT_EQ(result(*s, "dependants[0] spouse deduction_nok"), "110000.00");
  EXPECT_EQ(result(*s, "dependants[1] minor_child deduction_nok"), "30000.00");
  EXPECT_EQ(result(*s, "dependant_deduction_nok"), "140000.00");
  EXPECT_EQ(fee->basis_nok, dec("100000"));
  EXPECT_EQ(fee->fee_raw_nok, dec("67162.5"));
  EXPECT_EQ(fee->fee_year_nok, dec("59622"));
}

TEST(Dependants, OtherIncomeDoesNotReduceTheDeductionAndItNeverGoesNegative) {
  // A supported child over 18 with only other income (a scholarship 60 000): the full assumed
  // pension 25 000 is deducted. A spouse whose earned income 250 000 exceeds the assumed pension
  // 200 000 adds 0, not −50 000. B = 300 000 − 60 000 − 25 000 = 215 000.
  FeeInput in = pension_only(2025, "300000", "60000");
  in.dependants = {{DependantRelation::supported_child,
                    dec("25000"),
                    {{DependantIncomeKind::other, dec("60000")}}},
                   {DependantRelation::cohabitant,
                    dec("200000"),
                    {{DependantIncomeKind::earned, dec("250000")}}}};
  auto fee = calculate_long_term_fee(in, store());
  ASSERT_TRUE(fee) << fee.error().to_string();
  EXPECT_EQ(fee->basis_nok, dec("215000"));
}

TEST(Dependants, TheCalcDocumentAndItsErrors) {
  const std::string head =
      R"({"year":2025,"income":[{"kind":"pension","amount":"300000.00","joint":false}],)"
      R"("deductions":[{"kind":"tax","amount":"60000.00"}],"dependants":)";
  auto in = parse_fee_input_json(head +
                                 R"([{"relation":"spouse","assumed_pension":"200000.00","income":[)"
                                 R"({"kind":"earned","amount":"50000.00"},)"
                                 R"({"kind":"national_insurance_pension","amount":"40000.00"},)"
                                 R"({"kind":"other","amount":"30000.00"}]},)"
                                 R"({"relation":"minor_child","assumed_pension":"40000.00",)"
                                 R"("income":[{"kind":"earned","amount":"10000.00"}]}]})");
  ASSERT_TRUE(in) << in.error().to_string();
  EXPECT_EQ(calculate_long_term_fee(*in, store())->fee_year_nok, dec("59622"));
  // Table: document → code, field.
  struct Case {
    const char* dependants;
    const char* code;
    const char* field;
  };
  const Case cases[] = {
      {R"([{"relation":"aunt","assumed_pension":"1.00"}])", "unknown_relation",
       "dependants[0].relation"},
      {R"([{"relation":"spouse","assumed_pension":"1.00","income":[{"kind":"salary","amount":"1"}]}])",
       "unknown_income_kind", "dependants[0].income[0].kind"},
      {R"([{"relation":"spouse","assumed_pension":"-1.00"}])", "amount_negative",
       "dependants[0].assumed_pension"},
      {R"([{"relation":"spouse","assumed_pension":"1.00"},{"relation":"cohabitant","assumed_pension":"1.00"}])",
       "dependant_invalid", "dependants[1].relation"},
      {R"([{"relation":"spouse"}])", "field_missing", "dependants[0].assumed_pension"},
  };
  for (const Case& c : cases) {
    auto bad = parse_fee_input_json(head + c.dependants + "}");
    ASSERT_FALSE(bad) << c.dependants;
    EXPECT_EQ(bad.error().code, c.code) << c.dependants;
    EXPECT_EQ(bad.error().field, c.field) << c.dependants;
  }
}

}  // namespace
}  // namespace oppgjor::care_fees
