// Invoicing rules: KID per agreement, due dates moved off weekends and holidays, line amounts
// rounded half-up, and the basis checks naming the field (services/invoicing/basis.h).
#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>

#include "common/identifiers.h"
#include "services/invoicing/basis.h"
#include "services/invoicing/billing_rules.h"

namespace oppgjor::invoicing {
namespace {

TEST(InvoicingRules, ShippedDataLoadsAndEveryClaimTypeHasRules) {
  const BillingRules& rules = BillingRules::builtin();
  EXPECT_FALSE(rules.rule_version().empty());
  for (const auto& t : claim_type_names()) {
    auto r = rules.claim_type(t, Date::ymd(2026, 1, 1));
    ASSERT_TRUE(r.ok()) << t;
    EXPECT_LE(r->kid.length(), 25) << t;
  }
  auto before = rules.claim_type("kindergarten", Date::ymd(1999, 12, 31));
  ASSERT_FALSE(before.ok());
  EXPECT_EQ(before.error().code, "parameter_missing");
  EXPECT_NE(before.error().message.find("1999-12-31"), std::string::npos);
  EXPECT_FALSE(rules.vat_code("99", Date::ymd(2026, 1, 1)).ok());
}

TEST(InvoicingRules, KidIsCustomerAndInvoiceNumberPaddedWithTheAgreementsCheckDigit) {
  KidAgreement mod10{common::KidScheme::mod10, 8, 9};
  auto kid = make_kid(mod10, "C0000001", 10000001);
  ASSERT_TRUE(kid.ok());
  EXPECT_EQ(kid->size(), 18u);
  EXPECT_EQ(kid->substr(0, 17), "00000001010000001");
  EXPECT_TRUE(common::kid_check(common::KidScheme::mod10, *kid));
  // The Nets manual's vector: body 12345678 → MOD10 2, MOD11 5.
  KidAgreement small10{common::KidScheme::mod10, 4, 4};
  EXPECT_EQ(*make_kid(small10, "C1234", 5678), "123456782");
  KidAgreement small11{common::KidScheme::mod11, 4, 4};
  EXPECT_EQ(*make_kid(small11, "C1234", 5678), "123456785");
  auto too_long = make_kid(small10, "C123456", 1);
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ(too_long.error().code, "kid_field_too_long");
  EXPECT_EQ(too_long.error().field, "customer_id");
}

TEST(InvoicingRules, DueDateMovesOffWeekendsEasterAnd17May) {
  // Issued Thursday 2025-04-03 + 14 days = Maundy Thursday 2025-04-17; Good Friday, the weekend
  // and Easter Monday follow: the first business day is Tuesday 2025-04-22.
  EXPECT_EQ(due_date_for(Date::ymd(2025, 4, 3), 14), Date::ymd(2025, 4, 22));
  // 17 May 2029 is a Thursday (Constitution Day): Friday 18 May.
  EXPECT_EQ(due_date_for(Date::ymd(2029, 5, 3), 14), Date::ymd(2029, 5, 18));
  // 2025-03-02 is a Sunday.
  EXPECT_EQ(due_date_for(Date::ymd(2025, 1, 31), 30), Date::ymd(2025, 3, 3));
  // A business day stays.
  EXPECT_EQ(due_date_for(Date::ymd(2025, 1, 31), 14), Date::ymd(2025, 2, 14));
}

TEST(InvoicingRules, LineAmountIsQuantityTimesPriceRoundedHalfUp) {
  EXPECT_EQ(*line_amount_ore("2.5", 12345, "l"), 30863);  // 30862.5 → 30863
  EXPECT_EQ(*line_amount_ore("0.3333", 100, "l"), 33);
  EXPECT_EQ(*line_amount_ore("1.5", -101, "l"), -152);  // ties away from zero
  EXPECT_EQ(*line_amount_ore("0", 99999, "l"), 0);
  auto negative = line_amount_ore("-1", 100, "fakturalinjer[2]");
  ASSERT_FALSE(negative.ok());
  EXPECT_EQ(negative.error().code, "quantity_negative");
  EXPECT_EQ(negative.error().field, "fakturalinjer[2].antall");
  auto five = line_amount_ore("1.23456", 100, "l");
  ASSERT_FALSE(five.ok());
  EXPECT_EQ(five.error().code, "quantity_invalid");
  EXPECT_FALSE(line_amount_ore("abc", 100, "l").ok());
}

std::string basis_json(const std::string& antall, std::int64_t pris, std::int64_t netto,
                       std::int64_t avgift, std::int64_t total, const std::string& mva = "0") {
  return R"({"ordrenummer":"O-1","customer_id":"C0000001","fakturautsteder":"BHG_SAGENE",)"
         R"("claim_type":"kindergarten","period":{"from":"2026-01-01","to":"2026-01-31"},)"
         R"("fakturalinjer":[{"vare":{"kode":"BHG","navn":"Plass","kontering":{"art":"16000",)"
         R"("funksjon":"201","ansvar":"A1"}},"antall":")" +
         antall + R"(","pris_ore":)" + std::to_string(pris) + R"(,"mva_kode":")" + mva +
         R"("}],"nettobelop_ore":)" + std::to_string(netto) + R"(,"avgiftsbelop_ore":)" +
         std::to_string(avgift) + R"(,"totalbelop_ore":)" + std::to_string(total) + "}";
}

Result<Basis> decode(const std::string& json) {
  static simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(json).get(doc) != simdjson::SUCCESS) return make_error("json", "", json);
  return decode_basis(BasisKind::invoice, "e1", doc, BillingRules::builtin());
}

TEST(InvoicingBasis, ChecksWhatTheSchemaCannotAndNamesTheField) {
  auto ok = decode(basis_json("2.5", 12345, 30863, 0, 30863));
  ASSERT_TRUE(ok.ok()) << ok.error().to_string();
  EXPECT_EQ(ok->lines.at(0).amount_ore, 30863);
  EXPECT_EQ(ok->lines.at(0).vat_category, "O");

  auto netto = decode(basis_json("2.5", 12345, 30862, 0, 30862));
  ASSERT_FALSE(netto.ok());
  EXPECT_EQ(netto.error().code, "total_mismatch");
  EXPECT_EQ(netto.error().field, "nettobelop_ore");

  auto total = decode(basis_json("1", 1000, 1000, 0, 1001));
  ASSERT_FALSE(total.ok());
  EXPECT_EQ(total.error().field, "totalbelop_ore");

  // 25 % VAT (code 3): 1000 → 250.
  auto vat = decode(basis_json("1", 1000, 1000, 250, 1250, "3"));
  ASSERT_TRUE(vat.ok()) << vat.error().to_string();
  EXPECT_EQ(vat->vat_ore, 250);
  auto vat_wrong = decode(basis_json("1", 1000, 1000, 0, 1000, "3"));
  ASSERT_FALSE(vat_wrong.ok());
  EXPECT_EQ(vat_wrong.error().field, "avgiftsbelop_ore");

  auto unknown_vat = decode(basis_json("1", 1000, 1000, 0, 1000, "X9"));
  ASSERT_FALSE(unknown_vat.ok());
  EXPECT_EQ(unknown_vat.error().code, "vat_code_unknown");
  EXPECT_EQ(unknown_vat.error().field, "fakturalinjer[0].mva_kode");
}

}  // namespace
}  // namespace oppgjor::invoicing
