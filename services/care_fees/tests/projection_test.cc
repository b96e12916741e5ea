// The care-fees projection and the recalculation, without a log: events are applied directly.
// 2025 numbers as in monthly_fees_test.cc: pension 260 000, tax 40 000 → fee_year 166 146.
#include "services/care_fees/care_fees_projection.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "services/care_fees/billing.h"
#include "services/care_fees/recalc.h"
#include "services/care_fees/tests/test_support.h"

namespace oppgjor::care_fees {
namespace {

class Folder {
 public:
  Folder() : p_(testing::store()) {}
  explicit Folder(const ParameterStore& store) : p_(store) {}
  void apply(const std::string& type, const std::string& payload, const std::string& id = "") {
    events::EventView e;
    std::string event_id = id;  // not `"e" + …`: GCC bug 105329 at -O3 (-Wrestrict)
    if (event_id.empty()) event_id = std::string(1, 'e').append(std::to_string(++seq_));
    e.event_id = event_id;
    e.type = type;
    e.sequence = seq_;
    e.occurred_at = "2025-01-02";
    simdjson::dom::element payload_el;
    ASSERT_EQ(parser_.parse(payload).get(payload_el), simdjson::SUCCESS) << payload;
    ASSERT_TRUE(p_.apply(e, payload_el).ok());
  }
  void stay(const std::string& admission) {
    apply("care_fees.stay_started",
          R"({"customer_id":"C000001","stay_id":"S1","kind":"long_term","institution_id":"I1",)"
          R"("institution_type":"nursing_home","admission_date":")" +
              admission + R"(","from_home":false})");
  }
  void income(const std::string& status, const std::string& pension, const std::string& tax) {
    apply("care_fees.income_reported",
          R"({"customer_id":"C000001","income_year":2025,"status":")" + status +
              R"(","items":[{"kind":"pension","amount":")" + pension +
              R"(","joint":false}],"deductions":[{"kind":"tax","amount":")" + tax + R"("}]})");
  }
  const CareFeesState& state() const { return p_.state(); }
  const ResidentState& resident() const { return state().residents.at("C000001"); }

 private:
  CareFeesProjection p_;
  simdjson::dom::parser parser_;
  int seq_ = 0;
};

TEST(CareFeesProjection, RejectionsNameTheField) {
  // Table: event → code and field.
  Folder f;
  f.stay("2025-03-01");
  f.apply("care_fees.stay_ended",
          R"({"customer_id":"C000001","stay_id":"S1","end_date":"2025-02-28","reason":"death"})");
  f.apply("care_fees.stay_ended",
          R"({"customer_id":"C000001","stay_id":"S9","end_date":"2025-04-01","reason":"death"})");
  f.apply("care_fees.stay_transferred",
          R"({"customer_id":"C000001","stay_id":"S1","transfer_date":"2025-01-01",)"
          R"("to_institution_id":"I2","to_institution_type":"nursing_home"})");
  f.stay("2025-04-01");  // the same stay id again
  const auto& rejections = f.resident().rejections;
  ASSERT_EQ(rejections.size(), 4u);
  EXPECT_EQ(rejections[0].code, "end_before_admission");
  EXPECT_EQ(rejections[0].field, "payload.end_date");
  EXPECT_EQ(rejections[1].code, "stay_unknown");
  EXPECT_EQ(rejections[1].field, "payload.stay_id");
  EXPECT_EQ(rejections[2].code, "transfer_before_admission");
  EXPECT_EQ(rejections[2].field, "payload.transfer_date");
  EXPECT_EQ(rejections[3].code, "stay_already_started");
}

TEST(CareFeesProjection, IncomeForAResidentWithoutStayIsRejectedWhenRead) {
  Folder f;
  f.income("provisional", "100000.00", "0");
  const auto all = f.state().all_rejections();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].code, "resident_unknown");
  EXPECT_EQ(all[0].field, "payload.customer_id");
  f.stay("2025-01-01");  // the order inside the stream does not matter
  EXPECT_TRUE(f.state().all_rejections().empty());
}

TEST(CareFeesProjection, NegativeIncomeAndUnknownKindAreRejectedNamingTheField) {
  Folder f;
  f.stay("2025-01-01");
  f.income("provisional", "-5.00", "0");
  f.apply("care_fees.income_reported",
          R"({"customer_id":"C000001","income_year":2025,"status":"final",)"
          R"("items":[{"kind":"salary","amount":"1.00","joint":false}],"deductions":[]})");
  const auto& rejections = f.resident().rejections;
  ASSERT_EQ(rejections.size(), 2u);
  EXPECT_EQ(rejections[0].code, "amount_negative");
  EXPECT_EQ(rejections[0].field, "payload.items[0].amount");
  EXPECT_EQ(rejections[1].code, "unknown_income_kind");
  EXPECT_EQ(rejections[1].field, "payload.items[0].kind");
}

TEST(CareFeesProjection, AnIncomeStatusOrSourceOutsideTheSchemaIsRejectedNamingTheField) {
  // The schema allows only these; a log from before it is refused, not filed as provisional.
  Folder f;
  f.stay("2025-01-01");
  f.apply("care_fees.income_reported",
          R"({"customer_id":"C000001","income_year":2025,"status":"preliminary",)"
          R"("items":[],"deductions":[]})");
  f.apply("care_fees.income_reported",
          R"({"customer_id":"C000001","income_year":2025,"status":"final","source":"bank",)"
          R"("items":[],"deductions":[]})");
  const auto& rejections = f.resident().rejections;
  ASSERT_EQ(rejections.size(), 2u);
  EXPECT_EQ(rejections[0].code, "payload_unreadable");
  EXPECT_EQ(rejections[0].field, "payload.status");
  EXPECT_EQ(rejections[1].field, "payload.source");
  EXPECT_TRUE(f.resident().income.empty());
}

TEST(CareFeesProjection, ParameterEventsAreDecodedAsRulesFileValuesAre) {
  // One decoder for a dated value (parameters.h): what a rules file refuses, the event is refused
  // for too, naming the payload member.
  Folder f;
  f.apply("rules.parameter_set",
          R"({"parameter":"care_fees.fribelop_nok","value":"11000","unit":"nok",)"
          R"("effective_from":"2026-01-01","rule_version":"r1","source":"Rundskriv I-1/2026"})");
  f.apply("rules.parameter_set",
          R"({"parameter":"care_fees.fribelop_nok","value":"1,5","unit":"nok",)"
          R"("effective_from":"2027-01-01","rule_version":"r1","source":"s"})");
  f.apply("rules.parameter_set",
          R"({"parameter":"care_fees.fribelop_nok","value":"1","unit":"nok",)"
          R"("effective_from":"2028-01-01","rule_version":"r1","source":"s","uncertain":"yes"})");
  f.apply("rules.parameter_set",
          R"({"parameter":"ledger.rate","value":"x","unit":"nok",)"
          R"("effective_from":"2028-01-01","rule_version":"r1","source":"s"})");  // not ours
  const auto fribelop = f.state().parameters.fribelop(2026, false);
  ASSERT_TRUE(fribelop);
  EXPECT_EQ(fribelop->value.to_string(), "11000");
  EXPECT_EQ(fribelop->source, "Rundskriv I-1/2026");
  const auto& rejections = f.state().parameter_rejections;
  ASSERT_EQ(rejections.size(), 2u);
  EXPECT_EQ(rejections[0].code, "parameter_event_invalid");
  EXPECT_EQ(rejections[0].field, "payload.value");
  EXPECT_EQ(rejections[1].field, "payload.uncertain");
}

TEST(CareFeesProjection, TransfersSplitTheStayAndTheDayGoesToTheNewSegment) {
  Folder f;
  f.stay("2024-06-01");
  f.apply("care_fees.stay_transferred",
          R"({"customer_id":"C000001","stay_id":"S1","transfer_date":"2025-06-02",)"
          R"("to_institution_id":"I2","to_institution_type":"nursing_home",)"
          R"("double_room_against_wish":true})");
  const auto stays = f.resident().stays_for_year(2025);
  ASSERT_EQ(stays.size(), 2u);
  EXPECT_EQ(stays[0].to, testing::day(2025, 6, 2));
  EXPECT_EQ(stays[1].from, testing::day(2025, 6, 2));
  EXPECT_FALSE(stays[1].from_home);
  ASSERT_EQ(stays[1].double_room_against_wish.size(), 1u);
}

TEST(CareFeesProjection, ChargesAreAttributedToMonths) {
  Folder f;
  // Engine-made: trace.months. External: period.from. Credit with line periods: per line.
  f.apply("invoicing.invoice_basis_received",
          R"({"ordrenummer":"A","customer_id":"C000001","claim_type":"nursing_home",)"
          R"("period":{"from":"2025-01-01","to":"2025-12-31"},"totalbelop_ore":300,)"
          R"("trace":{"months":[{"month":"2025-02","amount_ore":100},)"
          R"({"month":"2025-03","amount_ore":200}]}})");
  f.apply("invoicing.invoice_basis_received",
          R"({"ordrenummer":"B","customer_id":"C000001","claim_type":"nursing_home",)"
          R"("period":{"from":"2025-04-01","to":"2025-04-30"},"totalbelop_ore":5000})");
  f.apply("invoicing.invoice_basis_received",
          R"({"ordrenummer":"K","customer_id":"C000001","claim_type":"kindergarten",)"
          R"("period":{"from":"2025-04-01","to":"2025-04-30"},"totalbelop_ore":7000})");
  f.apply("invoicing.credit_basis_received",
          R"({"ordrenummer":"C","customer_id":"C000001","claim_type":"nursing_home",)"
          R"("period":{"from":"2025-01-01","to":"2025-12-31"},"totalbelop_ore":60,)"
          R"("fakturalinjer":[{"antall":"1","pris_ore":60,)"
          R"("period":{"from":"2025-03-01","to":"2025-03-31"}}]})");
  const auto& charged = f.resident().charged;
  EXPECT_EQ(charged.at(YearMonth{2025, 2}).charged_ore, 100);
  EXPECT_EQ(charged.at(YearMonth{2025, 3}).charged_ore, 140);  // 200 − 60 credited
  EXPECT_EQ(charged.at(YearMonth{2025, 4}).charged_ore,
            5000);  // the kindergarten basis is not ours
}

// Property (seeded): bill every month with the provisional basis, then recalculate with the final
// basis and apply the corrections as a credit or invoice basis would: afterwards every month
// charged equals due, and a whole year sums to the yearly amount.
TEST(CareFeesRecalculation, MonthsSumToTheYearlyAmountAfterTheCorrection) {
  const unsigned seed = 77;
  std::mt19937 rng(seed);
  for (int round = 0; round < 20; ++round) {
    Folder f;
    f.apply("customers.customer_registered", R"({"customer_id":"C000001","kind":"person"})");
    f.stay("2024-06-01");
    const int provisional = 100000 + static_cast<int>(rng() % 500000);
    const int final_pension = 100000 + static_cast<int>(rng() % 500000);
    f.income("provisional", std::to_string(provisional), std::to_string(provisional / 5));
    for (unsigned m = 1; m <= 12; ++m) {
      auto plan = plan_billing(f.state(), {2025, m, "", ""});
      ASSERT_EQ(plan.events.size(), 1u) << "seed " << seed;
      f.apply("invoicing.invoice_basis_received", plan.events[0].payload_json);
    }
    f.income("final", std::to_string(final_pension), std::to_string(final_pension / 5));
    const RunSpec run{"r", 2025, "", 0, "a"};
    const RecalcReport report = compute_recalculation(f.state(), run);
    ASSERT_EQ(report.residents.size(), 1u);
    const ResidentReport& r = report.residents[0];
    ASSERT_EQ(r.status, ResidentStatus::ok);
    std::string months = R"({"ordrenummer":"X","customer_id":"C000001",)"
                         R"("claim_type":"nursing_home","trace":{"months":[)";
    for (const MonthRow& m : r.months) {
      // Appended piece by piece: `"," + std::string(…)` makes g++ 12 at -O3 report a false
      // -Wrestrict (GCC bug 105329) that fails the Release build.
      if (m.month > 1) months += ',';
      months += R"({"month":"2025-)";
      if (m.month < 10) months += '0';
      months += std::to_string(m.month);
      months += R"(","amount_ore":)";
      months += std::to_string(m.difference_ore());
      months += '}';
    }
    f.apply("invoicing.invoice_basis_received", months + "]}}");
    const RecalcReport after = compute_recalculation(f.state(), run);
    EXPECT_EQ(after.totals.with_correction, 0) << "seed " << seed << " round " << round;
    EXPECT_EQ(after.residents[0].charged_ore, r.fee_year_nok->to_ore(common::Rounding::half_up))
        << "seed " << seed << " round " << round;
  }
}

TEST(CareFeesRecalculation, WhyNamesTheChangedInputs) {
  Folder f;
  f.stay("2024-06-01");
  f.income("provisional", "260000", "40000");
  f.income("final", "250000", "38000");
  const RecalcReport report = compute_recalculation(f.state(), RunSpec{"r", 2025, "", 0, "a"});
  const auto& why = report.residents.at(0).why;
  ASSERT_GE(why.size(), 2u);
  EXPECT_EQ(why[0].what, "deduction.tax");
  EXPECT_EQ(why[0].from, "40000.00");
  EXPECT_EQ(why[0].to, "38000.00");
  EXPECT_EQ(why[1].what, "income.pension");
  EXPECT_EQ(why_text_no(why[1]), "pensjon 260 000,00 → 250 000,00");
  // Nothing was billed: every month says so.
  EXPECT_EQ(report.residents[0].months[0].why, std::vector<std::string>{"not_billed"});
}

// Issue 10, item 1: a death in March with the final income for 1 January – 15 March (74 days,
// pension 53 000, tax 8 000 → B_covered 45 000). Annualised: B_year = 221 959.46, fee_year
// 167 812 (part_year_test.cc); due 13 984 + 13 985 + 6 766 = 34 735.
TEST(CareFeesRecalculation, DeathInMarchUsesTheAnnualisedFinalBasis) {
  Folder f;
  f.stay("2024-06-01");
  f.apply("care_fees.stay_ended",
          R"({"customer_id":"C000001","stay_id":"S1","end_date":"2025-03-15","reason":"death"})");
  f.apply("care_fees.income_reported",
          R"({"customer_id":"C000001","income_year":2025,"status":"final",)"
          R"("covered_from":"2025-01-01","covered_to":"2025-03-15",)"
          R"("items":[{"kind":"pension","amount":"53000.00","joint":false}],)"
          R"("deductions":[{"kind":"tax","amount":"8000.00"}]})");
  const RecalcReport report = compute_recalculation(f.state(), RunSpec{"r", 2025, "", 0, "a"});
  ASSERT_EQ(report.residents.size(), 1u);
  const ResidentReport& r = report.residents[0];
  ASSERT_EQ(r.status, ResidentStatus::ok) << (r.error ? r.error->to_string() : "");
  EXPECT_EQ(*r.fee_year_nok, testing::dec("167812"));
  EXPECT_EQ(r.due_ore, 3473500);
  EXPECT_EQ(r.months[2].due_ore, 676600);
}

// Issue 10, item 4, from the log: a spouse and a minor child at home (dependants_test.cc):
// deduction (200 000 − 50 000 − 40 000) + (40 000 − 10 000) = 140 000, the spouse's rental income
// not counted; B = 300 000 − 60 000 − 140 000 = 100 000 → fee_year 59 622.
TEST(CareFeesRecalculation, DependantsFromTheIncomeReport) {
  Folder f;
  f.stay("2024-06-01");
  f.apply("care_fees.income_reported",
          R"({"customer_id":"C000001","income_year":2025,"status":"final",)"
          R"("items":[{"kind":"pension","amount":"300000.00","joint":false}],)"
          R"("deductions":[{"kind":"tax","amount":"60000.00"}],"dependants":[)"
          R"({"relation":"spouse","assumed_pension":"200000.00","income":[)"
          R"({"kind":"earned","amount":"50000.00"},)"
          R"({"kind":"national_insurance_pension","amount":"40000.00"},)"
          R"({"kind":"other","amount":"30000.00"}]},)"
          R"({"relation":"minor_child","assumed_pension":"40000.00",)"
          R"("income":[{"kind":"earned","amount":"10000.00"}]}]})");
  ASSERT_TRUE(f.resident().rejections.empty()) << f.resident().rejections[0].message;
  const RecalcReport report = compute_recalculation(f.state(), RunSpec{"r", 2025, "", 0, "a"});
  ASSERT_EQ(report.residents.size(), 1u);
  EXPECT_EQ(*report.residents[0].fee_year_nok, testing::dec("59622"));
}

// Issue 10, item 6: the bill's posting string is rule data per institution and district.
TEST(CareFeesBilling, ThePostingStringComesFromTheRuleDataForTheInstitutionAndDistrict) {
  ParameterStore store = testing::store();
  Posting sagene_i1;
  sagene_i1.district = "bydel_sagene";
  sagene_i1.institution_id = "I1";
  sagene_i1.art = "16001";
  sagene_i1.funksjon = "254";
  sagene_i1.ansvar = "SAG_I1";
  sagene_i1.effective_from = testing::day(2025, 1, 1);
  sagene_i1.source = "test";
  sagene_i1.rule_version = "test.1";
  ASSERT_TRUE(store.add_posting(sagene_i1).ok());
  for (const char* district : {"bydel_sagene", "bydel_frogner"}) {
    Folder f(store);
    f.apply("customers.customer_registered",
            std::string(R"({"customer_id":"C000001","kind":"person","district":")") + district +
                R"("})");
    f.stay("2024-06-01");
    f.income("provisional", "260000", "40000");
    const BillingPlan plan = plan_billing(f.state(), {2025, 3, "", ""});
    ASSERT_EQ(plan.events.size(), 1u) << district;
    const std::string& payload = plan.events[0].payload_json;
    const std::string expected =
        std::string(district) == "bydel_sagene"
            ? R"("kontering":{"ansvar":"SAG_I1","art":"16001","funksjon":"254"})"
            : R"("kontering":{"ansvar":"SYE_VEDERLAG","art":"16000","funksjon":"253"})";
    EXPECT_NE(payload.find(expected), std::string::npos) << district << " " << payload;
  }
}

TEST(CareFeesProjection, AnIncomePeriodOutsideTheYearIsRejectedNamingTheField) {
  Folder f;
  f.stay("2025-01-01");
  f.apply("care_fees.income_reported",
          R"({"customer_id":"C000001","income_year":2025,"status":"final",)"
          R"("covered_to":"2026-03-15","items":[],"deductions":[]})");
  const auto& rejections = f.resident().rejections;
  ASSERT_EQ(rejections.size(), 1u);
  EXPECT_EQ(rejections[0].code, "period_outside_year");
  EXPECT_EQ(rejections[0].field, "payload.covered_to");
}

}  // namespace
}  // namespace oppgjor::care_fees
