// The one place where the engine's services and projections are listed (issue 7: the set used to
// follow from which cli/cmd_*.cc files were linked, so the state hash could change with the
// link line). The embedded runner, `oppgjor run`, `oppgjor replay` and the tests all take their
// lists from here.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "replay/projection.h"
#include "services/runtime/runner.h"

namespace oppgjor::wiring {

// Every service, one factory each (the runner orders them by name).
std::vector<runtime::ServiceFactory> all_services();

// The services named in `names`, one factory each; every service when `names` is empty. A name
// that is not wired is left out (the caller's service_of() then fails loudly). A reading command
// needs only the states it reads: each service's state is its own fold of the log, so bringing up
// the ledger alone for a ledger report gives the same ledger state as bringing up all of them.
std::vector<runtime::ServiceFactory> services_named(const std::vector<std::string_view>& names);

// Every projection `replay` folds into the state hash, sorted by name.
std::vector<std::unique_ptr<replay::Projection>> all_projections();

}  // namespace oppgjor::wiring
