// Writes an AuditFile as a SAF-T Financial 1.30 XML document (Norwegian_SAF-T_Financial_Schema_
// v_1.30.xsd, vendored in reference/): Header, MasterFiles (GeneralLedgerAccounts, Customers,
// TaxTable) and GeneralLedgerEntries, in the order given (the caller sorts; same input, same
// bytes).
//
// Fixed by the writer: AuditFileVersion "1.30", AuditFileCountry "NO", DefaultCurrencyCode "NOK",
// TaxAccountingBasis "A", the period as SelectionStartDate/SelectionEndDate, AccountType "GL",
// TaxType "MVA" / "Merverdiavgift", BaseRate 100. NumberOfEntries, TotalDebit and TotalCredit are
// computed from the journals' transactions and lines. A balance of zero is written as a Debit
// balance of 0.00; a negative balance as a Credit balance of its magnitude.
//
// Before anything is written, check_audit_file() refuses (Error, code in errors.h, field naming
// the element): required text blank, text that is not UTF-8 or holds a control character, text
// longer than the XSD allows (counted in characters), an amount or total beyond 18 digits, a
// selection that ends before it starts, a period outside 1..12 or a year outside 1970..2100, a
// duplicate account, customer, tax code or transaction id, a line or a customer balance on an
// account not in GeneralLedgerAccounts, a CustomerID not in Customers, a standard tax code not
// matching [0-9anAN]{1,2}, a transaction without lines.
//
// REQUIRES (asserted, always on: the ledger never posts otherwise, so a breach is a bug): every
// line has exactly one of debit_ore, credit_ore above zero, and every transaction balances
// (Σ debit = Σ credit).
//
// Pure; thread-safe.
#pragma once

#include <string>

#include "common/result.h"
#include "formats/saft/audit_file.h"

namespace oppgjor::formats::saft {

inline constexpr const char* namespace_uri = "urn:StandardAuditFile-Taxation-Financial:NO";
inline constexpr const char* audit_file_version = "1.30";

Status check_audit_file(const AuditFile& file);
Result<std::string> write_audit_file(const AuditFile& file);

}  // namespace oppgjor::formats::saft
