#include "events/canonical_json.h"
#include "events/clock.h"

#include <gtest/gtest.h>

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
