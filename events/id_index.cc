#include "events/id_index.h"

namespace oppgjor::events {

std::uint64_t event_id_key(std::string_view event_id) {
  std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a 64 offset basis
  for (char c : event_id) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;  // FNV prime
  }
  return h;
}

}  // namespace oppgjor::events
