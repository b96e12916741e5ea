// The collection report (collection_report.h).
#include "services/collection/collection_report.h"

#include <map>

namespace oppgjor::collection {

namespace {

using ledger::Cell;
using ledger::Column;
using ledger::Table;

struct Stage {
  std::string key;
  std::string text;
  std::int64_t claims = 0;
  std::int64_t now_at = 0;  // claims whose latest stage (as of) is this one and still open
  std::int64_t fees_ore = 0;
  std::int64_t open_ore = 0;
  std::int64_t paid_after_ore = 0;
  std::int64_t interest_ore = 0;
};

// Money received on the claim from `from` through `as_of`.
std::int64_t paid_between(const Claim& c, Date from, Date as_of) {
  std::int64_t paid = 0;
  for (const auto& h : c.history) {
    if (h.date < from || h.date > as_of) continue;
    if (h.what == "payment" || h.what == "reversal") paid += h.amount_ore;
  }
  return paid;
}

std::string stage_key(const StepTaken& s, int reminders_before) {
  if (s.kind == NoticeKind::reminder) return reminders_before == 0 ? "reminder_1" : "reminder_2";
  return std::string(notice_kind_name(s.kind));
}

}  // namespace

Table collection_report(const CollectionState& s, Date as_of, std::string_view claim_type) {
  std::vector<Stage> stages = {{"reminder_1", "1. purring"},
                               {"reminder_2", "2. purring"},
                               {"collection_notice", "inkassovarsel"},
                               {"payment_demand", "betalingsoppfordring"},
                               {"hand_over", "overlevert"}};
  std::map<std::string, Stage*> by_key;
  for (auto& st : stages) by_key[st.key] = &st;
  for (const auto& [number, c] : s.claims()) {
    if (!claim_type.empty() && c.claim_type != claim_type) continue;
    int reminders = 0;
    Stage* latest = nullptr;
    for (const auto& step : c.steps) {
      if (step.sent > as_of) break;
      Stage* st = by_key[stage_key(step, reminders)];
      if (step.kind == NoticeKind::reminder) ++reminders;
      st->claims += 1;
      st->fees_ore += step.fee_ore;
      st->open_ore += step.open_ore;
      st->paid_after_ore += paid_between(c, step.sent, as_of);
      latest = st;
    }
    for (const auto& h : c.history) {
      if (h.date > as_of) continue;
      if (h.what == "hand_over") {
        Stage* st = by_key["hand_over"];
        st->claims += 1;
        st->open_ore += h.amount_ore;
        st->paid_after_ore += paid_between(c, h.date.add_days(1), as_of);
        latest = st;
      }
      if (h.what == "interest") {
        // Interest booked at hand-over belongs to the hand-over; other interest to the stage the
        // claim had reached when it was booked.
        const bool at_hand_over = h.note.find("(hand_over)") != std::string::npos;
        Stage* st = at_hand_over ? by_key["hand_over"] : latest;
        if (st != nullptr) st->interest_ore += h.amount_ore;
      }
    }
    if (latest != nullptr) {
      std::int64_t open = c.original_ore;
      for (const auto& h : c.history) {
        if (h.date > as_of || h.what == "invoice") continue;
        if (h.what == "payment" || h.what == "reversal" || h.what == "credit_note" ||
            h.what == "credit_note_reversed" || h.what == "write_off") {
          open -= h.amount_ore;
        } else if (h.what == "interest" || h.what == "reminder" || h.what == "collection_notice" ||
                   h.what == "payment_demand") {
          open += h.amount_ore;
        }
      }
      if (open > 0) latest->now_at += 1;
    }
  }
  Table t;
  t.columns = {{"stage", "Steg", false},
               {"claims", "Krav", false},
               {"open_now", "Krav åpne nå i steget", false},
               {"fees_ore", "Gebyrer", true},
               {"open_at_stage_ore", "Åpent ved steget", true},
               {"paid_after_ore", "Innbetalt etter steget", true},
               {"collection_rate_pct", "Løsningsgrad etter steget %", false},
               {"interest_ore", "Forsinkelsesrente", true}};
  for (const auto& st : stages) {
    std::string rate;
    if (st.open_ore > 0) {
      // One decimal, rounded half up, from exact integers.
      const std::int64_t tenths = (st.paid_after_ore * 1000 + st.open_ore / 2) / st.open_ore;
      rate = std::to_string(tenths / 10) + "." + std::to_string(tenths % 10);
    }
    t.rows.push_back({Cell::of(st.text), Cell::ore(st.claims), Cell::ore(st.now_at),
                      Cell::ore(st.fees_ore), Cell::ore(st.open_ore), Cell::ore(st.paid_after_ore),
                      rate.empty() ? Cell::null() : Cell::of(rate), Cell::ore(st.interest_ore)});
  }
  return t;
}

Table claim_history_table(const Claim& c) {
  Table t;
  t.columns = {{"date", "Dato", false},
               {"what", "Hendelse", false},
               {"amount_ore", "Beløp", true},
               {"note", "Merknad", false}};
  for (const auto& h : c.history) {
    t.rows.push_back(
        {Cell::of(h.date.to_iso()), Cell::of(h.what), Cell::ore(h.amount_ore), Cell::of(h.note)});
  }
  return t;
}

}  // namespace oppgjor::collection
