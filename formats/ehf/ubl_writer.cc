#include "formats/ehf/ubl_writer.h"

#include <cstdint>
#include <string>

#include "common/money.h"
#include "formats/ehf/totals.h"
#include "formats/ehf/validate.h"
#include "formats/ehf/xml_text.h"

namespace oppgjor::formats::ehf {

const char* vat_category_code(VatCategory category) {
  switch (category) {
    case VatCategory::standard:
      return "S";
    case VatCategory::zero_rated:
      return "Z";
    case VatCategory::exempt:
      return "E";
    case VatCategory::outside_scope:
      return "O";
  }
  return "O";  // unreachable: every enumerator is handled above
}

namespace {

constexpr const char* ns_invoice = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2";
constexpr const char* ns_credit_note = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2";
constexpr const char* ns_cac =
    "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";
constexpr const char* ns_cbc =
    "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";
constexpr const char* vatex_outside_scope = "VATEX-EU-O";

struct Writer {
  const Document& doc;
  const Totals& totals;
  XmlBuilder x;

  bool is_invoice() const { return doc.kind == DocumentKind::invoice; }

  void amount(const char* name, std::int64_t ore) {
    x.leaf(name, common::ore_to_string(ore), XmlBuilder::attr("currencyID", doc.currency));
  }

  void tax_scheme(const char* id) {
    x.open("cac:TaxScheme");
    x.leaf("cbc:ID", id);
    x.close("cac:TaxScheme");
  }

  void header() {
    x.leaf("cbc:CustomizationID", customization_id);
    x.leaf("cbc:ProfileID", profile_id);
    x.leaf("cbc:ID", doc.number);
    x.leaf("cbc:IssueDate", doc.issue_date.to_iso());
    if (is_invoice()) {
      x.leaf("cbc:DueDate", doc.due_date->to_iso());
      x.leaf("cbc:InvoiceTypeCode", "380");
    } else {
      x.leaf("cbc:CreditNoteTypeCode", "381");
    }
    if (!doc.note.empty()) x.leaf("cbc:Note", doc.note);
    x.leaf("cbc:DocumentCurrencyCode", doc.currency);
    x.leaf("cbc:BuyerReference",
           doc.buyer_reference.empty() ? doc.buyer.customer_number : doc.buyer_reference);
    if (!doc.order_reference.empty()) {
      x.open("cac:OrderReference");
      x.leaf("cbc:ID", doc.order_reference);
      x.close("cac:OrderReference");
    }
    if (!is_invoice()) {
      x.open("cac:BillingReference");
      x.open("cac:InvoiceDocumentReference");
      x.leaf("cbc:ID", doc.billing_reference->invoice_number);
      x.leaf("cbc:IssueDate", doc.billing_reference->invoice_issue_date.to_iso());
      x.close("cac:InvoiceDocumentReference");
      x.close("cac:BillingReference");
    }
  }

  void address(const Address& a) {
    x.open("cac:PostalAddress");
    x.leaf("cbc:StreetName", a.street);
    x.leaf("cbc:CityName", a.city);
    x.leaf("cbc:PostalZone", a.postcode);
    x.open("cac:Country");
    x.leaf("cbc:IdentificationCode", a.country_code);
    x.close("cac:Country");
    x.close("cac:PostalAddress");
  }

  // The seller's VAT id only when registered and the document is not outside the scope of VAT
  // (BR-O-02); "Foretaksregisteret" only for sellers registered there (NO-R-002).
  void seller_tax_schemes(const Party& p) {
    const bool outside_scope = totals.subtotals.front().vat.category == VatCategory::outside_scope;
    if (p.vat_registered && !outside_scope) {
      x.open("cac:PartyTaxScheme");
      x.leaf("cbc:CompanyID", "NO" + p.organisation_number + "MVA");
      tax_scheme("VAT");
      x.close("cac:PartyTaxScheme");
    }
    if (p.in_foretaksregisteret) {
      x.open("cac:PartyTaxScheme");
      x.leaf("cbc:CompanyID", "Foretaksregisteret");
      tax_scheme("TAX");
      x.close("cac:PartyTaxScheme");
    }
  }

  void party(const char* role, const Party& p, bool is_seller) {
    const std::string scheme = XmlBuilder::attr("schemeID", scheme_organisation_number);
    x.open(role);
    x.open("cac:Party");
    x.leaf("cbc:EndpointID", p.organisation_number, scheme);
    x.open("cac:PartyName");
    x.leaf("cbc:Name", p.name);
    x.close("cac:PartyName");
    address(p.address);
    if (is_seller) seller_tax_schemes(p);
    x.open("cac:PartyLegalEntity");
    x.leaf("cbc:RegistrationName", p.name);
    x.leaf("cbc:CompanyID", p.organisation_number, scheme);
    x.close("cac:PartyLegalEntity");
    x.close("cac:Party");
    x.close(role);
  }

  void payment() {
    if (doc.payment) {
      x.open("cac:PaymentMeans");
      x.leaf("cbc:PaymentMeansCode", payment_means_credit_transfer);
      if (!doc.payment->kid.empty()) x.leaf("cbc:PaymentID", doc.payment->kid);
      x.open("cac:PayeeFinancialAccount");
      x.leaf("cbc:ID", doc.payment->account_number);
      x.close("cac:PayeeFinancialAccount");
      x.close("cac:PaymentMeans");
    }
    std::string terms = doc.payment_terms;
    if (terms.empty() && !is_invoice()) {
      terms = "Krediterer faktura " + doc.billing_reference->invoice_number;
    }
    if (!terms.empty()) {
      x.open("cac:PaymentTerms");
      x.leaf("cbc:Note", terms);
      x.close("cac:PaymentTerms");
    }
  }

  // Rate only for S, Z and E (BR-O-05: none for O); Z and E carry 0 (BR-Z-05, BR-E-05).
  void category(const Vat& vat, bool with_exemption) {
    x.leaf("cbc:ID", vat_category_code(vat.category));
    if (vat.category != VatCategory::outside_scope) {
      x.leaf("cbc:Percent", common::Decimal::from_scaled(vat.rate_bp, 2).to_string());
    }
    if (with_exemption && vat.category == VatCategory::outside_scope) {
      x.leaf("cbc:TaxExemptionReasonCode", vatex_outside_scope);
    }
    if (with_exemption && !vat.exemption_reason.empty()) {
      x.leaf("cbc:TaxExemptionReason", vat.exemption_reason);
    }
    tax_scheme("VAT");
  }

  void tax_total() {
    x.open("cac:TaxTotal");
    amount("cbc:TaxAmount", totals.tax_ore);
    for (const TaxSubtotal& s : totals.subtotals) {
      x.open("cac:TaxSubtotal");
      amount("cbc:TaxableAmount", s.taxable_ore);
      amount("cbc:TaxAmount", s.tax_ore);
      x.open("cac:TaxCategory");
      category(s.vat, true);
      x.close("cac:TaxCategory");
      x.close("cac:TaxSubtotal");
    }
    x.close("cac:TaxTotal");
  }

  void monetary_total() {
    x.open("cac:LegalMonetaryTotal");
    amount("cbc:LineExtensionAmount", totals.line_extension_ore);
    amount("cbc:TaxExclusiveAmount", totals.tax_exclusive_ore);
    amount("cbc:TaxInclusiveAmount", totals.tax_inclusive_ore);
    amount("cbc:PayableAmount", totals.payable_ore);
    x.close("cac:LegalMonetaryTotal");
  }

  void line(const Line& l) {
    const char* element = is_invoice() ? "cac:InvoiceLine" : "cac:CreditNoteLine";
    x.open(element);
    x.leaf("cbc:ID", l.id);
    x.leaf(is_invoice() ? "cbc:InvoicedQuantity" : "cbc:CreditedQuantity",
           common::Decimal::from_scaled(l.quantity_milli, 3).to_string(),
           XmlBuilder::attr("unitCode", l.unit_code));
    amount("cbc:LineExtensionAmount", l.line_amount_ore);
    x.open("cac:Item");
    x.leaf("cbc:Name", l.item_name);
    if (!l.seller_item_id.empty()) {
      x.open("cac:SellersItemIdentification");
      x.leaf("cbc:ID", l.seller_item_id);
      x.close("cac:SellersItemIdentification");
    }
    x.open("cac:ClassifiedTaxCategory");
    category(l.vat, false);
    x.close("cac:ClassifiedTaxCategory");
    x.close("cac:Item");
    x.open("cac:Price");
    amount("cbc:PriceAmount", l.unit_price_ore);
    x.close("cac:Price");
    x.close(element);
  }

  std::string write() && {
    const char* root = is_invoice() ? "Invoice" : "CreditNote";
    x.open(root, XmlBuilder::attr("xmlns", is_invoice() ? ns_invoice : ns_credit_note) +
                     XmlBuilder::attr("xmlns:cac", ns_cac) + XmlBuilder::attr("xmlns:cbc", ns_cbc));
    header();
    party("cac:AccountingSupplierParty", doc.seller, true);
    party("cac:AccountingCustomerParty", doc.buyer, false);
    payment();
    tax_total();
    monetary_total();
    for (const Line& l : doc.lines) line(l);
    x.close(root);
    return std::move(x).finish();
  }
};

}  // namespace

Result<std::string> write_ubl(const Document& document) {
  if (Status valid = validate_document(document); !valid) return valid.error();
  const Totals totals = compute_totals(document);
  return Writer{document, totals, XmlBuilder()}.write();
}

}  // namespace oppgjor::formats::ehf
