// The collection service's events (schemas/collection.*.v1.schema.json, docs/COLLECTION.md): one
// model, writer and decoder per output, so the decision writes exactly what the fold applies.
// Outputs go to stream collection/<customer_id>.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "common/date.h"
#include "common/result.h"
#include "services/collection/claim.h"

namespace oppgjor::collection {

inline constexpr std::string_view day_closed_type = "calendar.day_closed";
inline constexpr std::string_view action_requested_type = "collection.claim_action_requested";
inline constexpr std::string_view notice_sent_type = "collection.notice_sent";
inline constexpr std::string_view interest_charged_type = "collection.interest_charged";
inline constexpr std::string_view payment_interest_type = "collection.payment_interest_charged";
inline constexpr std::string_view handed_over_type = "collection.handed_over";
inline constexpr std::string_view step_refused_type = "collection.step_refused";
inline constexpr std::string_view plan_broken_type = "collection.plan_broken";
inline constexpr std::string_view action_recorded_type = "collection.claim_action_recorded";
inline constexpr std::string_view written_off_type = "collection.claim_written_off";
// The care-fee appeals that hold a claim's collection (its steps wait while an appeal is open).
inline constexpr std::string_view appeal_registered_type = "care_fees.appeal_registered";
inline constexpr std::string_view decision_made_type = "care_fees.decision_made";

std::string collection_stream(std::string_view customer_id);

std::optional<NoticeKind> parse_notice_kind(std::string_view s);

// collection.notice_sent: a reminder, collection notice or payment demand, with everything the
// law asks it to state (inkassoloven §§ 9-10, inkassoforskriften § 1-2).
struct Notice {
  std::string invoice_number, customer_id, claim_type, kid;
  NoticeKind kind = NoticeKind::reminder;
  int step = 0;
  Date sent_on, deadline, due_date, interest_from;
  std::int64_t principal_ore = 0;         // principal open
  std::int64_t fee_ore = 0;               // this notice's fee
  std::int64_t fees_ore = 0;              // fees open with this one
  std::int64_t interest_ore = 0;          // late interest charged and still open
  std::int64_t interest_accrued_ore = 0;  // accrued through sent_on, not yet charged
  std::int64_t total_ore = 0;             // to pay by the deadline
  std::string interest_rate_pct;          // the rate in force on sent_on, "12.50"
  std::string creditor_name, creditor_organisation_number, creditor_account;
  std::string concerns;      // what the claim concerns
  std::string consequences;  // what happens if it is not paid
  std::string fee_inkassosats_nok, fee_fraction, fee_source;
  bool fee_uncertain = false;
  bool rate_uncertain = false;
  std::string plan, track, rule_version;
};
std::string notice_payload(const Notice& n);
Result<Notice> decode_notice(simdjson::dom::element p);

struct InterestPeriodRow {
  Date from, to;
  int days = 0;
  int year_days = 365;
  std::string rate_pct;
  std::int64_t amount_ore = 0;
};

// collection.interest_charged: late-payment interest booked on a claim, when a payment settles
// (part of) a late claim, or at hand-over. `covered_ore` is the part of the triggering payment
// that settles this interest (fees, then interest, then principal).
struct InterestCharge {
  std::string invoice_number, customer_id, claim_type, claim_family;
  std::string cause;  // "payment" or "hand_over"
  Date from, through;
  std::int64_t principal_ore = 0;
  std::int64_t interest_ore = 0;
  std::int64_t covered_ore = 0;
  std::vector<InterestPeriodRow> periods;
  std::string method;
  std::string rule_version;
};
std::string interest_payload(const InterestCharge& c);
Result<InterestCharge> decode_interest(simdjson::dom::element p);

// collection.payment_interest_charged: the interest charged on the late claims that the money of
// one ledger posting reached, one charge per claim and payment day in the order decided, each as
// collection.interest_charged describes it (cause "payment"). One event per posting instead of
// one per claim: an OCR file paid late makes one charge per payment, and an event apiece (and
// the ledger's posting apiece) doubled the file's events. At most payment_interest_max charges
// per event; the stream names the posting and the chunk.
// Version 2 (written since) states the method once for the event instead of in every charge:
// the charges of one event share it (the service starts a new event where it changes); the
// decoder reads both versions.
inline constexpr std::size_t payment_interest_max = 2000;
inline constexpr std::int64_t payment_interest_version = 2;
// REQUIRES: 0 < count <= payment_interest_max, every charge's method the first's (asserted).
std::string payment_interest_payload(const InterestCharge* first, std::size_t count);
// How many of the `count` charges from `first` go in one event: at most payment_interest_max,
// all with the first one's method.
std::size_t payment_interest_chunk(const InterestCharge* first, std::size_t count);
std::string payment_interest_stream(std::string_view cause_event_id, std::size_t chunk);
Result<std::vector<InterestCharge>> decode_payment_interest(simdjson::dom::element p);

// collection.handed_over: the claim leaves dunning for the enforcement or the ordinary track,
// with its history and amounts.
struct HandOver {
  std::string invoice_number, customer_id, claim_type, kid, track, plan;
  Date on, due_date;
  std::int64_t original_ore = 0, principal_ore = 0, fees_ore = 0, interest_ore = 0, total_ore = 0;
  std::int64_t paid_ore = 0, credited_ore = 0;
  std::vector<StepTaken> steps;
  std::vector<HistoryRow> history;
};
std::string handover_payload(const HandOver& h);
Result<HandOver> decode_handover(simdjson::dom::element p);

// collection.step_refused: a step the plan asked for and the law (or missing rule data) forbids.
struct StepRefusal {
  std::string invoice_number, customer_id, kind, code, message;
  Date on;
};
std::string step_refusal_payload(const StepRefusal& r);
Result<StepRefusal> decode_step_refusal(simdjson::dom::element p);

// collection.plan_broken: an instalment was missed; dunning resumes.
struct PlanBroken {
  std::string invoice_number, customer_id;
  Date on, instalment_due;
  std::int64_t expected_ore = 0, paid_ore = 0;
};
std::string plan_broken_payload(const PlanBroken& b);
Result<PlanBroken> decode_plan_broken(simdjson::dom::element p);

// A person's action on a claim (command collection.claim_action_requested), and what the service
// recorded of it when it accepted it (collection.claim_action_recorded).
enum class Action { dispute, resolve, plan, defer, write_off, approve_write_off, reject_write_off };
std::string_view action_name(Action a);
std::optional<Action> parse_action(std::string_view s);

struct ClaimAction {
  Action action = Action::dispute;
  std::string invoice_number;
  std::string customer_id;  // filled by the service
  Date on;
  std::string actor;
  std::string reason;
  bool pause_interest = false;          // dispute
  std::string outcome;                  // resolve: "upheld" or "rejected"
  std::optional<Date> until;            // defer
  std::vector<Instalment> instalments;  // plan
  std::string appeal_id;                // dispute/resolve made for a care-fees appeal
};
std::string action_payload(const ClaimAction& a, bool recorded);
// The command's payload (actor from the envelope). Errors name the field.
Result<ClaimAction> decode_action(simdjson::dom::element p, std::string_view actor);

// collection.claim_written_off: the approved loss, by component.
struct WriteOff {
  std::string invoice_number, customer_id, claim_type, claim_family;
  Date on;
  std::int64_t amount_ore = 0, principal_ore = 0, fees_ore = 0, interest_ore = 0;
  std::string requested_by, approved_by, reason;
};
std::string write_off_payload(const WriteOff& w);
Result<WriteOff> decode_write_off(simdjson::dom::element p);

}  // namespace oppgjor::collection
