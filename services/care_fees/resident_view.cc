// A resident's history as a district sees it (resident_view.h).
#include "services/care_fees/resident_view.h"

#include "services/care_fees/resident_fees.h"

namespace oppgjor::care_fees {
namespace {

std::string district_text(const std::string& district, const std::string& viewer) {
  std::string out = district.empty() ? "(ingen bydel)" : district;
  if (!viewer.empty() && district != viewer) out += " [annen bydel]";
  return out;
}

std::string stays_block(const ResidentState& r, const std::string& viewer) {
  std::string out = "Opphold:\n";
  for (const std::string& id : r.stay_order) {
    const StayRecord& stay = r.stays.at(id);
    out += "  " + stay.stay_id + (stay.ended ? " (avsluttet: " + stay.end_reason + ")" : "") + "\n";
    for (std::size_t i = 0; i < stay.segments.size(); ++i) {
      const StaySegment& seg = stay.segments[i];
      const bool transferred = i + 1 < stay.segments.size();
      std::string to = "–";
      if (seg.to) to += (transferred ? seg.to->add_days(-1) : *seg.to).to_norwegian();
      out += "    " + seg.from.to_norwegian() + to + " " + std::string(stay_kind_name(seg.kind)) +
             " " + seg.institution_id + " " + district_text(r.district_of(seg), viewer) + "\n";
    }
  }
  return out;
}

std::string charges_block(const ResidentState& r, const std::string& viewer) {
  std::string out = "Fakturert (vederlag):\n";
  for (const auto& [ym, month] : r.charged) {
    for (const ChargeEntry& e : month.entries) {
      out += "  " + std::string(month_name_no(ym.month)) + " " + std::to_string(ym.year) + " " +
             e.ordrenummer + " " + common::format_nok(Decimal::from_ore(e.amount_ore)) + " " +
             (e.district ? district_text(*e.district, viewer) : "(bydel ikke oppgitt)") + "\n";
    }
  }
  return out;
}

}  // namespace

std::string resident_history_no(const ResidentState& r, const std::string& viewer_district) {
  std::string out =
      r.customer_id + ", bydel nå: " + district_text(r.district(), viewer_district) + "\n";
  out += stays_block(r, viewer_district);
  out += charges_block(r, viewer_district);
  return out;
}

}  // namespace oppgjor::care_fees
