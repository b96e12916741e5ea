// Sample documents for the unit tests and for ehf_samples (the official-rules check). Each is a
// realistic municipal case and must be writable (write_ubl(...).ok()). Organisation numbers,
// account numbers and KIDs are fictitious but check-digit valid.
#pragma once

#include <string>
#include <vector>

#include "formats/ehf/document.h"

namespace oppgjor::formats::ehf::samples {

// A nursing-home stay sold to another municipality: category O, one line, KID MOD10.
Document nursing_home_invoice_o();
// A municipal company (AS, VAT registered, in Foretaksregisteret) invoicing a business: several
// lines at 25 % and 15 %, a fractional quantity that rounds half up, a seller item id.
Document several_lines_invoice_s();
// The municipal company letting premises (exempt, E, with reason) plus cleaning at 25 % (S).
Document exempt_and_standard_invoice();
// Credits 5 of the 30 days of nursing_home_invoice_o() (BillingReference to it).
Document partial_credit_note();
// æøå, an ampersand, '<' and quotes in names, address, item and note.
Document norwegian_characters_invoice();

struct Named {
  std::string file_name;  // "invoice-nursing-home-o.xml"
  Document document;
};
std::vector<Named> all();

}  // namespace oppgjor::formats::ehf::samples
