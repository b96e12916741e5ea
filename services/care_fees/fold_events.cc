// The fold steps of the care-fees projection (fold_events.h). Payloads have passed their schema
// at intake; what a schema cannot see (a stay that was never started, a discharge before the
// admission, a transfer after the end) becomes a Rejection naming the field.
#include "services/care_fees/fold_events.h"

#include "events/json_value.h"
#include "services/care_fees/errors.h"

namespace oppgjor::care_fees::fold {
namespace {

std::string_view text(Payload p, std::string_view key) {
  std::string_view v;
  if (p.is_object() && p[key].get(v) == simdjson::SUCCESS) return v;
  return {};
}

bool flag(Payload p, std::string_view key, bool fallback) {
  bool v = fallback;
  if (p.is_object() && p[key].get(v) != simdjson::SUCCESS) return fallback;
  return v;
}

bool has(Payload p, std::string_view key) {
  return p.is_object() && p[key].error() == simdjson::SUCCESS;
}

std::optional<Date> date(Payload p, std::string_view key) {
  auto d = Date::parse(text(p, key));
  if (!d) return std::nullopt;
  return *d;
}

ResidentState& resident(CareFeesState& s, std::string_view customer_id) {
  auto it = s.residents.find(std::string(customer_id));
  if (it == s.residents.end()) {
    it = s.residents.emplace(std::string(customer_id), ResidentState{}).first;
    it->second.customer_id = std::string(customer_id);
  }
  return it->second;
}

void reject(ResidentState& r, const EventRef& e, std::string_view code, std::string field,
            std::string message) {
  r.rejections.push_back(Rejection{r.customer_id, std::string(e.event_id), std::string(e.type),
                                   std::string(code), std::move(field), std::move(message)});
}

// The stay named by the payload, or a stay_unknown rejection.
StayRecord* known_stay(ResidentState& r, const EventRef& e, Payload p) {
  const std::string id(text(p, "stay_id"));
  const auto it = r.stays.find(id);
  if (it != r.stays.end()) return &it->second;
  reject(r, e, errc::stay_unknown, "payload.stay_id",
         "stay " + id + " was never started for " + r.customer_id);
  return nullptr;
}

}  // namespace

void stay_started(CareFeesState& s, const EventRef& e, Payload p) {
  ResidentState& r = resident(s, text(p, "customer_id"));
  const std::string id(text(p, "stay_id"));
  const auto kind = parse_stay_kind(text(p, "kind"));
  const auto admission = date(p, "admission_date");
  if (r.stays.count(id) != 0) {
    reject(r, e, errc::stay_already_started, "payload.stay_id", "stay " + id + " already started");
    return;
  }
  if (!kind || !admission) {
    reject(r, e, errc::payload_unreadable, !kind ? "payload.kind" : "payload.admission_date",
           "not a stay kind or not a date");
    return;
  }
  StayRecord record;
  record.stay_id = id;
  record.district = std::string(text(p, "district"));
  record.segments.push_back(StaySegment{
      *kind, std::string(text(p, "institution_id")), std::string(text(p, "institution_type")),
      *admission, std::nullopt, flag(p, "from_home", false),
      flag(p, "double_room_against_wish", false), record.district});
  r.stays.emplace(id, std::move(record));
  r.stay_order.push_back(id);
}

void stay_transferred(CareFeesState& s, const EventRef& e, Payload p) {
  ResidentState& r = resident(s, text(p, "customer_id"));
  StayRecord* stay = known_stay(r, e, p);
  if (stay == nullptr) return;
  const auto on = date(p, "transfer_date");
  StaySegment& last = stay->segments.back();
  if (stay->ended) {
    reject(r, e, errc::stay_already_ended, "payload.stay_id",
           "stay " + stay->stay_id + " ended before this transfer");
    return;
  }
  if (!on || *on < last.from) {
    reject(r, e, errc::transfer_before_admission, "payload.transfer_date",
           "transfer on " + std::string(text(p, "transfer_date")) + " is before " +
               last.from.to_iso() + ", when the stay (or its last transfer) began");
    return;
  }
  StaySegment next = last;
  last.to = *on;  // the transfer day belongs to the new segment (the later admission wins)
  next.from = *on;
  next.from_home = false;  // a transfer gives no new free month (a running one continues)
  next.institution_id = std::string(text(p, "to_institution_id"));
  next.institution_type = std::string(text(p, "to_institution_type"));
  if (const auto kind = parse_stay_kind(text(p, "kind")); kind) next.kind = *kind;
  next.double_room = flag(p, "double_room_against_wish", next.double_room);
  // A move between districts: the same event, from the same day (district_split.h).
  if (const std::string_view to = text(p, "to_district"); !to.empty()) next.district = to;
  stay->segments.push_back(std::move(next));
}

void absence_registered(CareFeesState& s, const EventRef& e, Payload p) {
  ResidentState& r = resident(s, text(p, "customer_id"));
  StayRecord* stay = known_stay(r, e, p);
  if (stay == nullptr) return;
  const auto from = date(p, "from_date");
  const auto to = has(p, "to_date") ? date(p, "to_date") : std::nullopt;
  if (!from || (to && *to < *from)) {
    reject(r, e, errc::period_invalid, from ? "payload.to_date" : "payload.from_date",
           "the absence ends before it starts");
    return;
  }
  stay->absences[*from] = to;
}

void stay_ended(CareFeesState& s, const EventRef& e, Payload p) {
  ResidentState& r = resident(s, text(p, "customer_id"));
  StayRecord* stay = known_stay(r, e, p);
  if (stay == nullptr) return;
  const auto end = date(p, "end_date");
  StaySegment& last = stay->segments.back();
  if (!end || *end < last.from) {
    const bool transferred = stay->segments.size() > 1;
    reject(r, e, errc::end_before_admission, "payload.end_date",
           "end date " + std::string(text(p, "end_date")) + " is before the " +
               (transferred ? "last transfer (" : "admission (") + last.from.to_iso() + ")");
    return;
  }
  last.to = *end;  // a later stay_ended for the same stay corrects the date
  stay->ended = true;
  stay->end_reason = std::string(text(p, "reason"));
}

}  // namespace oppgjor::care_fees::fold
