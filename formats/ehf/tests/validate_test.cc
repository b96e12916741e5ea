#include "formats/ehf/validate.h"

#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "formats/ehf/errors.h"
#include "formats/ehf/tests/samples.h"
#include "formats/ehf/ubl_writer.h"

namespace oppgjor::formats::ehf {
namespace {

namespace ec = error_code;

TEST(Validate, EverySampleIsValid) {
  for (const samples::Named& s : samples::all()) {
    const Status st = validate_document(s.document);
    EXPECT_TRUE(st.ok()) << s.file_name << ": " << (st.ok() ? "" : st.error().to_string());
  }
}

// One row: a mutation of a valid sample → the error it must give (code and field).
struct Row {
  const char* name;
  std::function<Document()> make;
  const char* code;
  const char* field;
};

Document o_invoice_with(const std::function<void(Document&)>& change) {
  Document d = samples::nursing_home_invoice_o();
  change(d);
  return d;
}
Document s_invoice_with(const std::function<void(Document&)>& change) {
  Document d = samples::several_lines_invoice_s();
  change(d);
  return d;
}

std::vector<Row> rejection_rows() {
  return {
      {"buyer orgnr missing",
       [] { return o_invoice_with([](Document& d) { d.buyer.organisation_number = ""; }); },
       ec::organisation_number_invalid, "buyer.organisation_number"},
      {"buyer orgnr bad check digit",
       [] {
         return o_invoice_with([](Document& d) { d.buyer.organisation_number = "987654321"; });
       },
       ec::organisation_number_invalid, "buyer.organisation_number"},
      {"seller orgnr letters",
       [] {
         return o_invoice_with([](Document& d) { d.seller.organisation_number = "92123455X"; });
       },
       ec::organisation_number_invalid, "seller.organisation_number"},
      {"no lines", [] { return o_invoice_with([](Document& d) { d.lines.clear(); }); },
       ec::no_lines, "lines"},
      {"amount one øre off",
       [] { return s_invoice_with([](Document& d) { d.lines[1].line_amount_ore = 308'642; }); },
       ec::line_amount_mismatch, "lines[1].line_amount_ore"},
      {"amount truncated instead of rounded",
       [] { return s_invoice_with([](Document& d) { d.lines[1].line_amount_ore -= 1; }); },
       ec::line_amount_mismatch, "lines[1].line_amount_ore"},
      {"O mixed with S",
       [] {
         return s_invoice_with([](Document& d) {
           d.lines[2].vat = Vat{VatCategory::outside_scope, 0, "Utenfor"};
         });
       },
       ec::vat_outside_scope_mixed, "lines[2].vat.category"},
      {"S mixed into an O document",
       [] {
         return o_invoice_with([](Document& d) {
           Line extra = d.lines[0];
           extra.id = "2";
           extra.vat = Vat{VatCategory::standard, 2500, ""};
           d.lines.push_back(extra);
         });
       },
       ec::vat_outside_scope_mixed, "lines[1].vat.category"},
      {"credit note without billing reference",
       [] {
         Document d = samples::partial_credit_note();
         d.billing_reference.reset();
         return d;
       },
       ec::billing_reference_missing, "billing_reference"},
      {"invoice without due date",
       [] { return o_invoice_with([](Document& d) { d.due_date.reset(); }); }, ec::due_date_missing,
       "due_date"},
      {"invoice without payment",
       [] { return o_invoice_with([](Document& d) { d.payment.reset(); }); }, ec::payment_missing,
       "payment"},
      {"bad KID",
       [] { return o_invoice_with([](Document& d) { d.payment->kid = "20240001230"; }); },
       ec::kid_invalid, "payment.kid"},
      {"bad account",
       [] {
         return o_invoice_with([](Document& d) { d.payment->account_number = "86011117948"; });
       },
       ec::account_number_invalid, "payment.account_number"},
      {"grouped account is not written as is",
       [] {
         return o_invoice_with([](Document& d) { d.payment->account_number = "8601 11 17947"; });
       },
       ec::account_number_invalid, "payment.account_number"},
      {"no buyer reference and no customer number",
       [] {
         return o_invoice_with([](Document& d) {
           d.buyer_reference = "";
           d.buyer.customer_number = "";
         });
       },
       ec::buyer_reference_missing, "buyer_reference"},
      {"currency", [] { return o_invoice_with([](Document& d) { d.currency = "EUR"; }); },
       ec::currency_not_nok, "currency"},
      {"O without exemption reason",
       [] { return o_invoice_with([](Document& d) { d.lines[0].vat.exemption_reason = " "; }); },
       ec::vat_exemption_reason_missing, "lines[0].vat.exemption_reason"},
      {"S without rate",
       [] { return s_invoice_with([](Document& d) { d.lines[0].vat.rate_bp = 0; }); },
       ec::vat_rate_invalid, "lines[0].vat.rate_bp"},
      {"O with a rate",
       [] { return o_invoice_with([](Document& d) { d.lines[0].vat.rate_bp = 2500; }); },
       ec::vat_rate_invalid, "lines[0].vat.rate_bp"},
      {"S from a seller without VAT registration",
       [] { return s_invoice_with([](Document& d) { d.seller.vat_registered = false; }); },
       ec::seller_not_vat_registered, "lines[0].vat.category"},
      {"negative price",
       [] {
         return o_invoice_with([](Document& d) {
           d.lines[0].unit_price_ore = -425'000;
           d.lines[0].line_amount_ore = -12'750'000;
         });
       },
       ec::price_out_of_range, "lines[0].unit_price_ore"},
      {"duplicate line id", [] { return s_invoice_with([](Document& d) { d.lines[3].id = "1"; }); },
       ec::line_id_duplicate, "lines[3].id"},
      {"bad unit code",
       [] { return s_invoice_with([](Document& d) { d.lines[0].unit_code = "stk"; }); },
       ec::unit_code_invalid, "lines[0].unit_code"},
      {"blank item name",
       [] { return s_invoice_with([](Document& d) { d.lines[2].item_name = ""; }); },
       ec::text_missing, "lines[2].item_name"},
      {"control character",
       [] { return o_invoice_with([](Document& d) { d.buyer.name = "A\x01"; }); }, ec::text_invalid,
       "buyer.name"},
      {"blank buyer city",
       [] { return o_invoice_with([](Document& d) { d.buyer.address.city = ""; }); },
       ec::text_missing, "buyer.address.city"},
      {"two exemption reasons in one group",
       [] {
         return o_invoice_with([](Document& d) {
           Line extra = d.lines[0];
           extra.id = "2";
           extra.vat.exemption_reason = "Annen grunn";
           d.lines.push_back(extra);
         });
       },
       ec::vat_exemption_reason_differs, "lines[1].vat.exemption_reason"},
  };
}

TEST(Validate, RejectsWithCodeAndField) {
  for (const Row& row : rejection_rows()) {
    const Status st = validate_document(row.make());
    ASSERT_FALSE(st.ok()) << row.name;
    EXPECT_EQ(st.error().code, row.code) << row.name << ": " << st.error().to_string();
    EXPECT_EQ(st.error().field, row.field) << row.name << ": " << st.error().to_string();
    // write_ubl refuses with the same error.
    auto xml = write_ubl(row.make());
    ASSERT_FALSE(xml.ok()) << row.name;
    EXPECT_EQ(xml.error().code, row.code) << row.name;
  }
}

}  // namespace
}  // namespace oppgjor::formats::ehf
