// The schemas in schemas/: every file compiles with the production formats and follows the
// conventions; every example envelope in schemas/README.md validates (envelope and payload);
// broken events are rejected with the right field path and keyword.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "events/json_schema.h"
#include "events/schema_registry.h"

namespace oppgjor::events {
namespace {

namespace fs = std::filesystem;
namespace dom = simdjson::dom;

const fs::path schemas_dir = OPPGJOR_SCHEMAS_DIR;
constexpr std::string_view id_prefix = "https://schemas.oppgjor.oslo.kommune.no/";

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::vector<std::string> schema_files() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(schemas_dir)) {
    const std::string name = entry.path().filename().string();
    if (name.size() > 12 && name.substr(name.size() - 12) == ".schema.json") names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

// The compiled schema for a file name, compiled once per test binary.
std::shared_ptr<const JsonSchema> schema_for(const std::string& file) {
  static std::map<std::string, std::shared_ptr<const JsonSchema>> cache;
  if (auto it = cache.find(file); it != cache.end()) return it->second;
  if (!fs::exists(schemas_dir / file)) return nullptr;
  auto compiled = JsonSchema::compile(read_text(schemas_dir / file), oppgjor_formats());
  if (!compiled.ok()) return nullptr;
  return cache[file] = *compiled;
}

std::string payload_file(std::string_view type, std::int64_t version) {
  return std::string(type) + ".v" + std::to_string(version) + ".schema.json";
}

std::string describe(const std::vector<SchemaViolation>& violations) {
  std::string out;
  for (const auto& v : violations) out += "\n  " + v.keyword + " " + v.message;
  return out;
}

// ---- every file
TEST(Schemas, EveryFileCompilesWithTheProductionFormats) {
  const auto files = schema_files();
  ASSERT_FALSE(files.empty()) << schemas_dir;
  for (const std::string& file : files) {
    auto compiled = JsonSchema::compile(read_text(schemas_dir / file), oppgjor_formats());
    EXPECT_TRUE(compiled.ok()) << file << ": "
                               << (compiled.ok() ? "" : compiled.error().to_string());
  }
}

TEST(Schemas, FileNamesAndHeadersFollowTheConvention) {
  const std::regex name_re(R"(^(envelope\.v1|[a-z_]+\.[a-z_]+\.v[1-9][0-9]*)\.schema\.json$)");
  for (const std::string& file : schema_files()) {
    EXPECT_TRUE(std::regex_match(file, name_re)) << file;
    dom::parser parser;
    dom::element root = parser.parse(read_text(schemas_dir / file)).value();
    std::string_view id, title, description, draft;
    EXPECT_EQ(root["$id"].get(id), simdjson::SUCCESS) << file;
    EXPECT_EQ(id, std::string(id_prefix) + file) << file;
    EXPECT_EQ(root["title"].get(title), simdjson::SUCCESS) << file;
    EXPECT_EQ(root["description"].get(description), simdjson::SUCCESS) << file;
    EXPECT_EQ(root["$schema"].get(draft), simdjson::SUCCESS) << file;
  }
}

// Every subschema that lists properties must close the object.
void expect_closed_objects(dom::element e, const std::string& where) {
  if (e.type() == dom::element_type::ARRAY) {
    std::size_t i = 0;
    const dom::array items = e.get_array().value();
    for (dom::element item : items) expect_closed_objects(item, where + "/" + std::to_string(i++));
    return;
  }
  if (e.type() != dom::element_type::OBJECT) return;
  const dom::object obj = e.get_object().value();
  dom::element properties, additional;
  if (obj.at_key("properties").get(properties) == simdjson::SUCCESS &&
      properties.type() == dom::element_type::OBJECT) {
    // Subschemas used only inside if/then/anyOf (no "type") refine an enclosing object.
    dom::element type;
    if (obj.at_key("type").get(type) == simdjson::SUCCESS) {
      bool closed = false;
      EXPECT_TRUE(obj.at_key("additionalProperties").get(additional) == simdjson::SUCCESS &&
                  additional.get(closed) == simdjson::SUCCESS && !closed)
          << where << " lists properties but has no \"additionalProperties\": false";
    }
  }
  for (dom::key_value_pair kv : obj) {
    if (kv.key == "enum" || kv.key == "const" || kv.key == "examples" || kv.key == "default") {
      continue;
    }
    expect_closed_objects(kv.value, where + "/" + std::string(kv.key));
  }
}

TEST(Schemas, EveryObjectWithPropertiesIsClosed) {
  for (const std::string& file : schema_files()) {
    dom::parser parser;
    expect_closed_objects(parser.parse(read_text(schemas_dir / file)).value(), file + "#");
  }
}

// ---- README examples
struct Example {
  std::size_t line = 0;
  std::string json;
};

std::vector<Example> readme_examples() {
  std::ifstream in(schemas_dir / "README.md");
  std::vector<Example> out;
  std::string line;
  std::size_t number = 0;
  bool inside = false;
  while (std::getline(in, line)) {
    ++number;
    if (!inside && line == "```json") {
      inside = true;
      out.push_back(Example{number, ""});
    } else if (inside && line == "```") {
      inside = false;
    } else if (inside) {
      out.back().json += line + "\n";
    }
  }
  return out;
}

TEST(Schemas, ReadmeExamplesValidate) {
  const auto examples = readme_examples();
  ASSERT_GE(examples.size(), 5u);
  auto envelope = schema_for("envelope.v1.schema.json");
  ASSERT_TRUE(envelope);
  std::set<std::string> covered;
  for (const Example& ex : examples) {
    dom::parser parser;
    dom::element e;
    ASSERT_EQ(parser.parse(ex.json).get(e), simdjson::SUCCESS) << "README.md:" << ex.line;
    const auto envelope_violations = envelope->validate(e);
    EXPECT_TRUE(envelope_violations.empty())
        << "README.md:" << ex.line << " envelope" << describe(envelope_violations);
    std::string_view type;
    std::int64_t version = 0;
    ASSERT_EQ(e["type"].get(type), simdjson::SUCCESS);
    ASSERT_EQ(e["schema_version"].get(version), simdjson::SUCCESS);
    const std::string file = payload_file(type, version);
    auto payload_schema = schema_for(file);
    ASSERT_TRUE(payload_schema) << "README.md:" << ex.line << ": no schema " << file;
    const auto violations = payload_schema->validate(e["payload"].value());
    EXPECT_TRUE(violations.empty())
        << "README.md:" << ex.line << " payload" << describe(violations);
    covered.insert(file);
  }
  for (const std::string& file : schema_files()) {
    if (file == "envelope.v1.schema.json") continue;
    EXPECT_TRUE(covered.count(file)) << "schemas/README.md has no example for " << file;
  }
}

// ---- broken events: a valid base, one textual change, the expected (path, keyword)
struct Broken {
  std::string file;  // schema file
  std::string base;  // a valid instance
  std::string from, to;
  std::string path, keyword, format;
};

const std::string envelope_base =
    R"({"event_id":"3f2a9c1e-7b4d-4e8a-9c21-5d6e7f809a1b","type":"calendar.day_closed",)"
    R"("schema_version":1,"stream":"calendar/business","stream_version":3,)"
    R"("occurred_at":"2025-06-02","source":"oppgjor","payload":{"date":"2025-06-02"}})";
const std::string person_base =
    R"({"customer_id":"C000123","kind":"person","national_id":"15108695088",)"
    R"("name":"Kari Nordmann","address":{"street":"Bogstadveien 27","postal_code":"0355",)"
    R"("city":"Oslo"},"district":"bydel_frogner","preferred_channel":"efaktura"})";
const std::string org_base =
    R"({"customer_id":"C000900","kind":"organisation","organisation_number":"988077917",)"
    R"("name":"Frogner Idrettslag","address":{"street":"Middelthuns gate 26",)"
    R"("postal_code":"0368","city":"Oslo"},"refund_account_number":"15031000006"})";
const std::string changed_base = R"({"customer_id":"C000123","email":"kari@example.no",)"
                                 R"("reason":"customer_request"})";
const std::string basis_base =
    R"({"ordrenummer":"BHG-2025-05-000123","customer_id":"C000123",)"
    R"("fakturautsteder":"BHG_FROGNER","claim_type":"kindergarten",)"
    R"("period":{"from":"2025-05-01","to":"2025-05-31"},"fakturalinjer":[{"vare":{)"
    R"("kode":"BHG_HEL","navn":"Foreldrebetaling","kontering":{"art":"16000",)"
    R"("funksjon":"201","ansvar":"BFR_BHG_01"}},"antall":"1","pris_ore":170000,)"
    R"("mva_kode":"0"}],"nettobelop_ore":170000,"avgiftsbelop_ore":0,)"
    R"("totalbelop_ore":170000,"trace":{"anything":[1,{"goes":true}]}})";
const std::string parameter_base =
    R"({"parameter":"care_fees.grunnbelop_nok","value":"130160","unit":"nok",)"
    R"("effective_from":"2025-05-01","rule_version":"2025-05-01","source":"nav.no"})";
const std::string day_base = R"({"date":"2025-06-02","calendar":"business"})";

const std::string env = "envelope.v1.schema.json";
const std::string reg = "customers.customer_registered.v1.schema.json";
const std::string chg = "customers.customer_changed.v1.schema.json";
const std::string bas = "invoicing.invoice_basis_received.v1.schema.json";
const std::string par = "rules.parameter_set.v1.schema.json";
const std::string day = "calendar.day_closed.v1.schema.json";

const std::vector<Broken>& broken_cases() {
  static const std::vector<Broken> cases = {
      // envelope: fields the log assigns, ids, types
      {env, envelope_base, R"("source":"oppgjor")", R"("source":"oppgjor","recorded_at":"x")",
       "/recorded_at", "additionalProperties", ""},
      {env, envelope_base, R"("source":"oppgjor")", R"("source":"oppgjor","hash":"ab")", "/hash",
       "additionalProperties", ""},
      {env, envelope_base, R"("source":"oppgjor")", R"("source":"oppgjor","sequence":7)",
       "/sequence", "additionalProperties", ""},
      {env, envelope_base, "3f2a9c1e-7b4d", "3f2a9c1e7b4d", "/event_id", "format", "uuid"},
      {env, envelope_base, R"("type":"calendar.day_closed")", R"("type":"Calendar.DayClosed")",
       "/type", "pattern", ""},
      {env, envelope_base, R"("schema_version":1)", R"("schema_version":0)", "/schema_version",
       "minimum", ""},
      {env, envelope_base, R"("stream_version":3)", R"("stream_version":3.5)", "/stream_version",
       "type", ""},
      {env, envelope_base, R"("stream":"calendar/business")", R"("stream":"business")", "/stream",
       "pattern", ""},
      {env, envelope_base, R"("occurred_at":"2025-06-02")", R"("occurred_at":"02.06.2025")",
       "/occurred_at", "anyOf", ""},
      {env, envelope_base, R"(,"payload":{"date":"2025-06-02"})", "", "/payload", "required", ""},
      // customers.customer_registered
      {reg, person_base, R"("national_id":"15108695088",)", "", "/national_id", "required", ""},
      {reg, person_base, "15108695088", "15108695089", "/national_id", "format", "no-national-id"},
      {reg, person_base, R"("kind":"person")",
       R"("kind":"person","organisation_number":"988077917")", "/organisation_number", "false", ""},
      {reg, org_base, R"("organisation_number":"988077917")",
       R"("organisation_number":"988077917","national_id":"15108695088")", "/national_id", "false",
       ""},
      {reg, org_base, "988077917", "988077918", "/organisation_number", "format",
       "no-organisation-number"},
      {reg, org_base, "15031000006", "15031000007", "/refund_account_number", "format",
       "no-account-number"},
      {reg, person_base, R"("postal_code":"0355")", R"("postal_code":"355")",
       "/address/postal_code", "pattern", ""},
      {reg, person_base, "bydel_frogner", "bydel_majorstuen", "/district", "enum", ""},
      {reg, person_base, R"("customer_id":"C000123")", R"("customer_id":"123")", "/customer_id",
       "pattern", ""},
      {reg, person_base, R"("preferred_channel":"efaktura")", R"("preferred_channel":"sms")",
       "/preferred_channel", "enum", ""},
      // customers.customer_changed
      {chg, changed_base, R"("email":"kari@example.no",)", "", "", "anyOf", ""},
      {chg, changed_base, "kari@example.no", "kari.example.no", "/email", "format", "email"},
      {chg, changed_base, R"(,"reason":"customer_request")", "", "/reason", "required", ""},
      // invoicing.invoice_basis_received
      {bas, basis_base, R"("antall":"1")", R"("antall":1.5)", "/fakturalinjer/0/antall", "type",
       ""},
      {bas, basis_base, R"("antall":"1")", R"("antall":"1,5")", "/fakturalinjer/0/antall",
       "pattern", ""},
      {bas, basis_base, R"("pris_ore":170000)", R"("pris_ore":"1700.00")",
       "/fakturalinjer/0/pris_ore", "type", ""},
      {bas, basis_base, R"("nettobelop_ore":170000)", R"("nettobelop_ore":1700.5)",
       "/nettobelop_ore", "type", ""},
      {bas, basis_base, R"("claim_type":"kindergarten")", R"("claim_type":"barnehage")",
       "/claim_type", "enum", ""},
      {bas, basis_base, R"("to":"2025-05-31")", R"("to":"2025-05-32")", "/period/to", "format",
       "date"},
      {bas, basis_base, R"(,"ansvar":"BFR_BHG_01")", "", "/fakturalinjer/0/vare/kontering/ansvar",
       "required", ""},
      {bas, basis_base, R"("funksjon":"201")", R"("funksjon":"2010")",
       "/fakturalinjer/0/vare/kontering/funksjon", "pattern", ""},
      {bas, basis_base, R"("mva_kode":"0")", R"("mva_kode":"0","belop":1)",
       "/fakturalinjer/0/belop", "additionalProperties", ""},
      {bas, basis_base, R"("totalbelop_ore":170000)", R"("totalbelop_ore":170000,"kid":"1")",
       "/kid", "additionalProperties", ""},
      // rules.parameter_set
      {par, parameter_base, R"("value":"130160")", R"("value":"1.3e5")", "/value", "pattern", ""},
      {par, parameter_base, R"("value":"130160")", R"("value":"130160.125")", "/value", "pattern",
       ""},
      {par, parameter_base, R"("unit":"nok")", R"("unit":"kroner")", "/unit", "enum", ""},
      {par, parameter_base, R"("parameter":"care_fees.grunnbelop_nok")",
       R"("parameter":"Care-Fees")", "/parameter", "pattern", ""},
      {par, parameter_base, R"("source":"nav.no")", R"("source":"nav.no","scope":{})", "/scope",
       "minProperties", ""},
      {par, parameter_base, R"(,"rule_version":"2025-05-01")", "", "/rule_version", "required", ""},
      // calendar.day_closed
      {day, day_base, "2025-06-02", "2025-06-31", "/date", "format", "date"},
      {day, day_base, R"("calendar":"business")", R"("calendar":"holiday")", "/calendar", "enum",
       ""},
  };
  return cases;
}

TEST(Schemas, BaseInstancesAreValid) {
  const std::set<std::pair<std::string, std::string>> bases = {
      {env, envelope_base}, {reg, person_base},    {reg, org_base}, {chg, changed_base},
      {bas, basis_base},    {par, parameter_base}, {day, day_base}};
  for (const auto& [file, base] : bases) {
    auto schema = schema_for(file);
    ASSERT_TRUE(schema) << file;
    dom::parser parser;
    const auto violations = schema->validate(parser.parse(base).value());
    EXPECT_TRUE(violations.empty()) << file << describe(violations);
  }
}

TEST(Schemas, BrokenEventsAreRejectedAtTheRightField) {
  for (const Broken& c : broken_cases()) {
    auto schema = schema_for(c.file);
    ASSERT_TRUE(schema) << c.file;
    std::string text = c.base;
    const auto at = text.find(c.from);
    ASSERT_NE(at, std::string::npos) << c.file << ": base lacks " << c.from;
    text.replace(at, c.from.size(), c.to);
    dom::parser parser;
    const auto violations = schema->validate(parser.parse(text).value());
    ASSERT_FALSE(violations.empty()) << c.file << " accepted " << text;
    EXPECT_EQ(violations[0].instance_path, c.path) << c.file << " " << text << describe(violations);
    EXPECT_EQ(violations[0].keyword, c.keyword) << c.file << " " << text << describe(violations);
    EXPECT_EQ(violations[0].format, c.format) << c.file << " " << text;
  }
}

}  // namespace
}  // namespace oppgjor::events
