// Calendar dates (no time of day, no time zone), on std::chrono's civil calendar.
//
// Date is a value type; it never reads the clock. "Today" always enters from the edge (a
// `calendar.day_closed` event, or the CLI's own clock) as a Date argument.
#pragma once

#include <chrono>
#include <compare>
#include <string>
#include <string_view>

#include "common/result.h"

namespace oppgjor::common {

class Date {
 public:
  constexpr Date() = default;  // 1970-01-01
  constexpr explicit Date(std::chrono::sys_days days) : days_(days) {}
  // REQUIRES: a valid civil date (checked by assert; use parse for untrusted input).
  static Date ymd(int year, unsigned month, unsigned day);

  // Strict ISO-8601 "YYYY-MM-DD" with a real calendar day. Error code "date_invalid".
  static Result<Date> parse(std::string_view iso, std::string_view field = {});

  int year() const;
  unsigned month() const;
  unsigned day() const;
  unsigned weekday() const;  // ISO: 1 = Monday … 7 = Sunday

  Date add_days(int n) const { return Date(days_ + std::chrono::days(n)); }
  // Days from *this to other (other − this).
  int days_until(const Date& other) const { return (other.days_ - days_).count(); }
  static int days_in_month(int year, unsigned month);
  static bool is_leap_year(int year);
  Date first_of_month() const;
  Date last_of_month() const;

  std::string to_iso() const;        // "2025-12-31"
  std::string to_norwegian() const;  // "31.12.2025"

  std::chrono::sys_days sys_days() const { return days_; }
  auto operator<=>(const Date&) const = default;

 private:
  std::chrono::sys_days days_{};
};

// "31.12.2025" for "2025-12-31"; text that is no ISO date is returned as it is (for reports
// and letters that show a date they were given).
std::string norwegian_date_or_text(std::string_view iso);

// "2025-03": a calendar month as it is written in ids, streams and reports. REQUIRES: month 1-12,
// year 0-9999.
std::string year_month_text(int year, unsigned month);

}  // namespace oppgjor::common
