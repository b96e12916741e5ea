#include "common/json_text.h"

#include <cstdint>
#include <cstring>

namespace oppgjor::common {

namespace {

constexpr std::uint64_t ones = 0x0101010101010101ULL;
constexpr std::uint64_t highs = 0x8080808080808080ULL;

// Non-zero when some byte of w is zero (exact for presence; which bit is set may be off).
constexpr std::uint64_t has_zero_byte(std::uint64_t w) {
  return (w - ones) & ~w & highs;
}

// Non-zero when some byte of w is below 0x20, or is '"' or '\\'.
constexpr std::uint64_t needs_escape(std::uint64_t w) {
  return ((w - ones * 0x20) & ~w & highs) | has_zero_byte(w ^ (ones * '"')) |
         has_zero_byte(w ^ (ones * '\\'));
}

bool escaped_byte(unsigned char c) {
  return c < 0x20 || c == '"' || c == '\\';
}

}  // namespace

std::size_t json_plain_run_end(std::string_view s, std::size_t from) {
  std::size_t i = from;
  while (i + sizeof(std::uint64_t) <= s.size()) {
    std::uint64_t w = 0;
    std::memcpy(&w, s.data() + i, sizeof w);
    if (needs_escape(w) != 0) break;
    i += sizeof w;
  }
  while (i < s.size() && !escaped_byte(static_cast<unsigned char>(s[i]))) ++i;
  return i;
}

void append_json_escaped(std::string_view s, std::string& out) {
  static constexpr char hex[] = "0123456789abcdef";
  std::size_t run_start = 0;
  for (std::size_t i = json_plain_run_end(s, 0); i < s.size(); i = json_plain_run_end(s, i + 1)) {
    const auto c = static_cast<unsigned char>(s[i]);
    out.append(s.data() + run_start, i - run_start);
    run_start = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += "\\u00";
        out += hex[c >> 4];
        out += hex[c & 0x0f];
    }
  }
  out.append(s.data() + run_start, s.size() - run_start);
}

}  // namespace oppgjor::common
