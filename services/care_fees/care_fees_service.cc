#include "services/care_fees/care_fees_service.h"

#include "common/actor.h"
#include "common/money.h"
#include "events/json_fields.h"
#include "events/sha256.h"
#include "services/care_fees/approval.h"
#include "services/care_fees/billing.h"
#include "services/care_fees/decisions.h"
#include "services/care_fees/errors.h"
#include "services/care_fees/state_codec.h"
#include "services/runtime/commands.h"

namespace oppgjor::care_fees {
namespace {

using events::EngineEvent;
using Events = std::vector<EngineEvent>;

constexpr std::string_view billing_requested = "care_fees.billing_requested";
constexpr std::string_view recalculation_requested = "care_fees.recalculation_requested";
constexpr std::string_view approval_requested = "care_fees.approval_requested";
constexpr std::string_view rejection_requested = "care_fees.rejection_requested";

// The answer to a command the service refuses: nothing else is decided.
Events refuse(const events::EventView& command, Error why) {
  return {runtime::refused_event(service_name, command, why)};
}

Events decide_billing(const CareFeesState& state, const events::EventView& e,
                      simdjson::dom::element p, runtime::Part part) {
  BillingRequest request{static_cast<int>(events::int_or(p, "year")),
                         static_cast<unsigned>(events::int_or(p, "month")),
                         events::text_or(p, "district"), std::string(e.actor)};
  request.part_index = part.index;
  request.part_count = part.count;
  if (request.year < fee_year_min || request.year > fee_year_max) {
    return {runtime::refused_event(
        service_name, e,
        make_error(std::string(errc::year_out_of_range), "payload.year",
                   "året " + std::to_string(request.year) + " er utenfor det regelverket dekker"),
        part)};
  }
  BillingPlan plan = plan_billing(state, request);
  runtime::Completion c;
  c.counts = {{"billed", 0}, {"already_billed", 0}, {"nothing_due", 0}, {"rejected", 0}};
  for (const BillOutcome& o : plan.outcomes) {
    switch (o.kind) {
      case BillOutcome::Kind::billed:
        ++c.counts["billed"];
        break;
      case BillOutcome::Kind::already_billed:
        ++c.counts["already_billed"];
        break;
      case BillOutcome::Kind::nothing_due:
        ++c.counts["nothing_due"];
        break;
      case BillOutcome::Kind::rejected:
        ++c.counts["rejected"];
        break;
    }
  }
  c.counts["rejections_in_log"] = static_cast<std::int64_t>(plan.rejections.size());
  c.amounts["total_ore"] = plan.total_ore;
  c.note = billing_summary(plan, request);
  c.part = part;
  if (!part.whole()) {
    c.note = "Del " + std::to_string(part.index + 1) + " av " + std::to_string(part.count) +
             " (partisjon " + std::to_string(part.index) + "): " + c.note;
  }
  Events out = std::move(plan.events);
  for (EngineEvent& b : out) b.event_id.clear();  // the runner gives outputs their ids
  // The fee decisions (vedtak) the bills rest on: new for the year, or a changed yearly fee.
  Events decisions = billing_decisions(
      state, plan, request, runtime::business_date(e, Date::ymd(request.year, request.month, 1)));
  c.counts["decisions"] = static_cast<std::int64_t>(decisions.size());
  for (EngineEvent& d : decisions) out.push_back(std::move(d));
  out.push_back(runtime::completed_event(service_name, e, c));
  return out;
}

runtime::Completion totals_completion(const RecalcReport& report) {
  const ReportTotals& t = report.totals;
  runtime::Completion c;
  c.counts = {{"residents", t.residents}, {"with_correction", t.with_correction},
              {"refunds", t.refunds},     {"extra_charges", t.extra_charges},
              {"waiting", t.waiting},     {"errors", t.errors}};
  c.amounts = {{"refund_ore", t.refund_ore}, {"extra_charge_ore", t.extra_charge_ore}};
  c.refs = {{"run_id", report.run.run_id}};
  return c;
}

Events decide_recalculation(const CareFeesState& state, const events::EventView& e,
                            simdjson::dom::element p) {
  RunSpec run{"", static_cast<int>(events::int_or(p, "year")), events::text_or(p, "district"),
              state.last_input_sequence, std::string(e.actor)};
  if (run.year < fee_year_min || run.year > fee_year_max) {
    return refuse(
        e, make_error(std::string(errc::year_out_of_range), "payload.year",
                      "året " + std::to_string(run.year) + " er utenfor det regelverket dekker"));
  }
  run.run_id = recalculation_run_id(run.year, run.district, run.as_of_sequence);
  if (const auto it = state.runs.find(run.run_id); it != state.runs.end()) {
    // The same log position, year and district: the same run and the same report.
    const RecalcReport report = compute_recalculation(state, spec_of(it->second));
    runtime::Completion c = totals_completion(report);
    c.counts["already_started"] = 1;
    c.note = "allerede startet av " + it->second.started_by + " (status " +
             std::string(to_text_no(it->second.status)) + "); ingenting lagt til";
    return {runtime::completed_event(service_name, e, c)};
  }
  const RecalcReport report = compute_recalculation(state, run);
  const std::string sha = events::sha256_hex(report_json(report));
  EngineEvent started = started_event(run, std::string(e.occurred_at), sha);
  started.event_id.clear();
  runtime::Completion c = totals_completion(report);
  c.refs["report_sha256"] = sha;
  c.note = "Kontrollberegning startet for " + std::to_string(run.year) +
           (run.district.empty() ? "" : " (" + run.district + ")") + ". En annen enn " +
           run.started_by + " må godkjenne eller avvise den.";
  return {std::move(started), runtime::completed_event(service_name, e, c)};
}

// The run named by the command, or the refusal.
Result<const RunRecord*> find_run(const CareFeesState& state, simdjson::dom::element p) {
  const std::string run_id = events::text_or(p, "run_id");
  const auto it = state.runs.find(run_id);
  if (it == state.runs.end()) {
    return make_error(std::string(errc::run_unknown), "payload.run_id",
                      "ingen kontrollberegning med id " + run_id);
  }
  return &it->second;
}

Events decide_approval(const CareFeesState& state, const events::EventView& e,
                       simdjson::dom::element p) {
  auto run = find_run(state, p);
  if (!run) return refuse(e, run.error());
  const RunRecord& r = **run;
  const std::string actor(e.actor);
  if (r.status == RunStatus::approved) {
    runtime::Completion c;
    c.counts["already_approved"] = 1;
    c.refs = {{"run_id", r.run_id}, {"report_sha256", r.report_sha256}};
    c.note = "allerede godkjent av " + r.approved_by + "; ingenting lagt til";
    return {runtime::completed_event(service_name, e, c)};
  }
  if (auto st = decidable(r, actor, Decision::approve); !st.ok()) return refuse(e, st.error());
  const RecalcReport report = compute_recalculation(state, spec_of(r));
  if (auto st = check_approvable(report); !st.ok()) return refuse(e, st.error());
  const std::string sha = events::sha256_hex(report_json(report));
  // The report must be the one the run was started with (recorded then, for runs the service
  // started) and the one the approver was shown (sent with the command); at least one of them.
  const std::string shown = events::text_or(p, "report_sha256");
  const bool unknown = r.report_sha256.empty() && shown.empty();
  if (unknown || (!r.report_sha256.empty() && sha != r.report_sha256) ||
      (!shown.empty() && sha != shown)) {
    return refuse(e, make_error(std::string(errc::report_changed), "payload.run_id",
                                "loggen er endret for beboerne i denne kjøringen etter sekvens " +
                                    std::to_string(r.as_of_sequence) +
                                    ": start en ny kontrollberegning (oppgjor care-fees recalc)"));
  }
  auto approved = approval_events(state, report, actor, sha, std::string(e.occurred_at));
  if (!approved) return refuse(e, approved.error());
  Events out = std::move(approved).value();
  for (EngineEvent& o : out) {
    o.event_id.clear();
    o.causation_id.reset();
  }
  runtime::Completion c = totals_completion(report);
  c.refs["report_sha256"] = sha;
  c.counts["corrections"] = static_cast<std::int64_t>(out.size() - 1);
  c.note = "Godkjent av " + actor + ": " + std::to_string(out.size() - 1) + " korreksjoner.";
  // Each correction is a decision (vedtak) with its own letter and right to appeal.
  Events decisions = correction_decisions(state, report, actor,
                                          runtime::business_date(e, Date::ymd(r.year, 12, 31)));
  c.counts["decisions"] = static_cast<std::int64_t>(decisions.size());
  for (EngineEvent& d : decisions) out.push_back(std::move(d));
  out.push_back(runtime::completed_event(service_name, e, c));
  return out;
}

Events decide_rejection(const CareFeesState& state, const events::EventView& e,
                        simdjson::dom::element p) {
  auto run = find_run(state, p);
  if (!run) return refuse(e, run.error());
  const RunRecord& r = **run;
  const std::string actor(e.actor);
  if (r.status == RunStatus::rejected) {
    runtime::Completion c;
    c.counts["already_rejected"] = 1;
    c.refs = {{"run_id", r.run_id}};
    c.note = "allerede avvist av " + r.rejected_by + "; ingenting lagt til";
    return {runtime::completed_event(service_name, e, c)};
  }
  if (auto st = decidable(r, actor, Decision::reject); !st.ok()) return refuse(e, st.error());
  const std::string reason = events::text_or(p, "reason");
  EngineEvent rejected = rejected_event(spec_of(r), actor, reason, std::string(e.occurred_at));
  rejected.event_id.clear();
  runtime::Completion c;
  c.counts["rejected"] = 1;
  c.refs = {{"run_id", r.run_id}};
  c.note = "Avvist av " + actor + ": " + reason;
  return {std::move(rejected), runtime::completed_event(service_name, e, c)};
}

}  // namespace

RunSpec spec_of(const RunRecord& run) {
  return RunSpec{run.run_id, run.year, run.district, run.as_of_sequence, run.started_by};
}

Status decidable(const RunRecord& run, std::string_view actor, Decision decision) {
  const auto checker = common::normalise_actor(actor);
  if (!checker) {
    return make_error(std::string(errc::actor_missing), "--actor",
                      "kommandoen må ha en gyldig bruker: " + checker.error().message);
  }
  return check_decidable(run, *checker, decision);
}

Result<RecalcReport> report_of_run(const CareFeesService& service, events::EventLog& log,
                                   const std::string& run_id) {
  const auto& runs = service.state().runs;
  const auto it = runs.find(run_id);
  if (it == runs.end()) {
    return make_error(std::string(errc::run_unknown), "run_id",
                      "ingen kontrollberegning med id " + run_id);
  }
  const RunSpec spec = spec_of(it->second);
  RecalcReport now = compute_recalculation(service.state(), spec);
  if (!it->second.report_sha256.empty() &&
      events::sha256_hex(report_json(now)) == it->second.report_sha256) {
    return now;  // the run's residents have not changed since: the same report
  }
  auto then = make_care_fees_service();
  if (auto st = runtime::rebuild_service(log, *then, 1, spec.as_of_sequence); !st.ok()) {
    return st.error();
  }
  return compute_recalculation(then->state(), spec);
}

CareFeesService::CareFeesService(ParameterStore parameters) : projection_(std::move(parameters)) {
  rules_version_ = projection_.state().parameters.rule_version();
  projection_.keep_raw_inputs();
}

std::string CareFeesService::state_version() const {
  return "care_fees/snapshot-" + std::to_string(snapshot_format) + "/rules-" + rules_version_;
}

std::vector<std::string> CareFeesService::input_types() const {
  std::vector<std::string> types = projection_input_types();
  for (std::string_view t :
       {billing_requested, recalculation_requested, approval_requested, rejection_requested,
        delivery_requested_type, appeal_requested_type, appeal_decision_requested_type}) {
    types.emplace_back(t);
  }
  return types;
}

bool CareFeesService::decides(std::string_view type) const {
  return spans_customers(type) || type == delivery_requested_type ||
         type == appeal_requested_type || type == appeal_decision_requested_type;
}

bool CareFeesService::spans_customers(std::string_view type) const {
  return type == billing_requested || type == recalculation_requested ||
         type == approval_requested || type == rejection_requested;
}

int CareFeesService::parts(const events::EventView& e, simdjson::dom::element p) const {
  if (e.type != billing_requested) return 1;
  const std::int64_t n = events::int_or(p, "partitions");  // the schema bounds it to 1..1024
  return n > 1 && n <= runtime::parts_max ? static_cast<int>(n) : 1;
}

Result<std::vector<EngineEvent>> CareFeesService::decide(const events::EventView& e,
                                                         simdjson::dom::element p,
                                                         runtime::Part part) const {
  const CareFeesState& s = projection_.state();
  if (e.actor.empty()) {
    return {{runtime::refused_event(
        service_name, e,
        make_error(std::string(errc::actor_missing), "actor",
                   "kommandoen har ingen bruker (actor); den blir ikke utført"),
        part)}};
  }
  if (e.type == billing_requested) return decide_billing(s, e, p, part);
  if (e.type == recalculation_requested) return decide_recalculation(s, e, p);
  if (e.type == approval_requested) return decide_approval(s, e, p);
  if (e.type == delivery_requested_type) return decide_delivery(s, e, p);
  if (e.type == appeal_requested_type) return decide_appeal(s, e, p);
  if (e.type == appeal_decision_requested_type) return decide_appeal_decision(s, e, p);
  return decide_rejection(s, e, p);
}

Status CareFeesService::fold(const events::EventView& e, simdjson::dom::element payload) {
  return projection_.apply(e, payload);
}

std::string CareFeesService::save() const {
  return save_state(projection_.state());
}

Status CareFeesService::load(std::string_view snapshot) {
  return projection_.load(snapshot);
}

std::unique_ptr<CareFeesService> make_care_fees_service() {
  auto store = builtin_parameters();
  return std::make_unique<CareFeesService>(store ? std::move(*store) : ParameterStore{});
}

}  // namespace oppgjor::care_fees
