// Ledger reports (reports.h).
#include "services/ledger/reports.h"

#include <algorithm>
#include <map>

#include "common/assert.h"
#include "common/money.h"

namespace oppgjor::ledger {

std::vector<OpenItemRow> open_items(const LedgerState& s, Date as_of, std::string_view claim_type,
                                    std::string_view customer_id) {
  std::vector<OpenItemRow> rows;
  std::map<std::string, std::vector<const OpenItem*>> by_customer;
  for (const auto& [number, item] : s.items()) {
    if (as_of < item.issue_date) continue;
    if (!claim_type.empty() && item.claim_type != claim_type) continue;
    if (!customer_id.empty() && item.customer_id != customer_id) continue;
    by_customer[item.customer_id].push_back(&item);
  }
  if (claim_type.empty()) {
    for (const auto& [customer, families] : s.credits()) {
      if (!customer_id.empty() && customer != customer_id) continue;
      by_customer.try_emplace(customer);
    }
  }
  for (const auto& [customer, items] : by_customer) {
    for (const OpenItem* item : items) {
      const std::int64_t open = item->open_on(as_of);
      if (open == 0) continue;
      rows.push_back({item->customer_id, item->invoice_number, item->claim_type, item->kid,
                      item->due_date.to_iso(), item->original_ore, open});
    }
    if (claim_type.empty()) {
      const std::int64_t credit = s.credit_on(customer, as_of);
      if (credit != 0) rows.push_back({customer, "", "", "", "", 0, -credit});
    }
  }
  return rows;
}

std::vector<TrialBalanceRow> trial_balance(const LedgerState& s, Date as_of) {
  std::vector<TrialBalanceRow> rows;
  for (const auto& [account, days] : s.accounts()) {
    TrialBalanceRow row{account, 0, 0};
    for (const auto& [date, dc] : days) {
      if (as_of < date) break;
      row.debit_ore += dc.first;
      row.credit_ore += dc.second;
    }
    if (row.debit_ore != 0 || row.credit_ore != 0) rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<AgedRow> aged(const LedgerState& s, Date as_of, std::string_view claim_type) {
  std::map<std::string, AgedRow> by_customer;
  for (const auto& [number, item] : s.items()) {
    if (as_of < item.issue_date) continue;
    if (!claim_type.empty() && item.claim_type != claim_type) continue;
    const std::int64_t open = item.open_on(as_of);
    if (open == 0) continue;
    AgedRow& row = by_customer[item.customer_id];
    row.customer_id = item.customer_id;
    const int days = item.due_date.days_until(as_of);
    if (days <= 0) {
      row.not_due_ore += open;
    } else if (days <= 30) {
      row.days_0_30_ore += open;
    } else if (days <= 60) {
      row.days_31_60_ore += open;
    } else if (days <= 90) {
      row.days_61_90_ore += open;
    } else {
      row.days_over_90_ore += open;
    }
    row.total_ore += open;
  }
  std::vector<AgedRow> rows;
  rows.reserve(by_customer.size());
  for (auto& [customer, row] : by_customer) rows.push_back(std::move(row));
  return rows;
}

std::vector<StatementLine> statement(const LedgerState& s, std::string_view customer_id,
                                     Date as_of) {
  std::vector<StatementLine> lines;
  auto it = s.statements().find(std::string(customer_id));
  if (it == s.statements().end()) return lines;
  std::vector<const StatementRow*> rows;
  for (const auto& r : it->second) {
    if (!(as_of < r.date)) rows.push_back(&r);
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const StatementRow* a, const StatementRow* b) { return a->date < b->date; });
  std::int64_t balance = 0;
  for (const StatementRow* r : rows) {
    if (r->charged_ore == 0 && r->paid_ore == 0) continue;
    balance += r->charged_ore - r->paid_ore;
    lines.push_back({r->date.to_iso(), r->transaction_id(), std::string(tx_kind_name(r->kind)),
                     r->invoice_number, r->text(), r->charged_ore, r->paid_ore, balance});
  }
  return lines;
}

std::vector<CollectionRow> collection_rate(const LedgerState& s, Date as_of,
                                           std::string_view claim_type) {
  std::map<std::pair<std::string, std::string>, CollectionRow> rows;
  for (const auto& [number, item] : s.items()) {
    if (as_of < item.issue_date) continue;
    if (!claim_type.empty() && item.claim_type != claim_type) continue;
    std::string month = item.due_date.to_iso().substr(0, 7);
    CollectionRow& row = rows[{item.claim_type, month}];
    row.claim_type = item.claim_type;
    row.month = month;
    std::int64_t due = item.original_ore;
    std::int64_t paid = 0;
    for (const auto& c : item.changes) {
      if (as_of < c.date) continue;
      if (c.by_credit_note) {
        due -= c.amount_ore;
      } else {
        paid += c.amount_ore;
      }
    }
    row.due_ore += due;
    row.paid_ore += paid;
  }
  std::vector<CollectionRow> out;
  for (auto& [key, row] : rows) {
    if (row.due_ore > 0) {
      row.rate_percent = (common::Decimal::from_int(row.paid_ore * 100).divide(row.due_ore))
                             .round(2, common::Rounding::half_up)
                             .to_string(2);
    }
    out.push_back(std::move(row));
  }
  return out;
}

namespace {

Cell text_or_null(const std::string& s) {
  return s.empty() ? Cell::null() : Cell::of(s);
}

}  // namespace

Table to_table(const std::vector<OpenItemRow>& rows) {
  Table t;
  t.columns = {{"customer_id", "kunde", false},   {"invoice_number", "fakturanr", false},
               {"claim_type", "kravtype", false}, {"kid", "KID", false},
               {"due_date", "forfall", false},    {"original_ore", "opprinnelig", true},
               {"open_ore", "åpent", true}};
  for (const auto& r : rows) {
    t.rows.push_back({Cell::of(r.customer_id), text_or_null(r.invoice_number),
                      text_or_null(r.claim_type), text_or_null(r.kid), text_or_null(r.due_date),
                      Cell::ore(r.original_ore), Cell::ore(r.open_ore)});
  }
  return t;
}

Table to_table(const std::vector<TrialBalanceRow>& rows) {
  Table t;
  t.columns = {
      {"account", "konto", false}, {"debit_ore", "debet", true}, {"credit_ore", "kredit", true}};
  std::int64_t debit = 0;
  std::int64_t credit = 0;
  for (const auto& r : rows) {
    t.rows.push_back({Cell::of(r.account), Cell::ore(r.debit_ore), Cell::ore(r.credit_ore)});
    debit += r.debit_ore;
    credit += r.credit_ore;
  }
  OPPGJOR_ASSERT(debit == credit, "the trial balance balances");
  return t;
}

Table to_table(const std::vector<AgedRow>& rows) {
  Table t;
  t.columns = {{"customer_id", "kunde", false},
               {"not_due_ore", "ikke forfalt", true},
               {"days_0_30_ore", "0-30 dager", true},
               {"days_31_60_ore", "31-60 dager", true},
               {"days_61_90_ore", "61-90 dager", true},
               {"days_over_90_ore", "over 90 dager", true},
               {"total_ore", "sum", true}};
  for (const auto& r : rows) {
    t.rows.push_back({Cell::of(r.customer_id), Cell::ore(r.not_due_ore), Cell::ore(r.days_0_30_ore),
                      Cell::ore(r.days_31_60_ore), Cell::ore(r.days_61_90_ore),
                      Cell::ore(r.days_over_90_ore), Cell::ore(r.total_ore)});
  }
  return t;
}

Table to_table(const std::vector<StatementLine>& rows) {
  Table t;
  t.columns = {{"date", "dato", false},
               {"kind", "type", false},
               {"invoice_number", "fakturanr", false},
               {"text", "tekst", false},
               {"charged_ore", "belastet", true},
               {"paid_ore", "innbetalt/kreditert", true},
               {"balance_ore", "saldo", true},
               {"transaction_id", "transaksjon", false}};
  for (const auto& r : rows) {
    t.rows.push_back({Cell::of(r.date), Cell::of(r.kind), text_or_null(r.invoice_number),
                      Cell::of(r.text), Cell::ore(r.charged_ore), Cell::ore(r.paid_ore),
                      Cell::ore(r.balance_ore), Cell::of(r.transaction_id)});
  }
  return t;
}

Table to_table(const std::vector<CollectionRow>& rows) {
  Table t;
  t.columns = {{"claim_type", "kravtype", false},
               {"month", "forfallsmåned", false},
               {"due_ore", "forfalt", true},
               {"paid_ore", "innbetalt", true},
               {"rate_percent", "løsningsgrad %", false}};
  for (const auto& r : rows) {
    t.rows.push_back({Cell::of(r.claim_type), Cell::of(r.month), Cell::ore(r.due_ore),
                      Cell::ore(r.paid_ore), text_or_null(r.rate_percent)});
  }
  return t;
}

Table suspense_table(const LedgerState& s) {
  Table t;
  t.columns = {{"suspense_id", "id", false},
               {"date", "dato", false},
               {"kid", "KID", false},
               {"amount_ore", "beløp", true},
               {"reason", "årsak", false}};
  for (const auto& [id, item] : s.suspense()) {
    if (item.amount_ore == 0) continue;
    t.rows.push_back({Cell::of(id), Cell::of(item.date.to_iso()), Cell::of(item.kid),
                      Cell::ore(item.amount_ore), Cell::of(item.reason)});
  }
  return t;
}

Table refunds_table(const LedgerState& s, std::string_view status) {
  Table t;
  t.columns = {{"refund_id", "id", false},
               {"customer_id", "kunde", false},
               {"claim_family", "kravfamilie", false},
               {"amount_ore", "beløp", true},
               {"to_account", "til konto", false},
               {"status", "status", false},
               {"requested_on", "bedt om", false},
               {"requested_by", "bedt om av", false},
               {"decided_on", "avgjort", false},
               {"decided_by", "avgjort av", false},
               {"reason", "begrunnelse", false}};
  const auto text_or_null = [](const std::string& v) {
    return v.empty() ? Cell::null() : Cell::of(v);
  };
  std::vector<const Refund*> order;
  for (const auto& entry : s.refunds()) order.push_back(&entry.second);
  std::stable_sort(order.begin(), order.end(), [](const Refund* a, const Refund* b) {
    return a->requested_on < b->requested_on;
  });
  for (const Refund* refund : order) {
    const Refund& r = *refund;
    const std::string& id = r.refund_id;
    const std::string_view name = refund_status_name(r.status);
    if (!status.empty() && name != status) continue;
    t.rows.push_back({Cell::of(id), Cell::of(r.customer_id), Cell::of(r.claim_family),
                      Cell::ore(r.amount_ore), Cell::of(masked_account(r.to_account)),
                      Cell::of(std::string(name)), Cell::of(r.requested_on.to_iso()),
                      Cell::of(r.requested_by),
                      r.decided_on ? Cell::of(r.decided_on->to_iso()) : Cell::null(),
                      text_or_null(r.decided_by), text_or_null(r.reason)});
  }
  return t;
}

Table invoice_table(const invoicing::InvoicingState& invoicing, const LedgerState& s,
                    std::string_view customer_id) {
  Table t;
  t.columns = {{"invoice_number", "fakturanr", false}, {"series", "serie", false},
               {"document", "dokument", false},        {"customer_id", "kunde", false},
               {"claim_type", "kravtype", false},      {"kid", "KID", false},
               {"issue_date", "fakturadato", false},   {"due_date", "forfall", false},
               {"total_ore", "beløp", true},           {"open_ore", "åpent", true},
               {"credit_of", "krediterer", false}};
  for (const auto& [number, inv] : invoicing.invoices()) {
    if (!customer_id.empty() && inv.customer_id != customer_id) continue;
    auto item = s.items().find(number);
    const std::int64_t open = item == s.items().end() ? 0 : item->second.open_ore;
    t.rows.push_back({Cell::of(number), Cell{std::nullopt, inv.series},
                      Cell::of(std::string(invoicing::document_kind_name(inv.kind))),
                      Cell::of(inv.customer_id), Cell::of(inv.claim_type), Cell::of(inv.kid),
                      Cell::of(inv.issue_date.to_iso()), Cell::of(inv.due_date.to_iso()),
                      Cell::ore(inv.total_ore), Cell::ore(open),
                      inv.credit_of ? Cell::of(*inv.credit_of) : Cell::null()});
  }
  return t;
}

}  // namespace oppgjor::ledger
