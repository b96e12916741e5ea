// A resident's whole history for a caseworker (`oppgjor care-fees resident CUSTOMER_ID`), as a
// district sees it (issue 10, item 9: "the receiving district sees the whole history without
// re-entry"): every stay segment with its district and institution, and every month charged with
// the district each bill or correction went to. Stays and months that belong to another district
// than the viewer's are shown and marked ("annen bydel"), never hidden. Pure.
#pragma once

#include <string>

#include "services/care_fees/care_fees_state.h"

namespace oppgjor::care_fees {

// Norwegian text. `viewer_district`: the district looking (empty: the shared service, no marks).
std::string resident_history_no(const ResidentState& r, const std::string& viewer_district);

}  // namespace oppgjor::care_fees
