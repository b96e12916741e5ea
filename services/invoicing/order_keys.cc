// The invoicing state's order keys (order_keys.h).
#include "services/invoicing/order_keys.h"

#include <functional>

#include "common/assert.h"
#include "services/runtime/snapshot_lines.h"

namespace oppgjor::invoicing {

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

}  // namespace

std::string order_set_key(std::string_view issuer, std::string_view ordrenummer) {
  std::string key;
  key.reserve(issuer.size() + ordrenummer.size() + 1);
  runtime::append_escaped_field(key, issuer);
  key.push_back('\t');
  runtime::append_escaped_field(key, ordrenummer);
  return key;
}

std::size_t OrderKeys::find(std::string_view key) const {
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

bool OrderKeys::contains(std::string_view key) const {
  if (live_ == 0) return false;
  const std::string_view s = slots_[find(key)];
  return !is_free(s) && !is_tombstone(s);
}

void OrderKeys::grow(std::size_t at_least) {
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

void OrderKeys::reserve_more(std::size_t n) {
  if ((live_ + n) * 2 > slots_.size()) grow(live_ + n);
}

void OrderKeys::put(std::string_view key) {
  const std::size_t i = find(key);
  const std::string_view s = slots_[i];
  if (!is_free(s) && !is_tombstone(s)) return;  // there already
  if (is_free(s)) ++used_;
  slots_[i] = key;
  ++live_;
}

void OrderKeys::insert_view(std::string_view key) {
  OPPGJOR_ASSERT(key.data() != nullptr && key.data() != tombstone.data(),
                 "an order key is a view of real bytes");
  if ((used_ + 1) * 2 > slots_.size()) grow(live_ + 1);
  put(key);
}

void OrderKeys::insert(std::string_view key) {
  if (contains(key)) return;
  owned_.emplace_back(key);
  insert_view(owned_.back());
}

void OrderKeys::erase(std::string_view key) {
  if (live_ == 0) return;
  const std::size_t i = find(key);
  const std::string_view s = slots_[i];
  if (is_free(s) || is_tombstone(s)) return;
  slots_[i] = tombstone;
  --live_;
}

}  // namespace oppgjor::invoicing
