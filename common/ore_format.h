// Fast, exact formatting of øre amounts for reports and exports (no Decimal, no floating point).
#pragma once

#include <cstdint>
#include <string>

namespace oppgjor::common::ore_format {

// -123456 -> "-1234.56" (plain), "-1 234,56" (Norwegian), "-1234,56" (Excel with Norwegian
// settings: no thousands separator, decimal comma).
inline std::string ore(std::int64_t amount_ore, char decimal, const char* thousands) {
  const bool negative = amount_ore < 0;
  // Magnitude as unsigned: also right for INT64_MIN.
  std::uint64_t v = negative ? 0 - static_cast<std::uint64_t>(amount_ore)
                             : static_cast<std::uint64_t>(amount_ore);
  const std::uint64_t cents = v % 100;
  std::string whole = std::to_string(v / 100);
  std::string grouped;
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) grouped += thousands;
    grouped += whole[i];
  }
  std::string out = negative ? "-" : "";
  out += grouped;
  out += decimal;
  out += static_cast<char>('0' + cents / 10);
  out += static_cast<char>('0' + cents % 10);
  return out;
}

inline std::string plain(std::int64_t amount_ore) {
  return ore(amount_ore, '.', "");
}
inline std::string norwegian(std::int64_t amount_ore) {
  return ore(amount_ore, ',', " ");
}
inline std::string excel(std::int64_t amount_ore) {
  return ore(amount_ore, ',', "");
}

}  // namespace oppgjor::common::ore_format
