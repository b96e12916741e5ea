// Dunning plans as dated data (rules/dunning_plans.json, compiled in): per claim type, the steps
// (reminder, collection notice, payment demand), the least number of days before each step
// (after the due date for the first, after the previous step for the others), each step's
// payment deadline, when a claim is handed over after the last deadline, and to which track
// (enforcement for claims with special enforcement powers, ordinary collection otherwise).
//
// A plan is what the municipality wants; the law is checked separately (dunning.h): a plan that
// would break inkassoforskriften §§ 1-2 and 1-3 gets its step refused, never sent.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/date.h"
#include "common/result.h"
#include "services/collection/rates.h"

namespace oppgjor::collection {

enum class Track { enforcement, ordinary_collection };
std::string_view track_name(Track t);  // "enforcement", "ordinary_collection"

struct PlanStep {
  NoticeKind kind = NoticeKind::reminder;
  int days_after_previous = 14;  // first step: after the due date
  int deadline_days = 14;        // the notice's deadline: sent + deadline_days
};

struct DunningPlan {
  std::string plan;
  std::vector<std::string> claim_types;
  Date effective_from;
  Track track = Track::ordinary_collection;
  std::vector<PlanStep> steps;
  int handover_days_after_deadline = 1;  // handed over on deadline + this, at the earliest
  std::int64_t minimum_open_ore = 0;     // less open than this: no step, no hand-over
  bool dispute_pauses_interest = false;
  std::string source;
  bool example = false;
};

class DunningPlans {
 public:
  // Error "rules_data_invalid" naming the JSON path.
  static Result<DunningPlans> parse(std::string_view json);
  static const DunningPlans& builtin();

  // The plan for a claim type in force on `on`. Error "plan_missing" naming both.
  Result<const DunningPlan*> plan_for(std::string_view claim_type, Date on) const;
  const std::vector<DunningPlan>& plans() const { return plans_; }
  const std::string& rule_version() const { return rule_version_; }

 private:
  std::vector<DunningPlan> plans_;
  std::string rule_version_;
};

std::string_view embedded_dunning_plans_json();

}  // namespace oppgjor::collection
