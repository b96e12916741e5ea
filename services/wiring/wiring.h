// The one place where the engine's services and projections are listed (issue 7: the set used to
// follow from which cli/cmd_*.cc files were linked, so the state hash could change with the
// link line). The embedded runner, `oppgjor run`, `oppgjor replay` and the tests all take their
// lists from here.
#pragma once

#include <memory>
#include <vector>

#include "replay/projection.h"
#include "services/runtime/runner.h"

namespace oppgjor::wiring {

// Every service, one factory each (the runner orders them by name).
std::vector<runtime::ServiceFactory> all_services();

// Every projection `replay` folds into the state hash, sorted by name.
std::vector<std::unique_ptr<replay::Projection>> all_projections();

}  // namespace oppgjor::wiring
