#include "formats/ehf/tests/samples.h"

namespace oppgjor::formats::ehf::samples {

namespace {

using common::Date;

Party municipality() {
  Party p;
  p.name = "Fjordvik kommune";
  p.organisation_number = "921234554";
  p.address = {"Rådhusgata 1", "Fjordvik", "9990", "NO"};
  p.vat_registered = true;  // registered for some activities; not written on O documents
  return p;
}

Party neighbour_municipality() {
  Party p;
  p.name = "Nabovik kommune";
  p.organisation_number = "987654325";
  p.address = {"Torget 3", "Nabovik", "9991", "NO"};
  p.customer_number = "100234";
  return p;
}

Vat outside_scope() {
  return Vat{VatCategory::outside_scope, 0, "Utenfor merverdiavgiftsloven (kommunal tjeneste)"};
}

Line line(std::string id, std::int64_t quantity_milli, std::string unit, std::int64_t price_ore,
          std::int64_t amount_ore, std::string name, Vat vat) {
  Line l;
  l.id = std::move(id);
  l.quantity_milli = quantity_milli;
  l.unit_code = std::move(unit);
  l.unit_price_ore = price_ore;
  l.line_amount_ore = amount_ore;
  l.item_name = std::move(name);
  l.vat = std::move(vat);
  return l;
}

}  // namespace

Document nursing_home_invoice_o() {
  Document d;
  d.kind = DocumentKind::invoice;
  d.number = "2025-000123";
  d.issue_date = Date::ymd(2025, 3, 31);
  d.due_date = Date::ymd(2025, 4, 20);
  d.seller = municipality();
  d.buyer = neighbour_municipality();
  d.buyer_reference = "HO-4411";  // the buyer's routing code for health and care invoices
  d.payment = Payment{"20240001238", "86011117947"};
  d.lines.push_back(line("1", 30'000, "DAY", 425'000, 12'750'000,
                         "Sykehjemsplass, langtidsopphold mars 2025", outside_scope()));
  d.note = "Kjøp av sykehjemsplass etter avtale av 2025-01-15.";
  return d;
}

Document several_lines_invoice_s() {
  Document d;
  d.kind = DocumentKind::invoice;
  d.number = "BD-2025-0042";
  d.issue_date = Date::ymd(2025, 5, 2);
  d.due_date = Date::ymd(2025, 6, 1);
  d.seller.name = "Fjordvik Bydrift AS";
  d.seller.organisation_number = "910000020";
  d.seller.address = {"Industriveien 12", "Fjordvik", "9990", "NO"};
  d.seller.vat_registered = true;
  d.seller.in_foretaksregisteret = true;
  d.buyer.name = "Havbruk Nord AS";
  d.buyer.organisation_number = "123456785";
  d.buyer.address = {"Kaia 4", "Fjordvik", "9990", "NO"};
  d.buyer.customer_number = "55001";  // no buyer reference given: BT-10 falls back to this
  d.order_reference = "PO-7781";
  d.payment = Payment{"20250100425", "12345678903"};
  const Vat s25{VatCategory::standard, 2500, ""};
  const Vat s15{VatCategory::standard, 1500, ""};
  d.lines.push_back(
      line("1", 12'000, "MON", 189'000, 2'268'000, "Næringsavfall, 660 l container", s25));
  d.lines.back().seller_item_id = "NA-660";
  // 2.5 h × 1 234.57 = 3 086.425 → 3 086.43 (half up).
  d.lines.push_back(line("2", 2'500, "HUR", 123'457, 308'643, "Tømming utenom rute", s25));
  d.lines.push_back(line("3", 3'000, "EA", 33'333, 99'999, "Avfallssekk, næring", s25));
  d.lines.push_back(line("4", 40'000, "EA", 8'990, 359'600, "Lunsj, opplæringsdag", s15));
  return d;
}

Document exempt_and_standard_invoice() {
  Document d = several_lines_invoice_s();
  d.number = "BD-2025-0043";
  d.order_reference = "";
  d.buyer_reference = "Leie kai 4";
  d.payment = Payment{"", "12345678903"};  // no KID: PaymentID is left out
  d.lines.clear();
  d.lines.push_back(line("1", 1'000, "MON", 1'850'000, 1'850'000, "Leie av lager, kai 4",
                         Vat{VatCategory::exempt, 0, "Utleie av fast eiendom, mval. § 3-11"}));
  d.lines.push_back(line("2", 1'000, "MON", 120'050, 120'050, "Renhold fellesareal",
                         Vat{VatCategory::standard, 2500, ""}));
  return d;
}

Document partial_credit_note() {
  const Document invoice = nursing_home_invoice_o();
  Document d;
  d.kind = DocumentKind::credit_note;
  d.number = "2025-K-000007";
  d.issue_date = Date::ymd(2025, 4, 8);
  d.seller = invoice.seller;
  d.buyer = invoice.buyer;
  d.buyer_reference = invoice.buyer_reference;
  d.billing_reference = BillingReference{invoice.number, invoice.issue_date};
  d.lines.push_back(line("1", 5'000, "DAY", 425'000, 2'125'000,
                         "Sykehjemsplass, 5 dager sykehusopphold 2025-03-10--14", outside_scope()));
  d.note = "Delvis kreditering: fravær på grunn av sykehusopphold.";
  return d;
}

Document norwegian_characters_invoice() {
  Document d;
  d.kind = DocumentKind::invoice;
  d.number = "2025-000777";
  d.issue_date = Date::ymd(2025, 9, 1);
  d.due_date = Date::ymd(2025, 9, 15);
  d.seller = municipality();
  d.seller.name = "Ærøy & Østre Åsen kommune";
  d.seller.address.street = "Øvre Ålgård 7 \"Rådhuset\"";
  d.buyer.name = "Søstrene Ærlig & Østby AS";
  d.buyer.organisation_number = "974778807";
  d.buyer.address = {"Bjørneveien 5 <bakgården>", "Ås", "1430", "NO"};
  d.buyer_reference = "Åse Ø'Brien & co";
  d.payment = Payment{"20250200076", "86011117947"};
  d.lines.push_back(line("1", 4'000, "HUR", 75'000, 300'000,
                         "Leie av gymsal – Øvre Ås skole & flerbrukshall", outside_scope()));
  d.note = "Æ, ø og å; beløp < 5 000 kr & ingen mva.";
  return d;
}

std::vector<Named> all() {
  return {
      {"invoice-nursing-home-o.xml", nursing_home_invoice_o()},
      {"invoice-several-lines-s.xml", several_lines_invoice_s()},
      {"invoice-exempt-and-standard-e-s.xml", exempt_and_standard_invoice()},
      {"creditnote-partial-o.xml", partial_credit_note()},
      {"invoice-norwegian-characters-o.xml", norwegian_characters_invoice()},
  };
}

}  // namespace oppgjor::formats::ehf::samples
