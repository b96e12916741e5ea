#include "formats/ehf/ubl_writer.h"

#include <cstddef>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "formats/ehf/tests/samples.h"

namespace oppgjor::formats::ehf {
namespace {

std::string written(const Document& d) {
  auto xml = write_ubl(d);
  EXPECT_TRUE(xml.ok()) << (xml.ok() ? "" : xml.error().to_string());
  return xml.ok() ? *xml : std::string();
}

bool has(const std::string& xml, std::string_view text) {
  return xml.find(text) != std::string::npos;
}

std::size_t count(const std::string& xml, std::string_view text) {
  std::size_t n = 0;
  for (auto pos = xml.find(text); pos != std::string::npos; pos = xml.find(text, pos + 1)) ++n;
  return n;
}

TEST(UblWriter, InvoiceHeaderIdentifiesBisBilling3) {
  const std::string xml = written(samples::nursing_home_invoice_o());
  EXPECT_TRUE(has(xml,
                  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Invoice xmlns=\"urn:oasis:"
                  "names:specification:ubl:schema:xsd:Invoice-2\""));
  EXPECT_TRUE(has(xml,
                  "<cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:"
                  "poacc:billing:3.0</cbc:CustomizationID>"));
  EXPECT_TRUE(
      has(xml, "<cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>"));
  EXPECT_TRUE(has(xml, "<cbc:ID>2025-000123</cbc:ID>"));
  EXPECT_TRUE(has(xml, "<cbc:IssueDate>2025-03-31</cbc:IssueDate>"));
  EXPECT_TRUE(has(xml, "<cbc:DueDate>2025-04-20</cbc:DueDate>"));
  EXPECT_TRUE(has(xml, "<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>"));
  EXPECT_TRUE(has(xml, "<cbc:DocumentCurrencyCode>NOK</cbc:DocumentCurrencyCode>"));
  EXPECT_TRUE(has(xml, "<cbc:BuyerReference>HO-4411</cbc:BuyerReference>"));
}

TEST(UblWriter, KidGoesInPaymentIdWithAccountAndCode30) {
  const std::string xml = written(samples::nursing_home_invoice_o());
  EXPECT_TRUE(has(xml,
                  "<cac:PaymentMeans>\n"
                  "    <cbc:PaymentMeansCode>30</cbc:PaymentMeansCode>\n"
                  "    <cbc:PaymentID>20240001238</cbc:PaymentID>\n"
                  "    <cac:PayeeFinancialAccount>\n"
                  "      <cbc:ID>86011117947</cbc:ID>\n"));
}

TEST(UblWriter, PartiesUseScheme0192ForEndpointAndLegalId) {
  const std::string xml = written(samples::nursing_home_invoice_o());
  EXPECT_TRUE(has(xml, "<cbc:EndpointID schemeID=\"0192\">921234554</cbc:EndpointID>"));
  EXPECT_TRUE(has(xml, "<cbc:EndpointID schemeID=\"0192\">987654325</cbc:EndpointID>"));
  EXPECT_TRUE(has(xml, "<cbc:CompanyID schemeID=\"0192\">921234554</cbc:CompanyID>"));
  EXPECT_TRUE(has(xml, "<cbc:CompanyID schemeID=\"0192\">987654325</cbc:CompanyID>"));
  EXPECT_EQ(count(xml, "schemeID=\"0192\""), 4u);
}

TEST(UblWriter, OutsideScopeWritesNoVatIdNoRateAndAnExemption) {
  const std::string xml = written(samples::nursing_home_invoice_o());
  // The municipality is VAT registered, but BR-O-02 forbids its VAT id on an O document.
  EXPECT_FALSE(has(xml, "MVA</cbc:CompanyID>"));
  EXPECT_FALSE(has(xml, "cac:PartyTaxScheme"));
  EXPECT_FALSE(has(xml, "cbc:Percent"));
  EXPECT_TRUE(has(xml, "<cbc:TaxExemptionReasonCode>VATEX-EU-O</cbc:TaxExemptionReasonCode>"));
  EXPECT_TRUE(has(xml,
                  "<cbc:TaxExemptionReason>Utenfor merverdiavgiftsloven (kommunal "
                  "tjeneste)</cbc:TaxExemptionReason>"));
  EXPECT_EQ(count(xml, "<cac:TaxSubtotal>"), 1u);
  EXPECT_TRUE(has(xml, "<cbc:TaxAmount currencyID=\"NOK\">0.00</cbc:TaxAmount>"));
}

TEST(UblWriter, TotalsAreExactDecimals) {
  const std::string xml = written(samples::several_lines_invoice_s());
  EXPECT_TRUE(
      has(xml,
          "<cac:LegalMonetaryTotal>\n"
          "    <cbc:LineExtensionAmount currencyID=\"NOK\">30362.42</cbc:LineExtensionAmount>\n"
          "    <cbc:TaxExclusiveAmount currencyID=\"NOK\">30362.42</cbc:TaxExclusiveAmount>\n"
          "    <cbc:TaxInclusiveAmount currencyID=\"NOK\">37593.43</cbc:TaxInclusiveAmount>\n"
          "    <cbc:PayableAmount currencyID=\"NOK\">37593.43</cbc:PayableAmount>\n"
          "  </cac:LegalMonetaryTotal>\n"));
  EXPECT_TRUE(has(xml, "<cbc:TaxAmount currencyID=\"NOK\">7231.01</cbc:TaxAmount>"));
  EXPECT_TRUE(has(xml, "<cbc:TaxableAmount currencyID=\"NOK\">26766.42</cbc:TaxableAmount>"));
  EXPECT_TRUE(has(xml, "<cbc:TaxAmount currencyID=\"NOK\">6691.61</cbc:TaxAmount>"));
  EXPECT_TRUE(has(xml, "<cbc:TaxAmount currencyID=\"NOK\">539.40</cbc:TaxAmount>"));
  EXPECT_TRUE(has(xml, "<cbc:InvoicedQuantity unitCode=\"HUR\">2.5</cbc:InvoicedQuantity>"));
  EXPECT_TRUE(
      has(xml, "<cbc:LineExtensionAmount currencyID=\"NOK\">3086.43</cbc:LineExtensionAmount>"));
  EXPECT_TRUE(has(xml, "<cbc:PriceAmount currencyID=\"NOK\">1234.57</cbc:PriceAmount>"));
  EXPECT_TRUE(has(xml, "<cbc:Percent>25</cbc:Percent>"));
  EXPECT_TRUE(has(xml, "<cbc:Percent>15</cbc:Percent>"));
}

TEST(UblWriter, VatRegisteredAsStatesVatIdAndForetaksregisteret) {
  const std::string xml = written(samples::several_lines_invoice_s());
  EXPECT_TRUE(has(xml, "<cbc:CompanyID>NO910000020MVA</cbc:CompanyID>"));
  EXPECT_TRUE(has(xml,
                  "<cbc:CompanyID>Foretaksregisteret</cbc:CompanyID>\n"
                  "        <cac:TaxScheme>\n"
                  "          <cbc:ID>TAX</cbc:ID>"));
  EXPECT_TRUE(has(xml, "<cac:SellersItemIdentification>\n        <cbc:ID>NA-660</cbc:ID>"));
}

TEST(UblWriter, BuyerReferenceFallsBackToCustomerNumber) {
  const std::string xml = written(samples::several_lines_invoice_s());
  EXPECT_TRUE(has(xml, "<cbc:BuyerReference>55001</cbc:BuyerReference>"));
  EXPECT_TRUE(has(xml, "<cac:OrderReference>\n    <cbc:ID>PO-7781</cbc:ID>"));
}

TEST(UblWriter, CreditNoteReferencesTheInvoice) {
  const std::string xml = written(samples::partial_credit_note());
  EXPECT_TRUE(has(xml,
                  "<CreditNote xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:"
                  "CreditNote-2\""));
  EXPECT_TRUE(has(xml, "<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>"));
  EXPECT_TRUE(has(xml,
                  "<cac:BillingReference>\n"
                  "    <cac:InvoiceDocumentReference>\n"
                  "      <cbc:ID>2025-000123</cbc:ID>\n"
                  "      <cbc:IssueDate>2025-03-31</cbc:IssueDate>\n"));
  EXPECT_TRUE(has(xml, "<cbc:CreditedQuantity unitCode=\"DAY\">5</cbc:CreditedQuantity>"));
  EXPECT_TRUE(has(xml, "<cac:CreditNoteLine>"));
  EXPECT_FALSE(has(xml, "InvoiceLine"));
  EXPECT_FALSE(has(xml, "cbc:DueDate"));  // not in a UBL 2.1 CreditNote
  EXPECT_TRUE(has(xml, "<cbc:Note>Krediterer faktura 2025-000123</cbc:Note>"));
  EXPECT_TRUE(has(xml, "<cbc:PayableAmount currencyID=\"NOK\">21250.00</cbc:PayableAmount>"));
}

TEST(UblWriter, EscapesTextAndKeepsNorwegianLetters) {
  const std::string xml = written(samples::norwegian_characters_invoice());
  EXPECT_TRUE(has(xml, "<cbc:Name>Ærøy &amp; Østre Åsen kommune</cbc:Name>"));
  EXPECT_TRUE(
      has(xml, "<cbc:RegistrationName>Søstrene Ærlig &amp; Østby AS</cbc:RegistrationName>"));
  EXPECT_TRUE(has(xml, "<cbc:StreetName>Bjørneveien 5 &lt;bakgården&gt;</cbc:StreetName>"));
  EXPECT_TRUE(has(xml, "<cbc:StreetName>Øvre Ålgård 7 &quot;Rådhuset&quot;</cbc:StreetName>"));
  EXPECT_TRUE(has(xml, "<cbc:BuyerReference>Åse Ø&apos;Brien &amp; co</cbc:BuyerReference>"));
  EXPECT_TRUE(has(xml, "<cbc:Note>Æ, ø og å; beløp &lt; 5 000 kr &amp; ingen mva.</cbc:Note>"));
  EXPECT_FALSE(has(xml, "& "));
}

TEST(UblWriter, ExemptHasRateZeroAndReasonWithoutKid) {
  const std::string xml = written(samples::exempt_and_standard_invoice());
  EXPECT_TRUE(has(xml,
                  "<cbc:ID>E</cbc:ID>\n"
                  "        <cbc:Percent>0</cbc:Percent>\n"
                  "        <cbc:TaxExemptionReason>Utleie av fast eiendom, mval. § "
                  "3-11</cbc:TaxExemptionReason>\n"));
  EXPECT_FALSE(has(xml, "VATEX-EU-O"));
  EXPECT_FALSE(has(xml, "cbc:PaymentID"));
  EXPECT_TRUE(has(xml, "<cbc:TaxAmount currencyID=\"NOK\">300.13</cbc:TaxAmount>"));  // 300.125
  EXPECT_TRUE(has(xml, "<cbc:PayableAmount currencyID=\"NOK\">20000.63</cbc:PayableAmount>"));
}

TEST(UblWriter, NegativeQuantityCorrectionLine) {
  Document d = samples::several_lines_invoice_s();
  d.lines[2].quantity_milli = -3'000;
  d.lines[2].line_amount_ore = -99'999;
  const std::string xml = written(d);
  EXPECT_TRUE(has(xml, "<cbc:InvoicedQuantity unitCode=\"EA\">-3</cbc:InvoicedQuantity>"));
  EXPECT_TRUE(
      has(xml, "<cbc:LineExtensionAmount currencyID=\"NOK\">-999.99</cbc:LineExtensionAmount>"));
}

}  // namespace
}  // namespace oppgjor::formats::ehf
