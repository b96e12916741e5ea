// SAF-T Financial 1.30 writer (writer.h).
#include "formats/saft/writer.h"

#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "common/assert.h"
#include "formats/ehf/xml_text.h"
#include "formats/saft/amount_text.h"
#include "formats/saft/errors.h"

namespace oppgjor::formats::saft {
namespace {

namespace ec = error_code;
using ehf::XmlBuilder;

// The XSD's text types (maxLength in characters).
constexpr std::size_t code_max = 9;      // SAFcodeType
constexpr std::size_t short_max = 18;    // SAFshorttextType
constexpr std::size_t middle1_max = 35;  // SAFmiddle1textType
constexpr std::size_t middle2_max = 70;  // SAFmiddle2textType
constexpr std::size_t long_max = 256;    // SAFlongtextType

// Characters in valid UTF-8 without control characters, or -1.
long count_chars(std::string_view s) {
  long n = 0;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      len = 1, cp = c;
    } else if ((c & 0xE0) == 0xC0) {
      len = 2, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4, cp = c & 0x07;
    } else {
      return -1;
    }
    if (i + len > s.size()) return -1;
    for (std::size_t k = 1; k < len; ++k) {
      const auto t = static_cast<unsigned char>(s[i + k]);
      if ((t & 0xC0) != 0x80) return -1;
      cp = (cp << 6) | (t & 0x3F);
    }
    const bool overlong =
        (len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
    if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) return -1;
    i += len;
    ++n;
  }
  return n;
}

Status check_text(std::string_view text, std::size_t max_chars, const std::string& field,
                  bool required) {
  if (required && text.find_first_not_of(' ') == std::string_view::npos) {
    return make_error(ec::text_missing, field, "påkrevd tekst mangler");
  }
  const long n = count_chars(text);
  if (n < 0) {
    return make_error(ec::text_invalid, field,
                      "teksten er ikke gyldig UTF-8 eller har kontrolltegn");
  }
  if (static_cast<std::size_t>(n) > max_chars) {
    return make_error(ec::text_too_long, field,
                      std::to_string(n) + " tegn, SAF-T tillater " + std::to_string(max_chars));
  }
  return ok_status();
}

Status check_amount(std::int64_t signed_ore, const std::string& field) {
  if (signed_ore < -amount_ore_max || signed_ore > amount_ore_max) {
    return make_error(ec::amount_out_of_range, field, "beløpet har mer enn 18 sifre");
  }
  return ok_status();
}

#define SAFT_TRY(expr)                              \
  do {                                              \
    auto saft_status_ = (expr);                     \
    if (!saft_status_) return saft_status_.error(); \
  } while (false)

Status check_address(const Address& a, const std::string& field) {
  SAFT_TRY(check_text(a.street, long_max, field + ".street", false));
  SAFT_TRY(check_text(a.postal_code, middle2_max, field + ".postal_code", false));
  SAFT_TRY(check_text(a.city, long_max, field + ".city", false));
  if (a.country.size() != 2) {
    return make_error(ec::text_invalid, field + ".country", "landkoden har ikke to tegn");
  }
  return ok_status();
}

Status check_header(const Header& h) {
  SAFT_TRY(check_text(h.software_company_name, middle2_max, "header.software_company_name", true));
  SAFT_TRY(check_text(h.software_id, long_max, "header.software_id", true));
  SAFT_TRY(check_text(h.software_version, short_max, "header.software_version", true));
  const Company& c = h.company;
  SAFT_TRY(
      check_text(c.registration_number, middle1_max, "header.company.registration_number", true));
  SAFT_TRY(check_text(c.name, long_max, "header.company.name", true));
  SAFT_TRY(check_address(c.address, "header.company.address"));
  SAFT_TRY(
      check_text(c.contact.first_name, middle1_max, "header.company.contact.first_name", true));
  SAFT_TRY(check_text(c.contact.last_name, middle2_max, "header.company.contact.last_name", true));
  SAFT_TRY(check_text(c.contact.telephone, short_max, "header.company.contact.telephone", true));
  SAFT_TRY(check_text(h.header_comment, long_max, "header.header_comment", false));
  if (h.selection_end < h.selection_start) {
    return make_error(ec::selection_invalid, "header.selection_end",
                      "perioden slutter før den begynner");
  }
  return ok_status();
}

Status check_accounts(const AuditFile& f, std::set<std::string>& ids) {
  for (const Account& a : f.accounts) {
    const std::string field = "accounts[" + a.account_id + "]";
    SAFT_TRY(check_text(a.account_id, middle2_max, field + ".account_id", true));
    if (!ids.insert(a.account_id).second) {
      return make_error(ec::duplicate_id, field, "kontoen står to ganger");
    }
    SAFT_TRY(check_text(a.description, long_max, field + ".description", true));
    SAFT_TRY(check_text(a.grouping_category, long_max, field + ".grouping_category", true));
    SAFT_TRY(check_text(a.grouping_code, middle1_max, field + ".grouping_code", true));
    SAFT_TRY(check_amount(a.opening_ore, field + ".opening_ore"));
    SAFT_TRY(check_amount(a.closing_ore, field + ".closing_ore"));
  }
  return ok_status();
}

Status check_customers(const AuditFile& f, const std::set<std::string>& accounts,
                       std::set<std::string>& ids) {
  for (const Customer& c : f.customers) {
    const std::string field = "customers[" + c.customer_id + "]";
    SAFT_TRY(check_text(c.customer_id, middle1_max, field + ".customer_id", true));
    if (!ids.insert(c.customer_id).second) {
      return make_error(ec::duplicate_id, field, "kunden står to ganger");
    }
    SAFT_TRY(check_text(c.registration_number, middle1_max, field + ".registration_number", false));
    SAFT_TRY(check_text(c.name, long_max, field + ".name", true));
    if (c.address) SAFT_TRY(check_address(*c.address, field + ".address"));
    for (const BalanceAccount& b : c.balance_accounts) {
      const std::string bfield = field + ".balance_accounts[" + b.account_id + "]";
      if (accounts.count(b.account_id) == 0) {
        return make_error(ec::account_unknown, bfield, "kontoen er ikke i kontoplanen");
      }
      SAFT_TRY(check_amount(b.opening_ore, bfield + ".opening_ore"));
      SAFT_TRY(check_amount(b.closing_ore, bfield + ".closing_ore"));
    }
  }
  return ok_status();
}

bool standard_tax_code_ok(std::string_view s) {
  if (s.empty() || s.size() > 2) return false;
  for (char c : s) {
    const bool ok = (c >= '0' && c <= '9') || c == 'a' || c == 'n' || c == 'A' || c == 'N';
    if (!ok) return false;
  }
  return true;
}

bool percentage_ok(std::string_view s) {
  std::size_t digits = 0;
  bool point = false;
  for (char c : s) {
    if (c == '.' && !point) {
      point = true;
    } else if (c >= '0' && c <= '9') {
      ++digits;
    } else {
      return false;
    }
  }
  return digits > 0 && s.back() != '.';
}

Status check_tax_codes(const AuditFile& f) {
  std::set<std::string> ids;
  for (const TaxCode& t : f.tax_codes) {
    const std::string field = "tax_codes[" + t.code + "]";
    SAFT_TRY(check_text(t.code, middle2_max, field + ".code", true));
    if (!ids.insert(t.code).second) {
      return make_error(ec::duplicate_id, field, "avgiftskoden står to ganger");
    }
    SAFT_TRY(check_text(t.description, long_max, field + ".description", false));
    if (!standard_tax_code_ok(t.standard_code)) {
      return make_error(ec::tax_code_invalid, field + ".standard_code",
                        "standard avgiftskode må være 1–2 tegn av 0-9, a, n");
    }
    if (!percentage_ok(t.percentage)) {
      return make_error(ec::tax_code_invalid, field + ".percentage",
                        "satsen er ikke et desimaltall");
    }
  }
  return ok_status();
}

// REQUIRES (asserted) one-sided lines and a balanced transaction.
void assert_balanced(const Transaction& t) {
  std::int64_t debit = 0;
  std::int64_t credit = 0;
  for (const Line& l : t.lines) {
    OPPGJOR_ASSERT(l.debit_ore >= 0 && l.credit_ore >= 0 && (l.debit_ore > 0) != (l.credit_ore > 0),
                   "a SAF-T line is either a debit or a credit, above zero");
    OPPGJOR_ASSERT(l.debit_ore <= amount_ore_max && l.credit_ore <= amount_ore_max,
                   "a SAF-T line amount is within 18 digits");
    debit += l.debit_ore;
    credit += l.credit_ore;
  }
  OPPGJOR_ASSERT(debit == credit, "a SAF-T transaction balances (debits = credits)");
}

Status check_line(const Line& l, const std::string& field, const std::set<std::string>& accounts,
                  const std::set<std::string>& customers) {
  SAFT_TRY(check_text(l.record_id, short_max, field + ".record_id", true));
  SAFT_TRY(check_text(l.account_id, middle2_max, field + ".account_id", true));
  if (accounts.count(l.account_id) == 0) {
    return make_error(ec::account_unknown, field + ".account_id", "kontoen er ikke i kontoplanen");
  }
  if (!l.customer_id.empty() && customers.count(l.customer_id) == 0) {
    return make_error(ec::customer_unknown, field + ".customer_id",
                      "kunden er ikke i kunderegisteret");
  }
  SAFT_TRY(check_text(l.description, long_max, field + ".description", true));
  SAFT_TRY(check_text(l.reference_number, middle1_max, field + ".reference_number", false));
  SAFT_TRY(check_text(l.cid, middle1_max, field + ".cid", false));
  return ok_status();
}

Status check_transaction(const Transaction& t, const std::set<std::string>& accounts,
                         const std::set<std::string>& customers) {
  const std::string field = "transactions[" + t.transaction_id + "]";
  SAFT_TRY(check_text(t.transaction_id, middle2_max, field + ".transaction_id", true));
  if (t.period < 1 || t.period > 12 || t.period_year < 1970 || t.period_year > 2100) {
    return make_error(ec::period_invalid, field + ".period", "måned 1–12, år 1970–2100");
  }
  SAFT_TRY(check_text(t.voucher_type, middle2_max, field + ".voucher_type", false));
  SAFT_TRY(check_text(t.description, long_max, field + ".description", true));
  if (!t.customer_id.empty() && customers.count(t.customer_id) == 0) {
    return make_error(ec::customer_unknown, field + ".customer_id",
                      "kunden er ikke i kunderegisteret");
  }
  if (t.lines.empty()) return make_error(ec::no_lines, field, "transaksjonen har ingen linjer");
  for (std::size_t i = 0; i < t.lines.size(); ++i) {
    SAFT_TRY(check_line(t.lines[i], field + ".lines[" + std::to_string(i + 1) + "]", accounts,
                        customers));
  }
  assert_balanced(t);
  return ok_status();
}

struct Totals {
  std::int64_t entries = 0;
  std::int64_t debit_ore = 0;
  std::int64_t credit_ore = 0;
};

// Each line is within amount_ore_max, so a running total checked after each addition cannot
// overflow int64 (2 × 10^18 < 9.2 × 10^18).
Result<Totals> totals_of(const AuditFile& f) {
  Totals t;
  for (const Journal& j : f.journals) {
    for (const Transaction& tx : j.transactions) {
      ++t.entries;
      for (const Line& l : tx.lines) {
        t.debit_ore += l.debit_ore;
        t.credit_ore += l.credit_ore;
        if (t.debit_ore > amount_ore_max || t.credit_ore > amount_ore_max) {
          return make_error(ec::amount_out_of_range, "general_ledger_entries.total",
                            "summen har mer enn 18 sifre");
        }
      }
    }
  }
  return t;
}

// ---- writing ----

void write_address(XmlBuilder& x, const Address& a) {
  x.open("Address");
  if (!a.street.empty()) x.leaf("StreetName", a.street);
  if (!a.city.empty()) x.leaf("City", a.city);
  if (!a.postal_code.empty()) x.leaf("PostalCode", a.postal_code);
  x.leaf("Country", a.country);
  x.close("Address");
}

void write_balance(XmlBuilder& x, const char* when, std::int64_t signed_ore) {
  const std::string side = signed_ore < 0 ? "Credit" : "Debit";
  const std::int64_t magnitude = signed_ore < 0 ? -signed_ore : signed_ore;
  x.leaf(std::string(when) + side + "Balance", amount_text(magnitude));
}

void write_header(XmlBuilder& x, const Header& h) {
  x.open("Header");
  x.leaf("AuditFileVersion", audit_file_version);
  x.leaf("AuditFileCountry", "NO");
  x.leaf("AuditFileDateCreated", h.date_created.to_iso());
  x.leaf("SoftwareCompanyName", h.software_company_name);
  x.leaf("SoftwareID", h.software_id);
  x.leaf("SoftwareVersion", h.software_version);
  x.open("Company");
  x.leaf("RegistrationNumber", h.company.registration_number);
  x.leaf("Name", h.company.name);
  write_address(x, h.company.address);
  x.open("Contact");
  x.open("ContactPerson");
  x.leaf("FirstName", h.company.contact.first_name);
  x.leaf("LastName", h.company.contact.last_name);
  x.close("ContactPerson");
  x.leaf("Telephone", h.company.contact.telephone);
  x.close("Contact");
  x.close("Company");
  x.leaf("DefaultCurrencyCode", "NOK");
  x.open("SelectionCriteria");
  x.leaf("SelectionStartDate", h.selection_start.to_iso());
  x.leaf("SelectionEndDate", h.selection_end.to_iso());
  x.close("SelectionCriteria");
  if (!h.header_comment.empty()) x.leaf("HeaderComment", h.header_comment);
  x.leaf("TaxAccountingBasis", "A");
  x.close("Header");
}

void write_accounts(XmlBuilder& x, const std::vector<Account>& accounts) {
  if (accounts.empty()) return;
  x.open("GeneralLedgerAccounts");
  for (const Account& a : accounts) {
    x.open("Account");
    x.leaf("AccountID", a.account_id);
    x.leaf("AccountDescription", a.description);
    x.leaf("GroupingCategory", a.grouping_category);
    x.leaf("GroupingCode", a.grouping_code);
    x.leaf("AccountType", "GL");
    write_balance(x, "Opening", a.opening_ore);
    write_balance(x, "Closing", a.closing_ore);
    x.close("Account");
  }
  x.close("GeneralLedgerAccounts");
}

void write_customers(XmlBuilder& x, const std::vector<Customer>& customers) {
  if (customers.empty()) return;
  x.open("Customers");
  for (const Customer& c : customers) {
    x.open("Customer");
    if (!c.registration_number.empty()) x.leaf("RegistrationNumber", c.registration_number);
    x.leaf("Name", c.name);
    if (c.address) write_address(x, *c.address);
    x.leaf("CustomerID", c.customer_id);
    for (const BalanceAccount& b : c.balance_accounts) {
      x.open("BalanceAccount");
      x.leaf("AccountID", b.account_id);
      write_balance(x, "Opening", b.opening_ore);
      write_balance(x, "Closing", b.closing_ore);
      x.close("BalanceAccount");
    }
    x.close("Customer");
  }
  x.close("Customers");
}

void write_tax_table(XmlBuilder& x, const std::vector<TaxCode>& codes) {
  if (codes.empty()) return;
  x.open("TaxTable");
  x.open("TaxTableEntry");
  x.leaf("TaxType", "MVA");
  x.leaf("Description", "Merverdiavgift");
  for (const TaxCode& t : codes) {
    x.open("TaxCodeDetails");
    x.leaf("TaxCode", t.code);
    if (t.effective_date) x.leaf("EffectiveDate", t.effective_date->to_iso());
    if (!t.description.empty()) x.leaf("Description", t.description);
    x.leaf("TaxPercentage", t.percentage);
    x.leaf("Country", "NO");
    x.leaf("StandardTaxCode", t.standard_code);
    x.leaf("BaseRate", "100");
    x.close("TaxCodeDetails");
  }
  x.close("TaxTableEntry");
  x.close("TaxTable");
}

void write_line(XmlBuilder& x, const Line& l) {
  x.open("Line");
  x.leaf("RecordID", l.record_id);
  x.leaf("AccountID", l.account_id);
  if (!l.customer_id.empty()) x.leaf("CustomerID", l.customer_id);
  x.leaf("Description", l.description);
  const bool debit = l.debit_ore > 0;
  x.open(debit ? "DebitAmount" : "CreditAmount");
  x.leaf("Amount", amount_text(debit ? l.debit_ore : l.credit_ore));
  x.close(debit ? "DebitAmount" : "CreditAmount");
  if (!l.reference_number.empty()) x.leaf("ReferenceNumber", l.reference_number);
  if (!l.cid.empty()) x.leaf("CID", l.cid);
  if (l.due_date) x.leaf("DueDate", l.due_date->to_iso());
  x.close("Line");
}

void write_transaction(XmlBuilder& x, const Transaction& t) {
  x.open("Transaction");
  x.leaf("TransactionID", t.transaction_id);
  x.leaf("Period", std::to_string(t.period));
  x.leaf("PeriodYear", std::to_string(t.period_year));
  x.leaf("TransactionDate", t.transaction_date.to_iso());
  if (!t.voucher_type.empty()) x.leaf("VoucherType", t.voucher_type);
  x.leaf("Description", t.description);
  x.leaf("SystemEntryDate", t.system_entry_date.to_iso());
  x.leaf("GLPostingDate", t.gl_posting_date.to_iso());
  if (!t.customer_id.empty()) x.leaf("CustomerID", t.customer_id);
  for (const Line& l : t.lines) write_line(x, l);
  x.close("Transaction");
}

void write_entries(XmlBuilder& x, const AuditFile& f, const Totals& totals) {
  x.open("GeneralLedgerEntries");
  x.leaf("NumberOfEntries", std::to_string(totals.entries));
  x.leaf("TotalDebit", amount_text(totals.debit_ore));
  x.leaf("TotalCredit", amount_text(totals.credit_ore));
  for (const Journal& j : f.journals) {
    x.open("Journal");
    x.leaf("JournalID", j.journal_id);
    x.leaf("Description", j.description);
    x.leaf("Type", j.type);
    for (const Transaction& t : j.transactions) write_transaction(x, t);
    x.close("Journal");
  }
  x.close("GeneralLedgerEntries");
}

}  // namespace

Status check_audit_file(const AuditFile& f) {
  SAFT_TRY(check_header(f.header));
  std::set<std::string> accounts;
  std::set<std::string> customers;
  SAFT_TRY(check_accounts(f, accounts));
  SAFT_TRY(check_customers(f, accounts, customers));
  SAFT_TRY(check_tax_codes(f));
  std::set<std::string> transaction_ids;
  for (const Journal& j : f.journals) {
    const std::string field = "journals[" + j.journal_id + "]";
    SAFT_TRY(check_text(j.journal_id, short_max, field + ".journal_id", true));
    SAFT_TRY(check_text(j.description, long_max, field + ".description", true));
    SAFT_TRY(check_text(j.type, code_max, field + ".type", true));
    for (const Transaction& t : j.transactions) {
      if (!transaction_ids.insert(t.transaction_id).second) {
        return make_error(ec::duplicate_id, "transactions[" + t.transaction_id + "]",
                          "transaksjonen står to ganger");
      }
      SAFT_TRY(check_transaction(t, accounts, customers));
    }
  }
  auto totals = totals_of(f);
  if (!totals) return totals.error();
  return ok_status();
}

Result<std::string> write_audit_file(const AuditFile& f) {
  SAFT_TRY(check_audit_file(f));
  auto totals = totals_of(f);
  if (!totals) return totals.error();
  OPPGJOR_ASSERT(totals->debit_ore == totals->credit_ore,
                 "SAF-T TotalDebit equals TotalCredit (every transaction balances)");
  XmlBuilder x;
  x.open("AuditFile", XmlBuilder::attr("xmlns", namespace_uri));
  write_header(x, f.header);
  x.open("MasterFiles");
  write_accounts(x, f.accounts);
  write_customers(x, f.customers);
  write_tax_table(x, f.tax_codes);
  x.close("MasterFiles");
  write_entries(x, f, *totals);
  x.close("AuditFile");
  return std::move(x).finish();
}

}  // namespace oppgjor::formats::saft
