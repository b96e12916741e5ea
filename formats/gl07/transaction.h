// The ledger transactions a GL07 batch carries: one Batch of vouchers, each voucher a group of
// Transactions with the same voucher_no that must balance (Σ amount_ore = 0). Plain values filled
// by the ledger service; batch_writer.h writes them in a configured fixed-width layout.
//
// Amounts are signed whole øre (debit > 0, credit < 0). Text is UTF-8. Value types.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "common/date.h"

namespace oppgjor::formats::gl07 {

inline constexpr std::size_t dimensions_max = 7;  // dim_1 … dim_7

struct Transaction {
  std::int64_t voucher_no = 0;  // > 0; groups the transactions of one voucher
  common::Date voucher_date;
  std::int32_t period_yyyymm = 0;                      // accounting period, e.g. 202503
  std::string trans_type = "GL";                       // GL / AR / AP / TX
  std::string account;                                 // GL account (artskonto)
  std::array<std::string, dimensions_max> dimensions;  // ansvar, tjeneste, prosjekt, …; "" = none
  std::string tax_code;                                // optional VAT code
  std::int64_t amount_ore = 0;                         // signed: debit > 0, credit < 0
  std::string text;                                    // description
  std::string currency = "NOK";
};

struct Batch {
  std::string batch_id;      // external batch id, unique per delivery
  std::string interface;     // source-system code agreed with the installation, e.g. "BI"
  std::string voucher_type;  // Unit4 voucher type, e.g. "GL"
  std::string client;        // company/client in Unit4
  std::vector<Transaction> transactions;
};

}  // namespace oppgjor::formats::gl07
