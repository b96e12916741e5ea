// Run events and the approval's corrections (approval.h).
#include "services/care_fees/approval.h"

#include <cstdio>

#include <nlohmann/json.hpp>

#include "services/care_fees/billing.h"
#include "services/care_fees/errors.h"
#include "services/care_fees/resident_fees.h"

namespace oppgjor::care_fees {
namespace {

using nlohmann::ordered_json;

std::string month_id(int year, unsigned month) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u", year, month);
  return buf;
}

events::EngineEvent run_event(const RunSpec& run, std::string type, std::string key_suffix,
                              std::int64_t version, const std::string& actor,
                              const std::string& occurred_at, const ordered_json& payload) {
  events::EngineEvent e;
  e.event_id = events::deterministic_event_id("care_fees/run/" + run.run_id + "/" + key_suffix);
  e.type = std::move(type);
  e.stream = run_stream(run.run_id);
  e.stream_version = version;
  e.occurred_at = occurred_at;
  e.correlation_id = run.run_id;
  e.actor = actor;
  e.payload_json = payload.dump();
  return e;
}

ordered_json totals_json(const ReportTotals& t) {
  return {{"residents", t.residents},
          {"with_correction", t.with_correction},
          {"refunds", t.refunds},
          {"extra_charges", t.extra_charges},
          {"waiting_for_final_assessment", t.waiting},
          {"errors", t.errors},
          {"refund_ore", t.refund_ore},
          {"extra_charge_ore", t.extra_charge_ore}};
}

ordered_json correction_line(int year, const MonthRow& m, std::int64_t amount_ore, bool credit,
                             const std::string& run8) {
  const Date first = Date::ymd(year, m.month, 1);
  ordered_json line = {
      {"vare",
       {{"kode", "VEDERLAG_ETT"},
        {"navn", "Etteroppgjør vederlag " + std::string(month_name_no(m.month)) + " " +
                     std::to_string(year)},
        {"enhet", "mnd"},
        {"kontering", {{"art", "16000"}, {"funksjon", "253"}, {"ansvar", "SYE_VEDERLAG"}}}}},
      {"antall", "1"},
      {"pris_ore", amount_ore},
      {"mva_kode", "0"},
      {"fritekst",
       {"Kontrollberegning " + run8 + ": skal betales " +
        common::format_nok(Decimal::from_ore(m.due_ore)) + ", fakturert " +
        common::format_nok(Decimal::from_ore(m.charged_ore))}}};
  if (credit) line["period"] = {{"from", first.to_iso()}, {"to", first.last_of_month().to_iso()}};
  return line;
}

ordered_json why_json(const std::vector<WhyItem>& why) {
  ordered_json out = ordered_json::array();
  for (const WhyItem& w : why) {
    out.push_back({{"code", w.code}, {"what", w.what}, {"from", w.from}, {"to", w.to}});
  }
  return out;
}

std::string correction_payload(const RecalcReport& report, const ResidentReport& r,
                               const std::string& sha) {
  const int year = report.run.year;
  const bool credit = r.difference_ore() < 0;
  const std::string run8 = report.run.run_id.substr(0, 8);
  ordered_json lines = ordered_json::array();
  ordered_json months = ordered_json::array();
  for (const MonthRow& m : r.months) {
    if (m.difference_ore() == 0) continue;
    const std::int64_t amount = credit ? -m.difference_ore() : m.difference_ore();
    lines.push_back(correction_line(year, m, amount, credit, run8));
    months.push_back({{"month", month_id(year, m.month)}, {"amount_ore", amount}});
  }
  const std::int64_t total = credit ? -r.difference_ore() : r.difference_ore();
  const ordered_json period = {{"from", Date::ymd(year, 1, 1).to_iso()},
                               {"to", Date::ymd(year, 12, 31).to_iso()}};
  ordered_json p = {
      {"ordrenummer", "VED-ETT-" + std::to_string(year) + "-" + r.customer_id + "-" + run8},
      {"customer_id", r.customer_id},
      {"fakturautsteder", fakturautsteder_for(r.district)},
      {"claim_type", "nursing_home"}};
  if (credit) {
    p["corrects"] = {{"period", period}};
    p["reason_code"] = "control_recalculation";
    p["reason"] = "Kontrollberegning (etteroppgjør) av vederlag " + std::to_string(year);
  }
  p["period"] = period;
  p["fakturalinjer"] = std::move(lines);
  p["nettobelop_ore"] = total;
  p["avgiftsbelop_ore"] = 0;
  p["totalbelop_ore"] = total;
  p["source_reference"] = "care_fees/correction/" + report.run.run_id + "/" + r.customer_id;
  p["trace"] = {{"calculation", "care_fees.control_recalculation"},
                {"run_id", report.run.run_id},
                {"year", year},
                {"report_sha256", sha},
                {"final_income_event_id", r.final_income_event_id},
                {"fee_year_nok", r.fee_year_nok ? amount_string(*r.fee_year_nok) : ""},
                {"charged_ore", r.charged_ore},
                {"due_ore", r.due_ore},
                {"months", std::move(months)},
                {"why", why_json(r.why)}};
  return p.dump();
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
    if (r.status == "ok") return ok_status();
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
  ordered_json p = {{"run_id", run.run_id},
                    {"year", run.year},
                    {"as_of_sequence", run.as_of_sequence},
                    {"started_by", run.started_by}};
  if (!run.district.empty()) p["district"] = run.district;
  if (!report_sha256.empty()) p["report_sha256"] = report_sha256;
  return run_event(run, "care_fees.recalculation_started", "started", 1, run.started_by,
                   occurred_at, p);
}

events::EngineEvent rejected_event(const RunSpec& run, const std::string& rejected_by,
                                   const std::string& reason, const std::string& occurred_at) {
  const ordered_json p = {
      {"run_id", run.run_id}, {"year", run.year}, {"rejected_by", rejected_by}, {"reason", reason}};
  return run_event(run, "care_fees.recalculation_rejected", "rejected", 2, rejected_by, occurred_at,
                   p);
}

std::vector<events::EngineEvent> approval_events(const RecalcReport& report,
                                                 const std::string& approved_by,
                                                 const std::string& report_sha256,
                                                 const std::string& occurred_at) {
  const RunSpec& run = report.run;
  const ordered_json p = {{"run_id", run.run_id},
                          {"year", run.year},
                          {"approved_by", approved_by},
                          {"report_sha256", report_sha256},
                          {"totals", totals_json(report.totals)}};
  std::vector<events::EngineEvent> out;
  out.push_back(run_event(run, "care_fees.recalculation_approved", "approved", 2, approved_by,
                          occurred_at, p));
  const std::string approval_id = out.front().event_id;
  for (const ResidentReport& r : report.residents) {
    if (r.difference_ore() == 0) continue;
    events::EngineEvent e;
    e.event_id =
        events::deterministic_event_id("care_fees/correction/" + run.run_id + "/" + r.customer_id);
    e.type = r.difference_ore() < 0 ? "invoicing.credit_basis_received"
                                    : "invoicing.invoice_basis_received";
    e.stream = bill_stream(r.customer_id);
    e.occurred_at = occurred_at;
    e.causation_id = approval_id;
    e.correlation_id = run.run_id;
    e.actor = approved_by;
    e.payload_json = correction_payload(report, r, report_sha256);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace oppgjor::care_fees
