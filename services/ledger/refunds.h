// Refunds of credit balances (docs/INVOICING.md, "Refunds of credit balances"): a customer's credit
// balance in a claim family that is not set off against an open item is paid back after approval
// (domain page: "otherwise refunded after approval"). Two commands, each with its actor:
//   payments.refund_requested {customer_id, claim_family, amount_ore, to_account, date, note?}
//     → ledger.refund_recorded (status pending), or refused: credit_insufficient (amount_ore;
//       the credit balance less the refunds already pending), account_invalid (to_account), …
//   payments.refund_decided {refund_id, decision approve|reject, date, reason?}
//     approve → ledger.refund_recorded (approved) + ledger.transactions_posted (kind refund:
//       D receivables, C bank; the credit balance goes down by the amount), refused when the
//       approver is the maker (approver_is_maker) or the credit balance was set off since
//       (credit_insufficient);
//     reject  → ledger.refund_recorded (rejected, with the reason; the maker may withdraw).
// The refund record is one model with one writer and one decoder; the ledger state keeps the
// latest record per refund (ledger_state.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "common/date.h"
#include "common/result.h"

namespace oppgjor::ledger {

inline constexpr std::string_view refund_requested_type = "payments.refund_requested";
inline constexpr std::string_view refund_decided_type = "payments.refund_decided";
inline constexpr std::string_view refund_recorded_type = "ledger.refund_recorded";

enum class RefundStatus { pending, approved, rejected };
std::string_view refund_status_name(RefundStatus s);

struct Refund {
  std::string refund_id;  // the request's event_id
  std::string customer_id;
  std::string claim_family;
  std::int64_t amount_ore = 0;
  std::string to_account;  // 11 digits, MOD11-checked
  common::Date requested_on;
  std::string requested_by;
  std::string note;
  RefundStatus status = RefundStatus::pending;
  std::optional<common::Date> decided_on;
  std::string decided_by;
  std::string reason;  // a rejection's reason
};

// The account as shown to people and in texts: only its last four digits ("*******7947"); an
// 11-digit account number can have the shape of a fødselsnummer.
std::string masked_account(std::string_view account);

std::string refund_payload(const Refund& r);
Result<Refund> decode_refund(simdjson::dom::element p);

}  // namespace oppgjor::ledger
