// Instants (instant.h).
#include "replay/instant.h"

#include <chrono>
#include <cstdio>

namespace oppgjor::replay {
namespace {

constexpr std::int64_t micros_per_second = 1'000'000;
constexpr int fraction_digits_max = 6;

// Reads exactly `n` ASCII digits at text[at]; false if they are not there.
bool digits(std::string_view text, std::size_t at, std::size_t n, int& out) {
  if (at + n > text.size()) return false;
  out = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    out = out * 10 + (text[i] - '0');
  }
  return true;
}

Error invalid(std::string_view field, std::string_view text, const std::string& why) {
  // Appended piece by piece: GCC 12 at -O3 warns (-Werror=restrict) on "'" + std::string(text).
  std::string message = "'";
  message.append(text);
  message += "' is not an instant (";
  message += why;
  message += "); expected e.g. 2026-03-01T00:00:00Z or 2026-03-01T01:00:00.250+01:00";
  return make_error("as_of_invalid", std::string(field), message);
}

}  // namespace

Result<Instant> parse_instant(std::string_view text, std::string_view field) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (!digits(text, 0, 4, y) || text.size() < 10 || text[4] != '-' || !digits(text, 5, 2, mo) ||
      text[7] != '-' || !digits(text, 8, 2, d)) {
    return invalid(field, text, "no date YYYY-MM-DD at the start");
  }
  if (text.size() == 10) return invalid(field, text, "a date alone is not an instant");
  const char sep = text[10];
  if ((sep != 'T' && sep != 't' && sep != ' ') || !digits(text, 11, 2, h) || text.size() < 19 ||
      text[13] != ':' || !digits(text, 14, 2, mi) || text[16] != ':' || !digits(text, 17, 2, s)) {
    return invalid(field, text, "no time THH:MM:SS after the date");
  }
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{unsigned(mo)},
                                        std::chrono::day{unsigned(d)}};
  if (!ymd.ok()) return invalid(field, text, "no such date");
  if (h > 23 || mi > 59 || s > 59) return invalid(field, text, "no such time of day");
  std::size_t at = 19;
  std::int64_t fraction_us = 0;
  if (at < text.size() && text[at] == '.') {
    int n = 0;
    for (++at; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at, ++n) {
      if (n == fraction_digits_max) {
        return invalid(field, text, "more than six fractional digits");
      }
      fraction_us = fraction_us * 10 + (text[at] - '0');
    }
    if (n == 0) return invalid(field, text, "no digits after the decimal point");
    for (int k = n; k < fraction_digits_max; ++k) fraction_us *= 10;
  }
  std::int64_t offset_s = 0;
  const std::string_view zone = text.substr(at);
  if (zone == "Z" || zone == "z") {
    offset_s = 0;
  } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
    int oh = 0, om = 0;
    if (!digits(zone, 1, 2, oh) || !digits(zone, 4, 2, om) || oh > 23 || om > 59) {
      return invalid(field, text, "the offset is not ±hh:mm");
    }
    offset_s = (zone[0] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
  } else if (zone.empty()) {
    return invalid(field, text, "no zone: add Z (UTC) or an offset like +01:00");
  } else {
    return invalid(field, text, "the zone is not Z or ±hh:mm");
  }
  const std::int64_t days = std::chrono::sys_days{ymd}.time_since_epoch().count();
  const std::int64_t local_s = days * 86400 + h * 3600 + mi * 60 + s;
  return Instant{(local_s - offset_s) * micros_per_second + fraction_us};
}

std::string to_recorded_at(Instant t) {
  using namespace std::chrono;
  const sys_time<microseconds> tp{microseconds{t.micros_since_epoch}};
  const auto day = floor<days>(tp);
  const year_month_day ymd{day};
  const hh_mm_ss<microseconds> tod{tp - day};
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02lld.%06lldZ",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<int>(tod.hours().count()),
                static_cast<int>(tod.minutes().count()),
                static_cast<long long>(tod.seconds().count()),
                static_cast<long long>(tod.subseconds().count()));
  return buf;
}

}  // namespace oppgjor::replay
