// The yearly long-term fee: scenarios with hand-checked numbers, options, errors.
//
// 2025 parameters used below: G (1.5.2025) = 130 160, F = 10 450, dobbeltrom F = 50 500.
//   keep = 0.25 × 130 160 + 0.75 × 10 450 = 32 540 + 7 837.50 = 40 377.50
// 2024: G (1.5.2024) = 124 028, F = 10 000: keep = 31 007 + 7 500 = 38 507.
#include "services/care_fees/long_term_fee.h"

#include <gtest/gtest.h>

#include "services/care_fees/tests/test_support.h"

namespace oppgjor::care_fees {
namespace {

using testing::dec;
using testing::pension_only;
using testing::step;
using testing::store;

TEST(LongTermFee, PensionOnlyWholeYear) {
  // B = 260 000 − 40 000 = 220 000
  // fee_raw = 0.75 × (130 160 − 10 450) + 0.85 × (220 000 − 130 160)
  //         = 0.75 × 119 710 + 0.85 × 89 840 = 89 782.50 + 76 364 = 166 146.50
  // floor = 220 000 − 40 377.50 = 179 622.50 (does not bind above G)
  // fee_year = round_down(166 146.50) = 166 146; per month 13 845.50
  auto fee = calculate_long_term_fee(pension_only(2025, "260000", "40000"), store());
  ASSERT_TRUE(fee) << fee.error().to_string();
  EXPECT_EQ(fee->basis_nok, dec("220000"));
  EXPECT_EQ(fee->grunnbelop_nok, dec("130160"));
  EXPECT_EQ(fee->fribelop_nok, dec("10450"));
  EXPECT_EQ(fee->fee_raw_nok, dec("166146.5"));
  EXPECT_EQ(fee->keep_nok, dec("40377.5"));
  EXPECT_EQ(fee->fee_floor_nok, dec("179622.5"));
  EXPECT_EQ(fee->fee_year_nok, dec("166146"));
  EXPECT_EQ(fee->fee_month_nok, dec("13845.50"));
  ASSERT_EQ(fee->monthly_charges_nok.size(), 12u);
  EXPECT_EQ(fee->monthly_charges_nok[0], dec("13846"));
  EXPECT_EQ(fee->monthly_charges_nok[1], dec("13845"));
}

TEST(LongTermFee, IssueExampleNoTax) {
  // B = 260 000: fee_raw = 89 782.50 + 0.85 × 129 840 = 89 782.50 + 110 364 = 200 146.50
  auto fee = calculate_long_term_fee(pension_only(2025, "260000.00", "0"), store());
  ASSERT_TRUE(fee);
  EXPECT_EQ(fee->fee_year_nok, dec("200146"));
}

TEST(LongTermFee, BelowGTheFloorBinds) {
  // B = 100 000 < G: fee_raw = 0.75 × (100 000 − 10 450) = 67 162.50
  // floor = 100 000 − 40 377.50 = 59 622.50 → fee_year 59 622; the resident keeps 40 377.50
  auto fee = calculate_long_term_fee(pension_only(2025, "100000", "0"), store());
  ASSERT_TRUE(fee);
  EXPECT_EQ(fee->fee_raw_nok, dec("67162.5"));
  EXPECT_EQ(fee->fee_exact_nok, dec("59622.5"));
  EXPECT_EQ(fee->fee_year_nok, dec("59622"));
}

TEST(LongTermFee, SpouseAtHome) {
  // counted: pension 300 000 + joint interest 10 000 × 50 % = 305 000
  // dependant deduction = max(0, 200 000 − 120 000) = 80 000
  // B = 305 000 − 60 000 − 80 000 = 165 000
  // fee_raw = 89 782.50 + 0.85 × (165 000 − 130 160) = 89 782.50 + 29 614 = 119 396.50
  FeeInput in = pension_only(2025, "300000", "60000");
  in.income.push_back({IncomeKind::interest, dec("10000"), true});
  in.spouse_at_home = SpouseAtHome{dec("200000"), dec("120000")};
  auto fee = calculate_long_term_fee(in, store());
  ASSERT_TRUE(fee) << fee.error().to_string();
  EXPECT_EQ(fee->basis_nok, dec("165000"));
  EXPECT_EQ(fee->fee_year_nok, dec("119396"));
  EXPECT_EQ(step(fee->trace, "dependant_deduction")->results[0].value, "80000.00");
  // A spouse with more own income than the assumed survivor pension: no deduction.
  in.spouse_at_home = SpouseAtHome{dec("200000"), dec("250000")};
  EXPECT_EQ(calculate_long_term_fee(in, store())->basis_nok, dec("245000"));
}

TEST(LongTermFee, ExcludedRealisationLossTaxEffectAddedBack) {
  // Sivilombudet 2025 (income year 2024): a 287 101 loss on a currency loan lowered the assessed
  // tax. The loss is not counted, and its tax effect (here 22 % = 63 162.22) is added back.
  // deductible tax = 15 000 + 63 162.22 = 78 162.22; B = 350 000 − 78 162.22 = 271 837.78
  // fee_raw = 0.75 × (124 028 − 10 000) + 0.85 × (271 837.78 − 124 028)
  //         = 85 521 + 0.85 × 147 809.78 = 85 521 + 125 638.313 = 211 159.313 → 211 159
  FeeInput in = pension_only(2024, "350000", "15000");
  in.income.push_back({IncomeKind::realisation_loss, dec("287101"), false});
  in.deductions.push_back({DeductionKind::tax_effect_of_excluded_losses, dec("63162.22"), false});
  auto fee = calculate_long_term_fee(in, store());
  ASSERT_TRUE(fee) << fee.error().to_string();
  EXPECT_EQ(fee->basis_nok, dec("271837.78"));
  EXPECT_EQ(fee->fee_raw_nok, dec("211159.313"));
  EXPECT_EQ(fee->fee_year_nok, dec("211159"));
  const TraceStep* excluded = step(fee->trace, "excluded_income");
  ASSERT_NE(excluded, nullptr);
  ASSERT_EQ(excluded->inputs.size(), 1u);
  EXPECT_EQ(excluded->inputs[0].name, "income[1].realisation_loss");
  // Without the add-back the fee would be 85 521 + 0.85 × 210 972 = 264 847.20 → 264 847.
  in.deductions.pop_back();
  EXPECT_EQ(calculate_long_term_fee(in, store())->fee_year_nok, dec("264847"));
}

TEST(LongTermFee, WealthTaxAndTaxOnExcludedGainsAreNotDeducted) {
  // tax 70 000 of which wealth tax 2 000 and tax on an excluded gain 11 000:
  // deductible 57 000; the 50 000 gain is not counted. B = 260 000 − 57 000 = 203 000.
  FeeInput in = pension_only(2025, "260000", "70000");
  in.income.push_back({IncomeKind::realisation_gain, dec("50000"), false});
  in.deductions.push_back({DeductionKind::wealth_tax, dec("2000"), false});
  in.deductions.push_back({DeductionKind::tax_on_excluded_gains, dec("11000"), false});
  auto fee = calculate_long_term_fee(in, store());
  ASSERT_TRUE(fee);
  EXPECT_EQ(fee->basis_nok, dec("203000"));
}

TEST(LongTermFee, DebtInterestAndDiscretionaryDeductions) {
  // B = 260 000 − 40 000 − 8 000 × 50 % − 6 000 = 210 000
  FeeInput in = pension_only(2025, "260000", "40000");
  in.deductions.push_back({DeductionKind::debt_interest, dec("8000"), true});
  in.discretionary_deductions.push_back({dec("6000"), "rent for former home, 3 months"});
  auto fee = calculate_long_term_fee(in, store());
  ASSERT_TRUE(fee);
  EXPECT_EQ(fee->basis_nok, dec("210000"));
  EXPECT_EQ(step(fee->trace, "discretionary_deductions")->inputs[0].name,
            "discretionary_deductions[0] rent for former home, 3 months");
}

TEST(LongTermFee, BasisNeverBelowZero) {
  FeeInput in = pension_only(2025, "50000", "0");
  in.discretionary_deductions.push_back({dec("80000"), "housing costs"});
  auto fee = calculate_long_term_fee(in, store());
  ASSERT_TRUE(fee);
  EXPECT_EQ(fee->basis_nok, dec("0"));
  EXPECT_EQ(fee->fee_year_nok, dec("0"));
}

TEST(LongTermFee, InvoluntaryDoubleRoomUsesTheHigherFribelop) {
  // F = 50 500: fee_raw = 0.75 × 79 660 + 0.85 × 89 840 = 59 745 + 76 364 = 136 109
  FeeInput in = pension_only(2025, "260000", "40000");
  in.double_room_involuntary = true;
  auto fee = calculate_long_term_fee(in, store());
  ASSERT_TRUE(fee);
  EXPECT_EQ(fee->fee_year_nok, dec("136109"));
  EXPECT_EQ(step(fee->trace, "fribelop")->parameters[0].name, "care_fees.fribelop_double_room_nok");
}

TEST(LongTermFee, CostCapGivenOrByInstitutionType) {
  FeeInput in = pension_only(2025, "2000000", "500000");
  in.cost_cap_year_nok = dec("600000");
  EXPECT_EQ(calculate_long_term_fee(in, store())->fee_year_nok, dec("600000"));
  in.cost_cap_year_nok.reset();
  in.institution_type = "nursing_home";  // example data: 936 000
  auto fee = calculate_long_term_fee(in, store());
  ASSERT_TRUE(fee);
  EXPECT_EQ(fee->fee_year_nok, dec("936000"));
  EXPECT_FALSE(uncertainty_warnings(fee->trace).empty());
}

TEST(LongTermFee, RuleOptions) {
  // keep = 0.25 G + F = 32 540 + 10 450 = 42 990; B = 100 000 → fee 57 010
  FeeInput in = pension_only(2025, "100000", "0");
  in.options.keep_rule = KeepRule::quarter_g_full_f;
  EXPECT_EQ(calculate_long_term_fee(in, store())->keep_nok, dec("42990"));
  EXPECT_EQ(calculate_long_term_fee(in, store())->fee_year_nok, dec("57010"));
  // Yearly average G 2024 = (4 × 118 620 + 8 × 124 028) / 12 = 122 225.33 → 122 225
  FeeInput avg = pension_only(2024, "200000", "0");
  avg.options.grunnbelop_rule = GrunnbelopRule::yearly_average;
  EXPECT_EQ(calculate_long_term_fee(avg, store())->grunnbelop_nok, dec("122225"));
  // Dependant rule plus 50 % of gross pension: 80 000 + 150 000 = 230 000 → B = 10 000
  FeeInput dep = pension_only(2025, "300000", "60000");
  dep.spouse_at_home = SpouseAtHome{dec("200000"), dec("120000")};
  dep.options.dependant_rule = DependantRule::survivor_pension_gap_plus_half_gross_pension;
  EXPECT_EQ(calculate_long_term_fee(dep, store())->basis_nok, dec("10000"));
}

TEST(LongTermFee, ProvisionalDecisionBeforeFirstMayUsesTheGKnownThen) {
  FeeInput in = pension_only(2025, "260000", "40000");
  in.decision_date = Date::ymd(2025, 2, 1);
  EXPECT_EQ(calculate_long_term_fee(in, store())->grunnbelop_nok, dec("124028"));
  in.decision_date = Date::ymd(2025, 6, 1);
  EXPECT_EQ(calculate_long_term_fee(in, store())->grunnbelop_nok, dec("130160"));
}

TEST(LongTermFee, TraceRecordsParametersWithDatesAndSources) {
  auto fee = calculate_long_term_fee(pension_only(2025, "260000", "40000"), store());
  ASSERT_TRUE(fee);
  EXPECT_EQ(fee->trace.rule_version, "care_fees.rules.2025-11.1");
  const TraceStep* g = step(fee->trace, "grunnbelop");
  ASSERT_NE(g, nullptr);
  ASSERT_EQ(g->parameters.size(), 1u);
  EXPECT_EQ(g->parameters[0].value, "130160");
  EXPECT_EQ(g->parameters[0].effective_from, "2025-05-01");
  EXPECT_NE(g->parameters[0].source.find("FOR-2025-05-23-837"), std::string::npos);
  std::vector<std::string> names;
  for (const TraceStep& s : fee->trace.steps) names.push_back(s.name);
  const std::vector<std::string> expected = {"counted_income",
                                             "excluded_income",
                                             "deductible_tax",
                                             "debt_interest",
                                             "dependant_deduction",
                                             "discretionary_deductions",
                                             "basis",
                                             "income_period",
                                             "grunnbelop",
                                             "fribelop",
                                             "cost_cap",
                                             "fee_raw",
                                             "keep",
                                             "fee_year",
                                             "fee_month"};
  EXPECT_EQ(names, expected);
}

TEST(LongTermFee, MissingParametersNameParameterAndYear) {
  auto fee = calculate_long_term_fee(pension_only(2026, "260000", "0"), store());
  ASSERT_FALSE(fee);
  EXPECT_EQ(fee.error().code, "parameter_missing");
  EXPECT_EQ(fee.error().message, "care_fees.fribelop_nok missing for 2026");
  FeeInput dr = pension_only(2016, "260000", "0");
  dr.double_room_involuntary = true;
  EXPECT_EQ(calculate_long_term_fee(dr, store()).error().message,
            "care_fees.fribelop_double_room_nok missing for 2016");
}

TEST(LongTermFee, BadInputNamesTheField) {
  FeeInput in = pension_only(2025, "260000", "0");
  in.income.push_back({IncomeKind::rental, dec("-5"), false});
  auto fee = calculate_long_term_fee(in, store());
  ASSERT_FALSE(fee);
  EXPECT_EQ(fee.error().code, "amount_negative");
  EXPECT_EQ(fee.error().field, "income[1].amount");
  in.income.back() = {IncomeKind::business, dec("-5000"), false};  // a business deficit is allowed
  EXPECT_TRUE(calculate_long_term_fee(in, store()));
  in.discretionary_deductions.push_back({dec("100"), ""});
  EXPECT_EQ(calculate_long_term_fee(in, store()).error().field,
            "discretionary_deductions[0].reason");
  FeeInput tax = pension_only(2025, "260000", "1000");
  tax.deductions.push_back({DeductionKind::wealth_tax, dec("2000"), false});
  EXPECT_EQ(calculate_long_term_fee(tax, store()).error().code, "deductible_tax_negative");
  tax.deductions.back() = {DeductionKind::tax, dec("1"), true};
  EXPECT_EQ(calculate_long_term_fee(tax, store()).error().field, "deductions[1].joint");
}

}  // namespace
}  // namespace oppgjor::care_fees
