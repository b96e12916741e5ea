// Dunning plans (dunning_plan.h).
#include "services/collection/dunning_plan.h"

#include <simdjson.h>

#include "common/assert.h"

namespace oppgjor::collection {

namespace {

Error plan_invalid(const std::string& path, const std::string& why) {
  return make_error("rules_data_invalid", path, "dunning plans: " + path + ": " + why);
}

Result<NoticeKind> kind_of(std::string_view s, const std::string& path) {
  if (s == "reminder") return NoticeKind::reminder;
  if (s == "collection_notice") return NoticeKind::collection_notice;
  if (s == "payment_demand") return NoticeKind::payment_demand;
  return plan_invalid(path, "unknown step kind '" + std::string(s) + "'");
}

}  // namespace

std::string_view track_name(Track t) {
  return t == Track::enforcement ? "enforcement" : "ordinary_collection";
}

Result<DunningPlans> DunningPlans::parse(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(json.data(), json.size()).get(doc) != simdjson::SUCCESS) {
    return plan_invalid("$", "not JSON");
  }
  DunningPlans out;
  std::string_view v;
  if (doc["rule_version"].get(v) != simdjson::SUCCESS)
    return plan_invalid("rule_version", "missing");
  out.rule_version_ = std::string(v);
  simdjson::dom::array plans;
  if (doc["plans"].get(plans) != simdjson::SUCCESS) return plan_invalid("plans", "missing");
  std::size_t i = 0;
  for (simdjson::dom::element p : plans) {
    const std::string at = "plans[" + std::to_string(i++) + "]";
    DunningPlan plan;
    if (p["plan"].get(v) != simdjson::SUCCESS) return plan_invalid(at + ".plan", "missing");
    plan.plan = std::string(v);
    simdjson::dom::array types;
    if (p["claim_types"].get(types) != simdjson::SUCCESS) {
      return plan_invalid(at + ".claim_types", "missing");
    }
    for (simdjson::dom::element t : types) {
      if (t.get(v) != simdjson::SUCCESS) return plan_invalid(at + ".claim_types", "not a string");
      plan.claim_types.emplace_back(v);
    }
    if (p["effective_from"].get(v) != simdjson::SUCCESS) {
      return plan_invalid(at + ".effective_from", "missing");
    }
    auto from = Date::parse(v, at + ".effective_from");
    if (!from) return plan_invalid(at + ".effective_from", from.error().message);
    plan.effective_from = *from;
    if (p["track"].get(v) != simdjson::SUCCESS) return plan_invalid(at + ".track", "missing");
    if (v == "enforcement") {
      plan.track = Track::enforcement;
    } else if (v == "ordinary_collection") {
      plan.track = Track::ordinary_collection;
    } else {
      return plan_invalid(at + ".track", "unknown track '" + std::string(v) + "'");
    }
    simdjson::dom::array steps;
    if (p["steps"].get(steps) != simdjson::SUCCESS) return plan_invalid(at + ".steps", "missing");
    std::size_t k = 0;
    for (simdjson::dom::element s : steps) {
      const std::string sat = at + ".steps[" + std::to_string(k++) + "]";
      PlanStep step;
      if (s["kind"].get(v) != simdjson::SUCCESS) return plan_invalid(sat + ".kind", "missing");
      auto kind = kind_of(v, sat + ".kind");
      if (!kind) return kind.error();
      step.kind = *kind;
      std::int64_t n = 0;
      if (s["days_after_previous"].get(n) != simdjson::SUCCESS || n < 0 || n > 3650) {
        return plan_invalid(sat + ".days_after_previous", "missing or not 0..3650");
      }
      step.days_after_previous = static_cast<int>(n);
      if (s["deadline_days"].get(n) != simdjson::SUCCESS || n < 1 || n > 3650) {
        return plan_invalid(sat + ".deadline_days", "missing or not 1..3650");
      }
      step.deadline_days = static_cast<int>(n);
      plan.steps.push_back(step);
    }
    if (plan.steps.empty()) return plan_invalid(at + ".steps", "empty");
    std::int64_t n = 0;
    if (p["handover_days_after_deadline"].get(n) != simdjson::SUCCESS || n < 1 || n > 3650) {
      return plan_invalid(at + ".handover_days_after_deadline", "missing or not 1..3650");
    }
    plan.handover_days_after_deadline = static_cast<int>(n);
    if (p["minimum_open_ore"].get(n) != simdjson::SUCCESS || n < 0) {
      return plan_invalid(at + ".minimum_open_ore", "missing or negative");
    }
    plan.minimum_open_ore = n;
    bool b = false;
    if (p["dispute_pauses_interest"].get(b) != simdjson::SUCCESS) {
      return plan_invalid(at + ".dispute_pauses_interest", "missing");
    }
    plan.dispute_pauses_interest = b;
    if (p["source"].get(v) != simdjson::SUCCESS) return plan_invalid(at + ".source", "missing");
    plan.source = std::string(v);
    if (p["example"].get(b) == simdjson::SUCCESS) plan.example = b;
    out.plans_.push_back(std::move(plan));
  }
  return out;
}

const DunningPlans& DunningPlans::builtin() {
  static const DunningPlans plans = [] {
    auto p = parse(embedded_dunning_plans_json());
    OPPGJOR_ASSERT(p.ok(), "the shipped dunning plans parse");
    return std::move(p).value();
  }();
  return plans;
}

Result<const DunningPlan*> DunningPlans::plan_for(std::string_view claim_type, Date on) const {
  const DunningPlan* best = nullptr;
  for (const auto& plan : plans_) {
    if (plan.effective_from > on) continue;
    for (const auto& t : plan.claim_types) {
      if (t == claim_type && (best == nullptr || best->effective_from < plan.effective_from)) {
        best = &plan;
      }
    }
  }
  if (best == nullptr) {
    return make_error(
        "plan_missing", "claim_type",
        "no dunning plan for claim type " + std::string(claim_type) + " on " + on.to_iso());
  }
  return best;
}

}  // namespace oppgjor::collection
