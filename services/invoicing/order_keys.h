// OrderKeys: the set of order keys the invoicing state checks a basis against ("ordrenummer is
// unique per issuer", invoicing_state.h). A key is the issuer and the ordrenummer, each escaped as
// in a snapshot's fields (runtime/snapshot_lines.h), joined by a tab: exactly the bytes between a
// loaded open basis's issuer and ordrenummer fields, so the keys of a million loaded bases are
// views into the loaded snapshot (no copies, no allocation each), and those of bases and documents
// folded here are strings the set keeps. Open addressing with linear probing over views; never
// iterated, so its order is of no consequence. Not thread-safe.
#pragma once

#include <cstddef>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace oppgjor::invoicing {

// The key of `issuer` and `ordrenummer` (the escaped issuer, a tab, the escaped ordrenummer).
std::string order_set_key(std::string_view issuer, std::string_view ordrenummer);

class OrderKeys {
 public:
  OrderKeys() = default;
  // Moved, never copied: the views of its own keys point into owned_.
  OrderKeys(const OrderKeys&) = delete;
  OrderKeys& operator=(const OrderKeys&) = delete;
  OrderKeys(OrderKeys&&) = default;
  OrderKeys& operator=(OrderKeys&&) = default;

  bool contains(std::string_view key) const;
  // Adds a key whose bytes outlive the set (the caller keeps them: a loaded snapshot).
  void insert_view(std::string_view key);
  // Adds a key, keeping a copy when it is new.
  void insert(std::string_view key);
  void erase(std::string_view key);
  // Room for `n` more keys without growing.
  void reserve_more(std::size_t n);
  std::size_t size() const { return live_; }

 private:
  // The slot of `key`, or of the free slot where it would go (slots_ has a free slot).
  std::size_t find(std::string_view key) const;
  void put(std::string_view key);
  void grow(std::size_t at_least);

  // A free slot is a null view; an erased one the tombstone (a view of tombstone_).
  std::vector<std::string_view> slots_;
  std::size_t used_ = 0;  // live keys and tombstones
  std::size_t live_ = 0;
  std::deque<std::string> owned_;  // the keys inserted by insert(): stable addresses
};

}  // namespace oppgjor::invoicing
