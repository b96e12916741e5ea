// Dated rule data (ARCHITECTURE.md, "rules as dated data"): entries with an `effective_from`,
// each in force until the next entry of the same key. Header-only helpers shared by the rule
// files' parsers (invoicing, SAF-T).
#pragma once

#include <algorithm>
#include <vector>

#include "common/date.h"

namespace oppgjor::common {

// Sorts entries by effective_from, keeping the file's order among equal dates.
template <class T>
void sort_dated(std::vector<T>& dated) {
  std::stable_sort(dated.begin(), dated.end(),
                   [](const T& a, const T& b) { return a.effective_from < b.effective_from; });
}

// The entry in force on `on` (the last with effective_from <= on) from a list sorted by
// sort_dated; nullptr when none is (the caller names what is missing: never a default).
template <class T>
const T* in_force(const std::vector<T>& dated, Date on) {
  const T* found = nullptr;
  for (const T& entry : dated) {
    if (entry.effective_from <= on) found = &entry;
  }
  return found;
}

}  // namespace oppgjor::common
