#include "services/ledger/saft_export.h"

#include <string>

#include <gtest/gtest.h>

#include "services/invoicing/billing_rules.h"
#include "services/ledger/saft_rules.h"

namespace oppgjor::ledger {
namespace {

std::string oslo(std::string_view utc) {
  auto d = oslo_date_of(utc);
  return d ? d->to_iso() : d.error().code;
}

// Norway: CET (UTC+1) in winter, CEST (UTC+2) from 01:00 UTC on the last Sunday of March to
// 01:00 UTC on the last Sunday of October (2025: 30 March and 26 October).
TEST(SaftEntryDate, OsloDateOfTheRecordedInstant) {
  EXPECT_EQ(oslo("2025-01-15T22:59:59.999999Z"), "2025-01-15");
  EXPECT_EQ(oslo("2025-01-15T23:00:00.000000Z"), "2025-01-16");  // 00:00 in Oslo
  EXPECT_EQ(oslo("2025-06-15T21:59:59.000000Z"), "2025-06-15");
  EXPECT_EQ(oslo("2025-06-15T22:00:00.000000Z"), "2025-06-16");  // summer: UTC+2
  EXPECT_EQ(oslo("2025-03-30T00:59:59.000000Z"), "2025-03-30");  // before the change
  EXPECT_EQ(oslo("2025-03-29T22:30:00.000000Z"), "2025-03-29");  // still winter: 23:30
  EXPECT_EQ(oslo("2025-10-25T22:30:00.000000Z"), "2025-10-26");  // still summer: 00:30
  EXPECT_EQ(oslo("2025-10-26T22:30:00.000000Z"), "2025-10-26");  // winter again: 23:30
  EXPECT_EQ(oslo("2025-12-31T23:00:00.000000Z"), "2026-01-01");
  EXPECT_EQ(oslo("2025-12-31"), "recorded_at_invalid");
  EXPECT_EQ(oslo("2025-12-31T2x:00:00Z"), "recorded_at_invalid");
}

// Every account the shipped invoicing rules can post to has a description and a KA_K grouping
// code, and every VAT code a standard tax code, so `export saf-t` never stops on shipped data.
TEST(SaftRules, ShippedDataMapsTheChartTheIncomeAccountsAndTheVatCodes) {
  const auto& billing = invoicing::BillingRules::builtin();
  const auto& saft = SaftRules::builtin();
  const Date on = Date::ymd(2026, 6, 30);
  auto chart = billing.chart(on);
  ASSERT_TRUE(chart.ok());
  for (const std::string& account :
       {chart->receivables, chart->bank, chart->suspense, chart->vat_payable, chart->rounding,
        chart->bad_debt, chart->fee_income, chart->interest_income}) {
    auto mapped = saft.account(account, on);
    ASSERT_TRUE(mapped.ok()) << mapped.error().to_string();
    EXPECT_EQ(mapped->grouping_category, "KA_K");
  }
  for (const std::string& claim_type : invoicing::claim_type_names()) {
    auto income = billing.claim_type(claim_type, on);
    ASSERT_TRUE(income.ok());
    EXPECT_TRUE(saft.account(income->income_account, on).ok()) << income->income_account;
  }
  EXPECT_EQ(saft.account(chart->receivables, on)->grouping_code, "13");  // kundefordringer
  for (const char* code : {"0", "3", "5", "6"}) {
    EXPECT_TRUE(billing.vat_code(code, on).ok());
    EXPECT_TRUE(saft.tax_code(code, on).ok()) << code;
  }
  EXPECT_EQ(saft.tax_code("0", on)->standard_tax_code, "7");  // income outside the VAT act
  EXPECT_TRUE(saft.contact(on).ok());
}

TEST(SaftRules, AMissingMappingNamesTheAccountAndTheDate) {
  auto missing = SaftRules::builtin().account("4711", Date::ymd(2025, 3, 31));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, "parameter_missing");
  EXPECT_EQ(missing.error().field, "accounts[4711]");
  EXPECT_NE(missing.error().message.find("2025-03-31"), std::string::npos);
  // Before an entry's effective_from there is nothing in force either.
  EXPECT_FALSE(SaftRules::builtin().account("1500", Date::ymd(1999, 12, 31)).ok());
}

TEST(SaftRules, DatedEntriesAndBadData) {
  auto rules = SaftRules::parse(R"({"rule_version":"t","accounts":[
    {"account":"1500","effective_from":"2025-01-01","description":"Kundefordringer 2025",
     "grouping_category":"KA_K","grouping_code":"13"},
    {"account":"1500","effective_from":"2020-01-01","description":"Kundefordringer",
     "grouping_category":"KA_K","grouping_code":"13"}],
    "tax_codes":[],"contact":[]})");
  ASSERT_TRUE(rules.ok()) << rules.error().to_string();
  EXPECT_EQ(rules->account("1500", Date::ymd(2024, 12, 31))->description, "Kundefordringer");
  EXPECT_EQ(rules->account("1500", Date::ymd(2025, 1, 1))->description, "Kundefordringer 2025");
  EXPECT_EQ(rules->contact(Date::ymd(2025, 1, 1)).error().code, "parameter_missing");
  auto blank = SaftRules::parse(R"({"rule_version":"t","accounts":[
    {"account":"1500","effective_from":"2025-01-01","description":"Kundefordringer",
     "grouping_category":"KA_K","grouping_code":""}],"tax_codes":[],"contact":[]})");
  ASSERT_FALSE(blank.ok());
  EXPECT_EQ(blank.error().code, "rules_data_invalid");
  EXPECT_EQ(blank.error().field, "/accounts/0/grouping_code");
}

}  // namespace
}  // namespace oppgjor::ledger
