#include "services/ledger/refunds.h"

#include "events/canonical_json.h"
#include "events/json_fields.h"

namespace oppgjor::ledger {

std::string_view refund_status_name(RefundStatus s) {
  switch (s) {
    case RefundStatus::pending:
      return "pending";
    case RefundStatus::approved:
      return "approved";
    case RefundStatus::rejected:
      return "rejected";
  }
  return "pending";
}

std::string masked_account(std::string_view account) {
  std::string digits;
  for (char c : account) {
    if (c >= '0' && c <= '9') digits += c;
  }
  if (digits.size() <= 4) return std::string(digits.size(), '*');
  return std::string(digits.size() - 4, '*') + digits.substr(digits.size() - 4);
}

std::string refund_payload(const Refund& r) {
  std::string out;
  events::CanonicalWriter w(out);
  w.begin_object();
  w.field_int("amount_ore", r.amount_ore);
  w.field("claim_family", r.claim_family);
  w.field("customer_id", r.customer_id);
  if (!r.decided_by.empty()) w.field("decided_by", r.decided_by);
  if (r.decided_on) w.field("decided_on", r.decided_on->to_iso());
  if (!r.note.empty()) w.field("note", r.note);
  if (!r.reason.empty()) w.field("reason", r.reason);
  w.field("refund_id", r.refund_id);
  w.field("requested_by", r.requested_by);
  w.field("requested_on", r.requested_on.to_iso());
  w.field("status", refund_status_name(r.status));
  w.field("to_account", r.to_account);
  w.end_object();
  return out;
}

Result<Refund> decode_refund(simdjson::dom::element p) {
  Refund r;
  std::string status;
  if (!events::get_text(p, "refund_id", r.refund_id) ||
      !events::get_text(p, "customer_id", r.customer_id) ||
      !events::get_text(p, "claim_family", r.claim_family) ||
      !events::get_int(p, "amount_ore", r.amount_ore) ||
      !events::get_text(p, "to_account", r.to_account) ||
      !events::get_date(p, "requested_on", r.requested_on) ||
      !events::get_text(p, "requested_by", r.requested_by) ||
      !events::get_text(p, "status", status)) {
    return make_error("payload_invalid", "refund_id", "ledger.refund_recorded incomplete");
  }
  if (status == "pending") {
    r.status = RefundStatus::pending;
  } else if (status == "approved") {
    r.status = RefundStatus::approved;
  } else if (status == "rejected") {
    r.status = RefundStatus::rejected;
  } else {
    return make_error("payload_invalid", "status", "unknown refund status " + status);
  }
  common::Date decided;
  if (events::get_date(p, "decided_on", decided)) r.decided_on = decided;
  r.decided_by = events::text_or(p, "decided_by");
  r.note = events::text_or(p, "note");
  r.reason = events::text_or(p, "reason");
  return r;
}

}  // namespace oppgjor::ledger
