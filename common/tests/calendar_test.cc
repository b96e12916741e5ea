// Tests for Date (date.h) and Norwegian public holidays / business days (calendar.h).
#include "common/calendar.h"

#include <string>

#include <gtest/gtest.h>

#include "common/date.h"

namespace oppgjor::common {
namespace {

Date d(std::string_view iso) {
  auto parsed = Date::parse(iso);
  EXPECT_TRUE(parsed.ok()) << iso;
  return parsed.ok() ? *parsed : Date{};
}

TEST(DateParse, StrictIso) {
  EXPECT_EQ(d("2025-12-31").to_iso(), "2025-12-31");
  EXPECT_EQ(d("2024-02-29").to_iso(), "2024-02-29");
  EXPECT_EQ(d("2000-02-29").to_iso(), "2000-02-29");
  for (const char* bad :
       {"2025-02-29", "1900-02-29", "2025-1-05", "2025-01-5", "2025-01-05x", "2025-01-05 ",
        " 2025-01-05", "2025/01/05", "2025-13-01", "2025-00-10", "2025-04-31", "2025-01-00",
        "20250105", "", "+025-01-05", "2025-0a-05", "2025-01-05T00:00"}) {
    auto parsed = Date::parse(bad, "payload.date");
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.error().code, "date_invalid");
    EXPECT_EQ(parsed.error().field, "payload.date");
  }
}

TEST(DateFormat, IsoAndNorwegian) {
  EXPECT_EQ(Date::ymd(2025, 12, 31).to_norwegian(), "31.12.2025");
  EXPECT_EQ(Date::ymd(2026, 1, 5).to_norwegian(), "05.01.2026");
  EXPECT_EQ(Date::ymd(987, 3, 4).to_iso(), "0987-03-04");
  EXPECT_EQ(Date().to_iso(), "1970-01-01");
}

TEST(DateCalendar, FieldsWeekdaysMonths) {
  const Date x = Date::ymd(2025, 11, 23);
  EXPECT_EQ(x.year(), 2025);
  EXPECT_EQ(x.month(), 11u);
  EXPECT_EQ(x.day(), 23u);
  EXPECT_EQ(x.weekday(), 7u);                        // Sunday
  EXPECT_EQ(Date::ymd(2025, 11, 24).weekday(), 1u);  // Monday
  EXPECT_EQ(Date::ymd(2000, 1, 1).weekday(), 6u);    // Saturday
  EXPECT_EQ(Date::days_in_month(2024, 2), 29);
  EXPECT_EQ(Date::days_in_month(2025, 2), 28);
  EXPECT_EQ(Date::days_in_month(1900, 2), 28);
  EXPECT_EQ(Date::days_in_month(2000, 2), 29);
  EXPECT_EQ(Date::days_in_month(2025, 4), 30);
  EXPECT_EQ(Date::days_in_month(2025, 12), 31);
  EXPECT_TRUE(Date::is_leap_year(2024));
  EXPECT_TRUE(Date::is_leap_year(2000));
  EXPECT_FALSE(Date::is_leap_year(1900));
  EXPECT_FALSE(Date::is_leap_year(2100));
  EXPECT_FALSE(Date::is_leap_year(2025));
  EXPECT_EQ(Date::ymd(2024, 2, 10).first_of_month(), Date::ymd(2024, 2, 1));
  EXPECT_EQ(Date::ymd(2024, 2, 10).last_of_month(), Date::ymd(2024, 2, 29));
  EXPECT_EQ(Date::ymd(2025, 12, 31).add_days(1), Date::ymd(2026, 1, 1));
  EXPECT_EQ(Date::ymd(2025, 1, 1).days_until(Date::ymd(2026, 1, 1)), 365);
  EXPECT_LT(Date::ymd(2025, 1, 1), Date::ymd(2025, 1, 2));
}

TEST(Easter, KnownYears) {
  const char* rows[][2] = {{"2024", "2024-03-31"}, {"2025", "2025-04-20"}, {"2026", "2026-04-05"},
                           {"2027", "2027-03-28"}, {"2038", "2038-04-25"}, {"2000", "2000-04-23"},
                           {"1900", "1900-04-15"}, {"1954", "1954-04-18"}, {"2008", "2008-03-23"},
                           {"2011", "2011-04-24"}};
  for (auto& row : rows) {
    EXPECT_EQ(easter_sunday(std::stoi(row[0])).to_iso(), row[1]) << row[0];
  }
}

TEST(Holidays, List2025) {
  const auto list = public_holidays(2025);
  ASSERT_EQ(list.size(), 12u);
  const char* expected[] = {"2025-01-01", "2025-04-17", "2025-04-18", "2025-04-20",
                            "2025-04-21", "2025-05-01", "2025-05-17", "2025-05-29",
                            "2025-06-08", "2025-06-09", "2025-12-25", "2025-12-26"};
  for (std::size_t i = 0; i < list.size(); ++i) {
    EXPECT_EQ(list[i].date.to_iso(), expected[i]) << list[i].name_en;
  }
  EXPECT_EQ(list[1].name_en, "Maundy Thursday");
  EXPECT_EQ(list[1].name_no, "Skjærtorsdag");
}

TEST(Holidays, EveryYearInRangeIsSortedAndWellFormed) {
  for (int year = holiday_year_min; year <= holiday_year_max; ++year) {
    const auto list = public_holidays(year);
    ASSERT_EQ(list.size(), 12u) << year;
    for (std::size_t i = 0; i < list.size(); ++i) {
      ASSERT_EQ(list[i].date.year(), year);
      if (i > 0) {
        ASSERT_LE(list[i - 1].date, list[i].date) << year;
      }
    }
    const Date easter = easter_sunday(year);
    ASSERT_EQ(easter.weekday(), 7u) << year;
    ASSERT_GE(easter, Date::ymd(year, 3, 22)) << year;
    ASSERT_LE(easter, Date::ymd(year, 4, 25)) << year;
  }
}

TEST(Holidays, Membership) {
  EXPECT_TRUE(is_public_holiday(d("2025-04-17")));   // Maundy Thursday
  EXPECT_TRUE(is_public_holiday(d("2025-05-29")));   // Ascension Day
  EXPECT_TRUE(is_public_holiday(d("2026-05-14")));   // Ascension Day 2026
  EXPECT_TRUE(is_public_holiday(d("2026-05-25")));   // Whit Monday 2026
  EXPECT_FALSE(is_public_holiday(d("2025-12-24")));  // Christmas Eve is not a legal holiday
  EXPECT_FALSE(is_public_holiday(d("2025-12-31")));
  EXPECT_FALSE(is_public_holiday(d("2025-04-19")));  // Easter Saturday
  // 17 May on a Saturday (2025): a holiday that does not move a weekday.
  EXPECT_EQ(d("2025-05-17").weekday(), 6u);
  EXPECT_TRUE(is_public_holiday(d("2025-05-17")));
  EXPECT_EQ(next_business_day_on_or_after(d("2025-05-17")), d("2025-05-19"));
}

TEST(BusinessDays, Rolling) {
  EXPECT_EQ(next_business_day_on_or_after(d("2025-12-25")), d("2025-12-29"));
  EXPECT_EQ(next_business_day_on_or_after(d("2025-12-29")), d("2025-12-29"));
  EXPECT_EQ(next_business_day_after(d("2025-12-29")), d("2025-12-30"));
  EXPECT_EQ(next_business_day_on_or_after(d("2025-04-17")), d("2025-04-22"));
  EXPECT_EQ(next_business_day_after(d("2025-12-31")), d("2026-01-02"));
  EXPECT_FALSE(is_business_day(d("2025-11-23")));  // Sunday
  EXPECT_TRUE(is_business_day(d("2025-11-24")));
  EXPECT_EQ(add_business_days(d("2025-12-23"), 1), d("2025-12-24"));
  EXPECT_EQ(add_business_days(d("2025-12-23"), 2), d("2025-12-29"));
  EXPECT_EQ(add_business_days(d("2025-04-16"), 1), d("2025-04-22"));
  EXPECT_EQ(add_business_days(d("2025-04-22"), -1), d("2025-04-16"));
  EXPECT_EQ(add_business_days(d("2025-12-25"), 0), d("2025-12-25"));
  EXPECT_EQ(add_business_days(d("2025-11-24"), 5), d("2025-12-01"));
}

}  // namespace
}  // namespace oppgjor::common
