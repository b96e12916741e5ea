// The district parts of a resident's year in the control recalculation (recalc.h,
// district_split.h): the due of each month split as its bill is, and the charges attributed to
// the district they were billed to.
#include <algorithm>

#include "services/care_fees/district_split.h"
#include "services/care_fees/recalc.h"

namespace oppgjor::care_fees {
namespace {

DistrictReport& part_for(std::vector<DistrictReport>& parts, const std::string& district) {
  for (DistrictReport& p : parts) {
    if (p.district == district) return p;
  }
  parts.push_back(DistrictReport{});
  parts.back().district = district;
  return parts.back();
}

// The district a charge without one counts for: the one responsible last in the month (its
// parts are in the order the districts were first responsible), else the resident's now.
std::string fallback_district(const ResidentState& r, const std::vector<DistrictPart>& month) {
  return month.empty() ? r.district() : month.back().district;
}

}  // namespace

std::int64_t DistrictReport::charged_total_ore() const {
  std::int64_t sum = 0;
  for (std::int64_t v : charged_ore) sum += v;
  return sum;
}

std::int64_t DistrictReport::due_total_ore() const {
  std::int64_t sum = 0;
  for (std::int64_t v : due_ore) sum += v;
  return sum;
}

std::vector<DistrictReport> district_parts(const ResidentState& r, int year,
                                           const MonthlyFees* fees) {
  std::vector<DistrictReport> out;
  for (unsigned m = 1; m <= 12; ++m) {
    std::vector<DistrictPart> month;
    if (fees != nullptr) month = split_month(r, fees->months[m - 1]);
    for (const DistrictPart& p : month) part_for(out, p.district).due_ore[m - 1] += p.amount_ore;
    const auto it = r.charged.find(YearMonth{year, m});
    if (it == r.charged.end()) continue;
    for (const ChargeEntry& e : it->second.entries) {
      const std::string district = e.district ? *e.district : fallback_district(r, month);
      part_for(out, district).charged_ore[m - 1] += e.amount_ore;
    }
  }
  return out;
}

bool in_run_district(const ResidentState& r, const RunSpec& run) {
  if (run.district.empty() || r.district() == run.district) return true;
  return was_in_district(r, run.district, Date::ymd(run.year, 1, 1), Date::ymd(run.year, 12, 31));
}

}  // namespace oppgjor::care_fees
