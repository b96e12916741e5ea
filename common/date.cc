// Date: civil calendar dates (see date.h for the contract).
#include "common/date.h"

#include "common/ascii.h"
#include "common/assert.h"

namespace oppgjor::common {
namespace {

using std::chrono::year_month_day;

year_month_day to_ymd(std::chrono::sys_days days) {
  return year_month_day{days};
}

// Parses exactly `digits.size()` ASCII digits; returns -1 on any other character.
int parse_fixed_digits(std::string_view digits) {
  int value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return -1;
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace

std::string norwegian_date_or_text(std::string_view iso) {
  const auto d = Date::parse(iso);
  return d ? d->to_norwegian() : std::string(iso);
}

std::string year_month_text(int year, unsigned month) {
  OPPGJOR_ASSERT(year >= 0 && year <= 9999 && month >= 1 && month <= 12,
                 "a month 0000-01..9999-12");
  std::string out;
  append_zero_padded(out, year, 4);
  out += '-';
  append_zero_padded(out, month, 2);
  return out;
}

Date Date::ymd(int year, unsigned month, unsigned day) {
  const year_month_day civil{std::chrono::year{year}, std::chrono::month{month},
                             std::chrono::day{day}};
  OPPGJOR_ASSERT(civil.ok(), "an invalid calendar date");
  return Date(std::chrono::sys_days{civil});
}

Result<Date> Date::parse(std::string_view iso, std::string_view field) {
  auto invalid = [&] {
    return make_error("date_invalid", std::string(field), "expected a real date as YYYY-MM-DD");
  };
  if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-') return invalid();
  const int year = parse_fixed_digits(iso.substr(0, 4));
  const int month = parse_fixed_digits(iso.substr(5, 2));
  const int day = parse_fixed_digits(iso.substr(8, 2));
  if (year < 0 || month < 1 || day < 1) return invalid();
  const year_month_day civil{std::chrono::year{year},
                             std::chrono::month{static_cast<unsigned>(month)},
                             std::chrono::day{static_cast<unsigned>(day)}};
  if (!civil.ok()) return invalid();
  return Date(std::chrono::sys_days{civil});
}

int Date::year() const {
  return static_cast<int>(to_ymd(days_).year());
}
unsigned Date::month() const {
  return static_cast<unsigned>(to_ymd(days_).month());
}
unsigned Date::day() const {
  return static_cast<unsigned>(to_ymd(days_).day());
}
unsigned Date::weekday() const {
  return std::chrono::weekday{days_}.iso_encoding();
}

int Date::days_in_month(int year, unsigned month) {
  OPPGJOR_ASSERT(month >= 1 && month <= 12, "month outside 1..12");
  const std::chrono::year_month_day_last last{
      std::chrono::year{year}, std::chrono::month_day_last{std::chrono::month{month}}};
  return static_cast<int>(static_cast<unsigned>(last.day()));
}

bool Date::is_leap_year(int year) {
  return std::chrono::year{year}.is_leap();
}

Date Date::first_of_month() const {
  const auto civil = to_ymd(days_);
  return Date(std::chrono::sys_days{civil.year() / civil.month() / std::chrono::day{1}});
}

Date Date::last_of_month() const {
  const auto civil = to_ymd(days_);
  return Date(std::chrono::sys_days{civil.year() / civil.month() / std::chrono::last});
}

std::string Date::to_iso() const {
  std::string out;
  append_zero_padded(out, year(), 4);
  out += '-';
  append_zero_padded(out, static_cast<int>(month()), 2);
  out += '-';
  append_zero_padded(out, static_cast<int>(day()), 2);
  return out;
}

std::string Date::to_norwegian() const {
  std::string out;
  append_zero_padded(out, static_cast<int>(day()), 2);
  out += '.';
  append_zero_padded(out, static_cast<int>(month()), 2);
  out += '.';
  append_zero_padded(out, year(), 4);
  return out;
}

}  // namespace oppgjor::common
