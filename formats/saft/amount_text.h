// SAF-T amounts (SAFmonetaryType: xs:decimal, at most 18 digits of which 2 decimals) from whole
// øre, exactly: 12345 -> "123.45", 5 -> "0.05", 0 -> "0.00". No floating point. Pure.
#pragma once

#include <cstdint>
#include <string>

namespace oppgjor::formats::saft {

// The largest magnitude SAFmonetaryType holds: 18 digits, i.e. 9 999 999 999 999 999.99 NOK.
inline constexpr std::int64_t amount_ore_max = 999'999'999'999'999'999;

// REQUIRES: 0 <= amount_ore <= amount_ore_max (asserted: callers check the range first and
// write a negative amount as the other side, Debit or Credit).
std::string amount_text(std::int64_t amount_ore);

}  // namespace oppgjor::formats::saft
