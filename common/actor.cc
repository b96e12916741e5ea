// Actor identities (actor.h).
#include "common/actor.h"

#include "common/mask.h"

namespace oppgjor::common {
namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

// ASCII A–Z, and in UTF-8 the Latin-1 capitals U+00C0–U+00DE except U+00D7 (×): ÆØÅ and the
// accented letters. Everything else is copied unchanged.
std::string case_fold(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 'A' && c <= 'Z') {
      out += static_cast<char>(c + ('a' - 'A'));
    } else if (c == 0xC3 && i + 1 < s.size()) {
      const auto next = static_cast<unsigned char>(s[i + 1]);
      const bool capital = next >= 0x80 && next <= 0x9E && next != 0x97;
      out += s[i];
      out += static_cast<char>(capital ? next + 0x20 : next);
      ++i;
    } else {
      out += s[i];
    }
  }
  return out;
}

// Why `name` (trimmed) cannot be an actor, or "" when it can.
std::string problem_of(std::string_view name) {
  if (name.empty()) return "navnet er tomt";
  if (name.size() > actor_bytes_max) {
    return "navnet er lengre enn " + std::to_string(actor_bytes_max) + " byte";
  }
  if (escape_control(name) != name) {  // the terminal-safe form differs: a control byte
    return "navnet inneholder et kontrolltegn eller er ikke gyldig UTF-8";
  }
  if (mask_all_11_digit_runs(name) != name) {
    return "navnet inneholder et 11-sifret nummer (bruk brukernavnet, aldri fødselsnummeret)";
  }
  return "";
}

}  // namespace

Result<ActorId> normalise_actor(std::string_view name) {
  const std::string_view trimmed = trim(name);
  if (const std::string problem = problem_of(trimmed); !problem.empty()) {
    return make_error(std::string(actor_invalid), "--actor", "ugyldig brukernavn: " + problem);
  }
  return ActorId(case_fold(trimmed));
}

ActorId actor_from_log(std::string_view stored) {
  return ActorId(case_fold(trim(stored)));
}

bool same_actor(std::string_view a, std::string_view b) {
  return actor_from_log(a) == actor_from_log(b);
}

}  // namespace oppgjor::common
