// The care-fees state as a snapshot (services/runtime/service.h): save_state() writes the whole
// CareFeesState as a JSON head and record lines (snapshot_format), load_state() restores it.
//
// Stays, charges, runs, registrations and rejections are written as values. Income reports and
// `rules.parameter_set` events are kept as the events they came from (CareFeesState keeps them
// when keep_raw_inputs is set) and folded again on load through the same fold steps, so a
// restored basis is decoded by the one decoder that decoded it the first time (and the snapshot
// needs no second encoding of FeeInput). The rejections those fold steps make are therefore not
// written: folding them again makes them again.
//
// snapshot_format is part of the service's state_version: change it with the format.
#pragma once

#include <string>
#include <string_view>

#include <simdjson.h>

#include "services/care_fees/care_fees_state.h"

namespace oppgjor::care_fees {

// 3: decision events and who set a rule value; 4: a JSON head, then one record line per
// parameter event, resident, decision event and run (runtime/snapshot_lines.h), each parsed
// alone, instead of one document parsed whole (it grows with every month billed).
inline constexpr int snapshot_format = 4;

// Keeps an income report or a care_fees.* rules.parameter_set event for the snapshot, when
// state.keep_raw_inputs. `payload_json` is the payload's text, `payload` the parsed element.
void keep_raw(CareFeesState& state, std::string_view event_id, std::string_view type,
              std::string_view occurred_at, std::int64_t sequence, std::string_view payload_json,
              simdjson::dom::element payload, std::string_view actor = {});

// REQUIRES: state.keep_raw_inputs (else income and parameters cannot be restored).
std::string save_state(const CareFeesState& state);

// REQUIRES: `state` is fresh (the shipped parameters only, no residents, no runs).
Status load_state(std::string_view snapshot, CareFeesState& state);

}  // namespace oppgjor::care_fees
