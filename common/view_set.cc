// A set of strings held as views (view_set.h).
#include "common/view_set.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <utility>

#include "common/assert.h"

namespace oppgjor::common {

namespace {

// The tombstone's bytes: a view of them marks an erased slot (compared by address, never by
// content, so no key can be mistaken for it).
constexpr char tombstone_bytes[] = "(erased)";
constexpr std::string_view tombstone = tombstone_bytes;

bool is_free(std::string_view slot) {
  return slot.data() == nullptr;
}
bool is_tombstone(std::string_view slot) {
  return slot.data() == tombstone.data();
}

// The arena's chunk size; a key longer than a quarter of it gets a chunk of its own.
constexpr std::size_t chunk_bytes = std::size_t{64} << 10;
// Where an empty key's view points: real bytes, neither null (a free slot) nor the tombstone.
constexpr char empty_bytes[] = "";
}  // namespace

ViewSet::ViewSet(ViewSet&& other) noexcept {
  *this = std::move(other);
}

ViewSet& ViewSet::operator=(ViewSet&& other) noexcept {
  if (this == &other) return *this;
  slots_ = std::exchange(other.slots_, {});
  used_ = std::exchange(other.used_, 0);
  live_ = std::exchange(other.live_, 0);
  chunks_ = std::exchange(other.chunks_, {});
  fill_ = std::exchange(other.fill_, nullptr);
  chunk_left_ = std::exchange(other.chunk_left_, 0);
  return *this;
}

std::string_view ViewSet::keep(std::string_view key) {
  if (key.empty()) return std::string_view(empty_bytes);
  if (key.size() > chunk_bytes / 4) {
    chunks_.emplace_back(new char[key.size()]);
    std::memcpy(chunks_.back().get(), key.data(), key.size());
    return {chunks_.back().get(), key.size()};
  }
  if (key.size() > chunk_left_) {
    chunks_.emplace_back(new char[chunk_bytes]);
    fill_ = chunks_.back().get();
    chunk_left_ = chunk_bytes;
  }
  char* at = fill_;
  std::memcpy(at, key.data(), key.size());
  fill_ += key.size();
  chunk_left_ -= key.size();
  return {at, key.size()};
}

std::size_t ViewSet::find(std::string_view key) const {
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = std::hash<std::string_view>{}(key)&mask;
  std::size_t first_tombstone = slots_.size();
  for (;;) {
    const std::string_view s = slots_[i];
    if (is_free(s)) return first_tombstone < slots_.size() ? first_tombstone : i;
    if (is_tombstone(s)) {
      if (first_tombstone == slots_.size()) first_tombstone = i;
    } else if (s == key) {
      return i;
    }
    i = (i + 1) & mask;
  }
}

bool ViewSet::contains(std::string_view key) const {
  if (live_ == 0) return false;
  const std::string_view s = slots_[find(key)];
  return !is_free(s) && !is_tombstone(s);
}

void ViewSet::grow(std::size_t at_least) {
  std::size_t size = 64;
  while (size < at_least * 2) size *= 2;  // at most half full
  std::vector<std::string_view> old;
  old.swap(slots_);
  slots_.assign(size, std::string_view());
  used_ = 0;
  live_ = 0;
  for (const std::string_view s : old) {
    if (!is_free(s) && !is_tombstone(s)) put(s);
  }
}

void ViewSet::reserve_more(std::size_t n) {
  if ((live_ + n) * 2 > slots_.size()) grow(live_ + n);
}

void ViewSet::put(std::string_view key) {
  const std::size_t i = find(key);
  const std::string_view s = slots_[i];
  if (!is_free(s) && !is_tombstone(s)) return;  // there already
  if (is_free(s)) ++used_;
  slots_[i] = key;
  ++live_;
}

void ViewSet::insert_view(std::string_view key) {
  OPPGJOR_ASSERT(key.data() != nullptr && key.data() != tombstone.data(),
                 "a key is a view of real bytes");
  if ((used_ + 1) * 2 > slots_.size()) grow(live_ + 1);
  put(key);
}

bool ViewSet::insert(std::string_view key) {
  return insert_kept(key).has_value();
}

std::optional<std::string_view> ViewSet::insert_kept(std::string_view key) {
  // One probe: the key copied only when its free slot is found.
  if ((used_ + 1) * 2 > slots_.size()) grow(live_ + 1);
  const std::size_t i = find(key);
  const std::string_view s = slots_[i];
  if (!is_free(s) && !is_tombstone(s)) return std::nullopt;  // there already
  if (is_free(s)) ++used_;
  slots_[i] = keep(key);
  ++live_;
  return slots_[i];
}

void ViewSet::erase(std::string_view key) {
  if (live_ == 0) return;
  const std::size_t i = find(key);
  const std::string_view s = slots_[i];
  if (is_free(s) || is_tombstone(s)) return;
  slots_[i] = tombstone;
  --live_;
}

}  // namespace oppgjor::common
