// The events of a control-recalculation run (stream care_fees_run/<run_id>) and of its approval.
// Pure builders and the pure checks of maker–checker (check_decidable) and of "there is something
// to approve" (check_approvable), shared by every front end (CLI, a future HTTP API); the caller
// also checks that the report did not change, then appends.
//
//   care_fees.recalculation_started   stream_version 1
//   care_fees.recalculation_approved  stream_version 2 (so approve and reject exclude each other)
//   care_fees.recalculation_rejected  stream_version 2
//   per resident with a difference, one correction in care_fees/<customer_id>:
//     refund       → invoicing.credit_basis_received  (ordrenummer "VED-ETT-<Y>-<customer>-<run8>")
//     extra charge → invoicing.invoice_basis_received (same ordrenummer)
//     itemised per month (one line per month with a difference; trace.months), claim_type
//     nursing_home, causation_id = the approval's event id, correlation_id = run_id.
// Every id is deterministic ("care_fees/run/<run_id>/approved",
// "care_fees/correction/<run_id>/<customer_id>"), so approving twice appends nothing more.
#pragma once

#include <string>
#include <vector>

#include "common/actor.h"
#include "common/result.h"
#include "events/engine_event.h"
#include "services/care_fees/log_access.h"
#include "services/care_fees/recalc.h"

namespace oppgjor::care_fees {

enum class Decision { approve, reject };

// Whether `actor` may decide `run` now. run_closed (field run_id) when it is already approved or
// rejected; maker_is_checker (field --actor) when `actor` is the identity that started it (both
// compared as normalised identities, the stored one folded again in case the log predates
// normalisation). Messages are Norwegian, for the finance staff who read them.
Status check_decidable(const RunRecord& run, const common::ActorId& actor, Decision decision);

// nothing_to_approve (field run_id) when no resident of the report has a computed result (every
// one failed or waits for the final assessment, or the run has no residents).
Status check_approvable(const RecalcReport& report);

// `report_sha256`: SHA-256 (hex) of report_json() of the run's report when it was started
// (empty: not recorded, as in runs started before the service recorded it).
events::EngineEvent started_event(const RunSpec& run, const std::string& occurred_at,
                                  const std::string& report_sha256 = {});

events::EngineEvent rejected_event(const RunSpec& run, const std::string& rejected_by,
                                   const std::string& reason, const std::string& occurred_at);

// The approval first, then the corrections in customer order. Each correction line carries the
// posting string of its month (rule data per district and institution, as the bill had); a
// missing posting is an Error naming it (parameter_missing), and nothing is approved.
// REQUIRES: report_sha256 is the SHA-256 (hex) of report_json(report).
Result<std::vector<events::EngineEvent>> approval_events(const CareFeesState& state,
                                                         const RecalcReport& report,
                                                         const std::string& approved_by,
                                                         const std::string& report_sha256,
                                                         const std::string& occurred_at);

std::string run_stream(const std::string& run_id);

}  // namespace oppgjor::care_fees
