// ViewIndex<T>: string view → T*, for indexes over objects that hold their own key (the ledger's
// open items by invoice number and by KID). The key is a view of bytes the caller keeps alive
// and in place (a std::map node's key, a member of the node's value). Open addressing with
// linear probing, at most half full; each slot keeps its key's hash, so a probe reads the key's
// bytes only on a likely match. A lookup is one slot read and one key compare, where a node-based
// hash map reads a bucket, a node and the key, each a cache miss in an index of 60,000 items.
// Entries are added or replaced, never removed. Not thread-safe to change; concurrent lookups are
// fine.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

namespace oppgjor::common {

template <class T>
class ViewIndex {
 public:
  T* find(std::string_view key) const {
    if (slots_.empty()) return nullptr;
    const Slot& s = slots_[probe(key, hash_of(key))];
    return s.value;
  }
  bool contains(std::string_view key) const { return find(key) != nullptr; }
  // Adds `key` → `value`, or points `key` at `value` when it is there. REQUIRES: value != nullptr;
  // the key's bytes stay where they are as long as the index holds it.
  void insert_or_assign(std::string_view key, T* value) {
    if ((size_ + 1) * 2 > slots_.size()) grow();
    const std::uint64_t h = hash_of(key);
    Slot& s = slots_[probe(key, h)];
    if (s.value == nullptr) ++size_;
    s = Slot{h, key, value};
  }
  std::size_t size() const { return size_; }

 private:
  struct Slot {
    std::uint64_t hash = 0;
    std::string_view key;
    T* value = nullptr;  // nullptr: free
  };

  static std::uint64_t hash_of(std::string_view key) { return std::hash<std::string_view>{}(key); }

  // The slot holding `key`, or the free slot where it would go (there is always one).
  std::size_t probe(std::string_view key, std::uint64_t h) const {
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
      const Slot& s = slots_[i];
      if (s.value == nullptr || (s.hash == h && s.key == key)) return i;
    }
  }

  void grow() {
    std::vector<Slot> old;
    old.swap(slots_);
    slots_.resize(old.empty() ? 64 : old.size() * 2);
    for (const Slot& s : old) {
      if (s.value != nullptr) slots_[probe(s.key, s.hash)] = s;
    }
  }

  std::vector<Slot> slots_;  // a power of two in size
  std::size_t size_ = 0;
};

}  // namespace oppgjor::common
