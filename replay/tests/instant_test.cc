// --as-of instants (instant.h): parsed as instants, refused when they are none.
#include "replay/instant.h"

#include <gtest/gtest.h>

namespace oppgjor::replay {
namespace {

std::string canonical(const std::string& text) {
  auto t = parse_instant(text);
  EXPECT_TRUE(t.ok()) << text << ": " << (t.ok() ? "" : t.error().to_string());
  return t.ok() ? to_recorded_at(*t) : "";
}

TEST(Instant, OffsetsAndFractionsGiveTheUtcInstant) {
  EXPECT_EQ(canonical("2026-03-01T00:00:00Z"), "2026-03-01T00:00:00.000000Z");
  EXPECT_EQ(canonical("2026-03-01T01:00:00+01:00"), "2026-03-01T00:00:00.000000Z");
  EXPECT_EQ(canonical("2026-03-01t00:30:00.5-00:30"), "2026-03-01T01:00:00.500000Z");
  EXPECT_EQ(canonical("2026-01-01 00:59:59.000001+01:00"), "2025-12-31T23:59:59.000001Z");
  EXPECT_EQ(canonical("2024-02-29T23:59:59.123456z"), "2024-02-29T23:59:59.123456Z");
}

TEST(Instant, WhatIsNoInstantIsRefused) {
  for (const char* bad :
       {"", "nonsense", "2026-03-01", "2026-03-01T10:00:00", "2026-03-01T10:00Z",
        "2025-02-29T10:00:00Z", "2026-13-01T10:00:00Z", "2026-03-01T10:60:00Z",
        "2026-03-01T10:00:60Z", "2026-03-01T10:00:00.Z", "2026-03-01T10:00:00.1234567Z",
        "2026-03-01T10:00:00+0100", "2026-03-01T10:00:00+24:00", "2026-03-01T10:00:00ZZ",
        "2026-03-01T10:00:00 Z"}) {
    auto t = parse_instant(bad);
    ASSERT_FALSE(t.ok()) << bad;
    EXPECT_EQ(t.error().code, "as_of_invalid");
    EXPECT_EQ(t.error().field, "--as-of");
  }
}

}  // namespace
}  // namespace oppgjor::replay
