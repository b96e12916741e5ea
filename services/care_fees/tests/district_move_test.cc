// A resident moves between districts (issue 10, item 9): one transfer event with to_district; the
// month's bill splits by district; the control recalculation reports (and corrects) each
// district's part. 2025 numbers as in monthly_fees_test.cc: pension 260 000, tax 40 000 →
// B = 220 000, fee_year 166 146 with the 1 May G (130 160) and F = 10 450.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "services/care_fees/approval.h"
#include "services/care_fees/billing.h"
#include "services/care_fees/care_fees_projection.h"
#include "services/care_fees/district_split.h"
#include "services/care_fees/recalc.h"
#include "services/care_fees/resident_fees.h"
#include "services/care_fees/resident_view.h"
#include "services/care_fees/tests/test_support.h"

namespace oppgjor::care_fees {
namespace {

using testing::day;
using testing::dec;

constexpr const char* sagene = "bydel_sagene";
constexpr const char* grorud = "bydel_grorud";

class MoveFolder {
 public:
  MoveFolder() : p_(testing::store()) {}
  explicit MoveFolder(const ParameterStore& store) : p_(store) {}
  void apply(const std::string& type, const std::string& payload) {
    events::EventView e;
    std::string event_id = std::string(1, 'e').append(std::to_string(++seq_));
    e.event_id = event_id;
    e.type = type;
    e.sequence = seq_;
    e.occurred_at = "2025-01-02";
    simdjson::dom::element el;
    ASSERT_EQ(parser_.parse(payload).get(el), simdjson::SUCCESS) << payload;
    ASSERT_TRUE(p_.apply(e, el).ok());
  }
  void apply(const events::EngineEvent& e) { apply(e.type, e.payload_json); }
  // Registered in Sagene, long-term since 1 June 2024 (not from home) in SYKEHJEM-A, Sagene.
  void resident() {
    apply("customers.customer_registered",
          R"({"customer_id":"C000001","kind":"person","district":"bydel_sagene"})");
    apply("care_fees.stay_started",
          R"({"customer_id":"C000001","stay_id":"S1","kind":"long_term","institution_id":)"
          R"("SYKEHJEM-A","institution_type":"nursing_home","admission_date":"2024-06-01",)"
          R"("from_home":false,"district":"bydel_sagene"})");
  }
  void move(const std::string& on, const std::string& district,
            const std::string& institution = "SYKEHJEM-B") {
    apply("care_fees.stay_transferred",
          R"({"customer_id":"C000001","stay_id":"S1","transfer_date":")" + on +
              R"(","to_institution_id":")" + institution +
              R"(","to_institution_type":"nursing_home","to_district":")" + district + R"("})");
  }
  void income(const std::string& status, const std::string& pension, const std::string& tax) {
    apply("care_fees.income_reported",
          R"({"customer_id":"C000001","income_year":2025,"status":")" + status +
              R"(","items":[{"kind":"pension","amount":")" + pension +
              R"(","joint":false}],"deductions":[{"kind":"tax","amount":")" + tax + R"("}]})");
  }
  const CareFeesState& state() const { return p_.state(); }
  const ResidentState& r() const { return state().residents.at("C000001"); }

 private:
  CareFeesProjection p_;
  simdjson::dom::parser parser_;
  int seq_ = 0;
};

MonthlyFees year_fees(const ResidentState& r) {
  const FeeInput basis = testing::pension_only(2025, "260000", "40000");
  auto fees = resident_fees(r, 2025, &basis, testing::store());
  EXPECT_TRUE(fees) << fees.error().to_string();
  return fees ? *fees : MonthlyFees{};
}

std::string field_of(const std::string& json, const std::string& key) {
  const std::string k = "\"" + key + "\":\"";
  const auto at = json.find(k);
  if (at == std::string::npos) return "";
  return json.substr(at + k.size(), json.find('"', at + k.size()) - at - k.size());
}

TEST(DistrictMove, AMoveOn11MarchSplitsMarchByTheDistrictsDays) {
  MoveFolder f;
  f.resident();
  f.move("2025-03-11", grorud);
  EXPECT_EQ(f.r().district(), grorud);  // the district now follows the transfer
  const MonthlyFees fees = year_fees(f.r());
  // March: cumulative round(3 × 13 845,50 = 41 536,50) − round(27 691) = 13 846.
  ASSERT_EQ(fees.months[2].amount_nok.to_string(), "13846");
  const auto parts = split_month(f.r(), fees.months[2]);
  ASSERT_EQ(parts.size(), 2u);
  // Sagene 1–10 March: 166 146 × 10 / 372 = 4 466,29; Grorud 11–31 March: × 21 / 372 = 9 379,21.
  // Sagene's part: round(13 846 × 4 466,29 / 13 845,50) = round(4 466,45) = 4 466; Grorud the
  // rest, 9 380.
  EXPECT_EQ(parts[0].district, sagene);
  EXPECT_EQ(parts[0].days, 10);
  EXPECT_EQ(parts[0].weight_nok.to_string(), "4466.29");
  EXPECT_EQ(parts[0].amount_ore, 446600);
  EXPECT_EQ(parts[0].institution_id, "SYKEHJEM-A");
  EXPECT_EQ(parts[1].district, grorud);
  EXPECT_EQ(parts[1].days, 21);
  EXPECT_EQ(parts[1].amount_ore, 938000);
  EXPECT_EQ(parts[1].institution_id, "SYKEHJEM-B");
  // February and April have one district each: the whole month.
  ASSERT_EQ(split_month(f.r(), fees.months[1]).size(), 1u);
  EXPECT_EQ(split_month(f.r(), fees.months[1])[0].district, sagene);
  EXPECT_EQ(split_month(f.r(), fees.months[3])[0].district, grorud);
  EXPECT_EQ(split_month(f.r(), fees.months[3])[0].amount_ore, 1384500);
}

TEST(DistrictMove, TheBillOfTheMonthIsOneBasisPerDistrictWithItsOwnIssuer) {
  MoveFolder f;
  f.resident();
  f.income("provisional", "260000", "40000");
  f.move("2025-03-11", grorud);
  // Bills use the G in force on the month's first day (124 028 in March): 166 759 a year,
  // March 13 897 (docs/care-fees.md, section 9); lines 166 759 × 10 / 372 = 4 482,77 and
  // × 21 / 372 = 9 413,81: Sagene round(13 897 × 4 482,77 / 13 896,58) = round(4 482,91) =
  // 4 483, Grorud the rest, 9 414.
  const BillingPlan plan = plan_billing(f.state(), BillingRequest{2025, 3, "", "kari"});
  ASSERT_EQ(plan.events.size(), 2u);
  const std::string& a = plan.events[0].payload_json;
  const std::string& b = plan.events[1].payload_json;
  EXPECT_EQ(field_of(a, "ordrenummer"), "VED-2025-03-C000001-SAGENE");
  EXPECT_EQ(field_of(a, "fakturautsteder"), "SYE_SAGENE");
  EXPECT_EQ(field_of(a, "district"), sagene);
  EXPECT_NE(a.find(R"("totalbelop_ore":448300)"), std::string::npos) << a;
  EXPECT_EQ(field_of(b, "ordrenummer"), "VED-2025-03-C000001-GRORUD");
  EXPECT_EQ(field_of(b, "fakturautsteder"), "SYE_GRORUD");
  EXPECT_NE(b.find(R"("totalbelop_ore":941400)"), std::string::npos) << b;
  EXPECT_EQ(plan.total_ore, 1389700);
  EXPECT_NE(plan.events[0].event_id, plan.events[1].event_id);
  // A district bills its own part only; once folded, billing again appends nothing.
  const BillingPlan only = plan_billing(f.state(), BillingRequest{2025, 3, grorud, "kari"});
  ASSERT_EQ(only.events.size(), 1u);
  EXPECT_EQ(only.events[0].event_id, plan.events[1].event_id);
  f.apply(only.events[0]);
  const BillingPlan rest = plan_billing(f.state(), BillingRequest{2025, 3, "", "kari"});
  ASSERT_EQ(rest.events.size(), 1u);
  EXPECT_EQ(rest.events[0].event_id, plan.events[0].event_id);
  f.apply(rest.events[0]);
  EXPECT_TRUE(plan_billing(f.state(), BillingRequest{2025, 3, "", "kari"}).events.empty());
  // The month as charged: both parts, each with its district.
  const MonthCharges& march = f.r().charged.at(YearMonth{2025, 3});
  EXPECT_EQ(march.charged_ore, 1389700);
  ASSERT_EQ(march.entries.size(), 2u);
  EXPECT_EQ(*march.entries[0].district, grorud);
  // Grorud (the receiving district) sees the whole history, Sagene's months marked.
  const std::string view = resident_history_no(f.r(), grorud);
  EXPECT_NE(view.find("01.06.2024–10.03.2025 long_term SYKEHJEM-A bydel_sagene [annen bydel]"),
            std::string::npos)
      << view;
  EXPECT_NE(view.find("11.03.2025– long_term SYKEHJEM-B bydel_grorud\n"), std::string::npos)
      << view;
  EXPECT_NE(view.find("VED-2025-03-C000001-SAGENE 4 483,00 bydel_sagene [annen bydel]"),
            std::string::npos)
      << view;
}

TEST(DistrictMove, EachPartHasItsDistrictsPostingString) {
  ParameterStore store = testing::store();
  for (const char* d : {sagene, grorud}) {
    Posting p;
    p.district = d;
    p.art = "16000";
    p.funksjon = "253";
    p.ansvar = std::string("ANSVAR_") + d;
    p.effective_from = day(2025, 1, 1);
    p.source = "test";
    p.rule_version = "test";
    ASSERT_TRUE(store.add_posting(p).ok());
  }
  MoveFolder f(store);
  f.resident();
  f.income("provisional", "260000", "40000");
  f.move("2025-03-11", grorud);
  const BillingPlan plan = plan_billing(f.state(), BillingRequest{2025, 3, "", "kari"});
  ASSERT_EQ(plan.events.size(), 2u);
  EXPECT_EQ(field_of(plan.events[0].payload_json, "ansvar"), "ANSVAR_bydel_sagene");
  EXPECT_EQ(field_of(plan.events[1].payload_json, "ansvar"), "ANSVAR_bydel_grorud");
}

TEST(DistrictMove, TheRecalculationReportsAndCorrectsEachDistrictsPart) {
  MoveFolder f;
  f.resident();
  f.income("provisional", "260000", "40000");
  f.move("2025-03-11", grorud);
  for (unsigned m = 1; m <= 12; ++m) {
    for (const auto& e : plan_billing(f.state(), BillingRequest{2025, m, "", "kari"}).events) {
      f.apply(e);
    }
  }
  f.income("final", "250000", "38000");
  RunSpec all{"run-all", 2025, "", 0, "saksbehandler.a"};
  const RecalcReport report = compute_recalculation(f.state(), all);
  ASSERT_EQ(report.residents.size(), 1u);
  const ResidentReport& r = report.residents[0];
  ASSERT_EQ(r.districts.size(), 2u);
  EXPECT_EQ(r.districts[0].district, sagene);
  EXPECT_EQ(r.districts[1].district, grorud);
  // The CSV files carry each district's part of the year too (status district_part / "bydelens
  // del"), after the resident's row.
  const std::string csv = report_csv(report);
  const std::string part_row = std::string(",C000001,") + sagene + ",district_part,2025,";
  EXPECT_NE(csv.find(part_row), std::string::npos) << csv;
  EXPECT_NE(csv.find(std::string(",C000001,") + grorud + ",district_part,2025,"),
            std::string::npos);
  const std::string excel = report_csv_excel(report);
  EXPECT_NE(excel.find(std::string(";") + grorud + ";bydelens del;hele året;"), std::string::npos)
      << excel;
  // The parts sum to the resident, month by month.
  for (unsigned m = 0; m < 12; ++m) {
    EXPECT_EQ(r.districts[0].due_ore[m] + r.districts[1].due_ore[m], r.months[m].due_ore);
    EXPECT_EQ(r.districts[0].charged_ore[m] + r.districts[1].charged_ore[m],
              r.months[m].charged_ore);
  }
  EXPECT_EQ(r.districts[0].difference_ore() + r.districts[1].difference_ore(), r.difference_ore());
  EXPECT_LT(r.difference_ore(), 0);  // a refund
  EXPECT_NE(report_json(report).find("\"districts\":["), std::string::npos);
  EXPECT_NE(report_table(report).find("Bydel bydel_sagene: fakturert"), std::string::npos);

  // A run for Sagene covers the resident who left it, for Sagene's part only.
  RunSpec sag{"run-sag", 2025, sagene, 0, "saksbehandler.a"};
  const RecalcReport sag_report = compute_recalculation(f.state(), sag);
  ASSERT_EQ(sag_report.residents.size(), 1u);
  EXPECT_EQ(sag_report.residents[0].difference_ore(), r.districts[0].difference_ore());
  EXPECT_EQ(sag_report.residents[0].charged_ore, r.districts[0].charged_total_ore());
  RunSpec alna{"run-alna", 2025, "bydel_alna", 0, "saksbehandler.a"};
  EXPECT_TRUE(compute_recalculation(f.state(), alna).residents.empty());

  // Approval: one correction per district with a difference, each to its own issuer; after
  // them, every district's months are charged as due.
  // Each correction line is posted with its district's posting string from the rule data (issue
  // 10 item 6): here Grorud has its own ansvar, Sagene the unscoped one.
  CareFeesState with_grorud = f.state();
  Posting grorud_posting;
  grorud_posting.district = grorud;
  grorud_posting.art = "16000";
  grorud_posting.funksjon = "253";
  grorud_posting.ansvar = "SYE_GRORUD_VED";
  grorud_posting.effective_from = Date::ymd(2025, 1, 1);
  grorud_posting.rule_version = "test";
  grorud_posting.source = "test";
  ASSERT_TRUE(with_grorud.parameters.add_posting(grorud_posting).ok());
  const auto approved = approval_events(with_grorud, report, "leder.b", "sha", "2026-07-01");
  ASSERT_TRUE(approved.ok()) << approved.error().to_string();
  const auto& events = *approved;
  ASSERT_EQ(events.size(), 3u);  // approved + Sagene + Grorud
  EXPECT_EQ(field_of(events[1].payload_json, "fakturautsteder"), "SYE_SAGENE");
  EXPECT_EQ(field_of(events[2].payload_json, "fakturautsteder"), "SYE_GRORUD");
  EXPECT_NE(events[1].payload_json.find(R"("ansvar":"SYE_VEDERLAG")"), std::string::npos);
  EXPECT_EQ(events[1].payload_json.find("SYE_GRORUD_VED"), std::string::npos);
  EXPECT_NE(events[2].payload_json.find(R"("ansvar":"SYE_GRORUD_VED")"), std::string::npos);
  EXPECT_EQ(events[2].payload_json.find("SYE_VEDERLAG"), std::string::npos);
  for (std::size_t i = 1; i < events.size(); ++i) f.apply(events[i]);
  const RecalcReport after = compute_recalculation(f.state(), all);
  for (const DistrictReport& d : after.residents[0].districts) {
    for (unsigned m = 0; m < 12; ++m) EXPECT_EQ(d.charged_ore[m], d.due_ore[m]) << d.district;
  }
  EXPECT_EQ(after.residents[0].difference_ore(), 0);
}

// Property (seeded): whatever the amount and the weights, the parts sum to the amount and none
// is a krone or more away from its exact share.
TEST(DistrictMove, PropertyThePartsOfAMonthSumToTheMonth) {
  const unsigned seed = 20250311;
  std::mt19937 rng(seed);
  for (int i = 0; i < 2000; ++i) {
    const std::int64_t amount_ore =
        std::uniform_int_distribution<std::int64_t>(0, 40000)(rng) * 100;
    const int n = std::uniform_int_distribution<int>(1, 4)(rng);
    std::vector<Decimal> weights;
    Decimal total;
    for (int k = 0; k < n; ++k) {
      weights.push_back(
          Decimal::from_ore(std::uniform_int_distribution<std::int64_t>(0, 2000000)(rng)));
      total += weights.back();
    }
    const auto parts = split_whole_kroner(amount_ore, weights);
    std::int64_t sum = 0;
    for (std::size_t k = 0; k < parts.size(); ++k) {
      sum += parts[k];
      EXPECT_EQ(parts[k] % 100, 0) << "seed " << seed << " case " << i;
      if (total.is_zero()) continue;
      const Decimal exact = (Decimal::from_ore(amount_ore) * weights[k]).divide(total);
      const Decimal off = Decimal::from_ore(parts[k]) - exact;
      EXPECT_LT(off < Decimal() ? -off : off, Decimal::from_int(1))
          << "seed " << seed << " case " << i;
    }
    ASSERT_EQ(sum, amount_ore) << "seed " << seed << " case " << i;
  }
}

// Property (seeded): a transfer inside long-term care — to another district, another
// institution, on any day — never changes the year's total, and each month's district parts sum
// to the month.
TEST(DistrictMove, PropertyATransferInsideLongTermCareNeverChangesTheYearsTotal) {
  const unsigned seed = 91;
  std::mt19937 rng(seed);
  MoveFolder plain;
  plain.resident();
  const Decimal total = year_fees(plain.r()).total_nok;
  ASSERT_EQ(total.to_string(), "166146");
  const char* districts[] = {"bydel_alna", "bydel_grorud", "bydel_sagene", "bydel_ullern"};
  for (int i = 0; i < 40; ++i) {
    MoveFolder f;
    f.resident();
    const int moves = std::uniform_int_distribution<int>(1, 3)(rng);
    int from_day = 0;
    for (int k = 0; k < moves; ++k) {
      from_day += std::uniform_int_distribution<int>(1, 120)(rng);
      if (from_day > 364) break;
      f.move(day(2025, 1, 1).add_days(from_day).to_iso(), districts[rng() % 4],
             "INST-" + std::to_string(rng() % 3));
    }
    const MonthlyFees fees = year_fees(f.r());
    EXPECT_EQ(fees.total_nok, total) << "seed " << seed << " case " << i;
    for (const MonthFee& m : fees.months) {
      std::int64_t sum = 0;
      for (const DistrictPart& p : split_month(f.r(), m)) sum += p.amount_ore;
      EXPECT_EQ(sum, m.amount_nok.to_ore(common::Rounding::half_up))
          << "seed " << seed << " case " << i << " month " << m.month;
    }
  }
}

// A resident who moved is due for the control recalculation until every district of the year has
// had its part approved: a run for the district left does not cover the district joined.
TEST(DistrictMove, DueForRecalculationUntilEveryDistrictOfTheYearIsCovered) {
  MoveFolder f;
  f.resident();
  f.move("2025-03-11", grorud);
  f.income("provisional", "260000.00", "40000.00");
  f.income("final", "262000.00", "40500.00");
  CareFeesState s = f.state();
  const ResidentState& r = s.residents.at("C000001");
  EXPECT_EQ(s.due_for_recalculation(r), std::vector<int>{2025});
  const auto approved = [&](const std::string& id, const std::string& district) {
    RunRecord run;
    run.run_id = id;
    run.year = 2025;
    run.district = district;
    run.as_of_sequence = 100;  // after the final report
    run.status = RunStatus::approved;
    s.runs[id] = run;
  };
  approved("run-grorud", grorud);  // the district the resident is in now
  EXPECT_EQ(s.due_for_recalculation(r), std::vector<int>{2025}) << "Sagene's part is open";
  s.runs.clear();
  approved("run-sagene", sagene);
  EXPECT_EQ(s.due_for_recalculation(r), std::vector<int>{2025}) << "Grorud's part is open";
  approved("run-grorud", grorud);
  EXPECT_TRUE(s.due_for_recalculation(r).empty());
  // One run for every district covers both.
  s.runs.clear();
  approved("run-all", "");
  EXPECT_TRUE(s.due_for_recalculation(r).empty());
}

TEST(DistrictMove, ATransferBeforeTheStayStartIsRejectedNamingTheField) {
  MoveFolder f;
  f.resident();
  f.move("2024-05-31", grorud);
  ASSERT_EQ(f.r().rejections.size(), 1u);
  EXPECT_EQ(f.r().rejections[0].code, "transfer_before_admission");
  EXPECT_EQ(f.r().rejections[0].field, "payload.transfer_date");
  EXPECT_EQ(f.r().district(), sagene);  // nothing moved
}

}  // namespace
}  // namespace oppgjor::care_fees
