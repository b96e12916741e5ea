// Masking of personal identifiers (see mask.h).
#include "services/common/mask.h"

#include <optional>

#include "services/common/identifiers.h"

namespace oppgjor::common {
namespace {

constexpr std::size_t national_id_digits = 11;
constexpr std::size_t national_id_visible_digits = 6;

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace

std::string mask_national_id(std::string_view national_id) {
  bool digits = national_id.size() == national_id_digits;
  for (char c : national_id) digits = digits && is_digit(c);
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
    if (!is_digit(text[i])) {
      out += text[i++];
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && is_digit(text[end])) ++end;
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
