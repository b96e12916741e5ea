// The readable Norwegian rendering of a notice (collection.notice_sent): what a debtor receives.
// Every figure comes from the event; nothing is computed again here.
#pragma once

#include <string>

#include "services/collection/collection_events.h"

namespace oppgjor::collection {

std::string render_notice(const Notice& n);

}  // namespace oppgjor::collection
