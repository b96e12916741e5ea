// ASCII character classes for identifiers, amounts and fixed-width records. Locale-free (unlike
// <cctype>'s isdigit) and constexpr.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace oppgjor::common {

constexpr bool is_ascii_digit(char c) {
  return c >= '0' && c <= '9';
}

// Every character a digit 0-9; true for the empty string (callers that need one digit say so).
constexpr bool only_ascii_digits(std::string_view s) {
  for (char c : s) {
    if (!is_ascii_digit(c)) return false;
  }
  return true;
}

// Appends value in decimal, zero-padded on the left to at least width digits. REQUIRES: value >= 0.
inline void append_zero_padded(std::string& out, long long value, std::size_t width) {
  const std::string digits = std::to_string(value);
  if (digits.size() < width) out.append(width - digits.size(), '0');
  out += digits;
}

}  // namespace oppgjor::common
