// The fee decisions (vedtak) and appeals (klage) folded from the log (decisions.h): plain values,
// part of CareFeesState. A decision is never edited; delivery and appeals are recorded beside it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/date.h"
#include "common/money.h"

namespace oppgjor::care_fees {

enum class DecisionKind { provisional_fee, fee_changed, recalculation_correction, appeal_decision };

struct DecisionRecord {
  std::string decision_id;  // "V-2025-C000456-1"
  std::string event_id;
  DecisionKind kind = DecisionKind::provisional_fee;
  std::string customer_id;
  int year = 0;
  common::Date decided_on;
  std::string decided_by;
  common::Decimal fee_year_nok;
  common::Decimal monthly_amount_nok;
  std::string appealed_decision_id;          // appeal_decision only
  std::string appeal_id;                     // appeal_decision only
  std::string outcome;                       // appeal_decision only: upheld | changed | dismissed
  std::optional<common::Date> delivered_on;  // care_fees.decision_delivered
  std::optional<common::Date> appeal_deadline;  // from delivered_on (appeal_deadline())
  std::vector<std::string> appeal_ids;          // appeals registered against it, in order
  std::string payload;                          // the decision_made payload (the letter's text)
};

struct AppealRecord {
  std::string appeal_id;  // "K-2025-C000456-1-1"
  std::string decision_id;
  std::string customer_id;
  int year = 0;
  common::Date received_on;
  bool late = false;
  std::string registered_by;
  std::string reason;
  std::optional<common::Decimal> disputed_amount_nok;
  std::string decided_by_decision;  // the appeal_decision's id once decided
  std::string outcome;
  bool open() const { return decided_by_decision.empty(); }
};

// A decision-family event as it came, kept for snapshots (folded again on load).
struct DecisionEvent {
  std::string event_id;
  std::string type;
  std::string occurred_at;
  std::int64_t sequence = 0;
  std::string payload;
};

struct Decisions {
  std::map<std::string, DecisionRecord> by_id;
  std::map<std::string, AppealRecord> appeals;
  // (customer, year) -> decision ids in the order they were made.
  std::map<std::pair<std::string, int>, std::vector<std::string>> by_resident_year;
  std::vector<DecisionEvent> events;  // every decision_made / decision_delivered /
                                      // appeal_registered, in fold order
};

}  // namespace oppgjor::care_fees
