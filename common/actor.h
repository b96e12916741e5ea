// Actors: the person who acts (starts a run, approves it, bills a month), as an identity.
//
// An actor name is typed by a person, so "saksbehandler.a", "SAKSBEHANDLER.A" and
// "saksbehandler.a " are the same person. The identity is normalised once, at the edge
// (normalise_actor), stored normalised, and compared only as an ActorId, so maker–checker cannot
// be bypassed by spelling. Names read back from logs written before normalisation are folded the
// same way (actor_from_log), so old and new spellings of one person compare equal.
//
// Normal form: leading and trailing ASCII blanks (space, tab) removed; ASCII A–Z and the Latin-1
// capitals in UTF-8 (À–Þ but ×, so ÆØÅ too) folded to lower case. Refused (business rejection,
// code actor_invalid, field --actor): empty after trimming, longer than actor_bytes_max, not
// valid UTF-8, any control character (C0, DEL, C1), and any run of 11 digits (a fødselsnummer
// is never an actor name). Pure functions, thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.h"

namespace oppgjor::common {

inline constexpr std::size_t actor_bytes_max = 128;
inline constexpr std::string_view actor_invalid = "actor_invalid";

// A normalised actor identity. Construct it through normalise_actor or actor_from_log only.
class ActorId {
 public:
  ActorId() = default;
  const std::string& str() const { return value_; }
  bool empty() const { return value_.empty(); }
  friend bool operator==(const ActorId&, const ActorId&) = default;

 private:
  explicit ActorId(std::string v) : value_(std::move(v)) {}
  friend Result<ActorId> normalise_actor(std::string_view name);
  friend ActorId actor_from_log(std::string_view stored);
  std::string value_;
};

// The identity of a name typed at the edge (CLI option, HTTP field); an actor_invalid Error
// whose message says what is wrong (never echoing an 11-digit number).
Result<ActorId> normalise_actor(std::string_view name);

// The identity of a name read from the log (maybe written before normalisation existed): trimmed
// and case-folded like normalise_actor, never refused (an invalid stored name stays comparable).
ActorId actor_from_log(std::string_view stored);

// Whether two names are the same person: actor_from_log(a) == actor_from_log(b).
bool same_actor(std::string_view a, std::string_view b);

}  // namespace oppgjor::common
