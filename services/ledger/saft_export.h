// The ledger as a SAF-T Financial 1.30 audit file for a period (`oppgjor export saf-t`,
// formats/saft/README.md): what an auditor or Skatteetaten asks for (bokføringsforskriften § 7-8).
//
// Mapping:
//   Header        company = the seller rule data in force on the period's last day (name,
//                 organisation number, address) and the contact person of the SAF-T rule data
//                 (saft_rules.h); the period as SelectionStartDate/SelectionEndDate; the file's
//                 creation date is given (domain code reads no clock).
//   GeneralLedgerAccounts
//                 every account of the chart and every claim type's income account in force on
//                 the last day, and every account a transaction up to the last day touched,
//                 sorted by account; description and grouping (KA_K + KOSTRA art) from the SAF-T
//                 rule data — an account without them is an error naming it and the date;
//                 opening balance = Σ debit − credit of transactions dated before the first day,
//                 closing balance = the same up to and including the last day (the trial balance
//                 as of the last day).
//   Customers     every customer with a receivable entry up to the last day, sorted by id: name,
//                 address when registered, RegistrationNumber = the organisation number for an
//                 organisation and **nothing for a person** (privacy: a fødselsnummer is never
//                 written; the registry does not hold one for customers anyway); one
//                 BalanceAccount on the receivables account with the customer's opening and
//                 closing balance there.
//   TaxTable      every VAT code the SAF-T rule data maps, in force on the last day, with its
//                 rate from the invoicing rule data and its StandardTaxCode; a VAT code used on
//                 a document up to the last day and not mapped is an error naming it.
//   GeneralLedgerEntries
//                 one journal RESKONTRO (type AR) with every ledger transaction dated in the
//                 period, sorted by (date, transaction id): TransactionID = the ledger's id,
//                 Period/PeriodYear and TransactionDate from the booking date, VoucherType = the
//                 kind (invoice, payment, …), SystemEntryDate and GLPostingDate = the Oslo date
//                 the log recorded the posting (saft_entry_dates), CustomerID when it concerns
//                 one customer. One line per entry (RecordID 1..n): the account, the
//                 transaction's text, debit or credit, ReferenceNumber = the invoice or credit
//                 note number; on receivable lines also CustomerID, CID = the KID and DueDate
//                 (the invoice's).
//
// Every transaction balances (asserted, always on). Same log, same period, same creation date:
// byte-identical output.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "common/date.h"
#include "common/result.h"
#include "events/event_log.h"
#include "formats/saft/audit_file.h"
#include "services/invoicing/invoicing_state.h"
#include "services/ledger/ledger_state.h"
#include "services/ledger/saft_rules.h"

namespace oppgjor::ledger {

struct SaftHeader {
  Date date_created;                              // AuditFileDateCreated
  std::string software_company_name = "Oppgjør";  // who made the software
  std::string software_id = "Oppgjør";
  std::string software_version;  // e.g. "0.1.0"
};

// The Oslo calendar date (CET/CEST by the EU rule Norway follows since 1996) of a recorded_at
// "YYYY-MM-DDTHH:MM:SS.ffffffZ". Error "recorded_at_invalid" otherwise.
Result<Date> oslo_date_of(std::string_view recorded_at_utc);

// Transaction id → the Oslo date the log recorded its ledger.transactions_posted event, for every
// posting with sequence <= until_sequence (0: to the head).
Result<std::map<std::string, Date>> saft_entry_dates(events::EventLog& log,
                                                     std::int64_t until_sequence);

struct SaftInputs {
  const LedgerState* ledger = nullptr;
  const std::map<std::string, invoicing::Customer>* customers = nullptr;
  const SaftRules* rules = nullptr;
  const std::map<std::string, Date>* entry_dates = nullptr;  // saft_entry_dates()
};

// The audit file for from..to (both inclusive). Errors: "period_invalid" (to before from),
// "parameter_missing" (rule data: seller, contact, an account's grouping, a VAT code's standard
// code), "saft_customer_unregistered" (a ledger customer not in the registry),
// "saft_receivable_without_customer", "saft_entry_date_missing", a payload that does not decode.
Result<formats::saft::AuditFile> saft_audit_file(const SaftInputs& in, Date from, Date to,
                                                 const SaftHeader& header);

}  // namespace oppgjor::ledger
