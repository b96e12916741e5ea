// Tests for Decimal (money.h): parsing, formatting, rounding tables, arithmetic, overflow, and
// property tests with a fixed, printed seed.
#include "common/money.h"

#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

namespace oppgjor::common {
namespace {

Decimal dec(std::string_view text) {
  auto parsed = Decimal::parse(text);
  EXPECT_TRUE(parsed.ok()) << text;
  return parsed.ok() ? *parsed : Decimal{};
}

TEST(DecimalParse, AcceptsPlainDecimals) {
  EXPECT_EQ(dec("-1234.5678").to_string(), "-1234.5678");
  EXPECT_EQ(dec("0").to_string(), "0");
  EXPECT_EQ(dec("12.").to_string(), "12");
  EXPECT_EQ(dec("+3.10").to_string(), "3.1");
  EXPECT_EQ(dec("-0").to_string(), "0");
  EXPECT_EQ(dec("0.000000000000000001").to_string(), "0.000000000000000001");
  EXPECT_EQ(dec("007.50").to_string(), "7.5");
}

TEST(DecimalParse, RejectsWithStableCodes) {
  struct Row {
    const char* text;
    const char* code;
  };
  const Row rows[] = {
      {"", "decimal_syntax"},
      {"-", "decimal_syntax"},
      {".5", "decimal_syntax"},
      {"1e5", "decimal_syntax"},
      {"1 000", "decimal_syntax"},
      {"1,5", "decimal_syntax"},
      {"1.2.3", "decimal_syntax"},
      {"--1", "decimal_syntax"},
      {" 1", "decimal_syntax"},
      {"1 ", "decimal_syntax"},
      {"0.0000000000000000001", "decimal_too_many_decimals"},
      {"1000000000000000000000", "decimal_out_of_range"},
      {"-1000000000000000000000", "decimal_out_of_range"},
  };
  for (const Row& row : rows) {
    auto parsed = Decimal::parse(row.text, "payload.amount");
    ASSERT_FALSE(parsed.ok()) << row.text;
    EXPECT_EQ(parsed.error().code, row.code) << row.text;
    EXPECT_EQ(parsed.error().field, "payload.amount");
  }
}

TEST(DecimalParse, RangeEdge) {
  // checked_int128_t max is 2^128 - 1 = 340282366920938463463374607431768211455 units.
  EXPECT_TRUE(Decimal::parse("340282366920938463463.374607431768211455").ok());
  EXPECT_FALSE(Decimal::parse("340282366920938463463.374607431768211456").ok());
}

TEST(DecimalFormat, ToStringWithDecimals) {
  EXPECT_EQ(dec("1234.5").to_string(2), "1234.50");
  EXPECT_EQ(dec("-0.05").to_string(2), "-0.05");
  EXPECT_EQ(dec("7").to_string(0), "7");
  EXPECT_THROW((void)dec("1.234").to_string(2), std::logic_error);
}

TEST(DecimalFormat, FormatNok) {
  EXPECT_EQ(format_nok(dec("1234567.89")), "1 234 567,89");
  EXPECT_EQ(format_nok(dec("-1234567.891")), "-1 234 567,89");
  EXPECT_EQ(format_nok(dec("0.005")), "0,01");
  EXPECT_EQ(format_nok(dec("999.995")), "1 000,00");
  EXPECT_EQ(format_nok(dec("123")), "123,00");
  EXPECT_EQ(format_nok(dec("1000"), 0), "1 000");
  EXPECT_EQ(format_nok(dec("100000")), "100 000,00");
  EXPECT_EQ(format_nok(dec("-0.001")), "0,00");
}

TEST(DecimalOre, RoundTrip) {
  EXPECT_EQ(ore_to_string(12345), "123.45");
  EXPECT_EQ(ore_to_string(-5), "-0.05");
  EXPECT_EQ(ore_to_string(0), "0.00");
  EXPECT_EQ(*parse_ore("123.45"), 12345);
  EXPECT_EQ(*parse_ore("-0.05"), -5);
  EXPECT_EQ(*parse_ore("10"), 1000);
  EXPECT_EQ(*parse_ore("1.50"), 150);
  EXPECT_EQ(*parse_ore("1.500"), 150);  // trailing zeros are not extra precision
  auto bad = parse_ore("1.234", "amount");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "amount_too_many_decimals");
  EXPECT_EQ(parse_ore("0.0000000000000000001").error().code, "amount_too_many_decimals");
  EXPECT_EQ(parse_ore("x").error().code, "decimal_syntax");
  EXPECT_EQ(parse_ore("100000000000000000000").error().code, "decimal_out_of_range");
  EXPECT_EQ(Decimal::from_ore(12345), dec("123.45"));
  EXPECT_EQ(Decimal::from_scaled(1225, 2), dec("12.25"));
  EXPECT_EQ(Decimal::from_int(-7), dec("-7"));
}

TEST(DecimalRounding, Table) {
  struct Row {
    const char* in;
    int decimals;
    Rounding mode;
    const char* out;
  };
  const Row rows[] = {
      {"0.245", 2, Rounding::half_up, "0.25"},
      {"0.245", 2, Rounding::half_even, "0.24"},
      {"0.255", 2, Rounding::half_even, "0.26"},
      {"-0.245", 2, Rounding::half_up, "-0.25"},
      {"0.249", 2, Rounding::down, "0.24"},
      {"-1.005", 2, Rounding::half_up, "-1.01"},
      {"1.005", 2, Rounding::half_up, "1.01"},
      {"1.009", 2, Rounding::down, "1"},
      {"-1.009", 2, Rounding::down, "-1"},
      {"-0.245", 2, Rounding::half_even, "-0.24"},
      {"-0.255", 2, Rounding::half_even, "-0.26"},
      {"0.2450001", 2, Rounding::half_even, "0.25"},
      {"2.5", 0, Rounding::half_even, "2"},
      {"3.5", 0, Rounding::half_even, "4"},
      {"2.5", 0, Rounding::half_up, "3"},
      {"-2.5", 0, Rounding::half_up, "-3"},
      {"0.004", 2, Rounding::half_up, "0"},
      {"123.456", 18, Rounding::down, "123.456"},
      {"0.5", 0, Rounding::down, "0"},
      {"-0.5", 0, Rounding::half_even, "0"},
  };
  for (const Row& row : rows) {
    EXPECT_EQ(dec(row.in).round(row.decimals, row.mode).to_string(), row.out)
        << row.in << " " << rounding_name(row.mode) << " " << row.decimals;
  }
}

TEST(DecimalRounding, ToOre) {
  EXPECT_EQ(dec("0.245").to_ore(Rounding::half_up), 25);
  EXPECT_EQ(dec("0.245").to_ore(Rounding::half_even), 24);
  EXPECT_EQ(dec("-1.005").to_ore(Rounding::half_up), -101);
  EXPECT_EQ(dec("12345.678").to_ore(Rounding::down), 1234567);
  EXPECT_THROW((void)dec("100000000000000000000").to_ore(Rounding::down), std::overflow_error);
  EXPECT_EQ(rounding_name(Rounding::half_up), "round_half_up");
  EXPECT_EQ(rounding_name(Rounding::down), "round_down");
  EXPECT_EQ(rounding_name(Rounding::half_even), "round_half_even");
}

TEST(DecimalArithmetic, Basics) {
  EXPECT_EQ((dec("0.1") + dec("0.2")).to_string(), "0.3");
  EXPECT_EQ((dec("1") - dec("1.01")).to_string(), "-0.01");
  EXPECT_EQ((-dec("5.5")).to_string(), "-5.5");
  EXPECT_EQ((dec("12.25") * dec("0.75")).to_string(), "9.1875");
  EXPECT_EQ((dec("-12.25") * dec("0.75")).to_string(), "-9.1875");
  EXPECT_EQ((dec("0.000000001") * dec("0.000000001")).to_string(), "0.000000000000000001");
  // 36 fractional digits truncate toward zero at 18.
  EXPECT_EQ((dec("0.000000001") * dec("0.0000000001")).to_string(), "0");
  EXPECT_EQ((dec("-0.000000001") * dec("0.0000000015")).to_string(), "-0.000000000000000001");
  EXPECT_EQ((dec("1.5") * 3).to_string(), "4.5");
  EXPECT_EQ(dec("1").divide(dec("3")).to_string(), "0.333333333333333333");
  EXPECT_EQ(dec("-2").divide(dec("3")).to_string(), "-0.666666666666666666");
  EXPECT_EQ(dec("10").divide(dec("4")).to_string(), "2.5");
  EXPECT_EQ(dec("10").divide(std::int64_t{365}).to_string(), "0.027397260273972602");
  EXPECT_EQ(dec("-10").divide(std::int64_t{4}).to_string(), "-2.5");
  EXPECT_THROW((void)dec("1").divide(dec("0")), std::domain_error);
  EXPECT_THROW((void)dec("1").divide(std::int64_t{0}), std::domain_error);
  EXPECT_TRUE(dec("3").is_integer());
  EXPECT_FALSE(dec("3.1").is_integer());
  EXPECT_EQ(dec("-42").to_int64(), -42);
  EXPECT_THROW((void)dec("3.1").to_int64(), std::logic_error);
  EXPECT_LT(dec("-1"), dec("0.5"));
  EXPECT_EQ(min(dec("1"), dec("2")), dec("1"));
  EXPECT_EQ(max(dec("1"), dec("2")), dec("2"));
  Decimal acc;
  acc += dec("2.5");
  acc -= dec("0.5");
  EXPECT_EQ(acc, dec("2"));
}

TEST(DecimalArithmetic, InterestExample) {
  // 12.25 % interest on 10 000 NOK over 11/365 of a year, rounded once to øre.
  const Decimal principal_nok = dec("10000");
  const Decimal rate_pct = dec("12.25");
  const Decimal interest_nok = (principal_nok * rate_pct).divide(std::int64_t{100}) * 11;
  EXPECT_EQ(interest_nok.divide(std::int64_t{365}).to_ore(Rounding::half_up), 3692);
}

TEST(DecimalArithmetic, OverflowThrows) {
  const Decimal big = dec("300000000000000000000");
  EXPECT_THROW((void)(big + big), std::overflow_error);
  EXPECT_THROW((void)(-big - big), std::overflow_error);
  EXPECT_THROW((void)(big * dec("2")), std::overflow_error);
  EXPECT_THROW((void)(big * std::int64_t{2}), std::overflow_error);
  EXPECT_THROW((void)big.divide(dec("0.5")), std::overflow_error);
  EXPECT_THROW((void)Decimal::from_int(INT64_MAX).operator*(dec("100")), std::overflow_error);
  EXPECT_THROW((void)dec("10000000000000000000").to_int64(), std::overflow_error);
  EXPECT_NO_THROW((void)(big + dec("1")));
}

// Random decimal with up to 12 integer digits and up to 18 decimals, from a seeded engine.
Decimal random_decimal(std::mt19937_64& rng) {
  std::uniform_int_distribution<int> len_whole(1, 12);
  std::uniform_int_distribution<int> len_frac(0, 18);
  std::uniform_int_distribution<int> digit(0, 9);
  std::string text = (rng() & 1) ? "-" : "";
  const int whole = len_whole(rng);
  for (int i = 0; i < whole; ++i) text += static_cast<char>('0' + digit(rng));
  const int frac = len_frac(rng);
  if (frac > 0) text += '.';
  for (int i = 0; i < frac; ++i) text += static_cast<char>('0' + digit(rng));
  return dec(text);
}

constexpr std::uint64_t property_seed = 20251123;
constexpr int property_rounds = 5000;

TEST(DecimalProperty, AdditionAssociativeAndCommutative) {
  std::mt19937_64 rng(property_seed);
  for (int i = 0; i < property_rounds; ++i) {
    const Decimal a = random_decimal(rng), b = random_decimal(rng), c = random_decimal(rng);
    ASSERT_EQ(a + b, b + a) << "seed " << property_seed << " round " << i;
    ASSERT_EQ((a + b) + c, a + (b + c)) << "seed " << property_seed << " round " << i;
    ASSERT_EQ(a + b - b, a) << "seed " << property_seed << " round " << i;
  }
}

TEST(DecimalProperty, ParseToStringIdentity) {
  std::mt19937_64 rng(property_seed + 1);
  for (int i = 0; i < property_rounds; ++i) {
    const Decimal a = random_decimal(rng);
    const std::string text = a.to_string();
    auto back = Decimal::parse(text);
    ASSERT_TRUE(back.ok()) << "seed " << property_seed + 1 << " text " << text;
    ASSERT_EQ(*back, a) << "seed " << property_seed + 1 << " text " << text;
    ASSERT_EQ(back->to_string(), text) << "seed " << property_seed + 1;
  }
}

TEST(DecimalProperty, RoundingBounds) {
  std::mt19937_64 rng(property_seed + 2);
  const Decimal half_ore = dec("0.005"), one_ore = dec("0.01");
  for (int i = 0; i < property_rounds; ++i) {
    const Decimal a = random_decimal(rng);
    for (Rounding mode : {Rounding::half_up, Rounding::down, Rounding::half_even}) {
      const Decimal r = a.round(2, mode);
      const Decimal diff = r > a ? r - a : a - r;
      const Decimal bound = mode == Rounding::down ? one_ore : half_ore;
      ASSERT_LE(diff, bound) << "seed " << property_seed + 2 << " value " << a.to_string();
      ASSERT_EQ(r.round(2, mode), r) << "seed " << property_seed + 2;
      ASSERT_EQ(Decimal::from_ore(a.to_ore(mode)), r) << "seed " << property_seed + 2;
    }
  }
}

TEST(DecimalProperty, MultiplyDivideInverse) {
  std::mt19937_64 rng(property_seed + 3);
  std::uniform_int_distribution<std::int64_t> small(1, 1000000);
  for (int i = 0; i < property_rounds; ++i) {
    const Decimal a = random_decimal(rng);
    const std::int64_t k = small(rng);
    ASSERT_EQ((a * k).divide(k), a) << "seed " << property_seed + 3 << " round " << i;
    ASSERT_EQ((a * Decimal::from_int(k)).divide(Decimal::from_int(k)), a)
        << "seed " << property_seed + 3 << " round " << i;
  }
}

}  // namespace
}  // namespace oppgjor::common
