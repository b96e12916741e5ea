// The control recalculation (kontrollberegning, etteroppgjør) for one year and optionally one
// district: every resident's year recomputed with the FINAL basis and the year's parameters,
// compared month by month with what was charged (nursing_home invoice bases minus credits).
//
// compute_recalculation() is a pure function of the folded state and the run: the report for a
// run is reproduced byte for byte by folding the log to the run's as_of_sequence and calling it
// again (`oppgjor care-fees report RUN_ID`). It reads nothing the run events themselves change.
//
// A resident without final income data for the year is listed as waiting_for_final_assessment
// (no correction), unless the year has only rate-based stays (no income needed). A calculation
// error is listed with its code and field.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "services/care_fees/care_fees_state.h"
#include "services/care_fees/long_term_fee.h"

namespace oppgjor::care_fees {

struct RunSpec {
  std::string run_id;
  int year = 0;
  std::string district;  // empty: every district
  std::int64_t as_of_sequence = 0;
  std::string started_by;
};

// run_id = deterministic_event_id("care_fees/recalculation/<year>/<district or *>/<as_of>").
std::string recalculation_run_id(int year, const std::string& district, std::int64_t as_of);

// One reason why an amount changed: an input (income item, deduction, parameter) from → to.
struct WhyItem {
  std::string code;  // income_changed | deduction_changed | spouse_changed |
                     // discretionary_changed | parameter_changed | basis_changed |
                     // fee_year_changed
  std::string what;  // "pension", "care_fees.grunnbelop_nok", "basis_nok"
  std::string from;  // as shown: "260000.00", "124028 (2024-05-01)"
  std::string to;
};

struct MonthRow {
  unsigned month = 0;
  std::int64_t charged_ore = 0;
  std::int64_t due_ore = 0;
  int days_billed = -1;  // from our own bill's trace; -1 when unknown
  int days_due = 0;
  // not_billed | stays_changed | fee_year_changed | corrected_before | rounding; empty when equal
  std::vector<std::string> why;
  std::int64_t difference_ore() const { return due_ore - charged_ore; }
};

// One district's part of a resident's year (district_split.h): per month the due split as a bill
// is, and what was charged to the district (our bills and corrections name it; another basis
// counts for the district responsible last in that month, else the resident's district now). The
// parts of a resident sum to the resident's charged and due, month by month.
struct DistrictReport {
  std::string district;
  std::array<std::int64_t, 12> charged_ore{};
  std::array<std::int64_t, 12> due_ore{};
  std::int64_t charged_total_ore() const;
  std::int64_t due_total_ore() const;
  std::int64_t difference_ore() const { return due_total_ore() - charged_total_ore(); }
};

// A resident's outcome in a run: a computed result, waiting for the final tax assessment, or an
// error (ResidentReport::error says which).
enum class ResidentStatus { ok, waiting_for_final_assessment, error };
// "ok" | "waiting_for_final_assessment" | "error" (the report's JSON and CSV).
std::string_view to_string(ResidentStatus status);
std::optional<ResidentStatus> parse_resident_status(std::string_view text);

struct ResidentReport {
  std::string customer_id;
  std::string district;
  ResidentStatus status = ResidentStatus::ok;
  std::optional<Error> error;
  std::string final_income_event_id;
  std::string final_received;  // occurred_at of the final report (date part)
  std::string provisional_income_event_id;
  std::optional<Decimal> fee_year_nok;  // with the final basis
  std::int64_t charged_ore = 0;
  std::int64_t due_ore = 0;
  std::vector<WhyItem> why;
  std::array<MonthRow, 12> months{};
  // Each district's part, in the order the districts were first responsible. In a run for one
  // district, `months`, charged_ore and due_ore are that district's part only (what its
  // correction covers); `districts` still lists every part.
  std::vector<DistrictReport> districts;
  std::int64_t difference_ore() const {
    return status == ResidentStatus::ok ? due_ore - charged_ore : 0;
  }
};

struct ReportTotals {
  int residents = 0;
  int with_correction = 0;
  int refunds = 0;
  int extra_charges = 0;
  int waiting = 0;
  int errors = 0;
  std::int64_t refund_ore = 0;  // positive: paid back
  std::int64_t extra_charge_ore = 0;
  std::vector<std::pair<std::string, std::int64_t>> largest;  // up to 5, by |difference|
};

struct RecalcReport {
  RunSpec run;
  std::string rule_version;
  ReportTotals totals;
  std::vector<ResidentReport> residents;  // by customer id
};

inline constexpr std::size_t largest_changes_max = 5;

RecalcReport compute_recalculation(const CareFeesState& state, const RunSpec& run);

// The district parts of a resident's year (recalc_districts.cc). `fees`: the year with the final
// basis, nullptr when none was computed (then only the charges are attributed).
std::vector<DistrictReport> district_parts(const ResidentState& r, int year,
                                           const MonthlyFees* fees);

// Whether a run covers the resident: every district (run.district empty), or the resident was in
// the run's district any day of the year (or is in it now).
bool in_run_district(const ResidentState& r, const RunSpec& run);

// The "why" of a resident: the final basis against the provisional one the bills used, and the
// parameters (G, F) the bills used against the year's. Declared here for the tests.
// `final_fee`: the yearly fee with the final basis (nullptr when none was computed).
std::vector<WhyItem> explain_resident(const CareFeesState& state, const ResidentState& r, int year,
                                      const FeeInput& provisional, const FeeInput& final_basis,
                                      const YearlyFee* final_fee);

// Renderings. All are deterministic functions of the report.
std::string report_json(const RecalcReport& report);       // machines; report_sha256 is over it
std::string report_table(const RecalcReport& report);      // people, Norwegian
std::string report_csv_excel(const RecalcReport& report);  // BOM, ';', decimal comma, Norwegian
std::string report_csv(const RecalcReport& report);        // plain CSV, ',', '.', English

// All four renderings, made concurrently (each is a pure function of the report, so the bytes do
// not depend on the threads).
struct ReportFiles {
  std::string table, excel_csv, csv, json;
};
ReportFiles render_report(const RecalcReport& report);

// Norwegian text of one reason ("pensjon 260 000,00 → 250 000,00") and of a month's reasons.
std::string why_text_no(const WhyItem& w);
std::string month_why_no(const MonthRow& m);

}  // namespace oppgjor::care_fees
