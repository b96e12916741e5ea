// The dunning rules as pure functions (docs/COLLECTION.md): the legal limits on notice fees
// (inkassoforskriften §§ 1-2, 1-3), late-payment interest on a claim with its pauses, and what a
// closed business day does to one claim. No clock: the day comes from calendar.day_closed.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "services/collection/claim.h"
#include "services/collection/collection_events.h"
#include "services/collection/collection_state.h"

namespace oppgjor::collection {

// Days a deadline must be for a missed one to allow the next fee (§ 1-2, § 1-3).
inline constexpr int legal_deadline_days = 14;
// A reminder or collection notice earns a fee only when sent this many days after the due date.
inline constexpr int legal_days_after_due = 14;

// Whether a notice of `kind` sent on `on` keeps the claim within the law; the Error (code
// "legal_limit", "too_early" or "deadline_not_missed") says which rule it would break.
Status legal_check(const Claim& c, NoticeKind kind, int deadline_days, Date on);

// Late-payment interest on the claim's open principal from c.interest_from through `through`,
// leaving out the days a dispute paused interest (closed ranges, and the open dispute when it
// pauses interest). Zero (no periods) when nothing is due. Error "rate_missing" from the rates.
Result<InterestCharge> claim_interest(const Claim& c, Date through, const CollectionRates& rates,
                                      const std::string& cause);

// What a closed business day did, summed over the claims evaluated.
struct DayTally {
  std::int64_t evaluated = 0;
  std::int64_t reminders = 0;
  std::int64_t collection_notices = 0;
  std::int64_t payment_demands = 0;
  std::int64_t handovers = 0;
  std::int64_t refused = 0;
  std::int64_t plans_broken = 0;
  std::int64_t fees_ore = 0;
  std::int64_t interest_ore = 0;
};

// One output of a decision: event type and canonical payload (stream collection/<customer>).
struct Out {
  std::string type;
  std::string customer_id;
  std::string payload;
};

// Evaluates one claim on a closed business day `day`: a missed instalment of a payment plan, the
// next step of its dunning plan when due (or a refusal when the law or missing rule data forbids
// it), or the hand-over after the last deadline. REQUIRES: day is a business day.
void evaluate_claim(const CollectionState& s, const Claim& c, Date day, DayTally& tally,
                    std::vector<Out>& out);

// Norwegian names of claim types and notice kinds, for notices and reports.
std::string claim_type_text(std::string_view claim_type);
std::string notice_kind_text(NoticeKind kind);

}  // namespace oppgjor::collection
