// Ledger transactions as a GL07 batch (gl07_export.h).
#include "services/ledger/gl07_export.h"

namespace oppgjor::ledger {

Result<formats::gl07::Batch> gl07_batch(const LedgerState& state, int year, unsigned month,
                                        const Gl07Header& header) {
  formats::gl07::Batch batch;
  char period[16];
  std::snprintf(period, sizeof period, "%04d%02u", year, month);
  batch.batch_id = std::string("OPPGJOR-") + period;
  batch.client = header.client;
  batch.interface = header.interface;
  batch.voucher_type = header.voucher_type;
  auto txs = posted_transactions(state);
  if (!txs) return txs.error();
  std::int64_t voucher = 0;
  for (const Transaction& tx : *txs) {
    if (tx.date.year() != year || tx.date.month() != month) continue;
    ++voucher;
    for (const Entry& entry : tx.entries) {
      formats::gl07::Transaction t;
      t.voucher_no = voucher;
      t.voucher_date = tx.date;
      t.period_yyyymm = year * 100 + static_cast<std::int32_t>(month);
      t.account = entry.account;
      t.dimensions[0] = entry.responsibility;
      t.dimensions[1] = entry.function;
      t.amount_ore = entry.debit_ore - entry.credit_ore;
      t.text = tx.text;
      batch.transactions.push_back(std::move(t));
    }
  }
  return batch;
}

}  // namespace oppgjor::ledger
