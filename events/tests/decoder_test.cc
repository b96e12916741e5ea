#include "events/decoder.h"

#include <gtest/gtest.h>

#include "events/engine_event.h"
#include "events/sha256.h"

namespace oppgjor::events {
namespace {

std::shared_ptr<const SchemaRegistry> registry() {
  static auto r = SchemaRegistry::load();
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().to_string());
  return r.value();
}

std::string envelope(const std::string& payload, const std::string& extra = "",
                     const std::string& type = "calendar.day_closed") {
  return R"({"event_id":"6F1C6D4E-3B7A-4C1E-9A0B-2D3E4F5A6B7C","type":")" + type +
         R"(","schema_version":1,"stream":"calendar/business","occurred_at":"2025-06-02",)"
         R"("source":"oppgjor.scheduler")" +
         extra + R"(,"payload":)" + payload + "}";
}

struct Decoded {
  bool ok;
  ProposedEvent event;
  DeadLetter dead;
};

Decoded decode(const std::string& bytes) {
  Decoder d(registry());
  Decoded out{};
  out.ok = d.decode(bytes, out.event, out.dead);
  return out;
}

TEST(Decoder, AcceptsAndCanonicalises) {
  const auto r = decode(envelope(R"({ "calendar":"business", "date":"2025-06-02" })"));
  ASSERT_TRUE(r.ok) << r.dead.message;
  EXPECT_EQ(r.event.payload, R"({"calendar":"business","date":"2025-06-02"})");
  EXPECT_EQ(r.event.event_id, "6f1c6d4e-3b7a-4c1e-9a0b-2d3e4f5a6b7c");  // stored lowercase
  EXPECT_EQ(r.event.content_hash.size(), 64u);
  EXPECT_FALSE(r.event.stream_version.has_value());
}

TEST(Decoder, ContentHashIgnoresKeyOrderAndWhitespace) {
  const auto a = decode(envelope(R"({"date":"2025-06-02","calendar":"business"})"));
  const auto b = decode(envelope(R"({ "calendar" : "business" , "date" : "2025-06-02" })"));
  ASSERT_TRUE(a.ok && b.ok);
  EXPECT_EQ(a.event.content_hash, b.event.content_hash);
  const auto c = decode(envelope(R"({"date":"2025-06-03","calendar":"business"})"));
  EXPECT_NE(a.event.content_hash, c.event.content_hash);
}

struct BadCase {
  const char* name;
  std::string bytes;
  std::string_view reason;
  std::string field;
};

TEST(Decoder, EveryRefusalNamesReasonAndField) {
  const std::string ok_payload = R"({"date":"2025-06-02"})";
  const BadCase cases[] = {
      {"truncated", envelope(ok_payload).substr(0, 40), reason::malformed_json, ""},
      {"not utf-8", envelope("{\"date\":\"2025-06-02\",\"closed_by\":\"Bj\xf8rn\"}"),
       reason::invalid_utf8, ""},
      {"too large", std::string(event_bytes_max + 1, ' '), reason::too_large, ""},
      {"unknown type", envelope(ok_payload, "", "calendar.day_opened"), reason::unknown_type,
       "/type"},
      {"missing field", envelope(R"({"calendar":"business"})"), reason::schema_violation,
       "/payload/date"},
      {"bad date", envelope(R"({"date":"2025-02-30"})"), reason::schema_violation, "/payload/date"},
      {"log field sent", envelope(ok_payload, R"(,"sequence":7)"), reason::schema_violation,
       "/sequence"},
      {"duplicate key", envelope(ok_payload, R"(,"source":"x")"), reason::malformed_json,
       "/source"},
      {"float", envelope(R"({"date":"2025-06-02","calendar":"business","x":1.5})"),
       reason::schema_violation, "/payload/x"},
  };
  for (const auto& c : cases) {
    const auto r = decode(c.bytes);
    EXPECT_FALSE(r.ok) << c.name;
    EXPECT_EQ(r.dead.reason, c.reason) << c.name << ": " << r.dead.message;
    EXPECT_EQ(r.dead.field, c.field) << c.name << ": " << r.dead.message;
    EXPECT_FALSE(r.dead.message.empty()) << c.name;
  }
}

TEST(Decoder, InvalidIdentifierIsItsOwnReasonAndIsMasked) {
  const std::string payload =
      R"({"customer_id":"C0000001","kind":"person","national_id":"15108695077",)"
      R"("name":"Test Person","address":{"street":"Gate 1","postal_code":"0150","city":"OSLO"}})";
  std::string bytes = envelope(payload, "", "customers.customer_registered");
  bytes.replace(bytes.find("calendar/business"), 17, "customer/C0000001");
  const auto r = decode(bytes);
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.dead.reason, reason::invalid_identifier);
  EXPECT_EQ(r.dead.field, "/payload/national_id");
  EXPECT_EQ(r.dead.message.find("15108695077"), std::string::npos) << r.dead.message;
}

TEST(EngineEvent, DeterministicIdsAreUuidShapedAndStable) {
  const auto a = deterministic_event_id("care_fees/bill/C0000001/2025-01");
  EXPECT_EQ(a, deterministic_event_id("care_fees/bill/C0000001/2025-01"));
  EXPECT_NE(a, deterministic_event_id("care_fees/bill/C0000001/2025-02"));
  ASSERT_EQ(a.size(), 36u);
  EXPECT_EQ(a[14], '8');
  EXPECT_NE(std::string("89ab").find(a[19]), std::string::npos);
}

TEST(EngineEvent, ValidatesAgainstTheSchema) {
  EngineEvent spec;
  spec.event_id = deterministic_event_id("x");
  spec.type = "calendar.day_closed";
  spec.stream = "calendar/business";
  spec.occurred_at = "2025-06-02";
  spec.payload_json = R"({"date":"2025-06-02"})";
  auto ok = make_engine_event(*registry(), spec);
  ASSERT_TRUE(ok.ok()) << ok.error().to_string();
  EXPECT_EQ(ok->payload, R"({"date":"2025-06-02"})");
  spec.payload_json = R"({"date":"yesterday"})";
  auto bad = make_engine_event(*registry(), spec);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "schema_violation");
  EXPECT_EQ(bad.error().field, "payload/date");
}

// A canonical payload is taken as it is, another one canonicalised: the bytes, the content hash
// and the envelope are the same from the const and the moving overload.
TEST(EngineEvent, PayloadIsCanonicalWhetherTakenOrRewritten) {
  EngineEvent spec;
  spec.event_id = deterministic_event_id("x");
  spec.type = "calendar.day_closed";
  spec.stream = "calendar/business";
  spec.occurred_at = "2025-06-02";
  spec.actor = "ops";
  for (const std::string& payload :
       {std::string(R"({"closed_by":"ops","date":"2025-06-02"})"),
        std::string(R"({ "date" : "2025-06-02", "closed_by":"ops" })"),
        std::string(R"({"date":"2025-06-02","closed_by":"\u006fps"})")}) {
    spec.payload_json = payload;
    auto copied = make_engine_event(*registry(), spec);
    ASSERT_TRUE(copied.ok()) << copied.error().to_string();
    EXPECT_EQ(copied->payload, R"({"closed_by":"ops","date":"2025-06-02"})");
    EngineEvent moved_spec = spec;
    auto moved = make_engine_event(*registry(), std::move(moved_spec));
    ASSERT_TRUE(moved.ok()) << moved.error().to_string();
    EXPECT_EQ(moved->payload, copied->payload);
    EXPECT_EQ(moved->content_hash, copied->content_hash);
    EXPECT_EQ(moved->event_id, copied->event_id);
    EXPECT_EQ(moved->actor, copied->actor);
    EXPECT_EQ(canonical_producer_envelope(*moved), canonical_producer_envelope(*copied));
  }
  spec.payload_json = R"({"date":"2025-06-02","date":"2025-06-03"})";
  auto duplicate = make_engine_event(*registry(), spec);
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().code, "duplicate_key");
}

// An engine event's envelope is checked with a stand-in of its payload's type and hashed in three
// pieces (EnvelopeFrame): the hash is the one of the whole canonical envelope, and the envelope's
// own errors are still found. That stand-in is sound only while the envelope schema asks nothing
// of the payload but its type; this test stops the day it asks more.
TEST(EngineEvent, TheEnvelopeIsCheckedWithAStandInAndHashedWhole) {
  EngineEvent spec;
  spec.event_id = deterministic_event_id("frame");
  spec.type = "calendar.day_closed";
  spec.stream = "calendar/business";
  spec.occurred_at = "2025-06-02";
  spec.causation_id = deterministic_event_id("cause");
  spec.payload_json = R"({"closed_by":"ops","date":"2025-06-02"})";
  auto e = make_engine_event(*registry(), spec);
  ASSERT_TRUE(e.ok()) << e.error().to_string();
  const std::string whole = canonical_producer_envelope(*e);
  EXPECT_NE(whole.find(e->payload), std::string::npos);
  EXPECT_EQ(e->content_hash, sha256_hex(whole));
  EXPECT_EQ(producer_content_hash(*e), sha256_hex(whole));
  const EnvelopeFrame frame = producer_envelope_frame(*e, "{}");
  EXPECT_EQ(frame.text.substr(frame.payload_at, frame.payload_size), "{}");
  EXPECT_EQ(framed_content_hash(frame, e->payload), sha256_hex(whole));

  spec.source = "Not A Source";
  auto bad = make_engine_event(*registry(), spec);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "schema_violation");
  EXPECT_EQ(bad.error().field, "/source");

  simdjson::dom::parser parser;
  simdjson::dom::element schema;
  ASSERT_EQ(parser.load(std::string(OPPGJOR_SCHEMAS_DIR) + "/envelope.v1.schema.json").get(schema),
            simdjson::SUCCESS);
  simdjson::dom::object payload;
  ASSERT_EQ(schema["properties"]["payload"].get(payload), simdjson::SUCCESS);
  std::vector<std::string> keywords;
  for (auto field : payload) keywords.emplace_back(field.key);
  EXPECT_EQ(keywords, (std::vector<std::string>{"description", "type"}));
  EXPECT_EQ(std::string_view(payload["type"].get_string().value()), "object");
}

// A payload of 256 KiB or more has its schema checked on a second thread beside the canonical and
// envelope checks: the same event, and the same error winning, as for a small one. Padded with
// insignificant whitespace, so each payload is the small one's value.
TEST(EngineEvent, ALargePayloadGivesTheSameEventAndTheSameErrorAsASmallOne) {
  const std::string pad(300 * 1024, ' ');
  EngineEvent spec;
  spec.event_id = deterministic_event_id("large");
  spec.type = "calendar.day_closed";
  spec.stream = "calendar/business";
  spec.occurred_at = "2025-06-02";
  const auto both = [&](const std::string& body) {
    spec.payload_json = "{" + body + "}";
    auto small = make_engine_event(*registry(), spec);
    spec.payload_json = "{" + pad + body + pad + "}";
    auto large = make_engine_event(*registry(), spec);
    return std::make_pair(std::move(small), std::move(large));
  };
  {
    auto [small, large] = both(R"("closed_by":"ops","date":"2025-06-02")");
    ASSERT_TRUE(small.ok()) << small.error().to_string();
    ASSERT_TRUE(large.ok()) << large.error().to_string();
    EXPECT_EQ(large->payload, R"({"closed_by":"ops","date":"2025-06-02"})");
    EXPECT_EQ(large->payload, small->payload);
    EXPECT_EQ(large->content_hash, small->content_hash);
  }
  // The payload's schema wins over everything after it: alone, with a duplicate key (which its
  // canonical form refuses), and with an envelope that is also wrong.
  for (const std::string& body :
       {std::string(R"("date":"yesterday")"), std::string(R"("date":"yesterday","date":"x")")}) {
    for (const std::string& stream : {std::string("calendar/business"), std::string("no stream")}) {
      spec.stream = stream;
      auto [small, large] = both(body);
      ASSERT_FALSE(small.ok());
      ASSERT_FALSE(large.ok());
      EXPECT_EQ(small.error().code, "schema_violation") << body;
      EXPECT_EQ(small.error().field, "payload/date") << body;
      EXPECT_EQ(large.error().code, small.error().code) << body;
      EXPECT_EQ(large.error().field, small.error().field) << body;
      EXPECT_EQ(large.error().message, small.error().message) << body;
    }
  }
  // With a valid payload, the canonical form's error, then the envelope's.
  spec.stream = "calendar/business";
  {
    auto [small, large] = both(R"("date":"2025-06-02","date":"2025-06-03")");
    ASSERT_FALSE(large.ok());
    EXPECT_EQ(small.error().code, "duplicate_key");
    EXPECT_EQ(large.error().code, small.error().code);
    EXPECT_EQ(large.error().field, small.error().field);
  }
  spec.stream = "no stream";
  {
    auto [small, large] = both(R"("date":"2025-06-02")");
    ASSERT_FALSE(small.ok());
    ASSERT_FALSE(large.ok());
    EXPECT_EQ(large.error().code, small.error().code);
    EXPECT_EQ(large.error().field, small.error().field);
    EXPECT_EQ(large.error().message, small.error().message);
  }
}

}  // namespace
}  // namespace oppgjor::events
