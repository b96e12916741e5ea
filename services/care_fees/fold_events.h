// The per-type fold steps of CareFeesProjection (care_fees_projection.h): each reads one
// validated payload and updates the state, or records a Rejection. Internal to the module.
#pragma once

#include <cstdint>
#include <string_view>

#include <simdjson.h>

#include "services/care_fees/care_fees_state.h"

namespace oppgjor::care_fees::fold {

struct EventRef {
  std::string_view event_id;
  std::string_view type;
  std::string_view occurred_at;
  std::int64_t sequence = 0;
  std::string_view actor;  // the envelope's actor (empty when none)
};

using Payload = simdjson::dom::element;

void stay_started(CareFeesState& s, const EventRef& e, Payload p);
void stay_transferred(CareFeesState& s, const EventRef& e, Payload p);
void absence_registered(CareFeesState& s, const EventRef& e, Payload p);
void stay_ended(CareFeesState& s, const EventRef& e, Payload p);
// The calculation basis in an income_reported payload; errors name the payload field
// ("payload.items[2].amount").
Result<FeeInput> fee_input_from_income(Payload p);
void income_reported(CareFeesState& s, const EventRef& e, Payload p);
void customer(CareFeesState& s, const EventRef& e, Payload p);
void parameter_set(CareFeesState& s, const EventRef& e, Payload p);
// invoicing.invoice_basis_received (credit = false) or invoicing.credit_basis_received.
void charge(CareFeesState& s, const EventRef& e, Payload p, bool credit);
void run_event(CareFeesState& s, const EventRef& e, Payload p);

}  // namespace oppgjor::care_fees::fold
