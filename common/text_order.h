// Natural order of references such as "upload.jsonl:9" < "upload.jsonl:10" or
// "billing/2@99" < "billing/2@100": runs of ASCII digits compare as numbers, everything else
// bytewise. Pure, thread-safe.
#pragma once

#include <string_view>

namespace oppgjor::common {

// Strict weak order. Digit runs that are equal as numbers but differ in leading zeros ("07" and
// "7") order the shorter first, so the order stays total over distinct strings.
bool natural_less(std::string_view a, std::string_view b);

}  // namespace oppgjor::common
