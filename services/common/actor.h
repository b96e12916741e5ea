// Actors are identities (issue 6): a user id typed as "saksbehandler.a", "SAKSBEHANDLER.A" or
// " saksbehandler.a " is the same person. normalise_actor() makes the one form that is stored
// and compared: trimmed, case-folded (ASCII and the Norwegian letters Æ Ø Å); it refuses an
// empty name, control characters and an 11-digit number (a national id is never a user id).
#pragma once

#include <string>
#include <string_view>

#include "services/common/result.h"

namespace oppgjor::common {

inline constexpr std::size_t actor_bytes_max = 128;

Result<std::string> normalise_actor(std::string_view actor);

// Whether two actors are the same identity (each normalised; an invalid one equals nothing).
bool same_actor(std::string_view a, std::string_view b);

}  // namespace oppgjor::common
