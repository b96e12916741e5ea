// The care-fees state folded from the event log (phase 2): per resident the stays, the income
// data per year (provisional and final), the nursing-home charges per month (invoice and credit
// bases), the business rejections found while folding; the rule parameters (the shipped store
// plus `rules.parameter_set` events); and the control-recalculation runs.
//
// Plain values, built by CareFeesProjection (care_fees_projection.h) and read by billing,
// recalculation and status. Nothing here reads a clock or the environment.
//
// Order: a resident's stays and income are in one stream (resident/<customer_id>), its charges in
// care_fees/<customer_id> (the service's own; upstream bases in customer/<customer_id>), parameters
// in rules/<parameter>, runs in care_fees_run/<run_id>. The state depends on the order inside each
// stream only; cross-stream checks (income for a resident without any stay, an unregistered
// customer) are made when the state is read, not while folding.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "services/care_fees/decision_records.h"
#include "services/care_fees/fee_input.h"
#include "services/care_fees/monthly_fees.h"
#include "services/care_fees/parameters.h"

namespace oppgjor::care_fees {

// A business rejection found while folding (or when reading the state): a stable code, the field
// it names ("payload.end_date") and a message. Keyed by the event that caused it.
struct Rejection {
  std::string customer_id;
  std::string event_id;
  std::string type;
  std::string code;
  std::string field;
  std::string message;
};

// One segment of a stay: admission to transfer, transfer to transfer, or to the end.
struct StaySegment {
  StayKind kind = StayKind::long_term;
  std::string institution_id;
  std::string institution_type;
  Date from;
  std::optional<Date> to;  // inclusive; none while open
  bool from_home = false;  // only the admission segment can be from home
  bool double_room = false;
  // The district (bydel) responsible from `from`: stay_started's district, then a transfer's
  // to_district (district_split.h). Empty: the customer's district.
  std::string district;
};

struct StayRecord {
  std::string stay_id;
  std::string district;  // from stay_started, may be empty (the first segment's district)
  std::vector<StaySegment> segments;
  std::map<Date, std::optional<Date>> absences;  // from_date -> to_date (none: still away)
  bool ended = false;
  std::string end_reason;  // discharge | death
  Date admission() const { return segments.front().from; }
};

// An income report is provisional (monthly billing uses it) or final (the tax assessment for the
// year: the control recalculation uses it).
enum class IncomeStatus { provisional, final };
// "provisional" | "final", as in care_fees.income_reported.
std::string_view to_string(IncomeStatus status);
std::optional<IncomeStatus> parse_income_status(std::string_view text);

// Where an income report's data comes from; none when the payload does not say.
enum class IncomeSource { none, tax_assessment, nav, own_statement, caseworker };
// "" (none) | "tax_assessment" | "nav" | "own_statement" | "caseworker".
std::string_view to_string(IncomeSource source);
std::optional<IncomeSource> parse_income_source(std::string_view text);

struct IncomeRecord {
  std::string event_id;
  std::string occurred_at;  // business time of the report (date or timestamp)
  IncomeStatus status = IncomeStatus::provisional;
  IncomeSource source = IncomeSource::none;
  std::int64_t sequence = 0;  // log position, used only for "due for control recalculation"
  FeeInput basis;             // basis.year = the income year
};

struct IncomeYear {
  std::optional<IncomeRecord> provisional;  // the latest provisional report for the year
  std::optional<IncomeRecord> final_basis;  // the latest final report for the year
};

// An event kept as it came (state_codec.h): income reports and rule parameters are restored from
// a snapshot by folding these again.
struct RawEvent {
  std::string event_id;
  std::string type;
  std::string occurred_at;
  std::int64_t sequence = 0;
  std::string payload;  // canonical JSON
  std::string actor;    // the envelope's (who set a parameter); may be empty
};

// What one of our own monthly bills says it was computed from (its trace), so the recalculation
// can say why a month changed.
struct BillBasis {
  std::string income_event_id;
  Decimal basis_nok;
  Decimal fee_year_nok;
  std::string grunnbelop_nok;
  std::string grunnbelop_from;
  std::string fribelop_nok;
  std::string fribelop_from;
  int days_billable = 0;
};

// One invoice or credit basis as it falls on one month.
struct ChargeEntry {
  std::string ordrenummer;
  bool credit = false;
  std::int64_t amount_ore = 0;  // signed effect on the month: a credit is negative
  std::optional<BillBasis> bill;
  // The district it was billed to (trace.district of our own bills and corrections); none for
  // other bases (district_split.h says how the recalculation attributes them).
  std::optional<std::string> district;
};

struct MonthCharges {
  std::int64_t charged_ore = 0;
  std::vector<ChargeEntry> entries;
};

struct YearMonth {
  int year = 0;
  unsigned month = 0;
  auto operator<=>(const YearMonth&) const = default;
};

struct ResidentState {
  std::string customer_id;
  bool registered = false;        // customers.customer_registered seen
  std::string customer_district;  // from customers.*
  // Name and postal address from customers.* (the decision letter is addressed with them);
  // empty until registered.
  std::string name;
  std::string street;
  std::string postal_code;
  std::string city;
  std::map<std::string, StayRecord> stays;
  std::vector<std::string> stay_order;  // stay ids in the order they were started
  std::map<int, IncomeYear> income;
  std::map<std::string, IncomeRecord> income_by_event;  // every accepted income report
  std::map<YearMonth, MonthCharges> charged;
  std::set<std::string> ordrenummer;  // every nursing_home basis seen for this customer
  std::vector<Rejection> rejections;
  std::vector<RawEvent> income_events;  // every income report, in fold order (keep_raw_inputs)

  // The district responsible now: the last segment's district of the latest started stay that
  // names one (a move between districts follows the transfer), else the customer's.
  std::string district() const;
  // The district responsible for one segment: its own, else the customer's.
  std::string district_of(const StaySegment& segment) const;
  // Stays as input to calculate_monthly_fees for `year`: every segment that touches the year, and
  // for a stay admitted earlier that year's other segments (the free month needs them).
  std::vector<Stay> stays_for_year(int year) const;
  bool has_stay_in(Date from, Date to) const;
};

// Where a control-recalculation run stands: started, then approved or rejected (once).
enum class RunStatus { started, approved, rejected };
// "started" | "approved" | "rejected" (the projection's rows, snapshots and machine output).
std::string_view to_string(RunStatus status);
std::optional<RunStatus> parse_run_status(std::string_view text);
// Norwegian, for people: "startet" | "godkjent" | "avvist".
std::string_view to_text_no(RunStatus status);

struct RunRecord {
  std::string run_id;
  int year = 0;
  std::string district;  // empty: every district
  std::int64_t as_of_sequence = 0;
  std::string started_by;  // actor identities (common::actor_from_log)
  RunStatus status = RunStatus::started;
  std::string approved_by;
  std::string rejected_by;
  std::string reason;
  std::string report_sha256;
};

struct CareFeesState {
  ParameterStore parameters;  // builtin_parameters() + care_fees.* rules.parameter_set events
  std::map<std::string, ResidentState> residents;
  std::map<std::string, RunRecord> runs;
  std::vector<Rejection> parameter_rejections;
  // The sequence of the last folded event that is not a care_fees.recalculation_* event: a run
  // started now covers the log up to here.
  std::int64_t last_input_sequence = 0;
  // Whether income reports and care_fees.* parameter events are kept as they came, for
  // snapshots (the service sets it; a replay projection does not need them).
  bool keep_raw_inputs = false;
  std::vector<RawEvent> parameter_events;
  Decisions decisions;  // fee decisions and appeals (decisions.h)

  const ResidentState* resident(const std::string& customer_id) const;
  // Every rejection: those recorded while folding and those only visible in the whole state
  // (income for a customer who has no stay: resident_unknown). Sorted by customer and event.
  std::vector<Rejection> all_rejections() const;
  // Years with final income data not yet covered by an approved control recalculation: a run
  // for that year whose as_of_sequence includes the final report, for every district or for
  // each district the resident belonged to any day of the year.
  std::vector<int> due_for_recalculation(const ResidentState& r) const;
};

}  // namespace oppgjor::care_fees
