#include "formats/saft/amount_text.h"

#include "common/assert.h"
#include "common/ore_format.h"

namespace oppgjor::formats::saft {

std::string amount_text(std::int64_t amount_ore) {
  OPPGJOR_ASSERT(amount_ore >= 0 && amount_ore <= amount_ore_max,
                 "a SAF-T amount is non-negative and within 18 digits");
  return common::ore_format::plain(amount_ore);
}

}  // namespace oppgjor::formats::saft
