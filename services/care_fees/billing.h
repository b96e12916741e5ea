// Monthly billing of nursing-home fees (`oppgjor care-fees bill`): for every resident with a stay
// in the month, the month's fee from the stays and the latest provisional basis
// (calculate_monthly_fees), as one invoicing.invoice_basis_received (claim_type nursing_home)
// with the trace attached. Pure: plan_billing() decides, the CLI appends.
//
// Idempotent: each basis has the deterministic event id of "care_fees/bill/<customer>/<Y>-<MM>"
// and the ordrenummer "VED-<Y>-<MM>-<customer>"; a month already billed (its ordrenummer is in
// the log) is skipped, so billing a month twice appends nothing.
//
// The basis: the latest provisional income report for the year (the final one when there is no
// provisional). G: the G in force on the first day of the billed month (a bill is a provisional
// decision made that day: January–April use the G of the year before, May–December the 1 May
// value); the control recalculation uses the 1 May value.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "events/engine_event.h"
#include "services/care_fees/care_fees_state.h"
#include "services/runtime/partition.h"

namespace oppgjor::care_fees {

// The stream of the bases and corrections the service writes: "care_fees/<customer_id>". A
// stream has one writer (upstream systems write customer/… and resident/…, the service its own),
// so every stream's order survives the Kafka mode, where upstream events and the service's
// outputs travel on different topics and are archived interleaved (docs/SERVICES.md).
std::string bill_stream(const std::string& customer_id);

struct BillingRequest {
  int year = 0;
  unsigned month = 0;    // 1..12
  std::string district;  // empty: every district
  std::string actor;     // recorded on the events; may be empty
  // Part `part_index` of `part_count` (runtime/partition.h): only residents whose customer id
  // is in that partition are billed (a request decided per Kafka partition). 1: everyone.
  int part_index = 0;
  int part_count = 1;
};

struct BillOutcome {
  enum class Kind { billed, already_billed, nothing_due, rejected };
  std::string customer_id;
  Kind kind = Kind::billed;
  std::int64_t amount_ore = 0;
  int days_billable = 0;
  std::optional<Error> error;  // when rejected
  // When billed with an income-based fee: the yearly fee used and the income report's event id
  // (the fee decision is made from them, decisions.h).
  std::optional<YearlyFee> yearly_fee;
  std::string income_event_id;
};

struct BillingPlan {
  std::vector<events::EngineEvent> events;  // one invoice basis per billed resident
  std::vector<BillOutcome> outcomes;        // per resident in scope, by customer id
  std::int64_t total_ore = 0;
  std::vector<Rejection> rejections;  // folded rejections of the residents in scope
};

// REQUIRES: 1 <= month <= 12, fee_year_min <= year <= fee_year_max.
BillingPlan plan_billing(const CareFeesState& state, const BillingRequest& request);

// The Norwegian summary for the person who ran the billing.
std::string billing_summary(const BillingPlan& plan, const BillingRequest& request);

// "SYE_SAGENE" for "bydel_sagene", "SYE_OSLO" without a district.
std::string fakturautsteder_for(const std::string& district);

}  // namespace oppgjor::care_fees
