// OPPGJOR_ASSERT: an invariant check that stays on in every build type (STYLE.md, TigerBeetle).
//
// `assert` is compiled out under NDEBUG, which every shipped build defines; an invariant of a
// ledger or an event log must not be. OPPGJOR_ASSERT(cond, message) prints the condition, the
// message and where it failed to stderr and aborts the process before it can write anything
// more: a broken invariant is a bug, never a business rejection (ARCHITECTURE.md, "Errors").
// The message must not carry personal identifiers.
#pragma once

#include <cstdio>
#include <cstdlib>

namespace oppgjor::detail {

[[noreturn]] inline void assertion_failed(const char* condition, const char* message,
                                          const char* file, int line) {
  std::fprintf(stderr, "oppgjor: invariant broken at %s:%d: %s (%s)\n", file, line, message,
               condition);
  std::fflush(stderr);
  std::abort();
}

}  // namespace oppgjor::detail

#define OPPGJOR_ASSERT(condition, message)                                            \
  do {                                                                                \
    if (!(condition)) [[unlikely]]                                                    \
      ::oppgjor::detail::assertion_failed(#condition, (message), __FILE__, __LINE__); \
  } while (false)
