// Fee decisions (vedtak) and appeals (klage): issue 10 item 8, docs/care-fees.md section 11.
//
// Every fee decision is an individual decision (enkeltvedtak) under forvaltningsloven and one
// event, care_fees.decision_made (stream care_fees/<customer_id>), never edited:
//   provisional_fee          the first bill of a year with an income-based fee (billing.h)
//   fee_changed              a later bill whose yearly fee differs from the latest decision's
//                            (new income data, a new G from 1 May, a transfer changing the fee)
//   recalculation_correction each correction of an approved control recalculation (approval.h)
//   appeal_decision          the decision on an appeal; it names the appealed decision
// Each carries its legal basis, the facts (income items and deductions with the income report's
// event id), the calculation step by step from the trace, the yearly and monthly amount, the date
// it was decided (the command's business date, never a clock read here) and the right to appeal.
//
// The appeal deadline (forvaltningsloven § 29 first paragraph: three weeks from when the decision
// reached the party) can only be computed once staff record when the decision reached the
// resident (care_fees.decision_delivered). Counted as domstolloven § 148 second paragraph counts
// weeks (the same weekday three weeks on), moved by § 149 first paragraph to the next day that is
// not a Saturday, Sunday or public holiday (common/calendar.h).
//
// An appeal (care_fees.appeal_registered) names the decision, when it was received and why; a late
// appeal is registered with late = true (forvaltningsloven § 31 lets the appeal body still
// consider it). The collection service pauses the claims of the decision's year while it is open
// (docs/COLLECTION.md section 7). The decision on the appeal is a new decision (appeal_decision).
//
// Pure: no clock, no I/O; every function reads the folded state and the event it decides on.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "events/engine_event.h"
#include "events/envelope.h"
#include "services/care_fees/billing.h"
#include "services/care_fees/care_fees_state.h"
#include "services/care_fees/fold_events.h"
#include "services/care_fees/recalc.h"

namespace oppgjor::care_fees {

inline constexpr std::string_view decision_made_type = "care_fees.decision_made";
inline constexpr std::string_view decision_delivered_type = "care_fees.decision_delivered";
inline constexpr std::string_view appeal_registered_type = "care_fees.appeal_registered";
// Commands (a person asks; the care_fees service answers).
inline constexpr std::string_view delivery_requested_type = "care_fees.decision_delivery_requested";
inline constexpr std::string_view appeal_requested_type = "care_fees.appeal_requested";
inline constexpr std::string_view appeal_decision_requested_type =
    "care_fees.appeal_decision_requested";

inline constexpr int appeal_deadline_weeks = 3;  // forvaltningsloven § 29 first paragraph

// "provisional_fee" | "fee_changed" | "recalculation_correction" | "appeal_decision".
std::string_view to_string(DecisionKind kind);
std::optional<DecisionKind> parse_decision_kind(std::string_view text);

// The last day to appeal a decision that reached the resident on `delivered_on`: three weeks on
// (the same weekday), moved to the next day that is not a Saturday, Sunday or public holiday.
Date appeal_deadline(Date delivered_on);

// One legal reference of a decision: "forvaltningsloven § 29" and what it says here.
struct LegalReference {
  std::string reference;
  std::string text_no;
};
std::vector<LegalReference> legal_basis(DecisionKind kind);

// To whom an appeal goes and where it is sent. A product assumption (docs/care-fees.md 11):
// the municipality's own appeal board under forvaltningsloven § 28 second paragraph, the appeal
// sent to the unit that made the decision (§ 32 first paragraph letter a).
std::string appeal_body_no();
std::string appeal_send_to_no();

// "V-<year>-<customer>-<n>": the next decision id for the resident and year.
std::string next_decision_id(const CareFeesState& state, const std::string& customer_id, int year);
// The resident's latest decision for the year, or nullptr.
const DecisionRecord* latest_decision(const CareFeesState& state, const std::string& customer_id,
                                      int year);

// The decisions a billing plan makes (one per billed resident whose yearly fee is new for the
// year or differs from the latest decision's), decided on `decided_on` by request.actor. Event ids
// are left empty (the runner gives them).
std::vector<events::EngineEvent> billing_decisions(const CareFeesState& state,
                                                   const BillingPlan& plan,
                                                   const BillingRequest& request, Date decided_on);

// One recalculation_correction decision per resident of the approved report with a difference.
std::vector<events::EngineEvent> correction_decisions(const CareFeesState& state,
                                                      const RecalcReport& report,
                                                      const std::string& approved_by,
                                                      Date decided_on);

// The commands. Each returns the outputs and the answer (completed or refused with code and
// field), as CareFeesService::decide does for the others. REQUIRES: e.actor not empty.
std::vector<events::EngineEvent> decide_delivery(const CareFeesState& state,
                                                 const events::EventView& e,
                                                 simdjson::dom::element payload);
std::vector<events::EngineEvent> decide_appeal(const CareFeesState& state,
                                               const events::EventView& e,
                                               simdjson::dom::element payload);
std::vector<events::EngineEvent> decide_appeal_decision(const CareFeesState& state,
                                                        const events::EventView& e,
                                                        simdjson::dom::element payload);

namespace fold {
// care_fees.decision_made, care_fees.decision_delivered and care_fees.appeal_registered.
void decision_event(CareFeesState& s, const EventRef& e, Payload p);
}  // namespace fold

}  // namespace oppgjor::care_fees
