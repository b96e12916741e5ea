// Monthly fees from stays (see monthly_fees.h). Flow: validate → plan every date of the year to
// one stay → count institution døgn → decide free months → classify each date into a month
// line → price the lines → round cumulatively.
#include "services/care_fees/monthly_fees.h"
#include "common/assert.h"

#include <algorithm>
#include <array>
#include <map>
#include <tuple>
#include <utility>

#include "services/care_fees/due.h"
#include "services/care_fees/errors.h"

namespace oppgjor::care_fees {
namespace {

constexpr std::array<std::pair<StayKind, std::string_view>, 6> stay_names = {{
    {StayKind::respite, "respite"},
    {StayKind::emergency, "emergency"},
    {StayKind::short_term, "short_term"},
    {StayKind::short_term_day, "short_term_day"},
    {StayKind::short_term_night, "short_term_night"},
    {StayKind::long_term, "long_term"},
}};

constexpr std::array<std::pair<LineKind, std::string_view>, 6> line_names = {{
    {LineKind::short_term_rate, "short_term_rate"},
    {LineKind::short_term_after_limit, "short_term_after_limit"},
    {LineKind::short_term_day_night, "short_term_day_night"},
    {LineKind::long_term, "long_term"},
    {LineKind::free_month, "free_month"},
    {LineKind::no_fee, "no_fee"},
}};

bool counts_as_dogn(StayKind k) {
  return k == StayKind::short_term || k == StayKind::long_term;
}

// Index of the stay on each date of `year` (-1: none). Overlaps go to the latest admission.
std::vector<int> day_plan(const std::vector<Stay>& stays, int year) {
  const Date jan1 = Date::ymd(year, 1, 1);
  const Date dec31 = Date::ymd(year, 12, 31);
  std::vector<int> plan(static_cast<std::size_t>(jan1.days_until(dec31) + 1), -1);
  for (std::size_t i = 0; i < stays.size(); ++i) {
    const Stay& s = stays[i];
    const Date from = s.from < jan1 ? jan1 : s.from;
    const Date to = s.to && *s.to < dec31 ? *s.to : dec31;
    for (int k = jan1.days_until(from); k <= jan1.days_until(to); ++k) {
      int& current = plan[static_cast<std::size_t>(k)];
      if (current < 0 || stays[static_cast<std::size_t>(current)].from <= s.from) {
        current = static_cast<int>(i);
      }
    }
  }
  return plan;
}

// Institution døgn counted up to and including each date; `hospital` marks the dates in hospital
// that count (rule option hospital_days_count = on; a date with a stay counts by the stay).
std::vector<int> dogn_counts(const std::vector<int>& plan, const std::vector<Stay>& stays,
                             const std::vector<bool>& hospital = {}) {
  std::vector<int> counts(plan.size(), 0);
  int count = 0;
  for (std::size_t k = 0; k < plan.size(); ++k) {
    const bool stay_dogn =
        plan[k] >= 0 && counts_as_dogn(stays[static_cast<std::size_t>(plan[k])].kind);
    const bool hospital_dogn = plan[k] < 0 && k < hospital.size() && hospital[k];
    if (stay_dogn || hospital_dogn) ++count;
    counts[k] = count;
  }
  return counts;
}

int dogn_before(const std::vector<Stay>& stays, Date date) {
  const std::vector<int> plan = day_plan(stays, date.year());
  const int index = Date::ymd(date.year(), 1, 1).days_until(date);
  return index == 0 ? 0 : dogn_counts(plan, stays)[static_cast<std::size_t>(index - 1)];
}

// "One month counted from the admission date" as the courts count month periods (domstolloven
// § 148): the month ends on the day of the next month with the admission day's number, or on that
// month's last day when it has no such day, and payment starts on that day (admitted 15 March:
// free 15 March–14 April, paid from 15 April; admitted 31 January 2025: paid from 28 February).
Date one_month_after(Date d) {
  int y = d.year();
  unsigned m = d.month() + 1;
  if (m == 13) {
    m = 1;
    ++y;
  }
  const auto last = static_cast<unsigned>(Date::days_in_month(y, m));
  return Date::ymd(y, m, d.day() <= last ? d.day() : last);
}

bool in_any(const std::vector<DatePeriod>& periods, Date d) {
  for (const DatePeriod& p : periods) {
    if (p.from <= d && d <= p.to) return true;
  }
  return false;
}

std::string indexed(std::size_t i, std::string_view member) {
  return "stays[" + std::to_string(i) + "]." + std::string(member);
}

Status validate_periods(const std::vector<DatePeriod>& periods, std::size_t i,
                        std::string_view list) {
  for (std::size_t j = 0; j < periods.size(); ++j) {
    if (periods[j].to < periods[j].from) {
      return make_error(std::string(errc::period_invalid),
                        indexed(i, list) + "[" + std::to_string(j) + "].to",
                        "period ends before it starts");
    }
  }
  return ok_status();
}

Status validate(const MonthlyFeeInput& in) {
  if (in.basis.year != in.year) {
    return make_error(std::string(errc::basis_year_mismatch), "basis.year",
                      "the basis is for another year than the stays");
  }
  for (std::size_t i = 0; i < in.stays.size(); ++i) {
    const Stay& s = in.stays[i];
    if (s.to && *s.to < s.from) {
      return make_error(std::string(errc::stay_dates_invalid), indexed(i, "to"),
                        "discharge before admission");
    }
    if (auto st = validate_periods(s.double_room_against_wish, i, "double_room_against_wish");
        !st) {
      return st;
    }
    if (auto st = validate_periods(s.absences, i, "absences"); !st) return st;
  }
  for (std::size_t j = 0; j < in.hospital_stays.size(); ++j) {
    if (in.hospital_stays[j].to < in.hospital_stays[j].from) {
      return make_error(std::string(errc::period_invalid),
                        "hospital_stays[" + std::to_string(j) + "].to",
                        "period ends before it starts");
    }
  }
  return validate_fee_input(in.basis);
}

struct LineAcc {
  LineKind kind = LineKind::no_fee;
  std::size_t stay = 0;
  bool double_room = false;
  Date first, last;
  int days = 0;
};

struct Context {
  const MonthlyFeeInput& in;
  const ParameterStore& store;
  MonthlyFees& out;
  DatedValue days_max;
  DatedValue day_divisor;
  std::vector<int> plan;
  std::vector<int> counts;
  std::vector<std::optional<Date>> free_until;  // per stay: first billable date
  std::array<std::vector<LineAcc>, 12> lines;
  std::map<std::tuple<bool, std::string, std::string>, std::size_t> variants;
};

}  // namespace

namespace {

int limit_days(const Context& c) {
  return static_cast<int>(c.days_max.value.to_int64());
}

// The stay that `next` continues without a day outside it: it ends on next's first day (a transfer:
// the day belongs to the new segment) or the day before. -1: none.
int predecessor(const std::vector<Stay>& stays, std::size_t next) {
  const Stay& n = stays[next];
  int found = -1;
  for (std::size_t i = 0; i < stays.size(); ++i) {
    const Stay& p = stays[i];
    if (i == next || !p.to || p.from > n.from) continue;
    if (*p.to == n.from || p.to->add_days(1) == n.from) {
      if (found < 0 || stays[static_cast<std::size_t>(found)].from <= p.from) {
        found = static_cast<int>(i);
      }
    }
  }
  return found;
}

// Stay indexes by admission date (then input order): a transfer's free month is decided after
// the segment it continues.
std::vector<std::size_t> by_admission(const std::vector<Stay>& stays) {
  std::vector<std::size_t> order(stays.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&stays](std::size_t a, std::size_t b) {
    return stays[a].from < stays[b].from;
  });
  return order;
}

// A new free month from `s.from` (from home, or from a short stay when the option says so),
// unless the institution døgn earlier that year exceed the limit.
// Døgn counted before `date`: in the fee year from the counts (hospital days included when the
// option says so), in an earlier year from that year's stays.
int dogn_before(const Context& c, Date date) {
  if (date.year() != c.in.year) return dogn_before(c.in.stays, date);
  const int index = Date::ymd(c.in.year, 1, 1).days_until(date);
  return index == 0 ? 0 : c.counts[static_cast<std::size_t>(index - 1)];
}

void start_free_month(Context& c, std::size_t i, std::string_view came_from) {
  const Stay& s = c.in.stays[i];
  const int prior = dogn_before(c, s.from);
  const bool free = prior <= limit_days(c);
  if (free) c.free_until[i] = one_month_after(s.from);
  c.out.trace
      .add("free_month",
           "A long-term stay from home is free for one month counted from the admission date "
           "(domstolloven § 148: payment starts on the same day number next month, or that "
           "month's last day), unless the institution døgn earlier that year exceed the limit.")
      .input("stay_id", s.stay_id)
      .input("admission_date", s.from.to_iso())
      .input("admitted_from", std::string(came_from))
      .input("institution_dogn_before_admission", std::to_string(prior))
      .parameter(param::short_term_days_max, c.days_max)
      .result("free_month", free ? "yes" : "no")
      .result("first_billable_date", free ? c.free_until[i]->to_iso() : s.from.to_iso());
}

// A transfer inside long-term care (room, institution, district) keeps the free month running;
// only leaving long-term care ends it.
void continue_free_month(Context& c, std::size_t i, std::size_t from) {
  c.free_until[i] = c.free_until[from];
  const Stay& s = c.in.stays[i];
  c.out.trace
      .add("free_month",
           "A transfer inside long-term care does not end the free month; only leaving "
           "long-term care does.")
      .input("stay_id", s.stay_id)
      .input("transfer_date", s.from.to_iso())
      .input("institution_id", s.institution_id)
      .input("continues_stay_from", c.in.stays[from].from.to_iso())
      .result("free_month", "continues")
      .result("first_billable_date", c.free_until[i]->to_iso());
}

void short_to_long(Context& c, std::size_t i) {
  if (c.in.basis.options.short_to_long_free_month == ShortToLongFreeMonth::yes) {
    start_free_month(c, i, "short_term");
    return;
  }
  c.out.trace
      .add("free_month",
           "A short stay that turns into long-term care gets no free month (rule option "
           "short_to_long_free_month = no): payment from the first long-term day.")
      .input("stay_id", c.in.stays[i].stay_id)
      .input("admission_date", c.in.stays[i].from.to_iso())
      .input("admitted_from", "short_term")
      .result("free_month", "no")
      .result("first_billable_date", c.in.stays[i].from.to_iso());
}

void decide_free_months(Context& c) {
  const auto& stays = c.in.stays;
  c.free_until.assign(stays.size(), std::nullopt);
  for (const std::size_t i : by_admission(stays)) {
    const Stay& s = stays[i];
    if (s.kind != StayKind::long_term) continue;
    if (s.from_home) {
      start_free_month(c, i, "home");
      continue;
    }
    const int p = predecessor(stays, i);
    if (p < 0) continue;
    const auto prev = static_cast<std::size_t>(p);
    if (stays[prev].kind == StayKind::long_term && c.free_until[prev] &&
        s.from < *c.free_until[prev]) {
      continue_free_month(c, i, prev);
    } else if (stays[prev].kind == StayKind::short_term) {
      short_to_long(c, i);
    }
  }
}

void trace_counts(Context& c) {
  TraceStep& step = c.out.trace.add(
      "institution_dogn",
      "Institution døgn (short_term and long_term, any institution) counted from 1 January; "
      "short-term døgn beyond the limit are charged at the long-term amount per day.");
  step.parameter(param::short_term_days_max, c.days_max);
  const Date jan1 = Date::ymd(c.in.year, 1, 1);
  for (std::size_t k = 0; k < c.counts.size(); ++k) {
    if (c.counts[k] == limit_days(c) + 1) {
      step.result("first_dogn_beyond_limit", jan1.add_days(static_cast<int>(k)).to_iso());
      break;
    }
  }
  c.out.institution_days = c.counts.empty() ? 0 : c.counts.back();
  step.result("institution_dogn_in_year", std::to_string(c.out.institution_days));
}

void trace_absences(Context& c) {
  bool any = false;
  for (const Stay& s : c.in.stays) any = any || !s.absences.empty();
  if (!any) return;
  TraceStep& step =
      c.out.trace.add("absences",
                      "Absences are recorded but do not reduce the fee: no rule was found in the "
                      "regulation or municipal practice (research Q6).");
  for (std::size_t i = 0; i < c.in.stays.size(); ++i) {
    const auto& absences = c.in.stays[i].absences;
    for (std::size_t j = 0; j < absences.size(); ++j) {
      step.input(indexed(i, "absences") + "[" + std::to_string(j) + "]",
                 absences[j].from.to_iso() + ".." + absences[j].to.to_iso());
    }
  }
}

LineKind classify(const Context& c, std::size_t stay, std::size_t k, Date date) {
  const Stay& s = c.in.stays[stay];
  switch (s.kind) {
    case StayKind::respite:
    case StayKind::emergency:
      return LineKind::no_fee;
    case StayKind::short_term_day:
    case StayKind::short_term_night:
      return LineKind::short_term_day_night;
    case StayKind::short_term:
      return c.counts[k] <= limit_days(c) ? LineKind::short_term_rate
                                          : LineKind::short_term_after_limit;
    case StayKind::long_term:
      return c.free_until[stay] && date < *c.free_until[stay] ? LineKind::free_month
                                                              : LineKind::long_term;
  }
  return LineKind::no_fee;
}

void add_day(Context& c, LineKind kind, std::size_t stay, bool double_room, Date date) {
  auto& month_lines = c.lines[date.month() - 1];
  for (LineAcc& line : month_lines) {
    if (line.kind == kind && line.stay == stay && line.double_room == double_room) {
      line.last = date;
      ++line.days;
      return;
    }
  }
  month_lines.push_back(LineAcc{kind, stay, double_room, date, date, 1});
}

void build_lines(Context& c) {
  const Date jan1 = Date::ymd(c.in.year, 1, 1);
  for (std::size_t k = 0; k < c.plan.size(); ++k) {
    if (c.plan[k] < 0) continue;
    const auto stay = static_cast<std::size_t>(c.plan[k]);
    const Date date = jan1.add_days(static_cast<int>(k));
    const Stay& s = c.in.stays[stay];
    const bool double_room =
        c.in.basis.double_room_involuntary || in_any(s.double_room_against_wish, date);
    add_day(c, classify(c, stay, k, date), stay, double_room, date);
  }
}

// The fee_year for a dobbeltrom flag and the stay's institution type, computed once.
Result<Decimal> fee_variant(Context& c, bool double_room, const Stay& s, TraceStep& step) {
  const auto key = std::make_tuple(double_room, s.institution_id, s.institution_type);
  auto it = c.variants.find(key);
  if (it == c.variants.end()) {
    FeeInput variant = c.in.basis;
    variant.double_room_involuntary = double_room;
    if (variant.institution_type.empty() && variant.institution_id.empty()) {
      variant.institution_id = s.institution_id;
      variant.institution_type = s.institution_type;
    }
    auto fee = calculate_long_term_fee(variant, c.store);
    if (!fee) return fee.error();
    c.out.yearly_fees.push_back(std::move(*fee));
    it = c.variants.emplace(key, c.out.yearly_fees.size() - 1).first;
  }
  const YearlyFee& fee = c.out.yearly_fees[it->second];
  step.input("fee_year_nok", amount_string(fee.fee_year_nok))
      .input("fee_year_variant", std::string(double_room ? "dobbeltrom fribeløp" : "fribeløp") +
                                     (s.institution_type.empty() ? "" : ", " + s.institution_type));
  return fee.fee_year_nok;
}

Result<Decimal> short_rate(Context& c, ShortStayKind kind, TraceStep& step) {
  auto state_max = c.store.short_stay_rate(c.in.year, kind);
  if (!state_max) return state_max.error();
  step.parameter(short_stay_parameter(kind), *state_max);
  const auto& municipal = kind == ShortStayKind::dogn ? c.in.municipal_rate_dogn_nok
                                                      : c.in.municipal_rate_day_night_nok;
  if (!municipal) return state_max->value;
  step.input("municipal_rate_nok", amount_string(*municipal));
  return common::min(*municipal, state_max->value);
}

Error divisor_unsupported(std::string_view parameter) {
  return make_error(
      std::string(errc::parameter_invalid), std::string(parameter),
      std::string(parameter) + " gives a divisor this calculation cannot hold exactly");
}

}  // namespace

namespace {

Result<ExactDue> price_rate(Context& c, const LineAcc& acc, MonthLine& line, TraceStep& step) {
  const ShortStayKind kind =
      acc.kind == LineKind::short_term_rate ? ShortStayKind::dogn : ShortStayKind::day_or_night;
  auto rate = short_rate(c, kind, step);
  if (!rate) return rate.error();
  line.formula = amount_string(*rate) + " × " + std::to_string(acc.days);
  return ExactDue::whole(*rate * acc.days);
}

Result<ExactDue> price_long_term(Context& c, const LineAcc& acc, MonthLine& line, TraceStep& step) {
  auto fee = fee_variant(c, acc.double_room, c.in.stays[acc.stay], step);
  if (!fee) return fee.error();
  const std::string fee_text = amount_string(*fee);
  if (acc.kind == LineKind::short_term_after_limit) {
    step.parameter(param::long_term_day_divisor, c.day_divisor);
    const std::int64_t divisor = c.day_divisor.value.to_int64();
    auto due = ExactDue::fraction(*fee, acc.days, 12 * divisor);
    if (!due) return divisor_unsupported(param::long_term_day_divisor);
    line.formula =
        fee_text + " / 12 / " + std::to_string(divisor) + " × " + std::to_string(acc.days);
    return *due;
  }
  const int n = Date::days_in_month(c.in.year, acc.first.month());
  line.formula =
      fee_text + " × " + std::to_string(acc.days) + " / (12 × " + std::to_string(n) + ")";
  return ExactDue::fraction(*fee, acc.days, 12 * n).value();
}

std::string_view line_note(LineKind k) {
  switch (k) {
    case LineKind::short_term_rate:
      return "Short-term døgn within the limit: the day rate.";
    case LineKind::short_term_after_limit:
      return "Short-term døgn beyond the limit: the long-term amount per day, fee_year / 12 / 30.";
    case LineKind::short_term_day_night:
      return "Single day or night stays: the rate per stay.";
    case LineKind::long_term:
      return "Long-term: fee_year / 12 × billable days / days in month.";
    case LineKind::free_month:
      return "Free month after admission from home.";
    case LineKind::no_fee:
      return "Respite and emergency stays carry no fee.";
  }
  return "";
}

Result<ExactDue> price_line(Context& c, const LineAcc& acc, MonthLine& line, TraceStep& step) {
  const Stay& s = c.in.stays[acc.stay];
  line = MonthLine{acc.kind, s.stay_id,       acc.first, acc.last, acc.days,
                   false,    acc.double_room, "0",       Decimal()};
  step.input("stay_id", s.stay_id)
      .input("stay_kind", std::string(stay_kind_name(s.kind)))
      .input("dates", acc.first.to_iso() + ".." + acc.last.to_iso())
      .input("days", std::to_string(acc.days));
  ExactDue due;
  switch (acc.kind) {
    case LineKind::no_fee:
    case LineKind::free_month:
      break;
    case LineKind::short_term_rate:
    case LineKind::short_term_day_night: {
      auto priced = price_rate(c, acc, line, step);
      if (!priced) return priced.error();
      due = *priced;
      line.billable = true;
      break;
    }
    case LineKind::short_term_after_limit:
    case LineKind::long_term: {
      auto priced = price_long_term(c, acc, line, step);
      if (!priced) return priced.error();
      due = *priced;
      line.billable = true;
      break;
    }
  }
  line.due_nok = due.display_nok(2);
  step.result("formula", line.formula).result("due_nok", amount_string(line.due_nok));
  return due;
}

Result<ExactDue> price_month(Context& c, std::size_t m, MonthFee& month) {
  ExactDue month_due;
  for (const LineAcc& acc : c.lines[m]) {
    TraceStep step{
        std::string(line_kind_name(acc.kind)), {}, {}, {}, std::string(line_note(acc.kind))};
    MonthLine line;
    auto due = price_line(c, acc, line, step);
    if (!due) return due.error();
    month_due += *due;
    if (line.billable) month.days_billable += line.days;
    month.lines.push_back(std::move(line));
    month.trace.steps.push_back(std::move(step));
  }
  month.due_nok = month_due.display_nok(2);
  return month_due;
}

void round_months(MonthlyFees& out, const std::vector<ExactDue>& dues) {
  const std::vector<Decimal> charges = cumulative_whole_kroner(dues);
  ExactDue cumulative;
  for (std::size_t m = 0; m < charges.size(); ++m) {
    const Decimal before = cumulative.whole_kroner_half_up();
    cumulative += dues[m];
    MonthFee& month = out.months[m];
    month.amount_nok = charges[m];
    out.total_nok += charges[m];
    month.trace
        .add("cumulative_rounding",
             "Whole kroner, rounded cumulatively: round_half_up(due for months 1..m) − "
             "round_half_up(due for months 1..m−1).")
        .input("due_month_nok", amount_string(month.due_nok))
        .input("due_cumulative_nok", amount_string(cumulative.display_nok(2)))
        .input("rounded_cumulative_before_nok", amount_string(before))
        .input("rounded_cumulative_nok", amount_string(cumulative.whole_kroner_half_up()))
        .result("amount_nok", amount_string(month.amount_nok));
  }
  // The months add up to the rounded total of the year's exact dues, to the krone.
  OPPGJOR_ASSERT(out.total_nok == cumulative.whole_kroner_half_up(),
                 "cumulative rounding disagrees with the rounded total");
}

// The dates of the year in hospital (counted only with the rule option on; traced).
std::vector<bool> hospital_dates(const Context& c) {
  if (c.in.basis.options.hospital_days_count == HospitalDays::off) return {};
  std::vector<bool> out(c.plan.size(), false);
  const Date jan1 = Date::ymd(c.in.year, 1, 1);
  TraceStep& step = c.out.trace.add(
      "hospital_days",
      "Rule option hospital_days_count = on: days in hospital outside the stays count as "
      "institution døgn toward the limit (not billed).");
  int counted = 0;
  for (std::size_t j = 0; j < c.in.hospital_stays.size(); ++j) {
    const DatePeriod& p = c.in.hospital_stays[j];
    step.input("hospital_stays[" + std::to_string(j) + "]", p.from.to_iso() + ".." + p.to.to_iso());
    for (Date d = p.from; d <= p.to; d = d.add_days(1)) {
      const int k = jan1.days_until(d);
      if (k < 0 || k >= static_cast<int>(out.size())) continue;
      if (c.plan[static_cast<std::size_t>(k)] < 0 && !out[static_cast<std::size_t>(k)]) ++counted;
      out[static_cast<std::size_t>(k)] = true;
    }
  }
  step.result("hospital_dogn_counted", std::to_string(counted));
  return out;
}

// Rule option short_stay_departure_day = not_counted: a short_term stay longer than one day ends
// a day earlier (its day of departure is neither billed nor counted).
MonthlyFeeInput with_departure_rule(const MonthlyFeeInput& in, Trace& trace) {
  MonthlyFeeInput out = in;
  if (in.basis.options.short_stay_departure_day == DepartureDay::counts) return out;
  TraceStep& step = trace.add("short_stay_departure_day",
                              "Rule option short_stay_departure_day = not_counted: the day a "
                              "short stay ends is not a døgn (neither billed nor counted).");
  for (std::size_t i = 0; i < out.stays.size(); ++i) {
    Stay& s = out.stays[i];
    if (s.kind != StayKind::short_term || !s.to || !(s.from < *s.to)) continue;
    step.input(indexed(i, "to"), s.to->to_iso() + " (not a døgn)");
    s.to = s.to->add_days(-1);
  }
  return out;
}

Status load_limits(Context& c) {
  auto days_max = c.store.value_for_year(param::short_term_days_max, c.in.year);
  if (!days_max) return days_max.error();
  auto divisor = c.store.value_for_year(param::long_term_day_divisor, c.in.year);
  if (!divisor) return divisor.error();
  c.days_max = *days_max;
  c.day_divisor = *divisor;
  return ok_status();
}

}  // namespace

std::string_view stay_kind_name(StayKind kind) {
  for (const auto& [k, name] : stay_names) {
    if (k == kind) return name;
  }
  return "?";
}

std::optional<StayKind> parse_stay_kind(std::string_view name) {
  for (const auto& [k, n] : stay_names) {
    if (n == name) return k;
  }
  return std::nullopt;
}

std::string_view line_kind_name(LineKind kind) {
  for (const auto& [k, name] : line_names) {
    if (k == kind) return name;
  }
  return "?";
}

std::optional<LineKind> parse_line_kind(std::string_view name) {
  for (const auto& [k, n] : line_names) {
    if (n == name) return k;
  }
  return std::nullopt;
}

Result<MonthlyFees> calculate_monthly_fees(const MonthlyFeeInput& in, const ParameterStore& store) {
  if (auto s = validate(in); !s) return s.error();
  MonthlyFees out;
  out.year = in.year;
  out.trace.rule_version = store.rule_version();
  out.trace.calculation_version = "monthly_fees.v1";
  out.trace.options = rule_option_items(in.basis.options);
  const MonthlyFeeInput planned = with_departure_rule(in, out.trace);
  Context c{planned, store, out, {}, {}, day_plan(planned.stays, in.year), {}, {}, {}, {}};
  if (auto s = load_limits(c); !s) return s.error();
  c.counts = dogn_counts(c.plan, planned.stays, hospital_dates(c));
  trace_counts(c);
  decide_free_months(c);
  trace_absences(c);
  build_lines(c);
  std::vector<ExactDue> dues;
  for (unsigned m = 1; m <= 12; ++m) {
    MonthFee month;
    month.year = in.year;
    month.month = m;
    month.trace.rule_version = out.trace.rule_version;
    month.trace.calculation_version = out.trace.calculation_version;
    month.trace.options = out.trace.options;
    auto due = price_month(c, m - 1, month);
    if (!due) return due.error();
    dues.push_back(*due);
    out.months.push_back(std::move(month));
  }
  round_months(out, dues);
  return out;
}

}  // namespace oppgjor::care_fees
