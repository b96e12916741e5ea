// Norwegian public holidays (see calendar.h for the rule sources).
#include "common/calendar.h"
#include "common/assert.h"

#include <algorithm>

namespace oppgjor::common {

Date easter_sunday(int year) {
  OPPGJOR_ASSERT(year >= holiday_year_min && year <= holiday_year_max,
                 "holiday year outside the supported range");
  // Anonymous Gregorian algorithm (Meeus/Jones/Butcher), integer arithmetic only.
  const int a = year % 19;
  const int b = year / 100;
  const int c = year % 100;
  const int d = b / 4;
  const int e = b % 4;
  const int f = (b + 8) / 25;
  const int g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4;
  const int k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31;
  const int day = (h + l - 7 * m + 114) % 31 + 1;
  return Date::ymd(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
}

std::vector<Holiday> public_holidays(int year) {
  const Date easter = easter_sunday(year);
  std::vector<Holiday> out = {
      {Date::ymd(year, 1, 1), "Første nyttårsdag", "New Year's Day"},
      {easter.add_days(-3), "Skjærtorsdag", "Maundy Thursday"},
      {easter.add_days(-2), "Langfredag", "Good Friday"},
      {easter, "Første påskedag", "Easter Sunday"},
      {easter.add_days(1), "Andre påskedag", "Easter Monday"},
      {Date::ymd(year, 5, 1), "Offentlig høytidsdag", "Labour Day"},
      {Date::ymd(year, 5, 17), "Grunnlovsdag", "Constitution Day"},
      {easter.add_days(39), "Kristi himmelfartsdag", "Ascension Day"},
      {easter.add_days(49), "Første pinsedag", "Whit Sunday"},
      {easter.add_days(50), "Andre pinsedag", "Whit Monday"},
      {Date::ymd(year, 12, 25), "Første juledag", "Christmas Day"},
      {Date::ymd(year, 12, 26), "Andre juledag", "Boxing Day"},
  };
  // Ascension Day can fall on 1 May or 17 May in the same year; both stay listed.
  std::stable_sort(out.begin(), out.end(),
                   [](const Holiday& x, const Holiday& y) { return x.date < y.date; });
  return out;
}

bool is_public_holiday(Date date) {
  for (const Holiday& h : public_holidays(date.year())) {
    if (h.date == date) return true;
  }
  return false;
}

bool is_business_day(Date date) {
  return date.weekday() <= 5 && !is_public_holiday(date);
}

Date next_business_day_on_or_after(Date date) {
  while (!is_business_day(date)) date = date.add_days(1);
  return date;
}

Date next_business_day_after(Date date) {
  return next_business_day_on_or_after(date.add_days(1));
}

Date add_business_days(Date date, int business_days) {
  const int step = business_days < 0 ? -1 : 1;
  for (int left = business_days < 0 ? -business_days : business_days; left > 0;) {
    date = date.add_days(step);
    if (is_business_day(date)) --left;
  }
  return date;
}

}  // namespace oppgjor::common
