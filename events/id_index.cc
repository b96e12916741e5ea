#include "events/id_index.h"

#include <algorithm>
#include <bit>

namespace oppgjor::events {

std::uint64_t event_id_key(std::string_view event_id) {
  std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a 64 offset basis
  for (char c : event_id) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;  // FNV prime
  }
  return h;
}

void IdIndex::insert(std::uint64_t key, std::int64_t sequence) {
  if ((used_ + 1) * 4 > slots_.size() * 3) grow();  // load factor ≤ 0.75
  std::size_t i = slot_of(key);
  while (slots_[i].sequence != empty) i = (i + 1) & mask_;
  slots_[i] = Slot{key, sequence};
  ++used_;
  ++live_;
}

void IdIndex::remove(std::uint64_t key, std::int64_t sequence) {
  if (slots_.empty()) return;
  for (std::size_t i = slot_of(key);; i = (i + 1) & mask_) {
    Slot& s = slots_[i];
    if (s.sequence == empty) return;
    if (s.key == key && s.sequence == sequence) {
      s.sequence = tombstone;
      --live_;
      return;
    }
  }
}

void IdIndex::clear() {
  slots_.clear();
  mask_ = 0;
  shift_ = 64;
  used_ = 0;
  live_ = 0;
}

void IdIndex::grow() {
  std::vector<Slot> old;
  old.swap(slots_);
  const std::size_t capacity = std::max<std::size_t>(1024, std::bit_ceil(live_ * 2 + 2));
  slots_.assign(capacity, Slot{});
  mask_ = capacity - 1;
  shift_ = 64 - std::countr_zero(capacity);
  used_ = 0;
  live_ = 0;
  for (const Slot& s : old) {
    if (s.sequence > 0) insert(s.key, s.sequence);  // tombstones are dropped here
  }
}

}  // namespace oppgjor::events
