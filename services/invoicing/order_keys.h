// OrderKeys: the set of order keys the invoicing state checks a basis against ("ordrenummer is
// unique per issuer", invoicing_state.h). A key is the issuer and the ordrenummer, each escaped as
// in a snapshot's fields (runtime/snapshot_lines.h), joined by a tab: exactly the bytes between a
// loaded open basis's issuer and ordrenummer fields, so the keys of a million loaded bases are
// views into the loaded snapshot (no copies, no allocation each), and those of bases and documents
// folded here are kept in the set's arena (common/view_set.h).
#pragma once

#include <string>
#include <string_view>

#include "common/view_set.h"

namespace oppgjor::invoicing {

// The key of `issuer` and `ordrenummer` (the escaped issuer, a tab, the escaped ordrenummer).
std::string order_set_key(std::string_view issuer, std::string_view ordrenummer);

using OrderKeys = common::ViewSet;

}  // namespace oppgjor::invoicing
