#include "common/json_text.h"

#include <cstdint>
#include <string>

#include <gtest/gtest.h>

namespace oppgjor::common::json_text_test {
namespace {

// The escape of one byte, written out byte by byte as RFC 8259 and the canonical form say.
std::string reference_escape(std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += hex[c >> 4];
          out += hex[c & 0x0f];
        } else {
          out += ch;
        }
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
