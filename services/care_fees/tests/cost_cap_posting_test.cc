// The cost cap per institution (issue 10, item 5) and the posting string as rule data per
// institution and district (item 6).
// 2025: G = 130 160, F = 10 450. Pension 1 200 000, no tax → B = 1 200 000:
//   fee_raw = 0.75 × (130 160 − 10 450) + 0.85 × (1 200 000 − 130 160)
//           = 89 782.50 + 0.85 × 1 069 840 = 89 782.50 + 909 364 = 999 146.50
//   the cap binds whenever it is below that: Oslo's example cap for nursing_home 2025 = 936 000.
#include <gtest/gtest.h>

#include "services/care_fees/calc_json.h"
#include "services/care_fees/long_term_fee.h"
#include "services/care_fees/tests/test_support.h"

namespace oppgjor::care_fees {
namespace {

using testing::day;
using testing::dec;
using testing::pension_only;
using testing::result;

ParameterStore with_institution_cap() {
  ParameterStore s = testing::store();
  DatedValue cap;
  cap.value = dec("500000");
  cap.effective_from = day(2025, 1, 1);
  cap.effective_to = day(2025, 12, 31);
  cap.source = "test";
  cap.rule_version = "test.1";
  EXPECT_TRUE(s.add(param::cost_cap_year, cap, institution_scope("SYKEHJEM-A")).ok());
  return s;
}

const TraceStep& cap_step(const YearlyFee& fee) {
  for (const TraceStep& s : fee.trace.steps) {
    if (s.name == "cost_cap") return s;
  }
  ADD_FAILURE() << "no cost_cap step";
  return fee.trace.steps.front();
}

TEST(CostCap, TheInstitutionsOwnCapWinsOverItsTypes) {
  // Table: institution_id, institution_type → fee_year, the parameter used.
  struct Case {
    const char* id;
    const char* type;
    const char* fee_year;
    const char* parameter;
  };
  const Case cases[] = {
      {"SYKEHJEM-A", "nursing_home", "500000",
       "care_fees.cost_cap_year_nok[institution:SYKEHJEM-A]"},
      {"SYKEHJEM-A", "", "500000", "care_fees.cost_cap_year_nok[institution:SYKEHJEM-A]"},
      {"SYKEHJEM-B", "nursing_home", "936000", "care_fees.cost_cap_year_nok[nursing_home]"},
      {"", "nursing_home", "936000", "care_fees.cost_cap_year_nok[nursing_home]"},
  };
  const ParameterStore store = with_institution_cap();
  for (const Case& c : cases) {
    FeeInput in = pension_only(2025, "1200000", "0");
    in.institution_id = c.id;
    in.institution_type = c.type;
    auto fee = calculate_long_term_fee(in, store);
    ASSERT_TRUE(fee) << fee.error().to_string();
    EXPECT_EQ(fee->fee_year_nok, dec(c.fee_year)) << c.id << " " << c.type;
    const TraceStep& s = cap_step(*fee);
    ASSERT_EQ(s.parameters.size(), 1u);
    EXPECT_EQ(s.parameters[0].name, c.parameter);
    EXPECT_EQ(result(s, "cost_cap_applied"), "yes");
  }
}

TEST(CostCap, WithoutACapTheOutputAndTheTraceSaySo) {
  // No cap, no institution with its own cap, no type: fee_year = round_down(999 146.50).
  const ParameterStore store = with_institution_cap();
  for (const char* id : {"", "SYKEHJEM-B"}) {
    FeeInput in = pension_only(2025, "1200000", "0");
    in.institution_id = id;
    auto fee = calculate_long_term_fee(in, store);
    ASSERT_TRUE(fee) << fee.error().to_string();
    EXPECT_EQ(fee->fee_year_nok, dec("999146"));
    EXPECT_FALSE(fee->cost_cap_year_nok);
    EXPECT_EQ(result(cap_step(*fee), "cost_cap_applied"), "no");
  }
  const std::string doc =
      R"({"year":2025,"income":[{"kind":"pension","amount":"1200000.00","joint":false}]})";
  auto json = run_calc(doc, OutputFormat::json, store);
  ASSERT_TRUE(json) << json.error().to_string();
  EXPECT_NE(json->find("No cost cap applied"), std::string::npos) << *json;
  auto table = run_calc(doc, OutputFormat::table, store);
  ASSERT_TRUE(table);
  EXPECT_NE(table->find("intet kostnadstak er brukt"), std::string::npos) << *table;
  // With a cap: no such warning; Oslo's caps stay marked as example data.
  auto capped = run_calc(
      R"({"year":2025,"institution_type":"nursing_home","income":[{"kind":"pension","amount":"1200000.00","joint":false}]})",
      OutputFormat::json, store);
  ASSERT_TRUE(capped);
  EXPECT_EQ(capped->find("No cost cap applied"), std::string::npos);
  EXPECT_NE(capped->find("example data, not sourced"), std::string::npos);
}

TEST(CostCap, ARulesFileCanScopeACapToAnInstitution) {
  ParameterStore store;
  ASSERT_TRUE(load_rules_json("caps.json",
                              R"({"parameters":[{"parameter":"care_fees.cost_cap_year_nok",)"
                              R"("unit":"nok","scope":{"institution_id":"SYKEHJEM-C"},)"
                              R"("values":[{"value":"700000","effective_from":"2025-01-01",)"
                              R"("effective_to":"2025-12-31","source":"s","rule_version":"v"}]}]})",
                              store)
                  .ok());
  auto cap = store.cost_cap_for(2025, "SYKEHJEM-C", "");
  ASSERT_TRUE(cap);
  EXPECT_EQ(cap->value.value, dec("700000"));
  auto bad =
      load_rules_json("caps.json",
                      R"({"parameters":[{"parameter":"care_fees.cost_cap_year_nok",)"
                      R"("scope":{"institution_id":"X","institution_type":"y"},"values":[]}]})",
                      store);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "caps.json:$.parameters[0].scope");
}

Posting posting(const char* district, const char* institution, const char* ansvar) {
  Posting p;
  p.district = district;
  p.institution_id = institution;
  p.art = "16000";
  p.funksjon = "253";
  p.ansvar = ansvar;
  p.effective_from = day(2025, 1, 1);
  p.source = "test";
  p.rule_version = "test.1";
  return p;
}

TEST(Posting, TheMostSpecificEntryWins) {
  // The shipped default (example data) first.
  auto shipped = testing::store().posting(day(2025, 3, 1), "bydel_sagene", "SYKEHJEM-A");
  ASSERT_TRUE(shipped) << shipped.error().to_string();
  EXPECT_EQ(shipped->art, "16000");
  EXPECT_EQ(shipped->funksjon, "253");
  EXPECT_EQ(shipped->ansvar, "SYE_VEDERLAG");
  EXPECT_TRUE(shipped->example);
  ParameterStore store = testing::store();
  ASSERT_TRUE(store.add_posting(posting("bydel_sagene", "", "SAGENE")).ok());
  ASSERT_TRUE(store.add_posting(posting("", "SYKEHJEM-A", "INST_A")).ok());
  ASSERT_TRUE(store.add_posting(posting("bydel_sagene", "SYKEHJEM-A", "INST_A_SAGENE")).ok());
  // Table: district, institution → ansvar.
  const std::array<std::array<const char*, 3>, 5> cases = {{
      {"bydel_sagene", "SYKEHJEM-A", "INST_A_SAGENE"},
      {"bydel_frogner", "SYKEHJEM-A", "INST_A"},
      {"bydel_sagene", "SYKEHJEM-B", "SAGENE"},
      {"bydel_frogner", "SYKEHJEM-B", "SYE_VEDERLAG"},
      {"", "", "SYE_VEDERLAG"},
  }};
  for (const auto& [district, institution, ansvar] : cases) {
    auto p = store.posting(day(2025, 3, 1), district, institution);
    ASSERT_TRUE(p) << p.error().to_string();
    EXPECT_EQ(p->ansvar, ansvar) << district << " " << institution;
  }
  // Before any entry: an error naming the parameter.
  auto missing = store.posting(day(2012, 1, 1), "bydel_sagene", "SYKEHJEM-A");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, "parameter_missing");
  EXPECT_EQ(missing.error().field, "care_fees.posting");
}

}  // namespace
}  // namespace oppgjor::care_fees
