// The care-fees service's access to the event log, through the EventLog the caller opened (the
// CLI and the benchmark own the file and the clock): folding the care-fees projection to a
// sequence and on from there, reading a run's events, and turning engine events into proposed
// events checked against their schemas.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "events/engine_event.h"
#include "events/event_log.h"
#include "services/care_fees/care_fees_projection.h"
#include "services/care_fees/recalc.h"

namespace oppgjor::care_fees {

// Folds events 1..until_sequence (0: the whole log) into a fresh projection over `parameters`.
Result<std::unique_ptr<CareFeesProjection>> fold_log(events::EventLog& log,
                                                     const ParameterStore& parameters,
                                                     std::int64_t until_sequence = 0);

// Folds events after_sequence+1..until_sequence (0: to the end) into `projection`.
Status fold_more(events::EventLog& log, CareFeesProjection& projection, std::int64_t after_sequence,
                 std::int64_t until_sequence = 0);

// A run as its own events tell it. Actor names are identities (common::actor_from_log), also
// when the log was written before actors were normalised.
struct RunOnLog {
  RunSpec spec;
  RunStatus status = RunStatus::started;
  std::string approved_by;
  std::string rejected_by;
};

// The run's events (stream care_fees_run/<run_id>). Error run_unknown when there are none.
Result<RunOnLog> read_run(events::EventLog& log, const std::string& run_id);

// make_engine_event for each; the first error (a bug: an engine event that fails its schema).
Result<std::vector<events::ProposedEvent>> propose(const events::SchemaRegistry& registry,
                                                   const std::vector<events::EngineEvent>& specs);

}  // namespace oppgjor::care_fees
