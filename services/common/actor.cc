#include "services/common/actor.h"

#include "services/common/mask.h"

namespace oppgjor::common {

Result<std::string> normalise_actor(std::string_view actor) {
  const auto first = actor.find_first_not_of(" \t");
  if (first == std::string_view::npos) {
    return make_error("actor_invalid", "actor", "the user id is empty");
  }
  const auto last = actor.find_last_not_of(" \t");
  const std::string_view trimmed = actor.substr(first, last - first + 1);
  if (trimmed.size() > actor_bytes_max) {
    return make_error("actor_invalid", "actor", "the user id is longer than 128 bytes");
  }
  std::string out;
  out.reserve(trimmed.size());
  for (std::size_t i = 0; i < trimmed.size(); ++i) {
    const auto c = static_cast<unsigned char>(trimmed[i]);
    if (c < 0x20 || c == 0x7f) {
      return make_error("actor_invalid", "actor", "the user id has a control character");
    }
    if (c >= 'A' && c <= 'Z') {
      out += static_cast<char>(c - 'A' + 'a');
    } else if (c == 0xC3 && i + 1 < trimmed.size()) {
      // Æ (C3 86), Ø (C3 98), Å (C3 85) → æ (C3 A6), ø (C3 B8), å (C3 A5).
      const auto d = static_cast<unsigned char>(trimmed[i + 1]);
      out += static_cast<char>(c);
      out += static_cast<char>((d == 0x86 || d == 0x98 || d == 0x85) ? d + 0x20 : d);
      ++i;
    } else if (c == 0xC2 && i + 1 < trimmed.size() &&
               static_cast<unsigned char>(trimmed[i + 1]) < 0xA0) {
      return make_error("actor_invalid", "actor", "the user id has a control character");
    } else {
      out += static_cast<char>(c);
    }
  }
  if (mask_all_11_digit_runs(out) != out) {
    return make_error("actor_invalid", "actor",
                      "the user id contains an 11-digit number; use a user id, never a "
                      "fødselsnummer");
  }
  return out;
}

bool same_actor(std::string_view a, std::string_view b) {
  const auto x = normalise_actor(a);
  const auto y = normalise_actor(b);
  return x.ok() && y.ok() && *x == *y;
}

}  // namespace oppgjor::common
