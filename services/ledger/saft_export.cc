// The ledger as a SAF-T Financial audit file (saft_export.h).
#include "services/ledger/saft_export.h"

#include <algorithm>
#include <set>
#include <tuple>
#include <utility>
#include <vector>

#include <simdjson.h>

#include "common/assert.h"
#include "common/identifiers.h"

namespace oppgjor::ledger {
namespace {

namespace saft = formats::saft;

// The last Sunday of `month` in `year`.
Date last_sunday(int year, unsigned month) {
  const Date last = Date::ymd(year, month, static_cast<unsigned>(Date::days_in_month(year, month)));
  return last.add_days(-static_cast<int>(last.weekday() % 7));
}

bool digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

struct Balances {
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> accounts;   // opening, closing
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> customers;  // on receivables
};

Result<Balances> balances_of(const std::vector<Transaction>& txs, const std::string& receivables,
                             Date from, Date to) {
  Balances b;
  for (const Transaction& tx : txs) {
    if (tx.date > to) continue;
    if (!tx.customer_id.empty()) b.customers[tx.customer_id];  // listed even without receivables
    for (const Entry& e : tx.entries) {
      const std::int64_t signed_ore = e.debit_ore - e.credit_ore;
      auto& account = b.accounts[e.account];
      if (tx.date < from) account.first += signed_ore;
      account.second += signed_ore;
      if (e.account != receivables) continue;
      if (tx.customer_id.empty()) {
        return make_error("saft_receivable_without_customer",
                          "transactions[" + tx.transaction_id + "]",
                          "a receivable entry names no customer");
      }
      auto& customer = b.customers[tx.customer_id];
      if (tx.date < from) customer.first += signed_ore;
      customer.second += signed_ore;
    }
  }
  return b;
}

Result<saft::Header> header_of(const SaftInputs& in, Date from, Date to, const SaftHeader& h) {
  auto seller = in.ledger->rules().seller(to);
  if (!seller) return seller.error();
  auto contact = in.rules->contact(to);
  if (!contact) return contact.error();
  saft::Header out;
  out.date_created = h.date_created;
  out.software_company_name = h.software_company_name;
  out.software_id = h.software_id;
  out.software_version = h.software_version;
  out.company.registration_number = seller->organisation_number;
  out.company.name = seller->name;
  out.company.address = {seller->street, seller->postcode, seller->city, "NO"};
  out.company.contact = {contact->first_name, contact->last_name, contact->telephone};
  out.selection_start = from;
  out.selection_end = to;
  return out;
}

// The chart's accounts, every claim type's income account, and every account with a balance.
Result<std::set<std::string>> account_ids(const invoicing::BillingRules& rules,
                                          const Balances& balances, Date to) {
  auto chart = rules.chart(to);
  if (!chart) return chart.error();
  std::set<std::string> ids = {chart->receivables, chart->bank,           chart->suspense,
                               chart->vat_payable, chart->rounding,       chart->bad_debt,
                               chart->fee_income,  chart->interest_income};
  for (const std::string& claim_type : invoicing::claim_type_names()) {
    auto r = rules.claim_type(claim_type, to);
    if (!r) return r.error();
    ids.insert(r->income_account);
  }
  for (const auto& [account, amounts] : balances.accounts) ids.insert(account);
  ids.erase("");
  return ids;
}

Result<std::vector<saft::Account>> accounts_of(const SaftInputs& in, const Balances& balances,
                                               Date to) {
  auto ids = account_ids(in.ledger->rules(), balances, to);
  if (!ids) return ids.error();
  std::vector<saft::Account> out;
  for (const std::string& id : *ids) {
    auto mapped = in.rules->account(id, to);
    if (!mapped) return mapped.error();
    saft::Account a{id, mapped->description, mapped->grouping_category, mapped->grouping_code, 0,
                    0};
    auto it = balances.accounts.find(id);
    if (it != balances.accounts.end()) {
      a.opening_ore = it->second.first;
      a.closing_ore = it->second.second;
    }
    out.push_back(std::move(a));
  }
  return out;
}

Result<std::vector<saft::Customer>> customers_of(const SaftInputs& in, const Balances& balances,
                                                 const std::string& receivables) {
  std::vector<saft::Customer> out;
  for (const auto& [id, amounts] : balances.customers) {
    auto it = in.customers->find(id);
    if (it == in.customers->end()) {
      return make_error("saft_customer_unregistered", "customers[" + id + "]",
                        "the ledger names a customer the registry does not hold");
    }
    const invoicing::Customer& c = it->second;
    saft::Customer s;
    s.customer_id = id;
    s.name = c.name;
    // Privacy: an organisation's organisasjonsnummer only; never a person's identifier.
    if (c.kind == "organisation" && common::is_valid_organisation_number(c.organisation_number)) {
      s.registration_number = c.organisation_number;
    }
    if (!c.street.empty() || !c.city.empty()) {
      s.address = saft::Address{c.street, c.postal_code, c.city, "NO"};
    }
    s.balance_accounts = {{receivables, amounts.first, amounts.second}};
    out.push_back(std::move(s));
  }
  return out;
}

Result<std::vector<saft::TaxCode>> tax_codes_of(const SaftInputs& in, Date to) {
  // Every VAT code on a document up to `to` must be mapped.
  auto mapped_all = in.ledger->for_each_document([&](const invoicing::Invoice& doc) -> Status {
    if (doc.issue_date > to) return ok_status();
    for (const invoicing::InvoiceLine& line : doc.lines) {
      if (line.vat_code.empty()) continue;
      auto mapped = in.rules->tax_code(line.vat_code, to);
      if (!mapped) return mapped.error();
    }
    return ok_status();
  });
  if (!mapped_all.ok()) return mapped_all.error();
  std::vector<saft::TaxCode> out;
  for (const std::string& code : in.rules->tax_codes()) {
    auto mapped = in.rules->tax_code(code, to);
    if (!mapped) continue;  // not in force yet on `to`
    auto vat = in.ledger->rules().vat_code(code, to);
    if (!vat) return vat.error();
    const std::string percent = (vat->rate * 100).to_string();
    out.push_back(
        {code, mapped->description, percent, mapped->standard_tax_code, vat->effective_from});
  }
  return out;
}

std::string description_of(const Transaction& tx) {
  if (!tx.text.empty()) return tx.text;
  std::string d(tx_kind_name(tx.kind));
  if (!tx.invoice_number.empty()) d += " " + tx.invoice_number;
  return d;
}

saft::Line line_of(const SaftInputs& in, const Transaction& tx, const Entry& e, std::size_t i,
                   const std::string& receivables) {
  saft::Line l;
  l.record_id = std::to_string(i + 1);
  l.account_id = e.account;
  l.description = description_of(tx);
  l.debit_ore = e.debit_ore;
  l.credit_ore = e.credit_ore;
  l.reference_number = tx.invoice_number;
  if (e.account == receivables) {
    l.customer_id = tx.customer_id;
    l.cid = tx.kid;
    // An invoice's open item holds its due date (credit notes have none).
    auto item = in.ledger->items().find(tx.invoice_number);
    if (item != in.ledger->items().end()) l.due_date = item->second.due_date;
  }
  return l;
}

Result<saft::Transaction> transaction_of(const SaftInputs& in, const Transaction& tx,
                                         const std::string& receivables) {
  auto entered = in.entry_dates->find(tx.transaction_id);
  if (entered == in.entry_dates->end()) {
    return make_error("saft_entry_date_missing", "transactions[" + tx.transaction_id + "]",
                      "the log holds no posting event for the transaction");
  }
  saft::Transaction t;
  t.transaction_id = tx.transaction_id;
  t.period = static_cast<int>(tx.date.month());
  t.period_year = tx.date.year();
  t.transaction_date = tx.date;
  t.voucher_type = std::string(tx_kind_name(tx.kind));
  t.description = description_of(tx);
  t.system_entry_date = entered->second;
  t.gl_posting_date = entered->second;
  t.customer_id = tx.customer_id;
  for (std::size_t i = 0; i < tx.entries.size(); ++i) {
    t.lines.push_back(line_of(in, tx, tx.entries[i], i, receivables));
  }
  return t;
}

Result<saft::Journal> journal_of(const SaftInputs& in, std::vector<Transaction> txs,
                                 const std::string& receivables, Date from, Date to) {
  std::erase_if(txs, [&](const Transaction& tx) { return tx.date < from || tx.date > to; });
  std::sort(txs.begin(), txs.end(), [](const Transaction& a, const Transaction& b) {
    return std::tie(a.date, a.transaction_id) < std::tie(b.date, b.transaction_id);
  });
  saft::Journal j{
      "RESKONTRO", "Kundereskontro (Oppgjør): fakturaer, kreditnotaer, innbetalinger", "AR", {}};
  for (const Transaction& tx : txs) {
    auto t = transaction_of(in, tx, receivables);
    if (!t) return t.error();
    j.transactions.push_back(std::move(t).value());
  }
  return j;
}

}  // namespace

Result<Date> oslo_date_of(std::string_view utc) {
  // "YYYY-MM-DDTHH:MM:SS…Z"
  if (utc.size() < 20 || utc[10] != 'T' || utc.back() != 'Z' || !digits(utc.substr(11, 2))) {
    return make_error("recorded_at_invalid", "recorded_at", "not a UTC timestamp");
  }
  auto day = Date::parse(utc.substr(0, 10), "recorded_at");
  if (!day) return make_error("recorded_at_invalid", "recorded_at", "not a UTC timestamp");
  const int hour = (utc[11] - '0') * 10 + (utc[12] - '0');
  // Summer time from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of
  // October.
  const Date start = last_sunday(day->year(), 3);
  const Date end = last_sunday(day->year(), 10);
  const bool after_start = *day > start || (*day == start && hour >= 1);
  const bool before_end = *day < end || (*day == end && hour < 1);
  const int offset_hours = after_start && before_end ? 2 : 1;
  return hour + offset_hours >= 24 ? day->add_days(1) : *day;
}

Result<std::map<std::string, Date>> saft_entry_dates(events::EventLog& log,
                                                     std::int64_t until_sequence) {
  std::map<std::string, Date> out;
  simdjson::dom::parser parser;
  Error failure;
  bool failed = false;
  auto scanned = log.scan_types(
      1, until_sequence, {std::string(transactions_posted_type)}, [&](const events::EventView& e) {
        auto date = oslo_date_of(e.recorded_at);
        simdjson::dom::element doc;
        simdjson::dom::array list;
        if (!date ||
            parser.parse(e.payload.data(), e.payload.size()).get(doc) != simdjson::SUCCESS ||
            doc["transactions"].get(list) != simdjson::SUCCESS) {
          failure = make_error("transaction_invalid", "sequence " + std::to_string(e.sequence),
                               "a posting event does not decode");
          failed = true;
          return false;
        }
        for (simdjson::dom::element tx : list) {
          std::string id = posted_transaction_id(tx);
          if (!id.empty()) out.emplace(std::move(id), *date);
        }
        return true;
      });
  if (!scanned) return scanned.error();
  if (failed) return failure;
  return out;
}

Result<formats::saft::AuditFile> saft_audit_file(const SaftInputs& in, Date from, Date to,
                                                 const SaftHeader& header) {
  OPPGJOR_ASSERT(in.ledger && in.customers && in.rules && in.entry_dates,
                 "saft_audit_file gets every input");
  if (to < from) return make_error("period_invalid", "to", "perioden slutter før den begynner");
  auto chart = in.ledger->rules().chart(to);
  if (!chart) return chart.error();
  auto txs = posted_transactions(*in.ledger);
  if (!txs) return txs.error();
  auto balances = balances_of(*txs, chart->receivables, from, to);
  if (!balances) return balances.error();
  saft::AuditFile f;
  auto h = header_of(in, from, to, header);
  if (!h) return h.error();
  f.header = std::move(h).value();
  auto accounts = accounts_of(in, *balances, to);
  if (!accounts) return accounts.error();
  f.accounts = std::move(accounts).value();
  auto customers = customers_of(in, *balances, chart->receivables);
  if (!customers) return customers.error();
  f.customers = std::move(customers).value();
  auto taxes = tax_codes_of(in, to);
  if (!taxes) return taxes.error();
  f.tax_codes = std::move(taxes).value();
  auto journal = journal_of(in, std::move(txs).value(), chart->receivables, from, to);
  if (!journal) return journal.error();
  f.journals.push_back(std::move(journal).value());
  return f;
}

}  // namespace oppgjor::ledger
