// Late-payment interest: the research's worked example, splits at 1 January and 1 July, leap
// years, paying in time, a missing rate, and seeded properties. A property failure prints the seed
// and the case; the generator is std::mt19937_64, fully determined by the seed.
#include <gtest/gtest.h>

#include <random>

#include "services/collection/interest.h"
#include "services/collection/tests/test_support.h"

namespace oppgjor::collection {
namespace {

using test_support::d;
using test_support::dec;

TEST(LateInterest, TheWorkedExampleFromTheResearch) {
  // 10 000 kr due 2023-12-20, paid 2024-01-10 (research § 2.3).
  auto r = compute_late_interest(1'000'000, d("2023-12-20"), d("2024-01-10"));
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->interest_ore, 6956);
  ASSERT_EQ(r->periods.size(), 2u);
  const InterestPeriod& dec23 = r->periods[0];
  EXPECT_EQ(dec23.from, d("2023-12-21"));
  EXPECT_EQ(dec23.to, d("2023-12-31"));
  EXPECT_EQ(dec23.days, 11);
  EXPECT_EQ(dec23.year_days, 365);
  EXPECT_EQ(dec23.rate_pct, dec("11.75"));
  EXPECT_EQ(dec23.amount_ore, 3541);
  EXPECT_EQ(dec23.half_year, (HalfYear{2023, 2}));
  const InterestPeriod& jan24 = r->periods[1];
  EXPECT_EQ(jan24.from, d("2024-01-01"));
  EXPECT_EQ(jan24.to, d("2024-01-10"));
  EXPECT_EQ(jan24.days, 10);
  EXPECT_EQ(jan24.year_days, 366);  // 2024 is a leap year
  EXPECT_EQ(jan24.rate_pct, dec("12.50"));
  EXPECT_EQ(jan24.amount_ore, 3415);
  EXPECT_FALSE(jan24.uncertain);
  EXPECT_TRUE(dec23.uncertain);  // 2023 H2 is from a secondary source
  EXPECT_TRUE(r->uncertain);
  ASSERT_EQ(r->warnings.size(), 1u);
  EXPECT_EQ(r->warnings[0].rfind("2023 H2: rate 11.75 %", 0), 0u) << r->warnings[0];
  EXPECT_NE(r->method.find("sum of the rounded period amounts"), std::string::npos);
}

TEST(LateInterest, CrossingOneJanuaryOutOfALeapYear) {
  // 21–31 Dec 2024: 11 days × 12.50 % / 366 = 37.568… → 37.57;
  // 1–10 Jan 2025: 10 days × 12.50 % / 365 = 34.246… → 34.25.
  auto r = compute_late_interest(1'000'000, d("2024-12-20"), d("2025-01-10"));
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->periods.size(), 2u);
  EXPECT_EQ(r->periods[0].year_days, 366);
  EXPECT_EQ(r->periods[0].amount_ore, 3757);
  EXPECT_EQ(r->periods[1].year_days, 365);
  EXPECT_EQ(r->periods[1].amount_ore, 3425);
  EXPECT_EQ(r->interest_ore, 7182);
}

TEST(LateInterest, TheLeapDayCounts) {
  // 2024-02-20 → 2024-03-10: 19 days (29 February included) at 12.50 % / 366.
  auto r = compute_late_interest(5'000'000, d("2024-02-20"), d("2024-03-10"));
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->periods.size(), 1u);
  EXPECT_EQ(r->periods[0].days, 19);
  // 50 000 × 0.125 × 19 / 366 = 324.453… → 324.45
  EXPECT_EQ(r->interest_ore, 32445);
}

TEST(LateInterest, CrossingOneJuly) {
  // 21–30 Jun 2025: 10 days × 12.50 % / 365 = 34.246… → 34.25;
  // 1–10 Jul 2025: 10 days × 12.25 % / 365 = 33.561… → 33.56.
  auto r = compute_late_interest(1'000'000, d("2025-06-20"), d("2025-07-10"));
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->periods.size(), 2u);
  EXPECT_EQ(r->periods[0].to, d("2025-06-30"));
  EXPECT_EQ(r->periods[0].rate_pct, dec("12.50"));
  EXPECT_EQ(r->periods[0].amount_ore, 3425);
  EXPECT_EQ(r->periods[1].from, d("2025-07-01"));
  EXPECT_EQ(r->periods[1].rate_pct, dec("12.25"));
  EXPECT_EQ(r->periods[1].amount_ore, 3356);
  EXPECT_EQ(r->interest_ore, 6781);
  EXPECT_FALSE(r->uncertain);
  EXPECT_TRUE(r->warnings.empty());
}

TEST(LateInterest, PaidOnOrBeforeTheDueDateCostsNothing) {
  for (const char* paid : {"2024-01-10", "2024-01-09", "2023-01-01"}) {
    auto r = compute_late_interest(1'000'000, d("2024-01-10"), d(paid));
    ASSERT_TRUE(r.ok()) << paid;
    EXPECT_EQ(r->interest_ore, 0) << paid;
    EXPECT_TRUE(r->periods.empty()) << paid;
  }
  // One day late is one day of interest: 10 000 × 12.50 % / 366 = 3.415… → 3.42.
  auto one = compute_late_interest(1'000'000, d("2024-01-10"), d("2024-01-11"));
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->interest_ore, 342);
  // Paid in time even where no rate is known: nothing to compute, no error.
  EXPECT_TRUE(compute_late_interest(1'000'000, d("2030-01-10"), d("2030-01-10")).ok());
}

TEST(LateInterest, AMissingRateIsAnErrorNamingTheHalfYear) {
  auto r = compute_late_interest(1'000'000, d("2026-06-20"), d("2026-07-10"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "rate_missing");
  EXPECT_EQ(r.error().field, "collection.late_interest_rate_pct");
  EXPECT_NE(r.error().message.find("late-payment interest rate missing for 2026 H2"),
            std::string::npos)
      << r.error().message;
  auto both = compute_late_interest(1'000'000, d("2026-06-20"), d("2027-02-01"));
  ASSERT_FALSE(both.ok());
  EXPECT_NE(both.error().message.find("missing for 2026 H2, 2027 H1"), std::string::npos)
      << both.error().message;
  auto early = compute_late_interest(1'000'000, d("2013-12-20"), d("2014-01-10"));
  ASSERT_FALSE(early.ok());
  EXPECT_NE(early.error().message.find("2013 H2"), std::string::npos);
}

TEST(LateInterest, RefusesANegativeOrHugePrincipal) {
  auto neg = compute_late_interest(-1, d("2024-01-10"), d("2024-02-10"));
  ASSERT_FALSE(neg.ok());
  EXPECT_EQ(neg.error().code, "principal_invalid");
  EXPECT_EQ(neg.error().field, "principal");
  auto huge =
      compute_late_interest(interest_principal_max_ore + 1, d("2024-01-10"), d("2024-02-10"));
  ASSERT_FALSE(huge.ok());
  EXPECT_EQ(huge.error().code, "principal_out_of_range");
  // The largest principal over the longest interval computes without overflow.
  EXPECT_TRUE(
      compute_late_interest(interest_principal_max_ore, d("2014-01-01"), d("2026-06-30")).ok());
}

TEST(LateInterest, UsesRatesAddedOnTop) {
  CollectionRates rates = builtin_rates();
  DatedValue v;
  v.value = dec("13.00");
  v.effective_from = d("2026-07-01");
  v.effective_to = d("2026-12-31");
  v.source = "test";
  v.rule_version = "test";
  ASSERT_TRUE(rates.add(param::late_interest_rate, v).ok());
  auto r = compute_late_interest(1'000'000, d("2026-06-20"), d("2026-07-10"), rates);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  ASSERT_EQ(r->periods.size(), 2u);
  EXPECT_EQ(r->periods[1].rate_pct, dec("13.00"));
}

// ---- seeded properties over 2014-01-01 .. 2026-06-30 (every half-year has a rate)

constexpr std::uint64_t seed = 20261130;

struct Case {
  std::int64_t principal_ore;
  Date due;
  Date paid;
};

Case random_case(std::mt19937_64& rng) {
  const Date first = d("2014-01-01");
  const int span = first.days_until(d("2026-06-30"));
  std::uniform_int_distribution<int> day(0, span);
  std::uniform_int_distribution<std::int64_t> ore(0, 100'000'000'00);
  Date a = first.add_days(day(rng));
  Date b = first.add_days(day(rng));
  if (b < a) std::swap(a, b);
  // The due date is a day before the first interest day, so it may be 2013-12-31.
  return Case{ore(rng), a.add_days(-1), b};
}

std::string describe(const Case& c) {
  return "principal_ore " + std::to_string(c.principal_ore) + " due " + c.due.to_iso() + " paid " +
         c.paid.to_iso();
}

TEST(LateInterestProperties, ASplitPeriodEqualsTheSumOfItsParts) {
  std::mt19937_64 rng(seed);
  std::printf("seed %s\n", std::to_string(seed).c_str());
  for (int i = 0; i < 500; ++i) {
    const Case c = random_case(rng);
    SCOPED_TRACE("seed " + std::to_string(seed) + " case " + std::to_string(i) + ": " +
                 describe(c));
    auto whole = compute_late_interest(c.principal_ore, c.due, c.paid);
    ASSERT_TRUE(whole.ok()) << whole.error().to_string();
    // Consecutive sub-ranges that break at randomly chosen half-year ends inside the interval.
    std::int64_t sum = 0;
    int days = 0;
    Date from = c.due;
    for (HalfYear h = HalfYear::of(c.due.add_days(1)); h.last_day() < c.paid; h = h.next()) {
      if (std::bernoulli_distribution(0.5)(rng)) continue;
      auto part = compute_late_interest(c.principal_ore, from, h.last_day());
      ASSERT_TRUE(part.ok());
      sum += part->interest_ore;
      from = h.last_day();
    }
    auto last = compute_late_interest(c.principal_ore, from, c.paid);
    ASSERT_TRUE(last.ok());
    sum += last->interest_ore;
    EXPECT_EQ(sum, whole->interest_ore);
    std::int64_t periods = 0;
    for (const InterestPeriod& p : whole->periods) {
      periods += p.amount_ore;
      days += p.days;
      EXPECT_EQ(HalfYear::of(p.from), HalfYear::of(p.to));
    }
    EXPECT_EQ(periods, whole->interest_ore);
    EXPECT_EQ(days, c.due.days_until(c.paid));
  }
}

TEST(LateInterestProperties, PayingOnOrBeforeTheDueDateCostsNothing) {
  std::mt19937_64 rng(seed + 1);
  std::printf("seed %s\n", std::to_string(seed + 1).c_str());
  for (int i = 0; i < 500; ++i) {
    const Case c = random_case(rng);
    SCOPED_TRACE("seed " + std::to_string(seed + 1) + " case " + std::to_string(i) + ": " +
                 describe(c));
    // Swapped: paid (c.due) on or before due (c.paid).
    auto r = compute_late_interest(c.principal_ore, c.paid, c.due);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->interest_ore, 0);
    EXPECT_TRUE(r->periods.empty());
  }
}

TEST(LateInterestProperties, MonotoneInDaysAndPrincipal) {
  std::mt19937_64 rng(seed + 2);
  std::printf("seed %s\n", std::to_string(seed + 2).c_str());
  for (int i = 0; i < 500; ++i) {
    const Case c = random_case(rng);
    if (c.paid == d("2026-06-30")) continue;
    SCOPED_TRACE("seed " + std::to_string(seed + 2) + " case " + std::to_string(i) + ": " +
                 describe(c));
    auto r = compute_late_interest(c.principal_ore, c.due, c.paid);
    auto later = compute_late_interest(c.principal_ore, c.due, c.paid.add_days(1));
    auto more = compute_late_interest(c.principal_ore + 100, c.due, c.paid);
    ASSERT_TRUE(r.ok() && later.ok() && more.ok());
    EXPECT_LE(r->interest_ore, later->interest_ore);
    EXPECT_LE(r->interest_ore, more->interest_ore);
    EXPECT_GE(r->interest_ore, 0);
  }
}

}  // namespace
}  // namespace oppgjor::collection
