#include "services/care_fees/log_access.h"

#include "common/actor.h"
#include "events/json_fields.h"
#include "replay/replayer.h"
#include "services/care_fees/approval.h"
#include "services/care_fees/errors.h"

namespace oppgjor::care_fees {

Result<std::unique_ptr<CareFeesProjection>> fold_log(events::EventLog& log,
                                                     const ParameterStore& parameters,
                                                     std::int64_t until_sequence) {
  auto projection = std::make_unique<CareFeesProjection>(parameters);
  if (auto st = replay::fold(log, {projection.get()}, until_sequence); !st) return st.error();
  return projection;
}

Status fold_more(events::EventLog& log, CareFeesProjection& projection, std::int64_t after_sequence,
                 std::int64_t until_sequence) {
  simdjson::dom::parser parser;
  Status failure = ok_status();
  auto st = log.scan(after_sequence + 1, until_sequence, [&](const events::EventView& e) {
    if (!projection.wants(e.type)) return true;
    simdjson::dom::element payload;
    if (parser.parse(e.payload.data(), e.payload.size(), true).get(payload) != simdjson::SUCCESS) {
      failure = make_error("corrupt_payload", "payload",
                           "sequence " + std::to_string(e.sequence) + ": payload is not JSON");
      return false;
    }
    failure = projection.apply(e, payload);
    return failure.ok();
  });
  if (!st) return st;
  return failure;
}

namespace {

void apply_run_event(const events::RecordedEvent& e, simdjson::dom::element p, RunOnLog& run) {
  if (e.type == "care_fees.recalculation_started") {
    std::int64_t year = 0, as_of = 0;
    if (p["year"].get(year) != simdjson::SUCCESS) year = {};
    if (p["as_of_sequence"].get(as_of) != simdjson::SUCCESS) as_of = {};
    run.spec = RunSpec{events::text_or(p, "run_id"), static_cast<int>(year),
                       events::text_or(p, "district"), as_of,
                       common::actor_from_log(events::text_or(p, "started_by")).str()};
    run.status = RunStatus::started;
  } else if (e.type == "care_fees.recalculation_approved") {
    run.status = RunStatus::approved;
    run.approved_by = common::actor_from_log(events::text_or(p, "approved_by")).str();
  } else if (e.type == "care_fees.recalculation_rejected") {
    run.status = RunStatus::rejected;
    run.rejected_by = common::actor_from_log(events::text_or(p, "rejected_by")).str();
  }
}

}  // namespace

Result<RunOnLog> read_run(events::EventLog& log, const std::string& run_id) {
  auto rows = log.read(1, 16, run_stream(run_id));
  if (!rows) return rows.error();
  RunOnLog run;
  simdjson::dom::parser parser;
  for (const events::RecordedEvent& e : *rows) {
    simdjson::dom::element p;
    if (parser.parse(e.payload).get(p) != simdjson::SUCCESS) continue;
    apply_run_event(e, p, run);
  }
  if (run.spec.run_id.empty()) {
    return make_error(std::string(errc::run_unknown), "run_id",
                      "ingen kontrollberegning " + run_id + " i denne loggen");
  }
  return run;
}

Result<std::vector<events::ProposedEvent>> propose(const events::SchemaRegistry& registry,
                                                   const std::vector<events::EngineEvent>& specs) {
  std::vector<events::ProposedEvent> out;
  out.reserve(specs.size());
  for (const auto& spec : specs) {
    auto e = events::make_engine_event(registry, spec);
    if (!e) return e.error();
    out.push_back(std::move(*e));
  }
  return out;
}

}  // namespace oppgjor::care_fees
