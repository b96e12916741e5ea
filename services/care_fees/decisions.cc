// Fee decisions and appeals (decisions.h).
#include "services/care_fees/decisions.h"

#include <algorithm>

#include "common/actor.h"
#include "common/calendar.h"
#include "events/canonical_json.h"
#include "events/json_fields.h"
#include "services/care_fees/errors.h"
#include "services/care_fees/resident_fees.h"
#include "services/care_fees/trace.h"
#include "services/runtime/commands.h"

namespace oppgjor::care_fees {
namespace {

using events::CanonicalWriter;
using events::EngineEvent;
using Events = std::vector<EngineEvent>;

constexpr std::string_view service = "care_fees";

std::optional<Date> date_of(std::string_view text) {
  if (text.size() < 10) return std::nullopt;
  auto d = Date::parse(text.substr(0, 10));
  if (!d) return std::nullopt;
  return *d;
}

Events refuse(const events::EventView& e, std::string_view code, std::string field,
              std::string message) {
  return {runtime::refused_event(
      service, e, make_error(std::string(code), std::move(field), std::move(message)))};
}

const TraceParameter* last_parameter(const YearlyFee& fee, std::string_view name) {
  const TraceParameter* out = nullptr;
  for (const TraceStep& s : fee.trace.steps) {
    for (const TraceParameter& p : s.parameters) {
      if (p.name == name) out = &p;
    }
  }
  return out;
}

// Everything a decision_made payload is written from.
struct Draft {
  DecisionKind kind = DecisionKind::provisional_fee;
  std::string decision_id;
  std::string customer_id;
  int year = 0;
  Date decided_on;
  Date effective_from;
  std::string decided_by;
  std::string previous_decision_id;
  const YearlyFee* fee = nullptr;        // fee decisions
  const IncomeRecord* income = nullptr;  // fee decisions
  std::optional<std::int64_t> correction_ore;
  std::string run_id;
  // appeal_decision
  const DecisionRecord* appealed = nullptr;
  const AppealRecord* appeal = nullptr;
  std::string outcome;
  std::string outcome_reason;
  std::optional<Decimal> monthly_override_nok;
};

void write_basis(CanonicalWriter& w, const IncomeRecord* income) {
  w.key("basis");
  w.begin_object();
  w.key("deductions");
  w.begin_array();
  if (income != nullptr) {
    for (const DeductionItem& d : income->basis.deductions) {
      w.begin_object();
      w.field("amount_nok", amount_string(d.amount_nok));
      w.key("joint");
      w.bool_value(d.joint);
      w.field("kind", deduction_kind_name(d.kind));
      w.end_object();
    }
  }
  w.end_array();
  w.key("discretionary_deductions");
  w.begin_array();
  if (income != nullptr) {
    for (const DiscretionaryDeduction& d : income->basis.discretionary_deductions) {
      w.begin_object();
      w.field("amount_nok", amount_string(d.amount_nok));
      w.field("reason", d.reason);
      w.end_object();
    }
  }
  w.end_array();
  w.key("income");
  w.begin_array();
  if (income != nullptr) {
    for (const IncomeItem& i : income->basis.income) {
      w.begin_object();
      w.field("amount_nok", amount_string(i.amount_nok));
      w.key("joint");
      w.bool_value(i.joint);
      w.field("kind", income_kind_name(i.kind));
      w.end_object();
    }
  }
  w.end_array();
  w.field("income_event_id", income ? income->event_id : "");
  w.field("income_status", income ? to_string(income->status) : "none");
  w.end_object();
}

void write_item_list(CanonicalWriter& w, std::string_view key,
                     const std::vector<TraceItem>& items) {
  w.key(key);
  w.begin_array();
  for (const TraceItem& i : items) {
    w.begin_object();
    w.field("name", i.name);
    w.field("value", i.value);
    w.end_object();
  }
  w.end_array();
}

void write_calculation(CanonicalWriter& w, const YearlyFee& fee) {
  const TraceParameter* g = last_parameter(fee, param::grunnbelop);
  const TraceParameter* f = last_parameter(fee, param::fribelop);
  if (f == nullptr) f = last_parameter(fee, param::fribelop_double_room);
  w.key("calculation");
  w.begin_object();
  w.field("basis_nok", amount_string(fee.basis_nok));
  w.key("cost_cap_year_nok");
  if (fee.cost_cap_year_nok) {
    w.string_value(amount_string(*fee.cost_cap_year_nok));
  } else {
    w.null_value();
  }
  w.field("fee_floor_nok", amount_string(fee.fee_floor_nok));
  w.field("fee_month_nok", amount_string(fee.fee_month_nok));
  w.field("fee_raw_nok", amount_string(fee.fee_raw_nok));
  w.field("fee_year_nok", amount_string(fee.fee_year_nok));
  w.field("fribelop_from", f ? f->effective_from : "");
  w.field("fribelop_nok", amount_string(fee.fribelop_nok));
  w.field("grunnbelop_from", g ? g->effective_from : "");
  w.field("grunnbelop_nok", amount_string(fee.grunnbelop_nok));
  w.field("keep_nok", amount_string(fee.keep_nok));
  w.field("rule_version", fee.trace.rule_version);
  w.key("steps");
  w.begin_array();
  for (const TraceStep& s : fee.trace.steps) {
    w.begin_object();
    w.field("name", s.name);
    w.field("note", s.note);
    write_item_list(w, "results", s.results);
    w.end_object();
  }
  w.end_array();
  w.end_object();
}

void write_appeal_right(CanonicalWriter& w) {
  w.key("appeal");
  w.begin_object();
  w.field("appeal_to", appeal_body_no());
  w.field("deadline_rule",
          "forvaltningsloven § 29 første ledd; fristen regnes etter domstolloven §§ 148–149");
  w.field_int("deadline_weeks", appeal_deadline_weeks);
  w.field("send_to", appeal_send_to_no());
  w.end_object();
}

void write_legal_basis(CanonicalWriter& w, DecisionKind kind) {
  w.key("legal_basis");
  w.begin_array();
  for (const LegalReference& l : legal_basis(kind)) {
    w.begin_object();
    w.field("reference", l.reference);
    w.field("text", l.text_no);
    w.end_object();
  }
  w.end_array();
}

// The `key` member of a decision payload as JSON text ("" when absent).
std::string member_json(const std::string& payload, std::string_view key) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(payload).get(root) != simdjson::SUCCESS) return {};
  simdjson::dom::element v;
  if (root[key].get(v) != simdjson::SUCCESS) return {};
  return simdjson::minify(v);
}

std::string decision_payload(const Draft& d) {
  Decimal fee_year;
  Decimal monthly;
  if (d.fee != nullptr) {
    fee_year = d.fee->fee_year_nok;
    monthly = d.fee->fee_month_nok;
  } else if (d.appealed != nullptr) {
    fee_year = d.appealed->fee_year_nok;
    monthly = d.appealed->monthly_amount_nok;
  }
  if (d.monthly_override_nok) {
    monthly = *d.monthly_override_nok;
    fee_year = monthly * 12;
  }
  std::string out;
  CanonicalWriter w(out);
  w.begin_object();
  write_appeal_right(w);
  if (d.appeal != nullptr) w.field("appeal_id", d.appeal->appeal_id);
  if (d.appealed != nullptr) w.field("appealed_decision_id", d.appealed->decision_id);
  if (d.fee != nullptr) {
    write_basis(w, d.income);
    write_calculation(w, *d.fee);
  } else if (d.appealed != nullptr) {
    // The appeal decision rests on the facts and the calculation of the appealed decision.
    const std::string basis = member_json(d.appealed->payload, "basis");
    const std::string calculation = member_json(d.appealed->payload, "calculation");
    w.key("basis");
    w.raw_value(basis.empty() ? "{}" : basis);
    w.key("calculation");
    w.raw_value(calculation.empty() ? "{}" : calculation);
  }
  if (d.correction_ore) w.field_int("correction_ore", *d.correction_ore);
  w.field("customer_id", d.customer_id);
  w.field("decided_by", d.decided_by);
  w.field("decided_on", d.decided_on.to_iso());
  w.field("decision_id", d.decision_id);
  w.field("effective_from", d.effective_from.to_iso());
  w.field("fee_year_nok", amount_string(fee_year));
  w.field("kind", to_string(d.kind));
  write_legal_basis(w, d.kind);
  w.field("monthly_amount_nok", amount_string(monthly));
  if (!d.outcome.empty()) {
    w.field("outcome", d.outcome);
    w.field("outcome_reason", d.outcome_reason);
  }
  w.key("previous_decision_id");
  if (d.previous_decision_id.empty()) {
    w.null_value();
  } else {
    w.string_value(d.previous_decision_id);
  }
  if (!d.run_id.empty()) w.field("run_id", d.run_id);
  w.field_int("year", d.year);
  w.end_object();
  return out;
}

EngineEvent output(std::string_view type, const std::string& customer_id, Date on,
                   std::string payload) {
  EngineEvent e;
  e.type = std::string(type);
  e.stream = bill_stream(customer_id);
  e.occurred_at = on.to_iso();
  e.payload_json = std::move(payload);
  return e;
}

EngineEvent decision_event(const Draft& d) {
  return output(decision_made_type, d.customer_id, d.decided_on, decision_payload(d));
}

const IncomeRecord* income_by_id(const ResidentState& r, const std::string& event_id) {
  const auto it = r.income_by_event.find(event_id);
  return it == r.income_by_event.end() ? nullptr : &it->second;
}

std::string decision_no(const std::string& id) {
  return "vedtak " + id;
}

}  // namespace

std::string_view to_string(DecisionKind kind) {
  switch (kind) {
    case DecisionKind::provisional_fee:
      return "provisional_fee";
    case DecisionKind::fee_changed:
      return "fee_changed";
    case DecisionKind::recalculation_correction:
      return "recalculation_correction";
    case DecisionKind::appeal_decision:
      return "appeal_decision";
  }
  return "provisional_fee";
}

std::optional<DecisionKind> parse_decision_kind(std::string_view text) {
  for (DecisionKind k : {DecisionKind::provisional_fee, DecisionKind::fee_changed,
                         DecisionKind::recalculation_correction, DecisionKind::appeal_decision}) {
    if (to_string(k) == text) return k;
  }
  return std::nullopt;
}

Date appeal_deadline(Date delivered_on) {
  // domstolloven § 148 second paragraph: a time limit in weeks ends on the same weekday;
  // § 149 first paragraph: a Saturday, Sunday or public holiday moves it to the next such day.
  return common::next_business_day_on_or_after(delivered_on.add_days(7 * appeal_deadline_weeks));
}

std::vector<LegalReference> legal_basis(DecisionKind kind) {
  std::vector<LegalReference> out = {
      {"helse- og omsorgstjenesteloven § 11-2",
       "kommunen kan kreve egenandel for helse- og omsorgstjenester etter forskrift"},
      {"forskrift om egenandel for kommunale helse- og omsorgstjenester (FOR-2011-12-16-1349) "
       "§ 3",
       "vederlag for langtidsopphold i institusjon beregnet etter inntekt: 75 % av inntekten opp "
       "til folketrygdens grunnbeløp etter fradrag av fribeløpet, 85 % av inntekten over "
       "grunnbeløpet; beregningsgrunnlaget er inntekten etter fradrag av skatt og gjeldsrenter"},
  };
  if (kind == DecisionKind::recalculation_correction) {
    out.push_back({"forskrift om egenandel § 3 (kontrollberegning)",
                   "vederlaget for året er beregnet på nytt med det endelige skatteoppgjøret; "
                   "forskjellen mot det som er fakturert blir tilbakebetalt eller etterfakturert"});
  }
  if (kind == DecisionKind::appeal_decision) {
    out.push_back({"forvaltningsloven §§ 33–34",
                   "klageinstansen kan prøve alle sider av saken og ta hensyn til nye "
                   "opplysninger"});
    out.push_back(
        {"forvaltningsloven § 28 tredje ledd", "vedtak i klagesak kan ikke påklages videre"});
  } else {
    out.push_back({"forvaltningsloven §§ 28–29",
                   "vedtaket kan påklages innen tre uker fra det kom fram til deg"});
  }
  return out;
}

std::string appeal_body_no() {
  return "kommunens klagenemnd (forvaltningsloven § 28 andre ledd)";
}

std::string appeal_send_to_no() {
  return "enheten som traff vedtaket (forvaltningsloven § 32 første ledd bokstav a)";
}

const DecisionRecord* latest_decision(const CareFeesState& state, const std::string& customer_id,
                                      int year) {
  const auto it = state.decisions.by_resident_year.find({customer_id, year});
  if (it == state.decisions.by_resident_year.end() || it->second.empty()) return nullptr;
  const auto d = state.decisions.by_id.find(it->second.back());
  return d == state.decisions.by_id.end() ? nullptr : &d->second;
}

std::string next_decision_id(const CareFeesState& state, const std::string& customer_id, int year) {
  const auto it = state.decisions.by_resident_year.find({customer_id, year});
  const std::size_t n = it == state.decisions.by_resident_year.end() ? 0 : it->second.size();
  return "V-" + std::to_string(year) + "-" + customer_id + "-" + std::to_string(n + 1);
}

Events billing_decisions(const CareFeesState& state, const BillingPlan& plan,
                         const BillingRequest& request, Date decided_on) {
  Events out;
  for (const BillOutcome& o : plan.outcomes) {
    if (o.kind != BillOutcome::Kind::billed || !o.yearly_fee) continue;
    const ResidentState* r = state.resident(o.customer_id);
    if (r == nullptr) continue;
    const DecisionRecord* last = latest_decision(state, o.customer_id, request.year);
    if (last != nullptr && last->fee_year_nok == o.yearly_fee->fee_year_nok) continue;
    Draft d;
    d.kind = last == nullptr ? DecisionKind::provisional_fee : DecisionKind::fee_changed;
    d.decision_id = next_decision_id(state, o.customer_id, request.year);
    d.customer_id = o.customer_id;
    d.year = request.year;
    d.decided_on = decided_on;
    d.effective_from = Date::ymd(request.year, request.month, 1);
    d.decided_by = request.actor;
    d.previous_decision_id = last ? last->decision_id : "";
    d.fee = &*o.yearly_fee;
    d.income = income_by_id(*r, o.income_event_id);
    out.push_back(decision_event(d));
  }
  return out;
}

Events correction_decisions(const CareFeesState& state, const RecalcReport& report,
                            const std::string& approved_by, Date decided_on) {
  Events out;
  const int year = report.run.year;
  for (const ResidentReport& rr : report.residents) {
    if (rr.difference_ore() == 0) continue;
    const ResidentState* r = state.resident(rr.customer_id);
    if (r == nullptr) continue;
    const IncomeRecord* final_income = income_by_id(*r, rr.final_income_event_id);
    if (final_income == nullptr) continue;
    auto fees = resident_fees(*r, year, &final_income->basis, state.parameters);
    if (!fees || fees->yearly_fees.empty()) continue;
    const DecisionRecord* last = latest_decision(state, rr.customer_id, year);
    Draft d;
    d.kind = DecisionKind::recalculation_correction;
    d.decision_id = next_decision_id(state, rr.customer_id, year);
    d.customer_id = rr.customer_id;
    d.year = year;
    d.decided_on = decided_on;
    d.effective_from = Date::ymd(year, 1, 1);
    d.decided_by = approved_by;
    d.previous_decision_id = last ? last->decision_id : "";
    d.fee = &fees->yearly_fees.front();
    d.income = final_income;
    d.correction_ore = rr.difference_ore();
    d.run_id = report.run.run_id;
    out.push_back(decision_event(d));
  }
  return out;
}

Events decide_delivery(const CareFeesState& state, const events::EventView& e,
                       simdjson::dom::element p) {
  const std::string id = events::text_or(p, "decision_id");
  const auto it = state.decisions.by_id.find(id);
  if (it == state.decisions.by_id.end()) {
    return refuse(e, errc::decision_unknown, "decision_id", "ingen vedtak med id " + id);
  }
  const DecisionRecord& d = it->second;
  const auto on = date_of(events::text_or(p, "delivered_on"));
  if (!on) return refuse(e, errc::date_invalid, "delivered_on", "ugyldig dato (ÅÅÅÅ-MM-DD)");
  runtime::Completion c;
  c.refs = {{"decision_id", id}};
  if (d.delivered_on) {
    if (*d.delivered_on != *on) {
      return refuse(e, errc::already_delivered, "delivered_on",
                    decision_no(id) + " kom fram " + d.delivered_on->to_norwegian() +
                        "; det er allerede registrert");
    }
    c.counts["already_recorded"] = 1;
    c.refs["appeal_deadline"] = d.appeal_deadline->to_iso();
    c.note = decision_no(id) + ": allerede registrert; ingenting lagt til";
    return {runtime::completed_event(service, e, c)};
  }
  const Date deadline = appeal_deadline(*on);
  std::string payload;
  CanonicalWriter w(payload);
  w.begin_object();
  w.field("appeal_deadline", deadline.to_iso());
  w.field("customer_id", d.customer_id);
  w.field("decision_id", id);
  w.field("delivered_on", on->to_iso());
  w.field("recorded_by", std::string(e.actor));
  w.end_object();
  c.counts["recorded"] = 1;
  c.refs["appeal_deadline"] = deadline.to_iso();
  c.note = "Vedtak " + id + " kom fram " + on->to_norwegian() + "; klagefristen går ut " +
           deadline.to_norwegian() + ".";
  return {output(decision_delivered_type, d.customer_id, *on, std::move(payload)),
          runtime::completed_event(service, e, c)};
}

Events decide_appeal(const CareFeesState& state, const events::EventView& e,
                     simdjson::dom::element p) {
  const std::string id = events::text_or(p, "decision_id");
  const auto it = state.decisions.by_id.find(id);
  if (it == state.decisions.by_id.end()) {
    return refuse(e, errc::decision_unknown, "decision_id", "ingen vedtak med id " + id);
  }
  const DecisionRecord& d = it->second;
  if (d.kind == DecisionKind::appeal_decision) {
    return refuse(e, errc::decision_final, "decision_id",
                  decision_no(id) +
                      " er et vedtak i en klagesak og kan ikke påklages "
                      "(forvaltningsloven § 28 tredje ledd)");
  }
  for (const std::string& a : d.appeal_ids) {
    const auto open = state.decisions.appeals.find(a);
    if (open != state.decisions.appeals.end() && open->second.open()) {
      return refuse(e, errc::appeal_open, "decision_id",
                    decision_no(id) + " har allerede en åpen klage: " + a);
    }
  }
  const auto received = date_of(events::text_or(p, "received_on"));
  if (!received) return refuse(e, errc::date_invalid, "received_on", "ugyldig dato (ÅÅÅÅ-MM-DD)");
  const std::string reason = events::text_or(p, "reason");
  if (reason.empty()) return refuse(e, errc::reason_missing, "reason", "oppgi hva klagen gjelder");
  std::optional<Decimal> disputed;
  if (const std::string a = events::text_or(p, "disputed_amount"); !a.empty()) {
    auto ore = common::parse_ore(a, "disputed_amount");
    if (!ore || *ore <= 0) {
      return refuse(e, errc::amount_invalid, "disputed_amount",
                    "omtvistet beløp må være et positivt beløp i kroner med høyst to desimaler");
    }
    disputed = Decimal::from_ore(*ore);
  }
  const bool late = d.appeal_deadline && *received > *d.appeal_deadline;
  const std::string appeal_id = "K-" + id.substr(2) + "-" + std::to_string(d.appeal_ids.size() + 1);
  std::string payload;
  CanonicalWriter w(payload);
  w.begin_object();
  w.key("appeal_deadline");
  if (d.appeal_deadline) {
    w.string_value(d.appeal_deadline->to_iso());
  } else {
    w.null_value();
  }
  w.field("appeal_id", appeal_id);
  w.field("customer_id", d.customer_id);
  w.field("decision_id", id);
  w.key("disputed_amount_nok");
  if (disputed) {
    w.string_value(amount_string(*disputed));
  } else {
    w.null_value();
  }
  w.key("late");
  w.bool_value(late);
  w.field("reason", reason);
  w.field("received_on", received->to_iso());
  w.field("registered_by", std::string(e.actor));
  w.field_int("year", d.year);
  w.end_object();
  runtime::Completion c;
  c.counts = {{"registered", 1}, {"late", late ? 1 : 0}};
  c.refs = {{"appeal_id", appeal_id}, {"decision_id", id}};
  c.note = "Klage " + appeal_id + " på " + decision_no(id) + " registrert (mottatt " +
           received->to_norwegian() + ", " +
           (d.appeal_deadline ? (late ? "etter klagefristen " : "innen klagefristen ") +
                                    d.appeal_deadline->to_norwegian()
                              : std::string("klagefristen er ukjent: vedtaket er ikke registrert "
                                            "som mottatt")) +
           "). Innkrevingen av vederlaget for " + std::to_string(d.year) +
           " stanses til klagen er avgjort." +
           (late ? " Klagen kom for sent; klageinstansen kan likevel ta den under behandling "
                   "(forvaltningsloven § 31)."
                 : "");
  return {output(appeal_registered_type, d.customer_id, *received, std::move(payload)),
          runtime::completed_event(service, e, c)};
}

Events decide_appeal_decision(const CareFeesState& state, const events::EventView& e,
                              simdjson::dom::element p) {
  const std::string appeal_id = events::text_or(p, "appeal_id");
  const auto a = state.decisions.appeals.find(appeal_id);
  if (a == state.decisions.appeals.end()) {
    return refuse(e, errc::appeal_unknown, "appeal_id", "ingen klage med id " + appeal_id);
  }
  const AppealRecord& appeal = a->second;
  if (!appeal.open()) {
    return refuse(e, errc::appeal_closed, "appeal_id",
                  "klage " + appeal_id + " er allerede avgjort i " + appeal.decided_by_decision);
  }
  const auto d = state.decisions.by_id.find(appeal.decision_id);
  if (d == state.decisions.by_id.end()) {
    return refuse(e, errc::decision_unknown, "appeal_id",
                  "vedtaket " + appeal.decision_id + " som klagen gjelder finnes ikke");
  }
  const std::string outcome = events::text_or(p, "outcome");
  if (outcome != "upheld" && outcome != "changed" && outcome != "dismissed") {
    return refuse(e, errc::outcome_invalid, "outcome",
                  "utfallet må være upheld, changed eller dismissed");
  }
  const std::string reason = events::text_or(p, "reason");
  if (reason.empty()) return refuse(e, errc::reason_missing, "reason", "oppgi en begrunnelse");
  std::optional<Decimal> monthly;
  const std::string amount = events::text_or(p, "monthly_amount");
  if (outcome == "changed") {
    if (amount.empty()) {
      return refuse(e, errc::amount_missing, "monthly_amount",
                    "et endret vedtak trenger nytt vederlag per måned (--monthly-amount)");
    }
    auto ore = common::parse_ore(amount, "monthly_amount");
    if (!ore || *ore < 0) {
      return refuse(e, errc::amount_invalid, "monthly_amount",
                    "vederlag per måned må være et beløp i kroner med høyst to desimaler");
    }
    monthly = Decimal::from_ore(*ore);
  }
  if (common::same_actor(e.actor, d->second.decided_by)) {
    return refuse(e, errc::maker_is_checker, "actor",
                  std::string(e.actor) + " traff vedtaket " + d->second.decision_id +
                      "; en annen må avgjøre klagen");
  }
  Draft draft;
  draft.kind = DecisionKind::appeal_decision;
  draft.decision_id = next_decision_id(state, appeal.customer_id, appeal.year);
  draft.customer_id = appeal.customer_id;
  draft.year = appeal.year;
  draft.decided_on = runtime::business_date(e, appeal.received_on);
  if (const auto on = date_of(events::text_or(p, "decided_on"))) draft.decided_on = *on;
  // The appeal decision applies from where the appealed one did ("\"2025-01-01\"" as JSON).
  const std::string from = member_json(d->second.payload, "effective_from");
  draft.effective_from = date_of(from.size() > 1 ? std::string_view(from).substr(1) : "")
                             .value_or(Date::ymd(appeal.year, 1, 1));
  draft.decided_by = std::string(e.actor);
  const DecisionRecord* last = latest_decision(state, appeal.customer_id, appeal.year);
  draft.previous_decision_id = last ? last->decision_id : "";
  draft.appealed = &d->second;
  draft.appeal = &appeal;
  draft.outcome = outcome;
  draft.outcome_reason = reason;
  draft.monthly_override_nok = monthly;
  runtime::Completion c;
  c.counts = {{"decided", 1}};
  c.refs = {{"appeal_id", appeal_id}, {"decision_id", draft.decision_id}};
  const std::string said = outcome == "upheld"    ? "vedtaket opprettholdes"
                           : outcome == "changed" ? "vedtaket endres"
                                                  : "klagen avvises";
  c.note = "Klage " + appeal_id + " avgjort: " + said + ". Nytt vedtak " + draft.decision_id +
           "; innkrevingen fortsetter.";
  return {decision_event(draft), runtime::completed_event(service, e, c)};
}

namespace fold {

namespace {

void record_decision(CareFeesState& s, const EventRef& e, Payload p, const std::string& json) {
  DecisionRecord d;
  d.decision_id = events::text_or(p, "decision_id");
  d.event_id = std::string(e.event_id);
  d.kind = parse_decision_kind(events::text_or(p, "kind")).value_or(DecisionKind::provisional_fee);
  d.customer_id = events::text_or(p, "customer_id");
  std::int64_t year = 0;
  if (p["year"].get(year) != simdjson::SUCCESS) year = 0;
  d.year = static_cast<int>(year);
  d.decided_on = date_of(events::text_or(p, "decided_on")).value_or(Date::ymd(2000, 1, 1));
  d.decided_by = events::text_or(p, "decided_by");
  if (auto v = Decimal::parse(events::text_or(p, "fee_year_nok"))) d.fee_year_nok = *v;
  if (auto v = Decimal::parse(events::text_or(p, "monthly_amount_nok"))) d.monthly_amount_nok = *v;
  d.appealed_decision_id = events::text_or(p, "appealed_decision_id");
  d.appeal_id = events::text_or(p, "appeal_id");
  d.outcome = events::text_or(p, "outcome");
  d.payload = json;
  if (!d.appeal_id.empty()) {
    const auto a = s.decisions.appeals.find(d.appeal_id);
    if (a != s.decisions.appeals.end()) {
      a->second.decided_by_decision = d.decision_id;
      a->second.outcome = d.outcome;
    }
  }
  s.decisions.by_resident_year[{d.customer_id, d.year}].push_back(d.decision_id);
  const std::string id = d.decision_id;
  s.decisions.by_id[id] = std::move(d);
}

}  // namespace

void decision_event(CareFeesState& s, const EventRef& e, Payload p) {
  const std::string json = simdjson::minify(p);
  s.decisions.events.push_back(DecisionEvent{std::string(e.event_id), std::string(e.type),
                                             std::string(e.occurred_at), e.sequence, json});
  if (e.type == decision_made_type) {
    record_decision(s, e, p, json);
    return;
  }
  const auto d = s.decisions.by_id.find(events::text_or(p, "decision_id"));
  if (d == s.decisions.by_id.end()) return;  // our own outputs always name a known decision
  if (e.type == decision_delivered_type) {
    d->second.delivered_on = date_of(events::text_or(p, "delivered_on"));
    d->second.appeal_deadline = date_of(events::text_or(p, "appeal_deadline"));
    return;
  }
  AppealRecord a;
  a.appeal_id = events::text_or(p, "appeal_id");
  a.decision_id = d->second.decision_id;
  a.customer_id = d->second.customer_id;
  a.year = d->second.year;
  a.received_on = date_of(events::text_or(p, "received_on")).value_or(d->second.decided_on);
  bool late = false;
  if (p["late"].get(late) != simdjson::SUCCESS) late = false;
  a.late = late;
  a.registered_by = events::text_or(p, "registered_by");
  a.reason = events::text_or(p, "reason");
  if (auto amount = Decimal::parse(events::text_or(p, "disputed_amount_nok")); amount) {
    a.disputed_amount_nok = *amount;
  }
  d->second.appeal_ids.push_back(a.appeal_id);
  const std::string id = a.appeal_id;
  s.decisions.appeals[id] = std::move(a);
}

}  // namespace fold

}  // namespace oppgjor::care_fees
