// A period's ledger transactions as a Unit4 (Agresso) GL07 batch-input file (`oppgjor ledger
// export-gl07`): every transaction booked in the month becomes one voucher (numbered 1.. in log
// order), each entry one GL07 line (debit positive, credit negative), income entries with their
// funksjon and ansvar as dimensions 1 and 2. The layout is configuration (formats/gl07: the
// installation's layout file, or the standard one). Every voucher balances (checked again by the
// writer).
#pragma once

#include <string>

#include "common/result.h"
#include "formats/gl07/transaction.h"
#include "services/ledger/ledger_state.h"

namespace oppgjor::ledger {

struct Gl07Header {
  std::string client = "OK";     // Unit4 company/client
  std::string interface = "BI";  // batch-input interface code agreed with the installation
  std::string voucher_type = "GL";
};

// The month's transactions (booking date in year-month). An empty month is an empty batch.
Result<formats::gl07::Batch> gl07_batch(const LedgerState& state, int year, unsigned month,
                                        const Gl07Header& header);

}  // namespace oppgjor::ledger
