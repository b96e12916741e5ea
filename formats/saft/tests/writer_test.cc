#include "formats/saft/writer.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "formats/saft/amount_text.h"
#include "formats/saft/errors.h"

namespace oppgjor::formats::saft {
namespace {

namespace ec = error_code;
using common::Date;

Line line(std::string record, std::string account, std::int64_t debit, std::int64_t credit) {
  Line l;
  l.record_id = std::move(record);
  l.account_id = std::move(account);
  l.description = "Barnehage mars";
  l.debit_ore = debit;
  l.credit_ore = credit;
  return l;
}

// An invoice (D 1500 / C 1600) and its payment (D 1920 / C 1500) for one customer.
AuditFile sample() {
  AuditFile f;
  Header& h = f.header;
  h.date_created = Date::ymd(2025, 4, 2);
  h.software_company_name = "Oslo kommune";
  h.software_id = "Oppgjør";
  h.software_version = "0.1.0";
  h.company = {"958935420",
               "Oslo kommune",
               {"Rådhusplassen 1", "0037", "Oslo", "NO"},
               {"Kari", "Nordmann", "21802180"}};
  h.selection_start = Date::ymd(2025, 3, 1);
  h.selection_end = Date::ymd(2025, 3, 31);
  f.accounts = {{"1500", "Kundefordringer", "KA_K", "13", 10'000, 0},
                {"1600", "Brukerbetalinger", "KA_K", "600", -10'000, -325'050},
                {"1920", "Bank", "KA_K", "10", 0, 315'050}};
  Customer c;
  c.customer_id = "C00000001";
  c.name = "Barnehage & Søn AS";
  c.registration_number = "974760673";
  c.address = Address{"Storgata 1", "0155", "Oslo", "NO"};
  c.balance_accounts = {{"1500", 10'000, 10'000}};
  f.customers = {c};
  f.tax_codes = {{"0", "Ingen merverdiavgiftsbehandling", "0", "7", Date::ymd(2000, 1, 1)},
                 {"3", "Utgående mva, alminnelig sats", "25", "3", std::nullopt}};
  Journal j{"RESKONTRO", "Reskontro", "AR", {}};
  Transaction inv;
  inv.transaction_id = "invoice/10000001";
  inv.period = 3;
  inv.period_year = 2025;
  inv.transaction_date = inv.system_entry_date = inv.gl_posting_date = Date::ymd(2025, 3, 1);
  inv.voucher_type = "invoice";
  inv.description = "Faktura 10000001";
  inv.customer_id = "C00000001";
  inv.lines = {line("1", "1500", 315'050, 0), line("2", "1600", 0, 315'050)};
  inv.lines[0].customer_id = "C00000001";
  inv.lines[0].reference_number = "10000001";
  inv.lines[0].cid = "000000010000000018";
  inv.lines[0].due_date = Date::ymd(2025, 3, 17);
  Transaction pay = inv;
  pay.transaction_id = "payment/abc/1";
  pay.voucher_type = "payment";
  pay.description = "Innbetaling";
  pay.transaction_date = pay.system_entry_date = pay.gl_posting_date = Date::ymd(2025, 3, 14);
  pay.lines = {line("1", "1920", 315'050, 0), line("2", "1500", 0, 315'050)};
  pay.lines[1].customer_id = "C00000001";
  j.transactions = {inv, pay};
  f.journals = {j};
  return f;
}

std::string written(const AuditFile& f) {
  auto xml = write_audit_file(f);
  EXPECT_TRUE(xml.ok()) << (xml.ok() ? "" : xml.error().to_string());
  return xml.ok() ? *xml : std::string();
}

bool contains(const std::string& hay, const std::string& needle) {
  return hay.find(needle) != std::string::npos;
}

TEST(SaftWriter, HeaderFixedFieldsAndSelectionDates) {
  const std::string xml = written(sample());
  EXPECT_TRUE(contains(xml, "<AuditFile xmlns=\"urn:StandardAuditFile-Taxation-Financial:NO\">"));
  EXPECT_TRUE(contains(xml, "<AuditFileVersion>1.30</AuditFileVersion>"));
  EXPECT_TRUE(contains(xml, "<AuditFileCountry>NO</AuditFileCountry>"));
  EXPECT_TRUE(contains(xml, "<AuditFileDateCreated>2025-04-02</AuditFileDateCreated>"));
  EXPECT_TRUE(contains(xml, "<DefaultCurrencyCode>NOK</DefaultCurrencyCode>"));
  EXPECT_TRUE(contains(xml, "<SelectionStartDate>2025-03-01</SelectionStartDate>"));
  EXPECT_TRUE(contains(xml, "<SelectionEndDate>2025-03-31</SelectionEndDate>"));
  EXPECT_TRUE(contains(xml, "<TaxAccountingBasis>A</TaxAccountingBasis>"));
  EXPECT_TRUE(contains(xml, "<Name>Barnehage &amp; Søn AS</Name>"));
}

TEST(SaftWriter, BalancesAsDebitOrCreditWithTwoDecimals) {
  const std::string xml = written(sample());
  EXPECT_TRUE(contains(xml, "<OpeningDebitBalance>100.00</OpeningDebitBalance>"));
  EXPECT_TRUE(contains(xml, "<ClosingDebitBalance>0.00</ClosingDebitBalance>"));  // zero: debit
  EXPECT_TRUE(contains(xml, "<OpeningCreditBalance>100.00</OpeningCreditBalance>"));
  EXPECT_TRUE(contains(xml, "<ClosingCreditBalance>3250.50</ClosingCreditBalance>"));
  EXPECT_TRUE(contains(xml, "<GroupingCategory>KA_K</GroupingCategory>"));
  EXPECT_TRUE(contains(xml, "<GroupingCode>13</GroupingCode>"));
  EXPECT_TRUE(contains(xml, "<StandardTaxCode>7</StandardTaxCode>"));
}

TEST(SaftWriter, TotalsAreTheSumsOfTheLines) {
  const std::string xml = written(sample());
  EXPECT_TRUE(contains(xml, "<NumberOfEntries>2</NumberOfEntries>"));
  EXPECT_TRUE(contains(xml, "<TotalDebit>6301.00</TotalDebit>"));
  EXPECT_TRUE(contains(xml, "<TotalCredit>6301.00</TotalCredit>"));
  EXPECT_TRUE(contains(xml, "<CID>000000010000000018</CID>"));
  EXPECT_TRUE(contains(xml, "<DueDate>2025-03-17</DueDate>"));
}

TEST(SaftWriter, SameInputSameBytes) {
  EXPECT_EQ(written(sample()), written(sample()));
}

TEST(SaftWriter, SampleIsValidAgainstTheOfficialXsd) {
  if (std::system("command -v xmllint >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "xmllint missing (ops/install-deps.sh: libxml2-utils)";
  }
  const std::string path = testing::TempDir() + "saft_writer_sample.xml";
  std::ofstream(path) << written(sample());
  const std::string cmd =
      std::string("xmllint --noout --schema '") + OPPGJOR_SAFT_XSD + "' '" + path + "' 2>&1";
  EXPECT_EQ(std::system(cmd.c_str()), 0);
  std::remove(path.c_str());
}

TEST(SaftWriter, RefusesBlankGroupingCodeNamingTheAccount) {
  AuditFile f = sample();
  f.accounts[1].grouping_code = "";
  auto xml = write_audit_file(f);
  ASSERT_FALSE(xml.ok());
  EXPECT_EQ(xml.error().code, ec::text_missing);
  EXPECT_EQ(xml.error().field, "accounts[1600].grouping_code");
}

TEST(SaftWriter, RefusesLinesOnAccountsOutsideTheChart) {
  AuditFile f = sample();
  f.journals[0].transactions[1].lines[0].account_id = "1921";
  auto xml = write_audit_file(f);
  ASSERT_FALSE(xml.ok());
  EXPECT_EQ(xml.error().code, ec::account_unknown);
  EXPECT_EQ(xml.error().field, "transactions[payment/abc/1].lines[1].account_id");
}

TEST(SaftWriter, RefusesUnknownCustomerAndDuplicates) {
  AuditFile f = sample();
  f.journals[0].transactions[0].customer_id = "C9";
  EXPECT_EQ(write_audit_file(f).error().code, ec::customer_unknown);
  f = sample();
  f.accounts.push_back(f.accounts[0]);
  EXPECT_EQ(write_audit_file(f).error().code, ec::duplicate_id);
  f = sample();
  f.journals[0].transactions[1].transaction_id = "invoice/10000001";
  EXPECT_EQ(write_audit_file(f).error().code, ec::duplicate_id);
}

TEST(SaftWriter, RefusesTextTheXsdCannotHold) {
  AuditFile f = sample();
  f.journals[0].transactions[0].transaction_id = std::string(71, 'x');  // SAFmiddle2textType
  EXPECT_EQ(write_audit_file(f).error().code, ec::text_too_long);
  f = sample();
  f.customers[0].name = std::string(256, 'x');
  EXPECT_TRUE(write_audit_file(f).ok());
  f.customers[0].name = std::string(255, 'x') + "ø";  // 256 characters, 257 bytes
  EXPECT_TRUE(write_audit_file(f).ok());
  f.customers[0].name += "x";
  EXPECT_EQ(write_audit_file(f).error().code, ec::text_too_long);
  f = sample();
  f.customers[0].name = "bad\x01";
  EXPECT_EQ(write_audit_file(f).error().code, ec::text_invalid);
  f.customers[0].name = "bad\xC3";
  EXPECT_EQ(write_audit_file(f).error().code, ec::text_invalid);
}

TEST(SaftWriter, RefusesBadSelectionPeriodAndTaxCode) {
  AuditFile f = sample();
  f.header.selection_end = Date::ymd(2025, 2, 28);
  EXPECT_EQ(write_audit_file(f).error().code, ec::selection_invalid);
  f = sample();
  f.journals[0].transactions[0].period = 13;
  EXPECT_EQ(write_audit_file(f).error().code, ec::period_invalid);
  f = sample();
  f.tax_codes[0].standard_code = "";
  EXPECT_EQ(write_audit_file(f).error().code, ec::tax_code_invalid);
  f = sample();
  f.tax_codes[0].standard_code = "123";
  EXPECT_EQ(write_audit_file(f).error().code, ec::tax_code_invalid);
}

TEST(SaftWriter, RefusesAmountsBeyondEighteenDigits) {
  AuditFile f = sample();
  f.accounts[0].closing_ore = amount_ore_max + 1;
  auto xml = write_audit_file(f);
  ASSERT_FALSE(xml.ok());
  EXPECT_EQ(xml.error().code, ec::amount_out_of_range);
  EXPECT_EQ(xml.error().field, "accounts[1500].closing_ore");
}

TEST(SaftWriterDeathTest, AnUnbalancedTransactionIsABug) {
  AuditFile f = sample();
  f.journals[0].transactions[0].lines[1].credit_ore -= 1;
  EXPECT_DEATH((void)write_audit_file(f), "balances");
  f = sample();
  f.journals[0].transactions[0].lines[0].credit_ore = 1;  // two-sided line
  EXPECT_DEATH((void)write_audit_file(f), "either a debit or a credit");
}

}  // namespace
}  // namespace oppgjor::formats::saft
