#include "common/json_text.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <string>
#include <utility>

#include <gtest/gtest.h>

namespace oppgjor::common::json_text_test {
namespace {

// The escape, byte by byte, as RFC 8259 section 7 and the canonical form give it: the seven
// two-character escapes from a table, every other control character as \u00xx in lowercase hex.
std::string reference_escape(std::string_view s) {
  static constexpr std::pair<unsigned char, std::string_view> short_forms[] = {
      {'"', "\\\""}, {'\\', "\\\\"}, {'\b', "\\b"}, {'\f', "\\f"},
      {'\n', "\\n"}, {'\r', "\\r"},  {'\t', "\\t"}};
  std::string out;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    const auto* form = std::find_if(std::begin(short_forms), std::end(short_forms),
                                    [c](const auto& f) { return f.first == c; });
    if (form != std::end(short_forms)) {
      out += form->second;
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
      out += buf;
    } else {
      out += ch;
    }
  }
  return out;
}

std::string escaped(std::string_view s) {
  std::string out = "prefix:";
  append_json_escaped(s, out);
  return out.substr(7);
}

// Every byte value, at every position of an eight-byte word and across words, in plain runs of
// every length up to three words: the word-at-a-time scan must find exactly the bytes the
// byte-wise reference escapes (UTF-8 bytes >= 0x80 and 0x7f are copied as they are).
TEST(JsonText, EscapesEveryByteWhereverItFallsInAWord) {
  for (int b = 0; b < 256; ++b) {
    for (std::size_t before = 0; before <= 24; ++before) {
      for (const std::size_t after : {0u, 1u, 7u, 8u, 9u}) {
        std::string s(before, 'a');
        s += static_cast<char>(b);
        s += std::string(after, '\xc3');
        ASSERT_EQ(escaped(s), reference_escape(s)) << "byte " << b << " after " << before;
        const std::size_t end = json_plain_run_end(s, 0);
        const bool escapes = b < 0x20 || b == '"' || b == '\\';
        ASSERT_EQ(end, escapes ? before : s.size()) << "byte " << b << " after " << before;
      }
    }
  }
}

// Seeded mixed text, with runs starting anywhere (json_plain_run_end's `from`).
TEST(JsonText, MatchesTheByteWiseEscapeOnMixedText) {
  std::uint64_t x = 20261202;  // seed
  for (int round = 0; round < 2000; ++round) {
    std::string s;
    const std::size_t n = 1 + static_cast<std::size_t>(round % 97);
    for (std::size_t i = 0; i < n; ++i) {
      x = x * 6364136223846793005ULL + 1442695040888963407ULL;
      const auto r = static_cast<unsigned>(x >> 56);
      // Mostly plain letters and UTF-8, sometimes a byte that is escaped.
      s += static_cast<char>(r < 16 ? "\"\\\n\t\x01\x1f ~"[r % 8] : (r < 128 ? 'a' + r % 26 : r));
    }
    ASSERT_EQ(escaped(s), reference_escape(s)) << "seed 20261202, round " << round;
    for (std::size_t from = 0; from <= s.size(); ++from) {
      std::size_t expect = from;
      while (expect < s.size()) {
        const auto c = static_cast<unsigned char>(s[expect]);
        if (c < 0x20 || c == '"' || c == '\\') break;
        ++expect;
      }
      ASSERT_EQ(json_plain_run_end(s, from), expect) << "seed 20261202, round " << round;
    }
  }
}

}  // namespace
}  // namespace oppgjor::common::json_text_test
