// Natural order (text_order.h).
#include "common/text_order.h"

#include "common/ascii.h"

namespace oppgjor::common {
namespace {

std::string_view digit_run(std::string_view s, std::size_t at) {
  std::size_t end = at;
  while (end < s.size() && is_ascii_digit(s[end])) ++end;
  return s.substr(at, end - at);
}

// -1, 0, 1 comparing two digit runs as numbers (any length: no overflow).
int compare_numbers(std::string_view a, std::string_view b) {
  while (a.size() > 1 && a.front() == '0') a.remove_prefix(1);
  while (b.size() > 1 && b.front() == '0') b.remove_prefix(1);
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  const int c = a.compare(b);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

}  // namespace

bool natural_less(std::string_view a, std::string_view b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (is_ascii_digit(a[i]) && is_ascii_digit(b[j])) {
      const std::string_view x = digit_run(a, i), y = digit_run(b, j);
      if (const int c = compare_numbers(x, y); c != 0) return c < 0;
      if (x.size() != y.size()) return x.size() < y.size();
      i += x.size();
      j += y.size();
      continue;
    }
    if (a[i] != b[j]) return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[j]);
    ++i;
    ++j;
  }
  return a.size() - i < b.size() - j;
}

}  // namespace oppgjor::common
