#include "replay/replayer.h"

#include <gtest/gtest.h>

#include <sqlite3.h>

#include <map>

#include "replay/builtin_projections.h"
#include "tests/support/test_support.h"

namespace oppgjor::replay {
namespace {

using events::testing::proposed;

// Collects a projection's rows.
class MapSink final : public RowSink {
 public:
  void row(std::string_view key, std::string_view value) override {
    rows.emplace(std::string(key), std::string(value));
  }
  std::map<std::string, std::string> rows;
};

class ReplayerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto l = events::EventLog::open(dir_.file("log.db"), clock_);
    ASSERT_TRUE(l.ok());
    log_ = std::move(l.value());
  }
  void add(const std::string& id, const std::string& type, const std::string& stream,
           const std::string& payload) {
    auto e = proposed(id, stream, payload);
    e.type = type;
    e.content_hash = events::sha256_hex(events::canonical_producer_envelope(e));
    ASSERT_TRUE(log_->append(std::vector{e}, events::BatchPolicy::per_event).ok());
  }
  std::map<std::string, std::string> rows_of(std::unique_ptr<Projection> p) {
    EXPECT_TRUE(fold(*log_, {p.get()}, 0).ok());
    MapSink sink;
    p->emit(sink);
    return sink.rows;
  }

  events::testing::TempDir dir_;
  events::FixedClock clock_;
  std::unique_ptr<events::EventLog> log_;
};

TEST_F(ReplayerTest, CustomersMergeChangesIntoTheRegistration) {
  add("1", "customers.customer_registered", "customer/C0000001",
      R"({"customer_id":"C0000001","kind":"person","name":"Kari Nordmann","district":"bydel_alna"})");
  add("2", "customers.customer_changed", "customer/C0000001",
      R"({"customer_id":"C0000001","district":"bydel_sagene","reason":"flytting"})");
  const auto rows = rows_of(make_customers_projection());
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows.at("C0000001"),
            R"({"changes":1,"district":"bydel_sagene","kind":"person","name":"Kari Nordmann",)"
            R"("version":2})");
}

TEST_F(ReplayerTest, CalendarKnowsTheLastClosedDay) {
  add("1", "calendar.day_closed", "calendar/business", R"({"date":"2025-06-03"})");
  add("2", "calendar.day_closed", "calendar/business",
      R"({"date":"2025-06-02","calendar":"business"})");
  EXPECT_EQ(rows_of(make_calendar_projection()).at("business"),
            R"({"days_closed":2,"last_closed":"2025-06-03"})");
}

TEST_F(ReplayerTest, RuleParametersAreKeyedByNameDateAndScope) {
  add("1", "rules.parameter_set", "rules/x",
      R"({"parameter":"care_fees.cost_cap_year_nok","value":"900000","effective_from":"2025-01-01",)"
      R"("scope":{"institution_type":"nursing_home"}})");
  add("2", "rules.parameter_set", "rules/y",
      R"({"parameter":"collection.inkassosats_nok","value":"700","effective_from":"2017-01-01"})");
  const auto rows = rows_of(make_rule_parameters_projection());
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_TRUE(
      rows.count(R"(care_fees.cost_cap_year_nok@2025-01-01@{"institution_type":"nursing_home"})"));
  EXPECT_TRUE(rows.count("collection.inkassosats_nok@2017-01-01"));
}

TEST_F(ReplayerTest, StateHashIsOverSortedRowsOnly) {
  add("1", "calendar.day_closed", "calendar/business", R"({"date":"2025-06-02"})");
  ProjectionRegistry registry;
  register_builtin_projections(registry);
  auto a = registry.create_all();
  auto first = replay(*log_, a, {});
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->events, 1);
  EXPECT_EQ(first->rows_per_projection.at("event_counts"), 1);
  auto b = registry.create_all();
  EXPECT_EQ(replay(*log_, b, {})->state_hash, first->state_hash);
  auto c = registry.create_all();
  ReplayOptions nothing;
  nothing.as_of = "2000-01-01T00:00:00Z";
  auto empty = replay(*log_, c, nothing);
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->events, 0);
  EXPECT_NE(empty->state_hash, first->state_hash);
}

// A projection with fixed rows, to pin down how rows enter the hash and the store.
class FixedRows final : public Projection {
 public:
  explicit FixedRows(std::map<std::string, std::string> rows) : rows_(std::move(rows)) {}
  std::string_view name() const override { return "fixed"; }
  bool wants(std::string_view) const override { return false; }
  Status apply(const events::EventView&, simdjson::dom::element) override { return ok_status(); }
  void emit(RowSink& sink) const override {
    for (const auto& [k, v] : rows_) sink.row(k, v);
  }

 private:
  std::map<std::string, std::string> rows_;
};

// Issue 7: a key holding a tab or a newline was split wrongly into the store, and "a\tb" → 1
// hashed like other rows could.
TEST_F(ReplayerTest, KeysWithTabsAndNewlinesAreStoredWholeAndHashedUnambiguously) {
  add("1", "calendar.day_closed", "calendar/business", R"({"date":"2025-06-02"})");
  const auto hash_of = [&](std::map<std::string, std::string> rows, const std::string& out) {
    std::vector<std::unique_ptr<Projection>> ps;
    ps.push_back(std::make_unique<FixedRows>(std::move(rows)));
    ReplayOptions o;
    o.out_path = out;
    auto r = replay(*log_, ps, o);
    EXPECT_TRUE(r.ok());
    return r.ok() ? r->state_hash : std::string();
  };
  const std::string store = dir_.file("state.db");
  const std::string tabbed = hash_of({{"a\tb", "1"}, {"c\nd", "2"}, {"e\\f", "3"}}, store);
  EXPECT_NE(tabbed, hash_of({{"a\\tb", "1"}, {"c\\nd", "2"}, {"e\\f", "3"}}, ""));
  EXPECT_NE(hash_of({{"a", "1"}, {"b", "2"}}, ""), hash_of({{"a\tb", "1"}}, ""));
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(store.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT key, value FROM state ORDER BY key", -1, &s, nullptr),
            SQLITE_OK);
  std::vector<std::pair<std::string, std::string>> stored;
  while (sqlite3_step(s) == SQLITE_ROW) {
    stored.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)),
                        reinterpret_cast<const char*>(sqlite3_column_text(s, 1)));
  }
  sqlite3_finalize(s);
  sqlite3_close_v2(db);
  const std::vector<std::pair<std::string, std::string>> want = {
      {"a\tb", "1"}, {"c\nd", "2"}, {"e\\f", "3"}};
  EXPECT_EQ(stored, want);
}

// Issue 7: events are counted, not taken from the last sequence; an --until-seq beyond the head
// is refused instead of being cut silently.
TEST_F(ReplayerTest, EventsAreCountedAndTheBoundIsChecked) {
  add("1", "calendar.day_closed", "calendar/business", R"({"date":"2025-06-02"})");
  add("2", "calendar.day_closed", "calendar/business", R"({"date":"2025-06-03"})");
  ProjectionRegistry registry;
  register_builtin_projections(registry);
  auto ps = registry.create_all();
  ReplayOptions o;
  o.until_sequence = 1;
  auto one = replay(*log_, ps, o);
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->events, 1);
  EXPECT_EQ(one->last_sequence, 1);
  EXPECT_TRUE(one->chain.intact);
  auto again = registry.create_all();
  o.until_sequence = 3;
  auto beyond = replay(*log_, again, o);
  ASSERT_FALSE(beyond.ok());
  EXPECT_EQ(beyond.error().code, "until_beyond_head");
}

}  // namespace
}  // namespace oppgjor::replay
