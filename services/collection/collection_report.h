// The collection report (`oppgjor report collection`, docs/CLI.md): as of a day, per dunning
// stage (first and second reminder, collection notice, payment demand, hand-over) how many
// claims reached it, the fees charged there, what was open when it was sent, what was paid on
// those claims after it, and the løsningsgrad after the stage (paid after / open at the stage);
// then claims per current stage, and the interest charged. Rendered with the ledger's table
// formats (table, Excel csv, json).
#pragma once

#include <string_view>

#include "services/collection/collection_state.h"
#include "services/ledger/report_table.h"

namespace oppgjor::collection {

ledger::Table collection_report(const CollectionState& s, Date as_of, std::string_view claim_type);
// One claim: its history, steps and amounts (`oppgjor claim show`).
ledger::Table claim_history_table(const Claim& c);

}  // namespace oppgjor::collection
