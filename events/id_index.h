// IdIndex: the log's in-memory index from event_id to sequence, so that the idempotency check
// costs a hash probe instead of a random-key B-tree insert per event (measured: the SQLite
// UNIQUE index on event_id held ingest to ~18k events/s; docs/PERFORMANCE.md).
//
// Keys are FNV-1a 64 of the event_id (event_id_key below; persisted in event_index, so the
// function must never change). Different ids may share a key: the index keeps every
// (key, sequence) pair and the caller compares the full event_id of each candidate row.
// Open addressing with linear probing; a removed entry becomes a tombstone. Not thread-safe.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace oppgjor::events {

std::uint64_t event_id_key(std::string_view event_id);

class IdIndex {
 public:
  void insert(std::uint64_t key, std::int64_t sequence);
  // Marks (key, sequence) removed (a rolled-back append).
  void remove(std::uint64_t key, std::int64_t sequence);
  // Calls fn(sequence) for every live entry with `key`; stops when fn returns false.
  template <class Fn>
  void for_each(std::uint64_t key, Fn&& fn) const {
    if (slots_.empty()) return;
    for (std::size_t i = slot_of(key);; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.sequence == empty) return;
      if (s.key == key && s.sequence != tombstone && !fn(s.sequence)) return;
    }
  }
  void clear();
  std::size_t size() const { return live_; }

 private:
  static constexpr std::int64_t empty = 0;  // sequences start at 1
  static constexpr std::int64_t tombstone = -1;
  struct Slot {
    std::uint64_t key = 0;
    std::int64_t sequence = empty;
  };
  std::size_t slot_of(std::uint64_t key) const {
    return static_cast<std::size_t>((key * 0x9e3779b97f4a7c15ULL) >> shift_) & mask_;
  }
  void grow();

  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  int shift_ = 64;
  std::size_t used_ = 0;  // live + tombstones
  std::size_t live_ = 0;
};

}  // namespace oppgjor::events
