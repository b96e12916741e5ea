// Rule parameters that staff set (issue 10, item 10): `oppgjor rules set` and `oppgjor rules list`
// (cli/cmd_rules.cc) parse and print; every decision is here. Pure: no clock, no I/O.
//
// plan_parameter_set() validates a request against the parameters the care-fees calculation
// knows (name, unit, a sensible range) and against the store (no overlap with a value already in
// force for the same parameter and scope, unless the request says it replaces it), and returns
// the rules.parameter_set event to append (deterministic id: setting the same value twice appends
// nothing). Errors name the field: parameter_unknown ("parameter"), value_out_of_range or
// decimal_syntax ("value"), period_invalid ("to"), source_missing ("source"),
// parameter_overlap ("from", naming the period already in force).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "events/engine_event.h"
#include "services/care_fees/parameters.h"

namespace oppgjor::care_fees {

struct KnownParameter {
  std::string_view name;  // "care_fees.fribelop_nok"
  std::string_view unit;  // as in rules.parameter_set: nok, ratio, days
  Decimal min;
  Decimal max;
  bool scoped = false;  // may carry an institution scope (the cost cap)
};

// The parameters staff may set, with their sensible ranges.
const std::vector<KnownParameter>& known_parameters();

struct ParameterSetRequest {
  std::string parameter;
  std::string value;  // decimal string
  Date from;
  std::optional<Date> to;  // inclusive; none: until superseded
  // "" | "institution_type=nursing_home" | "institution_id=SYKEHJEM-A"
  std::string scope;
  std::string source;
  std::string actor;
  bool replace = false;  // an overlap with a value in force is allowed: the new value supersedes
};

Result<events::EngineEvent> plan_parameter_set(const ParameterStore& store,
                                               const ParameterSetRequest& request);

struct ParameterInForce {
  std::string parameter;  // scoped name
  DatedValue value;
};

// The values in force on `at` (all parameters, or those whose scoped name starts with
// `parameter`), by name.
std::vector<ParameterInForce> parameters_in_force(const ParameterStore& store,
                                                  std::string_view parameter, Date at);

}  // namespace oppgjor::care_fees
