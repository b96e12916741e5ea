// Norwegian public holidays and business days.
//
// Rule source: lov om 1. og 17. mai som høgtidsdager (1 May, 17 May) and lov om helligdager og
// helligdagsfred (helligdagsloven) § 2 (New Year's Day, Maundy Thursday, Good Friday, Easter
// Sunday and Monday, Ascension Day, Whit Sunday and Monday, Christmas Day and Boxing Day). The
// list is the law's fixed set; Sundays are not business days anyway, so Easter Sunday and Whit
// Sunday matter only for listing. Christmas Eve and New Year's Eve are not public holidays
// (banks may close early; that is not a legal holiday and is not modelled here).
//
// Easter Sunday comes from the anonymous Gregorian computus (Meeus/Jones/Butcher).
// Supported years: 1900..2199 (REQUIRES; asserted). Pure functions, thread-safe.
#pragma once

#include <string_view>
#include <vector>

#include "common/date.h"

namespace oppgjor::common {

inline constexpr int holiday_year_min = 1900;
inline constexpr int holiday_year_max = 2199;

struct Holiday {
  Date date;
  std::string_view name_no;  // e.g. "Skjærtorsdag" (static storage)
  std::string_view name_en;  // e.g. "Maundy Thursday" (static storage)
};

// Easter Sunday of `year`. REQUIRES: holiday_year_min <= year <= holiday_year_max.
Date easter_sunday(int year);
// The twelve public holidays of `year`, sorted by date. REQUIRES: year in the supported range.
std::vector<Holiday> public_holidays(int year);
bool is_public_holiday(Date date);
// Monday–Friday and not a public holiday.
bool is_business_day(Date date);
// `date` itself if it is a business day, else the first business day after it (e.g. a due date
// on 2025-12-25 rolls to 2025-12-29).
Date next_business_day_on_or_after(Date date);
// The first business day strictly after `date`.
Date next_business_day_after(Date date);
// Steps `business_days` business days forward (or backward when negative) from `date`; 0 returns
// `date` unchanged, even when it is not a business day.
Date add_business_days(Date date, int business_days);

}  // namespace oppgjor::common
