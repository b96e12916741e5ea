// ViewSet: a set of strings held as views, for sets of millions of short keys that are looked up
// far more than iterated (the invoicing state's order keys, the ledger's payment references).
// A key is either a view of bytes the caller keeps alive (insert_view: a loaded snapshot's), or
// copied into the set's own arena (insert: one allocation per 64 KiB of keys, not one per key).
// Open addressing with linear probing, at most half full; never iterated, so its order is of no
// consequence. Moved, never copied (views of its own keys point into its arena). Not
// thread-safe.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace oppgjor::common {

class ViewSet {
 public:
  ViewSet() = default;
  ViewSet(const ViewSet&) = delete;
  ViewSet& operator=(const ViewSet&) = delete;
  // The moved-from set is empty, with no chunk to fill.
  ViewSet(ViewSet&& other) noexcept;
  ViewSet& operator=(ViewSet&& other) noexcept;

  bool contains(std::string_view key) const;
  // Adds a key whose bytes outlive the set (the caller keeps them: a loaded snapshot).
  void insert_view(std::string_view key);
  // Adds a key, keeping a copy in the arena when it is new. True when it was new.
  bool insert(std::string_view key);
  // The same, giving the set's own copy of a new key (a view that lives as long as the set, also
  // after the key is erased or the set moved); nullopt when the key was there.
  std::optional<std::string_view> insert_kept(std::string_view key);
  void erase(std::string_view key);
  // Room for `n` more keys without growing.
  void reserve_more(std::size_t n);
  std::size_t size() const { return live_; }

 private:
  // The slot of `key`, or of the free slot where it would go (slots_ has a free slot).
  std::size_t find(std::string_view key) const;
  void put(std::string_view key);
  void grow(std::size_t at_least);
  // A copy of `key` in the arena (stable: chunks never move).
  std::string_view keep(std::string_view key);

  // A free slot is a null view; an erased one the tombstone (a view of the tombstone's bytes).
  std::vector<std::string_view> slots_;
  std::size_t used_ = 0;  // live keys and tombstones
  std::size_t live_ = 0;
  std::vector<std::unique_ptr<char[]>> chunks_;  // the arena
  char* fill_ = nullptr;                         // where the next key goes in the chunk filled
  std::size_t chunk_left_ = 0;                   // the free bytes there
};

}  // namespace oppgjor::common
