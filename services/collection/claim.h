// A claim in collection (docs/COLLECTION.md): one invoice's way from its due date through the
// dunning steps to paid, handed over or written off. What is open is split in principal, fees
// and late-payment interest; money received settles fees first, then interest, then principal
// (the product's order, docs/COLLECTION.md "Settlement order"); a credit note reduces the
// principal. The ledger holds the same open amount (asserted by the tests): the collection
// service only explains it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/date.h"
#include "services/collection/dunning_plan.h"
#include "services/collection/rates.h"

namespace oppgjor::collection {

enum class ClaimStatus { open, paid, handed_over, written_off };
std::string_view claim_status_name(ClaimStatus s);

struct StepTaken {
  NoticeKind kind = NoticeKind::reminder;
  int step = 0;  // 1-based
  Date sent;
  Date deadline;
  std::int64_t fee_ore = 0;
  std::int64_t open_ore = 0;  // what was open when it was sent (with its fee)
};

struct Instalment {
  Date due;
  std::int64_t amount_ore = 0;
};

// A day-by-day account of the claim, for the hand-over and the statement.
struct HistoryRow {
  Date date;
  std::string what;  // "invoice", "reminder", "payment", "credit_note", "interest", "dispute", ...
  std::int64_t amount_ore = 0;
  std::string note;
};

struct Claim {
  std::string invoice_number;
  std::string customer_id;
  std::string claim_type;
  std::string claim_family;
  std::string kid;
  Date issue_date;
  Date due_date;
  Date period_from;               // the invoice's period (a nursing-home month: its first day)
  std::int64_t original_ore = 0;  // the invoice's total

  // Open now, by component.
  std::int64_t principal_ore = 0;
  std::int64_t fees_ore = 0;
  std::int64_t interest_ore = 0;
  // Totals over the claim's life.
  std::int64_t fees_charged_ore = 0;
  std::int64_t interest_charged_ore = 0;
  std::int64_t paid_ore = 0;      // money (payments, allocations, set-offs)
  std::int64_t credited_ore = 0;  // credit notes
  std::int64_t written_off_ore = 0;
  Date interest_from;  // the first day whose interest is not charged yet

  std::vector<StepTaken> steps;
  std::optional<Date> deferred_until;
  bool blocked = false;  // a step was refused (legal limits, missing rate); staff must act
  std::string blocked_code;

  bool disputed = false;
  bool dispute_pauses_interest = false;
  Date dispute_since;
  std::string dispute_appeal_id;  // a dispute opened by a care-fees appeal (its appeal_id)
  std::vector<std::pair<Date, Date>> interest_pauses;  // closed ranges without interest

  bool plan_active = false;
  Date plan_agreed;
  std::vector<Instalment> instalments;
  std::int64_t paid_at_plan_ore = 0;  // paid_ore when the plan was agreed

  std::optional<std::string> write_off_requested_by;
  std::string write_off_reason;

  ClaimStatus status = ClaimStatus::open;
  std::optional<Date> closed_on;  // paid, handed over or written off
  std::vector<HistoryRow> history;

  std::int64_t open_ore() const { return principal_ore + fees_ore + interest_ore; }
  bool active() const { return status == ClaimStatus::open; }
};

}  // namespace oppgjor::collection
