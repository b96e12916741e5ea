// Our own cases for the draft-07 validator: compile errors, violation paths and messages,
// number exactness, code-point lengths, formats and the unknown-keyword rule.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <memory>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "events/json_schema.h"

namespace oppgjor::events {
namespace {

namespace dom = simdjson::dom;

std::shared_ptr<const JsonSchema> must_compile(
    std::string_view schema, const FormatRegistry& formats = FormatRegistry::with_builtin()) {
  auto compiled = JsonSchema::compile(schema, formats);
  EXPECT_TRUE(compiled.ok()) << (compiled.ok() ? "" : compiled.error().to_string());
  return compiled.ok() ? *compiled : nullptr;
}

Error compile_error(std::string_view schema) {
  auto compiled = JsonSchema::compile(schema, FormatRegistry::with_builtin());
  EXPECT_FALSE(compiled.ok()) << "compiled: " << schema;
  return compiled.ok() ? Error{} : compiled.error();
}

std::vector<SchemaViolation> violations(const JsonSchema& schema, std::string_view instance,
                                        std::size_t max = 8) {
  dom::parser parser;
  dom::element e = parser.parse(instance.data(), instance.size()).value();
  auto found = schema.validate(e, max);
  EXPECT_EQ(found.empty(), schema.is_valid(e)) << instance;
  return found;
}

bool valid(const JsonSchema& schema, std::string_view instance) {
  return violations(schema, instance).empty();
}

// ---- compile errors: table of schema -> (code, field, a word the message must contain)
struct CompileCase {
  std::string schema;
  std::string code;
  std::string field;
  std::string message_part;
};

TEST(JsonSchemaCompile, RejectsWhatItCannotHonour) {
  const std::vector<CompileCase> cases = {
      {R"({"type":"object","propertys":{}})", "schema_unsupported_keyword", "/propertys",
       "propertys"},
      {R"({"properties":{"a":{"minLenght":2}}})", "schema_unsupported_keyword",
       "/properties/a/minLenght", "minLenght"},
      {R"({"unevaluatedProperties":false})", "schema_unsupported_keyword", "/unevaluatedProperties",
       "unevaluatedProperties"},
      {R"({"type":"string","format":"no-such-format"})", "schema_unsupported_keyword", "/format",
       "no-such-format"},
      {R"({"$schema":"https://json-schema.org/draft/2020-12/schema"})",
       "schema_unsupported_keyword", "/$schema", "draft-07"},
      {R"({"$ref":"#/definitions/missing"})", "schema_unresolved_ref", "/$ref", "missing"},
      {R"({"$ref":"http://example.com/other.json"})", "schema_unresolved_ref", "/$ref",
       "example.com"},
      {R"({"type":"strnig"})", "schema_invalid", "/type", "type"},
      {R"({"pattern":"(unclosed"})", "schema_invalid", "/pattern", "regex"},
      {R"({"pattern":"^\\Aabc"})", "schema_invalid", "/pattern", "escape"},
      {R"({"minLength":-1})", "schema_invalid", "/minLength", "minLength"},
      {R"({"multipleOf":0})", "schema_invalid", "/multipleOf", "multipleOf"},
      {R"({"anyOf":[]})", "schema_invalid", "/anyOf", "anyOf"},
      {R"({"properties":{"a":3}})", "schema_invalid", "/properties/a", "object or a boolean"},
      {R"({"type":)", "schema_invalid", "", "JSON"},
  };
  for (const CompileCase& c : cases) {
    const Error e = compile_error(c.schema);
    EXPECT_EQ(e.code, c.code) << c.schema;
    EXPECT_EQ(e.field, c.field) << c.schema;
    EXPECT_NE(e.message.find(c.message_part), std::string::npos) << c.schema << " -> " << e.message;
  }
}

TEST(JsonSchemaCompile, UnknownKeyIsFineWhenARefPointsIntoIt) {
  auto schema = must_compile(R"({"my_defs":{"n":{"type":"integer"}},"$ref":"#/my_defs/n"})");
  ASSERT_TRUE(schema);
  EXPECT_TRUE(valid(*schema, "3"));
  EXPECT_FALSE(valid(*schema, "\"3\""));
}

TEST(JsonSchemaCompile, UnknownFormatIgnoredWhenPolicySaysSo) {
  FormatRegistry formats = FormatRegistry::with_builtin();
  formats.set_unknown_format_policy(UnknownFormatPolicy::ignore);
  auto schema = must_compile(R"({"format":"hostname"})", formats);
  ASSERT_TRUE(schema);
  EXPECT_TRUE(valid(*schema, "\"-- not a host --\""));
}

TEST(JsonSchemaCompile, AnnotationsAreAccepted) {
  auto schema = must_compile(R"({"$schema":"http://json-schema.org/draft-07/schema#",
      "$id":"https://schemas.oppgjor.oslo.kommune.no/x.json","title":"t","description":"d",
      "default":1,"examples":[1],"$comment":"c","readOnly":true,"writeOnly":false,
      "contentMediaType":"text/plain","contentEncoding":"base64","definitions":{}})");
  ASSERT_TRUE(schema);
  EXPECT_TRUE(valid(*schema, "{}"));
}

TEST(JsonSchemaCompile, SchemaOutlivesItsText) {
  std::shared_ptr<const JsonSchema> schema;
  {
    std::string text = R"({"enum":["kindergarten","rent"],"const":"rent"})";
    schema = must_compile(text);
    text.assign(text.size(), 'x');
  }
  ASSERT_TRUE(schema);
  EXPECT_TRUE(valid(*schema, R"("rent")"));
  EXPECT_FALSE(valid(*schema, R"("kindergarten")"));
}

// ---- violations: paths, keywords, messages
TEST(JsonSchemaValidate, ReportsFieldPaths) {
  auto schema = must_compile(R"({"type":"object","additionalProperties":false,
      "required":["lines","customer_id"],
      "properties":{"customer_id":{"type":"string"},
        "lines":{"type":"array","items":{"type":"object","additionalProperties":false,
          "required":["unit_price"],"properties":{"unit_price":{"type":"string",
          "pattern":"^[0-9]+$"}}}}}})");
  ASSERT_TRUE(schema);
  struct Case {
    std::string instance, path, keyword;
  };
  const std::vector<Case> cases = {
      {R"({"lines":[]})", "/customer_id", "required"},
      {R"({"customer_id":7,"lines":[]})", "/customer_id", "type"},
      {R"({"customer_id":"C1","lines":[{"unit_price":"1"},{"unit_price":"x"}]})",
       "/lines/1/unit_price", "pattern"},
      {R"({"customer_id":"C1","lines":[{}]})", "/lines/0/unit_price", "required"},
      {R"({"customer_id":"C1","lines":[],"extra/field":1})", "/extra~1field",
       "additionalProperties"},
  };
  for (const Case& c : cases) {
    auto found = violations(*schema, c.instance);
    ASSERT_EQ(found.size(), 1u) << c.instance;
    EXPECT_EQ(found[0].instance_path, c.path) << c.instance;
    EXPECT_EQ(found[0].keyword, c.keyword) << c.instance;
    EXPECT_EQ(found[0].message.rfind(c.path + ": ", 0), 0u) << found[0].message;
  }
}

// Members are matched to `properties` by a walk that expects them in sorted order (canonical
// payloads); any other order, and a repeated name, must still find each member's schema.
TEST(JsonSchemaValidate, FindsEachMembersSchemaWhateverTheOrder) {
  auto schema = must_compile(R"({"additionalProperties":false,
      "properties":{"a":{"type":"integer"},"b":{"type":"string"},"c":{"type":"integer"},
        "d":{"type":"boolean"}}})");
  ASSERT_TRUE(schema);
  EXPECT_TRUE(valid(*schema, R"({"a":1,"b":"x","c":2,"d":true})"));
  EXPECT_TRUE(valid(*schema, R"({"d":true,"c":2,"b":"x","a":1})"));
  EXPECT_TRUE(valid(*schema, R"({"c":2,"a":1,"d":false})"));
  const std::vector<std::pair<std::string, std::string>> bad = {
      {R"({"d":true,"c":2,"b":"x","a":"1"})", "/a"},  // the last member, sorting first
      {R"({"b":"x","d":true,"a":1,"c":"2"})", "/c"},  // after a step back
      {R"({"a":1,"a":"1"})", "/a"},                   // a repeated name
      {R"({"b":"x","a":1,"e":0})", "/e"},             // not in properties, after a step back
      {R"({"0":1,"a":1})", "/0"},                     // sorting before every property
  };
  for (const auto& [instance, path] : bad) {
    auto found = violations(*schema, instance);
    ASSERT_EQ(found.size(), 1u) << instance;
    EXPECT_EQ(found[0].instance_path, path) << instance;
  }
}

TEST(JsonSchemaValidate, CollectsUpToTheLimit) {
  auto schema = must_compile(R"({"required":["a","b","c","d"]})");
  ASSERT_TRUE(schema);
  EXPECT_EQ(violations(*schema, "{}").size(), 4u);
  EXPECT_EQ(violations(*schema, "{}", 2).size(), 2u);
}

TEST(JsonSchemaValidate, FormatViolationNamesTheFormat) {
  auto schema = must_compile(R"({"properties":{"d":{"type":"string","format":"date"}}})");
  ASSERT_TRUE(schema);
  auto found = violations(*schema, R"({"d":"2025-02-29"})");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].keyword, "format");
  EXPECT_EQ(found[0].format, "date");
  EXPECT_EQ(found[0].instance_path, "/d");
  EXPECT_TRUE(valid(*schema, R"({"d":"2024-02-29"})"));
}

TEST(JsonSchemaValidate, CustomFormat) {
  FormatRegistry formats = FormatRegistry::with_builtin();
  formats.add("no-kid", [](std::string_view s) { return s == "0000001230"; });
  auto schema = must_compile(R"({"type":"string","format":"no-kid"})", formats);
  ASSERT_TRUE(schema);
  EXPECT_TRUE(valid(*schema, R"("0000001230")"));
  auto found = violations(*schema, R"("0000001231")");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].format, "no-kid");
}

TEST(JsonSchemaValidate, IfThenReportsTheThenBranchField) {
  auto schema = must_compile(R"({"if":{"properties":{"kind":{"const":"person"}}},
      "then":{"required":["national_id"]},"else":{"not":{"required":["national_id"]}}})");
  ASSERT_TRUE(schema);
  auto found = violations(*schema, R"({"kind":"person"})");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].instance_path, "/national_id");
  EXPECT_FALSE(valid(*schema, R"({"kind":"organisation","national_id":"x"})"));
  EXPECT_TRUE(valid(*schema, R"({"kind":"organisation"})"));
}

// ---- numbers
TEST(JsonSchemaNumbers, IntegerComparisonsAreExact) {
  auto max = must_compile(R"({"maximum":9007199254740992})");
  ASSERT_TRUE(max);
  EXPECT_TRUE(valid(*max, "9007199254740992"));
  EXPECT_FALSE(valid(*max, "9007199254740993"));  // equal as doubles, not as integers
  auto umin = must_compile(R"({"exclusiveMinimum":18446744073709551614})");
  ASSERT_TRUE(umin);
  EXPECT_TRUE(valid(*umin, "18446744073709551615"));
  EXPECT_FALSE(valid(*umin, "-1"));
  EXPECT_FALSE(valid(*umin, "1.5e19"));
  EXPECT_TRUE(valid(*umin, "1.9e19"));
}

TEST(JsonSchemaNumbers, IntegerTypeAndMultipleOf) {
  auto integer = must_compile(R"({"type":"integer","multipleOf":3})");
  ASSERT_TRUE(integer);
  EXPECT_TRUE(valid(*integer, "9"));
  EXPECT_TRUE(valid(*integer, "9.0"));
  EXPECT_FALSE(valid(*integer, "9.5"));
  EXPECT_FALSE(valid(*integer, "10"));
  EXPECT_TRUE(valid(*integer, "-9223372036854775806"));   // 2^63 - 2 is divisible by 3
  EXPECT_FALSE(valid(*integer, "-9223372036854775808"));  // 2^63 is not
}

TEST(JsonSchemaNumbers, ConstComparesByValue) {
  auto schema = must_compile(R"({"const":{"a":[1,{"b":2.0}],"c":null}})");
  ASSERT_TRUE(schema);
  EXPECT_TRUE(valid(*schema, R"({"c":null,"a":[1.0,{"b":2}]})"));
  EXPECT_FALSE(valid(*schema, R"({"c":null,"a":[1,{"b":2.5}]})"));
  EXPECT_FALSE(valid(*schema, R"({"a":[1,{"b":2}]})"));
}

// ---- strings
TEST(JsonSchemaStrings, LengthCountsCodePoints) {
  auto schema = must_compile(R"({"minLength":3,"maxLength":3})");
  ASSERT_TRUE(schema);
  EXPECT_TRUE(valid(*schema, R"("æøå")"));  // 6 bytes, 3 code points
  EXPECT_TRUE(valid(*schema, R"("Bø😀")"));  // 😀 is one code point (4 bytes)
  EXPECT_FALSE(valid(*schema, R"("Bø")"));
}

TEST(JsonSchemaStrings, PatternIsNotAnchored) {
  auto schema = must_compile(R"({"pattern":"[0-9]{4}"})");
  ASSERT_TRUE(schema);
  EXPECT_TRUE(valid(*schema, R"("postnr 0150 Oslo")"));
  EXPECT_FALSE(valid(*schema, R"("015")"));
}

// The validator matches simple patterns without std::regex; it must agree with std::regex.
TEST(JsonSchemaStrings, PatternsAgreeWithStdRegex) {
  const std::vector<std::string> patterns = {"^C[0-9]{6,12}$",
                                             "^-?(0|[1-9][0-9]{0,14})(\\.[0-9]{1,2})?$",
                                             "^[a-z_]+\\.[a-z_]+$",
                                             "^[A-Za-z0-9][A-Za-z0-9_./-]{0,63}$",
                                             "a+b*c?",
                                             "^(ab|cd)?e$",
                                             "[^0-9]\\d",
                                             "x.y",
                                             "^\\w+\\s\\S$",
                                             "(?:foo|fo)o$",
                                             "^a{2}$",
                                             "^[\\-.]+$",
                                             "b{1,}?c",
                                             "^$"};
  const std::vector<std::string> inputs = {"",       "C123456", "C12345", "C1234567890123",
                                           "0",      "-0.5",    "01",     "12.345",
                                           "a.b",    "a_b.c_d", "A.b",    "BHG-2025/05",
                                           "-BHG",   "aab",     "ac",     "bc",
                                           "e",      "abe",     "cde",    "ace",
                                           "x9",     "99",      "xzy",    "x\ny",
                                           "word x", "word  x", "fooo",   "foo",
                                           "aa",     "aaa",     "-.-",    "bbc",
                                           "Bø",     "ø1"};
  for (const std::string& pattern : patterns) {
    std::string schema_text = "{\"pattern\":\"";
    for (char c : pattern) schema_text += c == '\\' ? std::string("\\\\") : std::string(1, c);
    schema_text += "\"}";
    auto schema = must_compile(schema_text);
    ASSERT_TRUE(schema) << pattern;
    const std::regex re(pattern, std::regex::ECMAScript);
    for (const std::string& input : inputs) {
      std::string instance = "\"";
      for (char c : input) instance += c == '\n' ? std::string("\\n") : std::string(1, c);
      instance += "\"";
      EXPECT_EQ(valid(*schema, instance), std::regex_search(input, re))
          << "pattern " << pattern << " on '" << input << "'";
    }
  }
}

TEST(JsonSchemaFormats, Builtins) {
  const FormatRegistry formats = FormatRegistry::with_builtin();
  struct Case {
    std::string format, value;
    bool ok;
  };
  const std::vector<Case> cases = {
      {"date", "2025-05-31", true},
      {"date", "2025-06-31", false},
      {"date", "2025-5-31", false},
      {"date", "1900-02-29", false},
      {"date-time", "2025-05-31T23:59:59+02:00", true},
      {"date-time", "2025-05-31T23:59:59", false},
      {"date-time", "2025-05-31 23:59:59Z", false},
      {"uuid", "6f1c2a9e-3b4d-4c5e-8f70-91a2b3c4d5e6", true},
      {"uuid", "6f1c2a9e3b4d4c5e8f7091a2b3c4d5e6", false},
      {"uuid", "6f1c2a9e-3b4d-4c5e-8f70-91a2b3c4d5eg", false},
      {"email", "faktura@bym.oslo.kommune.no", true},
      {"email", "faktura@", false},
      {"regex", "^[a-z_]+$", true},
      {"regex", "[a-", false},
  };
  for (const Case& c : cases) {
    const FormatChecker* checker = formats.find(c.format);
    ASSERT_NE(checker, nullptr) << c.format;
    EXPECT_EQ((*checker)(c.value), c.ok) << c.format << " " << c.value;
  }
}

// ---- concurrency: one compiled schema, many threads
TEST(JsonSchemaValidate, SharedAcrossThreads) {
  auto schema = must_compile(R"({"type":"object","properties":{"n":{"type":"integer"},
      "s":{"pattern":"^[a-z]+$"}},"propertyNames":{"maxLength":1}})");
  ASSERT_TRUE(schema);
  std::vector<std::thread> threads;
  std::vector<int> bad(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      dom::parser parser;
      for (int i = 0; i < 500; ++i) {
        const std::string doc = i % 2 ? R"({"n":1,"s":"abc"})" : R"({"n":1,"s":"ABC"})";
        dom::element e = parser.parse(doc).value();
        if (schema->is_valid(e) != (i % 2 == 1)) ++bad[t];
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int b : bad) EXPECT_EQ(b, 0);
}

}  // namespace
}  // namespace oppgjor::events
