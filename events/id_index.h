// The log's in-memory indexes, so that the checks of an append cost a hash probe instead of a
// random-key B-tree insert per event (measured: the SQLite UNIQUE index on event_id held ingest
// to ~18k events/s; docs/PERFORMANCE.md):
//   IdIndex      event_id → sequence, for the idempotency check;
//   StreamIndex  stream → its last sequence and version, for the optimistic version check.
//
// Keys are FNV-1a 64 of the event_id or the stream (event_id_key below; persisted in event_index
// and in the index file, so the function must never change). Different ids or streams may share
// a key: the indexes keep every entry and the caller confirms each candidate against its row.
// Open addressing with linear probing; a removed entry becomes a tombstone. Not thread-safe.
//
// Either index may run over slots read from the index file (index_file.h): a private,
// copy-on-write mapping of the file, so a process that probes a few keys reads a few pages of
// it, not the whole file. Growing copies the slots into memory of its own.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

namespace oppgjor::events {

std::uint64_t event_id_key(std::string_view event_id);

struct IdSlot {
  std::uint64_t key = 0;
  std::int64_t sequence = 0;  // 0: empty; -1: removed
};

struct StreamSlot {
  std::uint64_t key = 0;
  std::int64_t sequence = 0;  // of the stream's last event; 0: empty; -1: removed
  std::int64_t version = 0;   // the stream_version of that event
};

// An open-addressing table of Slots (IdSlot or StreamSlot), over memory of its own or over
// slots someone else keeps alive (adopt).
template <class Slot>
class OpenTable {
 public:
  static constexpr std::int64_t empty = 0;  // sequences start at 1
  static constexpr std::int64_t tombstone = -1;

  // Index of the slot `s` went into.
  std::size_t insert(const Slot& s) {
    if ((used_ + 1) * 4 > slots_.size() * 3) grow();  // load factor ≤ 0.75
    std::size_t i = slot_of(s.key);
    while (slots_[i].sequence != empty) i = (i + 1) & mask_;
    slots_[i] = s;
    ++used_;
    ++live_;
    return i;
  }
  // Calls fn(index, slot) for every live slot with `key`; stops when fn returns false.
  template <class Fn>
  void for_each(std::uint64_t key, Fn&& fn) const {
    if (slots_.empty()) return;
    for (std::size_t i = slot_of(key);; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.sequence == empty) return;
      if (s.key == key && s.sequence != tombstone && !fn(i, s)) return;
    }
  }
  Slot& at(std::size_t index) { return slots_[index]; }
  // Marks the live slot with (key, sequence) removed.
  void remove(std::uint64_t key, std::int64_t sequence) {
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
  void clear() {
    owned_.clear();
    owned_.shrink_to_fit();
    keep_.reset();
    slots_ = {};
    mask_ = 0;
    shift_ = 64;
    used_ = 0;
    live_ = 0;
  }
  // Runs over `slots` (a power-of-two count, as saved by slots()) from now on, kept alive by
  // `keep`; writes go to them. REQUIRES: a table that can be probed as this one probes.
  void adopt(std::shared_ptr<void> keep, std::span<Slot> slots, std::size_t used,
             std::size_t live) {
    clear();
    keep_ = std::move(keep);
    slots_ = slots;
    mask_ = slots.size() - 1;
    shift_ = 64 - std::countr_zero(slots.size());
    used_ = used;
    live_ = live;
  }
  std::span<const Slot> slots() const { return slots_; }
  std::size_t used() const { return used_; }
  std::size_t live() const { return live_; }

 private:
  std::size_t slot_of(std::uint64_t key) const {
    return static_cast<std::size_t>((key * 0x9e3779b97f4a7c15ULL) >> shift_) & mask_;
  }
  void grow() {
    // The old slots: our own memory, taken over; or adopted ones, copied (the mapping they live
    // in is let go below, once they are rehashed into memory of our own).
    std::vector<Slot> old;
    if (keep_) {
      old.assign(slots_.begin(), slots_.end());
    } else {
      old.swap(owned_);
    }
    const std::size_t capacity = std::max<std::size_t>(1024, std::bit_ceil(live_ * 2 + 2));
    owned_.assign(capacity, Slot{});
    keep_.reset();
    slots_ = owned_;
    mask_ = capacity - 1;
    shift_ = 64 - std::countr_zero(capacity);
    used_ = 0;
    live_ = 0;
    for (const Slot& s : old) {
      if (s.sequence > 0) insert(s);  // tombstones are dropped here
    }
  }

  std::vector<Slot> owned_;
  std::shared_ptr<void> keep_;  // what keeps adopted slots alive (a mapping of the index file)
  std::span<Slot> slots_;
  std::size_t mask_ = 0;
  int shift_ = 64;
  std::size_t used_ = 0;  // live + tombstones
  std::size_t live_ = 0;
};

class IdIndex {
 public:
  void insert(std::uint64_t key, std::int64_t sequence) { table_.insert(IdSlot{key, sequence}); }
  // Marks (key, sequence) removed (a rolled-back append).
  void remove(std::uint64_t key, std::int64_t sequence) { table_.remove(key, sequence); }
  // Calls fn(sequence) for every live entry with `key`; stops when fn returns false.
  template <class Fn>
  void for_each(std::uint64_t key, Fn&& fn) const {
    table_.for_each(key, [&](std::size_t, const IdSlot& s) { return fn(s.sequence); });
  }
  void clear() { table_.clear(); }
  std::size_t size() const { return table_.live(); }
  OpenTable<IdSlot>& table() { return table_; }
  const OpenTable<IdSlot>& table() const { return table_; }

 private:
  OpenTable<IdSlot> table_;
};

using StreamIndex = OpenTable<StreamSlot>;

}  // namespace oppgjor::events
