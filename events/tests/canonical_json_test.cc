#include "events/canonical_json.h"
#include "events/clock.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace oppgjor::events {
namespace {

Result<std::string> canon(std::string_view json) {
  simdjson::dom::parser p;
  simdjson::padded_string s(json);
  simdjson::dom::element e;
  if (p.parse(s).get(e) != simdjson::SUCCESS) return make_error("parse", "", "");
  std::string out;
  if (auto st = append_canonical(e, out, ""); !st.ok()) return st.error();
  return out;
}

TEST(CanonicalJson, SortsKeysAndDropsWhitespace) {
  EXPECT_EQ(*canon(R"( { "b" : 1, "a" : { "z": [ 1, 2 ], "y": null }, "A": true } )"),
            R"({"A":true,"a":{"y":null,"z":[1,2]},"b":1})");
}

TEST(CanonicalJson, EscapesOnlyWhatJsonRequires) {
  EXPECT_EQ(*canon(R"({"s":"a\"b\\c\/d\u00e6\n\t\u0001"})"),
            "{\"s\":\"a\\\"b\\\\c/d\xc3\xa6\\n\\t\\u0001\"}");
}

TEST(CanonicalJson, IntegersKeepTheirValue) {
  EXPECT_EQ(*canon(R"([0,-1,9223372036854775807,18446744073709551615])"),
            "[0,-1,9223372036854775807,18446744073709551615]");
}

TEST(CanonicalJson, RejectsNonIntegerNumbersNamingThePath) {
  auto r = canon(R"({"lines":[{"antall":1.5}]})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "number_not_integer");
  EXPECT_EQ(r.error().field, "/lines/0/antall");
}

TEST(CanonicalJson, RejectsDuplicateKeys) {
  auto r = canon(R"({"a":1,"b":{"x":1,"x":2}})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "duplicate_key");
  EXPECT_EQ(r.error().field, "/b/x");
}

TEST(CanonicalJson, IsIdempotent) {
  const std::string once = *canon(R"({"b":[{"d":1,"c":"x"}],"a":""})");
  EXPECT_EQ(*canon(once), once);
}

// is_canonical(value, text) must hold exactly when text == append_canonical(value): engine
// events take a canonical payload as it is (make_engine_event), so a false "yes" would change
// the bytes in the log. Checked on canonical texts, on every one-byte-different variant of them
// that still parses, and on non-canonical forms of the same values.
TEST(CanonicalJson, IsCanonicalExactlyWhenTheCanonicalFormIsTheText) {
  const auto check = [](const std::string& text) {
    simdjson::dom::parser p;
    simdjson::padded_string s(text);
    simdjson::dom::element e;
    if (p.parse(s).get(e) != simdjson::SUCCESS) return;  // not JSON: nothing to compare
    std::string out;
    const bool canonical = append_canonical(e, out, "").ok() && out == text;
    EXPECT_EQ(is_canonical(e, text), canonical) << text;
  };
  std::vector<std::string> texts = {
      R"({})",
      R"([])",
      R"({"a":1})",
      R"({"A":true,"a":{"y":null,"z":[1,2]},"b":1})",
      "{\"s\":\"a\\\"b\\\\c/d\xc3\xa6\\n\\t\\u0001\\u001f\\b\\f\\r\"}",
      R"([0,-1,9223372036854775807,18446744073709551615,-9223372036854775808])",
      R"({"amount_ore":12345,"kid":"0012345678","lines":[{"text":"Barnehage","n":-3}],"x":false})",
      R"({"a":"","b":[[],{},[{}]],"c":null,"\u0000":1})",
      R"({"\u00e6":1,"z":2})",
      "{\"z\":1,\"\xc3\xa6\":2}",
  };
  for (const std::string& t : texts) {
    check(t);
    for (std::size_t i = 0; i < t.size(); ++i) {
      std::string v = t;
      for (const char c : std::string(" ,:{}[]\"\\0aAz\n")) {
        v[i] = c;
        check(v);
      }
      check(t.substr(0, i) + " " + t.substr(i));  // whitespace
      check(t.substr(0, i) + t.substr(i + 1));    // a byte less
    }
  }
  // The same values, not canonical: order, duplicates, escapes, numbers, whitespace.
  for (const char* t : {R"({"b":1,"a":2})", R"({"a":1,"a":1})", R"({"s":"\u0041"})",
                        R"({"s":"\/"})", R"({"n":1.0})", R"({"n":1e2})", R"({"n":-0})",
                        R"( {"a":1})", R"({"a":1} )", R"({"s":"\u001F"})"}) {
    check(t);
  }
  simdjson::dom::parser p;
  simdjson::dom::element e;
  ASSERT_EQ(p.parse(std::string_view(R"({"b":1,"a":2})")).get(e), simdjson::SUCCESS);
  EXPECT_FALSE(is_canonical(e, R"({"b":1,"a":2})"));
  EXPECT_FALSE(is_canonical(e, R"({"a":2,"b":1})"));  // conservative: members in text order
  ASSERT_EQ(p.parse(std::string_view(R"({"a":2,"b":1})")).get(e), simdjson::SUCCESS);
  EXPECT_TRUE(is_canonical(e, R"({"a":2,"b":1})"));
  EXPECT_FALSE(is_canonical(e, R"({"a":2,"b":1}x)"));
}

TEST(CanonicalWriter, WritesSortedObjects) {
  std::string out;
  CanonicalWriter w(out);
  w.begin_object();
  w.field("a", "x");
  w.field_int("b", -5);
  w.key("c");
  w.raw_value("[1]");
  w.end_object();
  EXPECT_EQ(out, R"({"a":"x","b":-5,"c":[1]})");
}

TEST(CanonicalWriter, WritesArraysOfValuesAndObjects) {
  std::string out;
  CanonicalWriter w(out);
  w.begin_object();
  w.key("a");
  w.begin_array();
  w.int_value(1);
  w.string_value("x");
  w.begin_object();
  w.field_int("k", 2);
  w.end_object();
  w.begin_array();
  w.end_array();
  w.null_value();
  w.end_array();
  w.key("b");
  w.begin_array();
  w.end_array();
  w.end_object();
  EXPECT_EQ(out, R"({"a":[1,"x",{"k":2},[],null],"b":[]})");
}

TEST(CanonicalWriterDeathTest, AbortsOnUnsortedKeys) {
  std::string out;
  CanonicalWriter w(out);
  w.begin_object();
  w.field("b", "x");
  EXPECT_DEATH(w.field("a", "y"), "out of order");
}

}  // namespace
}  // namespace oppgjor::events

namespace oppgjor::events {
namespace {

TEST(FixedClock, TicksOneMicrosecondAndCarriesIntoSeconds) {
  FixedClock c("2026-12-31T23:59:59.999998Z");
  EXPECT_EQ(c.now_utc(), "2026-12-31T23:59:59.999998Z");
  EXPECT_EQ(c.now_utc(), "2026-12-31T23:59:59.999999Z");
  EXPECT_EQ(c.now_utc(), "2027-01-01T00:00:00.000000Z");
}

}  // namespace
}  // namespace oppgjor::events
