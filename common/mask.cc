// Masking of personal identifiers (see mask.h).
#include "common/mask.h"

#include <optional>

#include "common/ascii.h"
#include "common/identifiers.h"

namespace oppgjor::common {
namespace {

constexpr std::size_t national_id_digits = 11;
constexpr std::size_t national_id_visible_digits = 6;

}  // namespace

std::string mask_national_id(std::string_view national_id) {
  bool digits = national_id.size() == national_id_digits;
  for (char c : national_id) digits = digits && is_ascii_digit(c);
  if (!digits) return std::string(national_id.size(), '*');
  std::string out(national_id.substr(0, national_id_visible_digits));
  out += national_id_mask_suffix;
  return out;
}

namespace {
template <class ShouldMask>
std::string mask_runs(std::string_view text, ShouldMask should_mask) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (!is_ascii_digit(text[i])) {
      out += text[i++];
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && is_ascii_digit(text[end])) ++end;
    const std::string_view run = text.substr(i, end - i);
    out += run.size() == national_id_digits && should_mask(run) ? mask_national_id(run)
                                                                : std::string(run);
    i = end;
  }
  return out;
}
}  // namespace

std::string mask_all_11_digit_runs(std::string_view text) {
  return mask_runs(text, [](std::string_view) { return true; });
}

std::string mask_personal_ids(std::string_view text) {
  return mask_runs(text,
                   [](std::string_view run) { return is_valid_national_id(run, std::nullopt); });
}

}  // namespace oppgjor::common

namespace oppgjor::common {
namespace {

// The length of the valid UTF-8 sequence at s[i], or 0.
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  const std::size_t n = c < 0x80           ? 1
                        : (c >> 5) == 0x6  ? 2
                        : (c >> 4) == 0xE  ? 3
                        : (c >> 3) == 0x1E ? 4
                                           : 0;
  if (n == 0 || (n == 2 && c < 0xC2) || i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  }
  return n;
}

void append_hex(unsigned char c, std::string& out) {
  static constexpr char digits[] = "0123456789abcdef";
  out += "\\x";
  out += digits[c >> 4];
  out += digits[c & 0xF];
}

}  // namespace

std::string escape_control(std::string_view text, Newlines newlines) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t n = utf8_sequence(text, i);
    const bool c1 = n == 2 && c == 0xC2 && static_cast<unsigned char>(text[i + 1]) < 0xA0;
    const bool line_end = c == '\n' || (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n');
    const bool kept = line_end && newlines == Newlines::keep;
    if (n == 0 || (c < 0x20 && !kept) || c == 0x7F || c1) {
      const std::size_t bad = n == 0 ? 1 : n;
      for (std::size_t k = 0; k < bad; ++k)
        append_hex(static_cast<unsigned char>(text[i + k]), out);
      i += bad;
      continue;
    }
    out.append(text.substr(i, n));
    i += n;
  }
  return out;
}

std::string for_display(std::string_view text, Newlines newlines) {
  return escape_control(mask_personal_ids(text), newlines);
}

std::string for_display_strict(std::string_view text, Newlines newlines) {
  return escape_control(mask_all_11_digit_runs(text), newlines);
}

}  // namespace oppgjor::common
