// A month's bill split by district (district_split.h).
#include "services/care_fees/district_split.h"

#include <algorithm>

namespace oppgjor::care_fees {
namespace {

// The segment of `stay_id` that holds `date`: the last one starting on or before it (a transfer
// day belongs to the new segment).
const StaySegment* segment_on(const ResidentState& r, const std::string& stay_id, Date date) {
  const auto it = r.stays.find(stay_id);
  if (it == r.stays.end()) return nullptr;
  const StaySegment* out = nullptr;
  for (const StaySegment& seg : it->second.segments) {
    if (seg.from <= date) out = &seg;
  }
  return out != nullptr ? out : &it->second.segments.front();
}

DistrictPart& part_for(std::vector<DistrictPart>& parts, const std::string& district) {
  for (DistrictPart& p : parts) {
    if (p.district == district) return p;
  }
  parts.push_back(DistrictPart{});
  parts.back().district = district;
  return parts.back();
}

}  // namespace

std::string district_of_line(const ResidentState& r, const MonthLine& line) {
  const StaySegment* seg = segment_on(r, line.stay_id, line.first_date);
  return seg != nullptr ? r.district_of(*seg) : r.customer_district;
}

std::vector<std::int64_t> split_whole_kroner(std::int64_t amount_ore,
                                             const std::vector<Decimal>& weights) {
  Decimal total;
  for (const Decimal& w : weights) total += w;
  std::vector<std::int64_t> out(weights.size(), 0);
  if (total.is_zero()) {
    out.back() = amount_ore;
    return out;
  }
  const Decimal amount = Decimal::from_ore(amount_ore);
  Decimal cumulative;
  std::int64_t before_ore = 0;
  for (std::size_t k = 0; k < weights.size(); ++k) {
    cumulative += weights[k];
    // Round the cumulative share to whole kroner, not each part; the last takes the rest.
    const std::int64_t upto_ore = k + 1 == weights.size() ? amount_ore
                                                          : (amount * cumulative)
                                                                .divide(total)
                                                                .round(0, common::Rounding::half_up)
                                                                .to_ore(common::Rounding::half_up);
    out[k] = upto_ore - before_ore;
    before_ore = upto_ore;
  }
  return out;
}

std::vector<DistrictPart> split_month(const ResidentState& r, const MonthFee& month) {
  std::vector<DistrictPart> parts;
  std::vector<const MonthLine*> lines;
  for (const MonthLine& l : month.lines) lines.push_back(&l);
  std::stable_sort(lines.begin(), lines.end(), [](const MonthLine* a, const MonthLine* b) {
    return a->first_date < b->first_date;
  });
  for (const MonthLine* l : lines) {
    DistrictPart& p = part_for(parts, district_of_line(r, *l));
    if (p.days == 0 || l->first_date < p.first_date) p.first_date = l->first_date;
    if (p.days == 0 || p.last_date < l->last_date) p.last_date = l->last_date;
    p.days += l->days;
    if (l->billable) {
      p.days_billable += l->days;
      p.weight_nok += l->due_nok;
    }
    const StaySegment* seg = segment_on(r, l->stay_id, l->last_date);
    if (seg != nullptr && (l->billable || p.days_billable == 0)) {
      p.institution_id = seg->institution_id;
    }
  }
  if (parts.empty()) return parts;
  std::vector<Decimal> weights;
  for (const DistrictPart& p : parts) weights.push_back(p.weight_nok);
  const auto amounts =
      split_whole_kroner(month.amount_nok.to_ore(common::Rounding::half_up), weights);
  for (std::size_t k = 0; k < parts.size(); ++k) parts[k].amount_ore = amounts[k];
  return parts;
}

std::vector<std::string> districts_in(const ResidentState& r, Date from, Date to) {
  std::vector<std::string> out;
  for (const auto& [id, stay] : r.stays) {
    for (std::size_t i = 0; i < stay.segments.size(); ++i) {
      const StaySegment& seg = stay.segments[i];
      // A segment's last day (its `to`) is the next segment's first when it was transferred.
      const bool transferred = i + 1 < stay.segments.size();
      const std::optional<Date> last =
          transferred && seg.to ? std::optional<Date>(seg.to->add_days(-1)) : seg.to;
      if (seg.from > to || (last && *last < from)) continue;
      if (last && *last < seg.from) continue;  // a segment of no day (transferred the same day)
      out.push_back(r.district_of(seg));
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool was_in_district(const ResidentState& r, const std::string& district, Date from, Date to) {
  const auto all = districts_in(r, from, to);
  if (std::find(all.begin(), all.end(), district) != all.end()) return true;
  return all.empty() && r.district() == district;
}

}  // namespace oppgjor::care_fees
