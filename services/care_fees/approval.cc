// Run events and the approval's corrections (approval.h).
#include "services/care_fees/approval.h"

#include <cstdio>

#include "events/canonical_json.h"
#include "services/care_fees/billing.h"
#include "services/care_fees/errors.h"
#include "services/care_fees/resident_fees.h"

namespace oppgjor::care_fees {
namespace {

using events::CanonicalWriter;

events::EngineEvent run_event(const RunSpec& run, std::string type, std::string key_suffix,
                              std::int64_t version, const std::string& actor,
                              const std::string& occurred_at, std::string payload) {
  events::EngineEvent e;
  e.event_id = events::deterministic_event_id("care_fees/run/" + run.run_id + "/" + key_suffix);
  e.type = std::move(type);
  e.stream = run_stream(run.run_id);
  e.stream_version = version;
  e.occurred_at = occurred_at;
  e.correlation_id = run.run_id;
  e.actor = actor;
  e.payload_json = std::move(payload);
  return e;
}

void write_totals(CanonicalWriter& w, const ReportTotals& t) {
  w.key("totals");
  w.begin_object();
  w.field_int("errors", t.errors);
  w.field_int("extra_charge_ore", t.extra_charge_ore);
  w.field_int("extra_charges", t.extra_charges);
  w.field_int("refund_ore", t.refund_ore);
  w.field_int("refunds", t.refunds);
  w.field_int("residents", t.residents);
  w.field_int("waiting_for_final_assessment", t.waiting);
  w.field_int("with_correction", t.with_correction);
  w.end_object();
}

void write_period(CanonicalWriter& w, const Date& from, const Date& to) {
  w.key("period");
  w.begin_object();
  w.field("from", from.to_iso());
  w.field("to", to.to_iso());
  w.end_object();
}

void write_correction_line(CanonicalWriter& w, int year, const MonthRow& m, std::int64_t amount_ore,
                           bool credit, const std::string& run8, const Posting& posting) {
  const Date first = Date::ymd(year, m.month, 1);
  w.begin_object();
  w.field("antall", "1");
  w.key("fritekst");
  w.begin_array();
  w.string_value("Kontrollberegning " + run8 + ": skal betales " +
                 common::format_nok(Decimal::from_ore(m.due_ore)) + ", fakturert " +
                 common::format_nok(Decimal::from_ore(m.charged_ore)));
  w.end_array();
  w.field("mva_kode", "0");
  if (credit) write_period(w, first, first.last_of_month());
  w.field_int("pris_ore", amount_ore);
  w.key("vare");
  w.begin_object();
  w.field("enhet", "mnd");
  w.field("kode", "VEDERLAG_ETT");
  w.key("kontering");
  w.begin_object();
  w.field("ansvar", posting.ansvar);
  w.field("art", posting.art);
  w.field("funksjon", posting.funksjon);
  w.end_object();
  w.field("navn", "Etteroppgjør vederlag " + std::string(month_name_no(m.month)) + " " +
                      std::to_string(year));
  w.end_object();
  w.end_object();
}

void write_why(CanonicalWriter& w, const std::vector<WhyItem>& why) {
  w.key("why");
  w.begin_array();
  for (const WhyItem& item : why) {
    w.begin_object();
    w.field("code", item.code);
    w.field("from", item.from);
    w.field("to", item.to);
    w.field("what", item.what);
    w.end_object();
  }
  w.end_array();
}

// One correction: the resident's, or one district's part of it (`part.suffix` set when the
// resident's correction is split over several districts).
struct CorrectionPart {
  ResidentReport rows;   // the months, charged and due it corrects
  std::string district;  // the district it is billed to (trace.district, fakturautsteder)
  std::string suffix;    // "" or "-SAGENE" (ordrenummer), "/bydel_sagene" (event key)
  std::string key_suffix;
};

// The corrections of a resident: a run for one district corrects its part (the report's rows
// already are that part); a run for every district one correction per district with a
// difference, or the whole when one district was responsible all year.
std::vector<CorrectionPart> correction_parts(const RecalcReport& report, const ResidentReport& r) {
  std::vector<CorrectionPart> out;
  if (r.status != ResidentStatus::ok) return out;
  const bool split = report.run.district.empty() && r.districts.size() > 1;
  if (!split) {
    if (r.difference_ore() == 0) return out;
    std::string district = report.run.district;
    if (district.empty()) district = r.districts.empty() ? r.district : r.districts[0].district;
    out.push_back(CorrectionPart{r, district, "", ""});
    return out;
  }
  for (const DistrictReport& d : r.districts) {
    if (d.difference_ore() == 0) continue;
    CorrectionPart part{r, d.district, "-" + fakturautsteder_for(d.district).substr(4),
                        "/" + (d.district.empty() ? std::string("oslo") : d.district)};
    part.rows.charged_ore = d.charged_total_ore();
    part.rows.due_ore = d.due_total_ore();
    for (unsigned m = 0; m < 12; ++m) {
      part.rows.months[m].charged_ore = d.charged_ore[m];
      part.rows.months[m].due_ore = d.due_ore[m];
    }
    out.push_back(std::move(part));
  }
  return out;
}

// The institution that billed `district`'s days of the month: the stay segment overlapping the
// month whose district (else the stay's, else the customer's) is `district`, latest first; any
// overlapping segment when none names it; "" without stays in the month.
std::string institution_in(const ResidentState* r, const std::string& district, int year,
                           unsigned month) {
  if (r == nullptr) return {};
  const Date first = Date::ymd(year, month, 1);
  const Date last = first.last_of_month();
  std::string any;
  Date any_from;
  std::string named;
  Date named_from;
  for (const auto& [id, stay] : r->stays) {
    for (const StaySegment& s : stay.segments) {
      if (s.from > last || (s.to && *s.to < first)) continue;
      std::string d = !s.district.empty() ? s.district : stay.district;
      if (d.empty()) d = r->customer_district;
      if (any.empty() || any_from <= s.from) {
        any = s.institution_id;
        any_from = s.from;
      }
      if (d == district && (named.empty() || named_from <= s.from)) {
        named = s.institution_id;
        named_from = s.from;
      }
    }
  }
  return named.empty() ? any : named;
}

// The posting string (art, funksjon, ansvar) of each corrected month: the rule data's posting
// for the part's district and the month's institution on the month's first day, as the bill had
// (rules/postings.json, parameters.h). A missing one is an error naming it.
Result<std::map<unsigned, Posting>> correction_postings(const CareFeesState& state,
                                                        const RecalcReport& report,
                                                        const CorrectionPart& part) {
  std::map<unsigned, Posting> out;
  const ResidentState* r = state.resident(part.rows.customer_id);
  for (const MonthRow& m : part.rows.months) {
    if (m.difference_ore() == 0) continue;
    auto posting =
        state.parameters.posting(Date::ymd(report.run.year, m.month, 1), part.district,
                                 institution_in(r, part.district, report.run.year, m.month));
    if (!posting) return posting.error();
    out.emplace(m.month, std::move(*posting));
  }
  return out;
}

std::string correction_payload(const RecalcReport& report, const CorrectionPart& part,
                               const std::string& sha,
                               const std::map<unsigned, Posting>& postings) {
  const ResidentReport& r = part.rows;
  const int year = report.run.year;
  const bool credit = r.difference_ore() < 0;
  const std::string run8 = report.run.run_id.substr(0, 8);
  const std::int64_t total = credit ? -r.difference_ore() : r.difference_ore();
  const Date jan1 = Date::ymd(year, 1, 1);
  const Date dec31 = Date::ymd(year, 12, 31);
  // The months with a difference, each with its amount (positive for refunds and charges alike).
  std::vector<std::pair<const MonthRow*, std::int64_t>> months;
  for (const MonthRow& m : r.months) {
    if (m.difference_ore() == 0) continue;
    months.emplace_back(&m, credit ? -m.difference_ore() : m.difference_ore());
  }
  std::string out;
  CanonicalWriter w(out);
  w.begin_object();
  w.field_int("avgiftsbelop_ore", 0);
  w.field("claim_type", "nursing_home");
  if (credit) {
    w.key("corrects");
    w.begin_object();
    write_period(w, jan1, dec31);
    w.end_object();
  }
  w.field("customer_id", r.customer_id);
  w.key("fakturalinjer");
  w.begin_array();
  for (const auto& [m, amount] : months) {
    write_correction_line(w, year, *m, amount, credit, run8, postings.at(m->month));
  }
  w.end_array();
  w.field("fakturautsteder", fakturautsteder_for(part.district));
  w.field_int("nettobelop_ore", total);
  w.field("ordrenummer",
          "VED-ETT-" + std::to_string(year) + "-" + r.customer_id + "-" + run8 + part.suffix);
  write_period(w, jan1, dec31);
  if (credit) {
    w.field("reason", "Kontrollberegning (etteroppgjør) av vederlag " + std::to_string(year));
    w.field("reason_code", "control_recalculation");
  }
  w.field("source_reference",
          "care_fees/correction/" + report.run.run_id + "/" + r.customer_id + part.key_suffix);
  w.field_int("totalbelop_ore", total);
  w.key("trace");
  w.begin_object();
  w.field("calculation", "care_fees.control_recalculation");
  w.field_int("charged_ore", r.charged_ore);
  w.field("district", part.district);
  w.field_int("due_ore", r.due_ore);
  w.field("fee_year_nok", r.fee_year_nok ? amount_string(*r.fee_year_nok) : "");
  w.field("final_income_event_id", r.final_income_event_id);
  w.key("months");
  w.begin_array();
  for (const auto& [m, amount] : months) {
    w.begin_object();
    w.field_int("amount_ore", amount);
    w.field("month", common::year_month_text(year, m->month));
    w.end_object();
  }
  w.end_array();
  w.field("report_sha256", sha);
  w.field("run_id", report.run.run_id);
  write_why(w, r.why);
  w.field_int("year", year);
  w.end_object();
  w.end_object();
  return out;
}

}  // namespace

Status check_decidable(const RunRecord& run, const common::ActorId& actor, Decision decision) {
  if (run.status != RunStatus::started) {
    return make_error(std::string(errc::run_closed), "run_id",
                      "kjøringen er allerede " + std::string(to_text_no(run.status)));
  }
  if (common::actor_from_log(run.started_by) == actor) {
    return make_error(std::string(errc::maker_is_checker), "--actor",
                      actor.str() + " startet denne kjøringen; en annen må " +
                          (decision == Decision::approve ? "godkjenne" : "avvise") + " den");
  }
  return ok_status();
}

Status check_approvable(const RecalcReport& report) {
  for (const ResidentReport& r : report.residents) {
    if (r.status == ResidentStatus::ok) return ok_status();
  }
  const ReportTotals& t = report.totals;
  return make_error(std::string(errc::nothing_to_approve), "run_id",
                    "ingen beboer i kjøringen har et beregnet vederlag (" +
                        std::to_string(t.residents) + " beboere, " + std::to_string(t.errors) +
                        " med feil, " + std::to_string(t.waiting) +
                        " venter på endelig skatteoppgjør): ingenting å godkjenne. Rett feilene "
                        "(oppgjor care-fees check) og start en ny kjøring");
}

std::string run_stream(const std::string& run_id) {
  return "care_fees_run/" + run_id;
}

events::EngineEvent started_event(const RunSpec& run, const std::string& occurred_at,
                                  const std::string& report_sha256) {
  std::string p;
  CanonicalWriter w(p);
  w.begin_object();
  w.field_int("as_of_sequence", run.as_of_sequence);
  if (!run.district.empty()) w.field("district", run.district);
  if (!report_sha256.empty()) w.field("report_sha256", report_sha256);
  w.field("run_id", run.run_id);
  w.field("started_by", run.started_by);
  w.field_int("year", run.year);
  w.end_object();
  return run_event(run, "care_fees.recalculation_started", "started", 1, run.started_by,
                   occurred_at, std::move(p));
}

events::EngineEvent rejected_event(const RunSpec& run, const std::string& rejected_by,
                                   const std::string& reason, const std::string& occurred_at) {
  std::string p;
  CanonicalWriter w(p);
  w.begin_object();
  w.field("reason", reason);
  w.field("rejected_by", rejected_by);
  w.field("run_id", run.run_id);
  w.field_int("year", run.year);
  w.end_object();
  return run_event(run, "care_fees.recalculation_rejected", "rejected", 2, rejected_by, occurred_at,
                   std::move(p));
}

Result<std::vector<events::EngineEvent>> approval_events(const CareFeesState& state,
                                                         const RecalcReport& report,
                                                         const std::string& approved_by,
                                                         const std::string& report_sha256,
                                                         const std::string& occurred_at) {
  const RunSpec& run = report.run;
  std::string p;
  CanonicalWriter w(p);
  w.begin_object();
  w.field("approved_by", approved_by);
  w.field("report_sha256", report_sha256);
  w.field("run_id", run.run_id);
  write_totals(w, report.totals);
  w.field_int("year", run.year);
  w.end_object();
  std::vector<events::EngineEvent> out;
  out.push_back(run_event(run, "care_fees.recalculation_approved", "approved", 2, approved_by,
                          occurred_at, std::move(p)));
  const std::string approval_id = out.front().event_id;
  for (const ResidentReport& r : report.residents) {
    for (const CorrectionPart& part : correction_parts(report, r)) {
      events::EngineEvent e;
      e.event_id = events::deterministic_event_id("care_fees/correction/" + run.run_id + "/" +
                                                  r.customer_id + part.key_suffix);
      e.type = part.rows.difference_ore() < 0 ? "invoicing.credit_basis_received"
                                              : "invoicing.invoice_basis_received";
      e.stream = bill_stream(r.customer_id);
      e.occurred_at = occurred_at;
      e.causation_id = approval_id;
      e.correlation_id = run.run_id;
      e.actor = approved_by;
      auto postings = correction_postings(state, report, part);
      if (!postings) return postings.error();
      e.payload_json = correction_payload(report, part, report_sha256, *postings);
      out.push_back(std::move(e));
    }
  }
  return out;
}

}  // namespace oppgjor::care_fees
