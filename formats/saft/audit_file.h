// What a SAF-T Financial 1.30 file carries (Skatteetaten, namespace
// urn:StandardAuditFile-Taxation-Financial:NO): plain values filled by the ledger service
// (services/ledger/saft_export.h); writer.h checks them and writes the XML.
//
// Amounts are whole øre. A balance is signed (debit > 0, credit < 0) and written as a Debit or
// Credit element; a line has exactly one of debit_ore / credit_ore above zero. Text is UTF-8.
// Dates are calendar dates. Value types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/date.h"

namespace oppgjor::formats::saft {

using common::Date;

// The contact the Header's Company must name (CompanyHeaderStructure: ContactPerson and
// Telephone are mandatory).
struct Contact {
  std::string first_name, last_name, telephone;
};

struct Address {
  std::string street, postal_code, city;
  std::string country = "NO";
};

struct Company {
  std::string registration_number;  // organisasjonsnummer
  std::string name;
  Address address;
  Contact contact;
};

struct Header {
  Date date_created;  // AuditFileDateCreated: given by the caller (domain code reads no clock)
  std::string software_company_name;
  std::string software_id;
  std::string software_version;
  Company company;
  Date selection_start;        // SelectionCriteria/SelectionStartDate
  Date selection_end;          // SelectionCriteria/SelectionEndDate (inclusive)
  std::string header_comment;  // "" = none
};

struct Account {
  std::string account_id;
  std::string description;
  std::string grouping_category;  // e.g. KA_K
  std::string grouping_code;      // e.g. 13
  std::int64_t opening_ore = 0;   // signed: debit > 0, credit < 0
  std::int64_t closing_ore = 0;
};

struct BalanceAccount {
  std::string account_id;
  std::int64_t opening_ore = 0;  // signed
  std::int64_t closing_ore = 0;
};

struct Customer {
  std::string customer_id;
  std::string registration_number;  // "" = not written (a person: see README, privacy)
  std::string name;
  std::optional<Address> address;
  std::vector<BalanceAccount> balance_accounts;
};

struct TaxCode {
  std::string code;           // the ledger's own code
  std::string description;    // "" = none
  std::string percentage;     // decimal text, e.g. "25" or "0"
  std::string standard_code;  // Skatteetaten's standard tax code (mandatory in 1.30)
  std::optional<Date> effective_date;
};

struct Line {
  std::string record_id;
  std::string account_id;
  std::string customer_id;  // "" = not a receivable line
  std::string description;
  std::int64_t debit_ore = 0;  // exactly one of debit_ore, credit_ore is > 0
  std::int64_t credit_ore = 0;
  std::string reference_number;  // invoice or credit note number; "" = none
  std::string cid;               // the KID; "" = none
  std::optional<Date> due_date;
};

struct Transaction {
  std::string transaction_id;
  int period = 0;  // accounting month 1..12
  int period_year = 0;
  Date transaction_date;
  std::string voucher_type;  // "" = none
  std::string description;
  Date system_entry_date;
  Date gl_posting_date;
  std::string customer_id;  // "" = not about one customer
  std::vector<Line> lines;
};

struct Journal {
  std::string journal_id;
  std::string description;
  std::string type;
  std::vector<Transaction> transactions;
};

struct AuditFile {
  Header header;
  std::vector<Account> accounts;
  std::vector<Customer> customers;
  std::vector<TaxCode> tax_codes;
  std::vector<Journal> journals;
};

}  // namespace oppgjor::formats::saft
