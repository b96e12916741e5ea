// What finance staff see of the money (`oppgjor report …`, docs/CLI.md): pure functions over the
// ledger state, as of a date (only what was booked on or before it counts).
//   open_items       one row per invoice with something open, plus one per customer with a credit
//                    balance (invoice_number empty, open_ore negative)
//   trial_balance    per account: debits and credits
//   aged             open amounts per customer in buckets of days past due (not due, 0–30, 31–60,
//                    61–90, 90+)
//   statement        a customer's transactions with a running balance
//   collection_rate  løsningsgrad per claim type and due month: what was paid (payments,
//                    allocations, set-offs; not credit notes) as a share of what fell due
//                    (invoiced minus credited)
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "services/invoicing/invoicing_state.h"
#include "services/ledger/ledger_state.h"
#include "services/ledger/report_table.h"

namespace oppgjor::ledger {

struct OpenItemRow {
  std::string customer_id;
  std::string invoice_number;  // "" for a credit balance row
  std::string claim_type;      // "" for a credit balance row
  std::string kid;
  std::string due_date;  // "" for a credit balance row
  std::int64_t original_ore = 0;
  std::int64_t open_ore = 0;
};
// `claim_type`, `customer_id`: "" for all.
std::vector<OpenItemRow> open_items(const LedgerState& s, Date as_of, std::string_view claim_type,
                                    std::string_view customer_id);

struct TrialBalanceRow {
  std::string account;
  std::int64_t debit_ore = 0;
  std::int64_t credit_ore = 0;
};
std::vector<TrialBalanceRow> trial_balance(const LedgerState& s, Date as_of);

struct AgedRow {
  std::string customer_id;
  std::int64_t not_due_ore = 0;
  std::int64_t days_0_30_ore = 0;
  std::int64_t days_31_60_ore = 0;
  std::int64_t days_61_90_ore = 0;
  std::int64_t days_over_90_ore = 0;
  std::int64_t total_ore = 0;
};
std::vector<AgedRow> aged(const LedgerState& s, Date as_of, std::string_view claim_type);

struct StatementLine {
  std::string date;
  std::string transaction_id;
  std::string kind;
  std::string invoice_number;
  std::string text;
  std::int64_t charged_ore = 0;
  std::int64_t paid_ore = 0;
  std::int64_t balance_ore = 0;
};
std::vector<StatementLine> statement(const LedgerState& s, std::string_view customer_id,
                                     Date as_of);

struct CollectionRow {
  std::string claim_type;
  std::string month;  // due month, YYYY-MM
  std::int64_t due_ore = 0;
  std::int64_t paid_ore = 0;
  std::string rate_percent;  // paid / due × 100, two decimals, half-up; "" when nothing is due
};
std::vector<CollectionRow> collection_rate(const LedgerState& s, Date as_of,
                                           std::string_view claim_type);

// The tables the CLI prints (column keys are the output contracts in docs/CLI.md).
Table to_table(const std::vector<OpenItemRow>& rows);
Table to_table(const std::vector<TrialBalanceRow>& rows);
Table to_table(const std::vector<AgedRow>& rows);
Table to_table(const std::vector<StatementLine>& rows);
Table to_table(const std::vector<CollectionRow>& rows);
// Payments in suspense now: kid, amount_ore, reason (+ suspense_id, date).
Table suspense_table(const LedgerState& s);
// Refunds of credit balances (refunds.h), by request date (then refund_id); `status` filters ("" =
// all). The account shows its last four digits only.
Table refunds_table(const LedgerState& s, std::string_view status);
// Every invoice and credit note (of `customer_id`, "" for all) with what is open on it now.
Table invoice_table(const invoicing::InvoicingState& invoicing, const LedgerState& s,
                    std::string_view customer_id);

}  // namespace oppgjor::ledger
