// The decision letter (vedtaksbrev) in Norwegian bokmål: `oppgjor care-fees letter DECISION_ID`.
//
// Rendered from the decision as it was made (the care_fees.decision_made payload kept in the
// state) and what was recorded beside it since (when it reached the resident, the appeal
// deadline, appeals): who (the customer id; never a national id), which year, the decision, the
// legal basis, the facts (each income and deduction, the income report it came from), the
// calculation step by step from the trace, the monthly amount, and the right to appeal: the
// deadline in words and, once delivery is recorded, as a date; to whom and how; the right to see
// the case documents (forvaltningsloven § 18); that the fee is invoiced while an appeal is
// pending but collection of the year's invoices is paused. Pure; deterministic.
#pragma once

#include <string>

#include "common/result.h"
#include "services/care_fees/care_fees_state.h"

namespace oppgjor::care_fees {

enum class LetterFormat { text, json };

// decision_unknown (field decision_id) when the state has no such decision.
Result<std::string> render_letter(const CareFeesState& state, const std::string& decision_id,
                                  LetterFormat format);

}  // namespace oppgjor::care_fees
