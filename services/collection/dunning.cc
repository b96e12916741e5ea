// Dunning rules (dunning.h).
#include "services/collection/dunning.h"

#include <algorithm>
#include <optional>

#include "common/ore_format.h"
#include "services/collection/interest.h"

namespace oppgjor::collection {

namespace {

Error refuse(std::string code, std::string message) {
  return make_error(std::move(code), "kind", std::move(message));
}

bool missed_deadline(const StepTaken& s, Date on) {
  return s.sent.days_until(s.deadline) >= legal_deadline_days && on > s.deadline;
}

std::string consequences(NoticeKind kind, Track track) {
  std::string interest =
      "Det påløper forsinkelsesrente etter forsinkelsesrenteloven fra dagen etter forfall til "
      "betaling skjer. ";
  switch (kind) {
    case NoticeKind::reminder:
      return interest +
             "Betales ikke kravet innen fristen, kan det bli sendt ny purring eller inkassovarsel, "
             "med gebyr etter inkassoforskriften § 1-2.";
    case NoticeKind::collection_notice:
      return interest +
             "Dette er et inkassovarsel etter inkassoloven § 9. Betales ikke kravet innen fristen, "
             "vil det bli sendt betalingsoppfordring og kravet kan bli inndrevet med ytterligere "
             "kostnader for deg.";
    case NoticeKind::payment_demand:
      if (track == Track::enforcement) {
        return interest +
               "Dette er en betalingsoppfordring etter inkassoloven § 10. Betales ikke kravet "
               "eller kommer du ikke med innsigelser innen fristen, vil kommunen inndrive kravet "
               "ved tvangsinnfordring (utleggstrekk eller motregning) med ytterligere kostnader.";
      }
      return interest +
             "Dette er en betalingsoppfordring etter inkassoloven § 10. Betales ikke kravet eller "
             "kommer du ikke med innsigelser innen fristen, kan kravet bli sendt til rettslig "
             "inndriving (forliksrådet) med ytterligere kostnader for deg.";
  }
  return interest;
}

void merge(InterestCharge& into, const LateInterest& part) {
  into.interest_ore += part.interest_ore;
  for (const auto& p : part.periods) {
    InterestPeriodRow row;
    row.from = p.from;
    row.to = p.to;
    row.days = p.days;
    row.year_days = p.year_days;
    row.rate_pct = p.rate_pct.to_string(2);
    row.amount_ore = p.amount_ore;
    into.periods.push_back(std::move(row));
  }
}

}  // namespace

std::string claim_type_text(std::string_view t) {
  if (t == "kindergarten") return "barnehage";
  if (t == "after_school") return "aktivitetsskolen (AKS)";
  if (t == "home_care") return "hjemmetjenester";
  if (t == "nursing_home") return "vederlag for opphold i sykehjem";
  if (t == "municipal_fees") return "kommunale gebyrer";
  if (t == "property_tax") return "eiendomsskatt";
  if (t == "rent") return "husleie";
  return "annet krav";
}

std::string notice_kind_text(NoticeKind kind) {
  switch (kind) {
    case NoticeKind::reminder:
      return "Purring";
    case NoticeKind::collection_notice:
      return "Inkassovarsel";
    case NoticeKind::payment_demand:
      return "Betalingsoppfordring";
  }
  return "Purring";
}

Status legal_check(const Claim& c, NoticeKind kind, int deadline_days, Date on) {
  int reminders = 0;
  int notices = 0;
  int demands = 0;
  const StepTaken* first_reminder = nullptr;
  for (const auto& s : c.steps) {
    if (s.kind == NoticeKind::reminder) {
      if (first_reminder == nullptr) first_reminder = &s;
      ++reminders;
    }
    if (s.kind == NoticeKind::collection_notice) ++notices;
    if (s.kind == NoticeKind::payment_demand) ++demands;
  }
  const bool early = on < c.due_date.add_days(legal_days_after_due);
  switch (kind) {
    case NoticeKind::reminder:
      if (early) {
        return refuse("too_early",
                      "purring tidligst 14 dager etter forfall (inkassoforskriften § 1-2)");
      }
      if (notices > 0 || demands > 0) {
        return refuse("legal_limit",
                      "purring etter inkassovarsel eller betalingsoppfordring er "
                      "ikke tillatt (inkassoforskriften § 1-3)");
      }
      if (reminders >= 2) {
        return refuse("legal_limit", "høyst to purringer per krav (inkassoforskriften § 1-3)");
      }
      if (reminders == 1 && !missed_deadline(*first_reminder, on)) {
        return refuse("deadline_not_missed",
                      "ny purring bare etter oversittet frist på minst 14 dager i første purring "
                      "(inkassoforskriften § 1-3)");
      }
      return ok_status();
    case NoticeKind::collection_notice:
      if (early) {
        return refuse("too_early",
                      "inkassovarsel tidligst 14 dager etter forfall (inkassoforskriften § 1-2)");
      }
      if (deadline_days < legal_deadline_days) {
        return refuse("legal_limit",
                      "inkassovarselets frist må være minst 14 dager (inkassoloven § 9)");
      }
      if (notices > 0 || demands > 0 || reminders >= 2) {
        return refuse("legal_limit",
                      "høyst én purring og ett inkassovarsel før betalingsoppfordring "
                      "(inkassoforskriften § 1-3)");
      }
      if (reminders == 1 && !missed_deadline(*first_reminder, on)) {
        return refuse("deadline_not_missed",
                      "inkassovarsel etter purring bare når purringens frist på minst 14 dager er "
                      "oversittet (inkassoforskriften § 1-3)");
      }
      return ok_status();
    case NoticeKind::payment_demand: {
      if (deadline_days < legal_deadline_days) {
        return refuse("legal_limit",
                      "betalingsoppfordringens frist må være minst 14 dager (inkassoloven § 10)");
      }
      if (demands > 0) {
        return refuse("legal_limit",
                      "høyst én betalingsoppfordring per krav (inkassoforskriften § 1-3)");
      }
      const bool missed = std::any_of(c.steps.begin(), c.steps.end(), [&](const StepTaken& s) {
        return s.kind != NoticeKind::payment_demand && missed_deadline(s, on);
      });
      if (!missed) {
        return refuse(
            "deadline_not_missed",
            "betalingsoppfordring bare etter oversittet frist på minst 14 dager i purring "
            "eller inkassovarsel (inkassoforskriften § 1-2)");
      }
      return ok_status();
    }
  }
  return ok_status();
}

Result<InterestCharge> claim_interest(const Claim& c, Date through, const CollectionRates& rates,
                                      const std::string& cause) {
  InterestCharge out;
  out.invoice_number = c.invoice_number;
  out.customer_id = c.customer_id;
  out.claim_type = c.claim_type;
  out.claim_family = c.claim_family;
  out.cause = cause;
  out.from = c.interest_from;
  out.through = through;
  out.principal_ore = std::max<std::int64_t>(c.principal_ore, 0);
  out.method = late_interest_method();
  out.rule_version = rates.rule_version();
  if (out.principal_ore == 0 || through < c.interest_from) return out;
  std::vector<std::pair<Date, Date>> pauses = c.interest_pauses;
  if (c.disputed && c.dispute_pauses_interest) pauses.emplace_back(c.dispute_since, through);
  std::sort(pauses.begin(), pauses.end());
  Date a = c.interest_from;
  const auto run = [&](Date from, Date to) -> Status {
    if (to < from) return ok_status();
    auto part = compute_late_interest(out.principal_ore, from.add_days(-1), to, rates);
    if (!part) return part.error();
    merge(out, *part);
    return ok_status();
  };
  for (const auto& [pa, pz] : pauses) {
    if (pz < a) continue;
    if (pa > through) break;
    auto s = run(a, std::min(pa.add_days(-1), through));
    if (!s) return s.error();
    a = pz.add_days(1);
  }
  if (a <= through) {
    auto s = run(a, through);
    if (!s) return s.error();
  }
  return out;
}

void evaluate_claim(const CollectionState& s, const Claim& c, Date day, DayTally& tally,
                    std::vector<Out>& out) {
  if (!c.active() || c.open_ore() <= 0) return;
  ++tally.evaluated;
  if (c.disputed || c.blocked) return;
  // Most claims are not due for anything: read the claim in place, copy it only to apply an
  // output before deciding on (a broken plan, interest before the hand-over).
  std::optional<Claim> copy;
  const Claim* cur = &c;
  const auto writable = [&]() -> Claim& {
    if (!copy) {
      copy = c;
      cur = &*copy;
    }
    return *copy;
  };
  const auto refuse_step = [&](std::string kind, const Error& why) {
    StepRefusal r;
    r.invoice_number = cur->invoice_number;
    r.customer_id = cur->customer_id;
    r.kind = std::move(kind);
    r.code = why.code;
    r.message = why.message;
    r.on = day;
    out.push_back({std::string(step_refused_type), cur->customer_id, step_refusal_payload(r)});
    ++tally.refused;
  };
  if (cur->plan_active) {
    const std::int64_t paid = cur->paid_ore - cur->paid_at_plan_ore;
    std::int64_t due = 0;
    const Instalment* missed = nullptr;
    for (const auto& i : cur->instalments) {
      due += i.amount_ore;
      if (i.due < day && paid < due) {
        missed = &i;
        break;
      }
    }
    if (missed == nullptr) return;  // the plan replaces the steps while it is kept
    PlanBroken b;
    b.invoice_number = cur->invoice_number;
    b.customer_id = cur->customer_id;
    b.on = day;
    b.instalment_due = missed->due;
    b.expected_ore = due;
    b.paid_ore = paid;
    out.push_back({std::string(plan_broken_type), cur->customer_id, plan_broken_payload(b)});
    CollectionState::apply_plan_broken(writable(), b);
    ++tally.plans_broken;
  }
  auto plan_r = s.plans().plan_for(cur->claim_type, cur->due_date);
  if (!plan_r) {
    refuse_step("plan", plan_r.error());
    return;
  }
  const DunningPlan& plan = **plan_r;
  if (cur->open_ore() < plan.minimum_open_ore) return;  // below the installation's threshold
  const std::size_t k = cur->steps.size();
  if (k < plan.steps.size()) {
    const PlanStep& ps = plan.steps[k];
    Date earliest;
    if (k == 0) {
      Date base = cur->due_date;
      if (cur->deferred_until && *cur->deferred_until > base) base = *cur->deferred_until;
      earliest = base.add_days(ps.days_after_previous);
    } else {
      Date deadline = cur->steps.back().deadline;
      if (cur->deferred_until && *cur->deferred_until > deadline) deadline = *cur->deferred_until;
      if (day <= deadline) return;
      earliest = cur->steps.back().sent.add_days(ps.days_after_previous);
    }
    if (day < earliest) return;
    const std::string kind_name(notice_kind_name(ps.kind));
    if (auto legal = legal_check(*cur, ps.kind, ps.deadline_days, day); !legal) {
      refuse_step(kind_name, legal.error());
      return;
    }
    auto fee = s.rates().notice_fee(ps.kind, day);
    if (!fee) {
      refuse_step(kind_name, fee.error());
      return;
    }
    auto rate = s.rates().late_interest_rate(day);
    if (!rate) {
      refuse_step(kind_name, rate.error());
      return;
    }
    auto accrued = claim_interest(*cur, day, s.rates(), "notice");
    if (!accrued) {
      refuse_step(kind_name, accrued.error());
      return;
    }
    auto seller = s.billing().seller(day);
    Notice n;
    n.invoice_number = cur->invoice_number;
    n.customer_id = cur->customer_id;
    n.claim_type = cur->claim_type;
    n.kid = cur->kid;
    n.kind = ps.kind;
    n.step = static_cast<int>(k) + 1;
    n.sent_on = day;
    n.deadline = day.add_days(ps.deadline_days);
    n.due_date = cur->due_date;
    n.interest_from = cur->due_date.add_days(1);
    n.principal_ore = cur->principal_ore;
    n.fee_ore = fee->amount_ore;
    n.fees_ore = cur->fees_ore + fee->amount_ore;
    n.interest_ore = cur->interest_ore;
    n.interest_accrued_ore = accrued->interest_ore;
    n.total_ore = n.principal_ore + n.fees_ore + n.interest_ore + n.interest_accrued_ore;
    n.interest_rate_pct = rate->rate_pct.to_string(2);
    n.rate_uncertain = rate->uncertain;
    if (seller) {
      n.creditor_name = seller->name;
      n.creditor_organisation_number = seller->organisation_number;
      n.creditor_account = seller->account_number;
    }
    n.concerns = "Faktura " + cur->invoice_number + " (" + claim_type_text(cur->claim_type) +
                 "), fakturert " + cur->issue_date.to_norwegian() + ", forfalt " +
                 cur->due_date.to_norwegian() + ", opprinnelig beløp kr " +
                 common::ore_format::norwegian(cur->original_ore);
    n.consequences = consequences(ps.kind, plan.track);
    n.fee_inkassosats_nok = fee->inkassosats_nok.to_string(2);
    n.fee_fraction = fee->fraction_text;
    n.fee_source = fee->source;
    n.fee_uncertain = fee->uncertain;
    n.plan = plan.plan;
    n.track = std::string(track_name(plan.track));
    n.rule_version = s.rule_version();
    out.push_back({std::string(notice_sent_type), cur->customer_id, notice_payload(n)});
    tally.fees_ore += n.fee_ore;
    if (ps.kind == NoticeKind::reminder) ++tally.reminders;
    if (ps.kind == NoticeKind::collection_notice) ++tally.collection_notices;
    if (ps.kind == NoticeKind::payment_demand) ++tally.payment_demands;
    return;
  }
  // Every step sent: hand over after the last deadline.
  Date deadline = cur->steps.empty() ? cur->due_date : cur->steps.back().deadline;
  if (cur->deferred_until && *cur->deferred_until > deadline) deadline = *cur->deferred_until;
  if (day < deadline.add_days(plan.handover_days_after_deadline)) return;
  auto interest = claim_interest(*cur, day, s.rates(), "hand_over");
  if (!interest) {
    refuse_step("hand_over", interest.error());
    return;
  }
  if (interest->interest_ore > 0) {
    out.push_back(
        {std::string(interest_charged_type), cur->customer_id, interest_payload(*interest)});
    CollectionState::apply_interest(writable(), *interest);
    tally.interest_ore += interest->interest_ore;
  }
  HandOver h;
  h.invoice_number = cur->invoice_number;
  h.customer_id = cur->customer_id;
  h.claim_type = cur->claim_type;
  h.kid = cur->kid;
  h.track = std::string(track_name(plan.track));
  h.plan = plan.plan;
  h.on = day;
  h.due_date = cur->due_date;
  h.original_ore = cur->original_ore;
  h.principal_ore = cur->principal_ore;
  h.fees_ore = cur->fees_ore;
  h.interest_ore = cur->interest_ore;
  h.total_ore = cur->open_ore();
  h.paid_ore = cur->paid_ore;
  h.credited_ore = cur->credited_ore;
  h.steps = cur->steps;
  h.history = cur->history;
  out.push_back({std::string(handed_over_type), cur->customer_id, handover_payload(h)});
  ++tally.handovers;
}

}  // namespace oppgjor::collection
