#include "services/care_fees/care_fees_state.h"

#include <algorithm>

#include "services/care_fees/district_split.h"
#include "services/care_fees/errors.h"

namespace oppgjor::care_fees {
namespace {

// The end of time for open periods handed to calculate_monthly_fees (it clamps to the year).
Date open_end() {
  return Date::ymd(fee_year_max, 12, 31);
}

bool touches(const StaySegment& s, Date from, Date to) {
  return s.from <= to && (!s.to || *s.to >= from);
}

Stay to_stay(const StayRecord& record, const StaySegment& seg) {
  Stay s;
  s.stay_id = record.stay_id;
  s.kind = seg.kind;
  s.institution_id = seg.institution_id;
  s.institution_type = seg.institution_type;
  s.from = seg.from;
  s.to = seg.to;
  s.from_home = seg.from_home;
  const Date end = seg.to.value_or(open_end());
  if (seg.double_room) s.double_room_against_wish.push_back({seg.from, end});
  for (const auto& [from, to] : record.absences) {
    if (from < seg.from || from > end) continue;
    const Date last = to.value_or(end);
    s.absences.push_back({from, last < from ? from : last});
  }
  return s;
}

}  // namespace

std::string ResidentState::district() const {
  for (auto it = stay_order.rbegin(); it != stay_order.rend(); ++it) {
    const auto found = stays.find(*it);
    if (found == stays.end()) continue;
    const std::string& last = found->second.segments.back().district;
    if (!last.empty()) return last;
    if (!found->second.district.empty()) return found->second.district;
  }
  return customer_district;
}

std::string ResidentState::district_of(const StaySegment& segment) const {
  return segment.district.empty() ? customer_district : segment.district;
}

std::vector<Stay> ResidentState::stays_for_year(int year) const {
  const Date jan1 = Date::ymd(year, 1, 1);
  const Date dec31 = Date::ymd(year, 12, 31);
  // A from-home admission in an earlier year needs that year's stays: its free month may run
  // into this year, through later segments of the stay (a transfer does not end it).
  int first_year = year;
  for (const auto& id : stay_order) {
    const StayRecord& record = stays.at(id);
    bool touches_year = false;
    for (const StaySegment& seg : record.segments) touches_year |= touches(seg, jan1, dec31);
    if (touches_year && record.segments.front().from_home) {
      first_year = std::min(first_year, record.admission().year());
    }
  }
  const Date from = Date::ymd(first_year, 1, 1);
  std::vector<Stay> out;
  for (const auto& id : stay_order) {
    const StayRecord& record = stays.at(id);
    for (const StaySegment& seg : record.segments) {
      if (touches(seg, from, dec31)) out.push_back(to_stay(record, seg));
    }
  }
  return out;
}

bool ResidentState::has_stay_in(Date from, Date to) const {
  for (const auto& [id, record] : stays) {
    for (const StaySegment& seg : record.segments) {
      if (touches(seg, from, to)) return true;
    }
  }
  return false;
}

const ResidentState* CareFeesState::resident(const std::string& customer_id) const {
  const auto it = residents.find(customer_id);
  return it == residents.end() ? nullptr : &it->second;
}

std::vector<Rejection> CareFeesState::all_rejections() const {
  std::vector<Rejection> out = parameter_rejections;
  for (const auto& [id, r] : residents) {
    out.insert(out.end(), r.rejections.begin(), r.rejections.end());
    if (!r.stays.empty()) continue;
    for (const auto& [event_id, income] : r.income_by_event) {
      out.push_back(
          Rejection{id, event_id, "care_fees.income_reported", std::string(errc::resident_unknown),
                    "payload.customer_id",
                    "income reported for " + id + ", who has no stay (no care_fees.stay_started)"});
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const Rejection& a, const Rejection& b) {
    return std::tie(a.customer_id, a.event_id, a.code) <
           std::tie(b.customer_id, b.event_id, b.code);
  });
  return out;
}

std::vector<int> CareFeesState::due_for_recalculation(const ResidentState& r) const {
  std::vector<int> out;
  for (const auto& [year, income] : r.income) {
    if (!income.final_basis || r.stays.empty()) continue;
    // Covered by an approved run for every district, or by one for each district the resident
    // belonged to any day of the year (a run for a district corrects only its part).
    const auto covers = [&](const std::string& district) {
      for (const auto& [id, run] : runs) {
        if (run.status == RunStatus::approved && run.year == year &&
            (run.district.empty() || run.district == district) &&
            run.as_of_sequence >= income.final_basis->sequence) {
          return true;
        }
      }
      return false;
    };
    std::vector<std::string> districts =
        districts_in(r, Date::ymd(year, 1, 1), Date::ymd(year, 12, 31));
    if (districts.empty()) districts.push_back(r.district());
    if (!std::all_of(districts.begin(), districts.end(), covers)) out.push_back(year);
  }
  return out;
}

std::string_view to_string(RunStatus status) {
  switch (status) {
    case RunStatus::started:
      return "started";
    case RunStatus::approved:
      return "approved";
    case RunStatus::rejected:
      return "rejected";
  }
  return "started";
}

std::optional<RunStatus> parse_run_status(std::string_view text) {
  for (RunStatus s : {RunStatus::started, RunStatus::approved, RunStatus::rejected}) {
    if (to_string(s) == text) return s;
  }
  return std::nullopt;
}

std::string_view to_string(IncomeStatus status) {
  return status == IncomeStatus::final ? "final" : "provisional";
}

std::optional<IncomeStatus> parse_income_status(std::string_view text) {
  for (IncomeStatus s : {IncomeStatus::provisional, IncomeStatus::final}) {
    if (to_string(s) == text) return s;
  }
  return std::nullopt;
}

std::string_view to_string(IncomeSource source) {
  switch (source) {
    case IncomeSource::none:
      return "";
    case IncomeSource::tax_assessment:
      return "tax_assessment";
    case IncomeSource::nav:
      return "nav";
    case IncomeSource::own_statement:
      return "own_statement";
    case IncomeSource::caseworker:
      return "caseworker";
  }
  return "";
}

std::optional<IncomeSource> parse_income_source(std::string_view text) {
  for (IncomeSource s : {IncomeSource::none, IncomeSource::tax_assessment, IncomeSource::nav,
                         IncomeSource::own_statement, IncomeSource::caseworker}) {
    if (to_string(s) == text) return s;
  }
  return std::nullopt;
}

std::string_view to_text_no(RunStatus status) {
  switch (status) {
    case RunStatus::started:
      return "startet";
    case RunStatus::approved:
      return "godkjent";
    case RunStatus::rejected:
      return "avvist";
  }
  return "startet";
}

}  // namespace oppgjor::care_fees
