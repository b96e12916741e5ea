// Writes a Batch as a Unit4 (Agresso) GL07 batch-input file in a given Layout: one fixed-width
// record per Transaction, in the batch's order, each exactly layout.record_length characters
// followed by layout.line_end.
//
// Before writing anything it checks every voucher (transactions sharing voucher_no): it balances
// (Σ amount_ore = 0, else gl07_voucher_unbalanced with field "voucher N" and the difference), its
// transactions share voucher_date and period (gl07_voucher_inconsistent), voucher_no > 0, period
// is a real YYYYMM. A value wider than its field is refused (gl07_value_too_wide, field
// "voucher N: FIELD"), except text fields marked truncate; text must be valid UTF-8 without
// control characters and, for a latin1 layout, within ISO 8859-1.
//
// Field values: batch_id, interface, voucher_type, client from the Batch; trans_type, account,
// dim_1..dim_7, tax_code, currency, description (text), amount and cur_amount (signed øre; the
// company currency is NOK), dc_flag (1 debit, -1 credit), voucher_no, voucher_date and trans_date
// (both the voucher date), period from the Transaction. Every other layout field is spaces.
//
// Pure; returns the file content (bytes in the layout's encoding). Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "common/result.h"
#include "formats/gl07/layout.h"
#include "formats/gl07/transaction.h"

namespace oppgjor::formats::gl07 {

// Limits, so a voucher's sum cannot overflow int64.
inline constexpr std::int64_t amount_ore_max = 1'000'000'000'000;  // 10 000 000 000 NOK
inline constexpr std::size_t transactions_max = 1'000'000;

// The voucher checks alone (write_batch runs them first).
Status check_vouchers(const Batch& batch);
Result<std::string> write_batch(const Batch& batch, const Layout& layout);

}  // namespace oppgjor::formats::gl07
