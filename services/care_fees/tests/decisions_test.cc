// Fee decisions (vedtak), appeals (klage) and the decision letter (decisions.h, letter.h): the
// appeal deadline as a table, the decisions billing makes, the letter's content and the
// refusals that name the field. Events go through the service's decide() and fold() directly.
//
// 2025 figures (hand-checked, as docs/care-fees.md section 9): pension 260 000, tax 40 000 →
// B = 220 000; F = 10 450.
//   January–April (G 124 028 from 1 May 2024): 0.75 × 113 578 + 0.85 × 95 972 = 85 183.50 +
//   81 576.20 = 166 759.70 → 166 759 a year, 13 896.58 a month.
//   May– (G 130 160): 0.75 × 119 710 + 0.85 × 89 840 = 89 782.50 + 76 364 = 166 146.50 → 166 146,
//   13 845.50 a month.
#include "services/care_fees/decisions.h"

#include <gtest/gtest.h>

#include <deque>
#include <string>
#include <vector>

#include "services/care_fees/care_fees_service.h"
#include "services/care_fees/letter.h"
#include "services/care_fees/state_codec.h"
#include "services/care_fees/tests/test_support.h"

namespace oppgjor::care_fees {
namespace {

using testing::day;

TEST(AppealDeadline, ThreeWeeksMovedPastWeekendsAndHolidays) {
  struct Row {
    Date delivered;
    Date deadline;
    const char* why;
  };
  const Row rows[] = {
      // Fri 5 Dec 2025 + 3 weeks = Fri 26 Dec (2nd Christmas day) → Sat 27, Sun 28 → Mon 29.
      {day(2025, 12, 5), day(2025, 12, 29), "2nd Christmas day, then a weekend"},
      // Tue 10 Jun 2025 + 3 weeks = Tue 1 Jul: an ordinary day.
      {day(2025, 6, 10), day(2025, 7, 1), "mid-year, the same weekday"},
      // Mon 26 Apr 2027 + 3 weeks = Mon 17 May 2027 (Constitution Day) → Tue 18 May.
      {day(2027, 4, 26), day(2027, 5, 18), "17 May on a Monday"},
      // Thu 12 Mar 2026 + 3 weeks = Maundy Thursday 2 Apr → Good Friday, Saturday, Easter Sunday,
      // Easter Monday → Tue 7 Apr.
      {day(2026, 3, 12), day(2026, 4, 7), "Easter"},
      // Wed 3 Dec 2025 + 3 weeks = Wed 24 Dec: Christmas Eve is no public holiday (domstolloven
      // § 149 names Saturdays and holidays only), so it stays.
      {day(2025, 12, 3), day(2025, 12, 24), "Christmas Eve is a working day"},
      // Sat 1 Feb 2025 + 3 weeks = Sat 22 Feb → Mon 24 Feb.
      {day(2025, 2, 1), day(2025, 2, 24), "delivered on a Saturday"},
  };
  for (const Row& r : rows) {
    EXPECT_EQ(appeal_deadline(r.delivered), r.deadline)
        << r.why << ": " << r.delivered.to_iso() << " → " << appeal_deadline(r.delivered).to_iso();
  }
}

// The service, fed events one by one: decide (when it decides the type), fold, fold the outputs.
class Desk {
 public:
  Desk() : service_(testing::store()) {}

  // Returns the outputs of the decision (empty when the service does not decide the type).
  std::vector<events::EngineEvent> send(const std::string& type, const std::string& payload,
                                        const std::string& occurred_at = "2025-01-02",
                                        const std::string& actor = "") {
    Kept& k = keep(type, payload, occurred_at, actor);
    events::EventView e = view(k);
    simdjson::dom::element el;
    EXPECT_EQ(parser_.parse(k.payload).get(el), simdjson::SUCCESS) << payload;
    std::vector<events::EngineEvent> out;
    if (service_.decides(type)) {
      auto decided = service_.decide(e, el, runtime::Part{});
      EXPECT_TRUE(decided.ok());
      if (decided) out = *decided;
    }
    EXPECT_TRUE(service_.fold(e, el).ok());
    for (const events::EngineEvent& o : out) {
      Kept& ko = keep(o.type, o.payload_json, o.occurred_at, actor);
      simdjson::dom::element oe;
      EXPECT_EQ(parser_.parse(ko.payload).get(oe), simdjson::SUCCESS);
      EXPECT_TRUE(service_.fold(view(ko), oe).ok());
    }
    return out;
  }

  void resident() {
    send("customers.customer_registered",
         R"({"customer_id":"C000456","kind":"person","national_id":"15108695088",)"
         R"("name":"Test Testesen","address":{"street":"Gate 1","postal_code":"0150",)"
         R"("city":"OSLO"},"district":"bydel_sagene"})");
    send("care_fees.stay_started",
         R"({"customer_id":"C000456","stay_id":"S1","kind":"long_term","institution_id":)"
         R"("SYKEHJEM-A","institution_type":"nursing_home","admission_date":"2024-06-01",)"
         R"("from_home":false,"district":"bydel_sagene"})");
    send("care_fees.income_reported",
         R"({"customer_id":"C000456","income_year":2025,"status":"provisional","items":[)"
         R"({"kind":"pension","amount":"260000.00","joint":false}],"deductions":[)"
         R"({"kind":"tax","amount":"40000.00"}]})");
  }
  std::vector<events::EngineEvent> bill(unsigned month, const std::string& on) {
    return send("care_fees.billing_requested",
                R"({"year":2025,"month":)" + std::to_string(month) + "}", on, "fakturering");
  }

  const CareFeesState& state() const { return service_.state(); }

 private:
  struct Kept {
    std::string event_id, type, occurred_at, actor, payload;
    std::int64_t sequence = 0;
  };
  Kept& keep(const std::string& type, const std::string& payload, const std::string& occurred_at,
             const std::string& actor) {
    ++seq_;
    kept_.push_back(Kept{"e" + std::to_string(seq_), type, occurred_at, actor, payload, seq_});
    return kept_.back();
  }
  static events::EventView view(const Kept& k) {
    events::EventView e;
    e.event_id = k.event_id;
    e.type = k.type;
    e.sequence = k.sequence;
    e.occurred_at = k.occurred_at;
    e.actor = k.actor;
    e.payload = k.payload;
    return e;
  }

  CareFeesService service_;
  simdjson::dom::parser parser_;
  std::deque<Kept> kept_;  // views point into these
  std::int64_t seq_ = 0;
};

std::vector<const events::EngineEvent*> of_type(const std::vector<events::EngineEvent>& out,
                                                std::string_view type) {
  std::vector<const events::EngineEvent*> found;
  for (const auto& e : out) {
    if (e.type == type) found.push_back(&e);
  }
  return found;
}

// The refusal's "code" and "field", or "" when the command was not refused.
std::string refusal(const std::vector<events::EngineEvent>& out) {
  for (const auto& e : out) {
    if (e.type != "service.command_refused") continue;
    simdjson::dom::parser p;
    simdjson::dom::element el;
    if (p.parse(e.payload_json).get(el) != simdjson::SUCCESS) return "unparsable";
    std::string_view code, field;
    if (el["code"].get(code) != simdjson::SUCCESS) code = "?";
    if (el["field"].get(field) != simdjson::SUCCESS) field = "?";
    return std::string(code) + " " + std::string(field);
  }
  return "";
}

TEST(FeeDecisions, BillingDecidesTheProvisionalFeeAndEachChange) {
  Desk d;
  d.resident();
  auto jan = d.bill(1, "2025-01-06T08:00:00Z");
  ASSERT_EQ(of_type(jan, decision_made_type).size(), 1u);
  const DecisionRecord* first = latest_decision(d.state(), "C000456", 2025);
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->decision_id, "V-2025-C000456-1");
  EXPECT_EQ(first->kind, DecisionKind::provisional_fee);
  EXPECT_EQ(first->fee_year_nok, testing::dec("166759"));
  EXPECT_EQ(first->monthly_amount_nok, testing::dec("13896.58"));
  EXPECT_EQ(first->decided_on, day(2025, 1, 6));  // the command's business date
  EXPECT_EQ(first->decided_by, "fakturering");
  // February: the same yearly fee, no new decision.
  EXPECT_TRUE(of_type(d.bill(2, "2025-02-03"), decision_made_type).empty());
  // May: the new G (130 160) changes the yearly fee to 166 146: a new decision, never an edit.
  EXPECT_EQ(of_type(d.bill(5, "2025-05-02"), decision_made_type).size(), 1u);
  const DecisionRecord* may = latest_decision(d.state(), "C000456", 2025);
  EXPECT_EQ(may->decision_id, "V-2025-C000456-2");
  EXPECT_EQ(may->kind, DecisionKind::fee_changed);
  EXPECT_EQ(may->fee_year_nok, testing::dec("166146"));
  EXPECT_EQ(may->monthly_amount_nok, testing::dec("13845.50"));
  EXPECT_EQ(d.state().decisions.by_id.at("V-2025-C000456-1").fee_year_nok,
            testing::dec("166759"));  // the first one is unchanged
}

TEST(FeeDecisions, TheLetterStatesWhoWhatWhyAndHowToAppeal) {
  Desk d;
  d.resident();
  d.bill(1, "2025-01-06");
  auto before = render_letter(d.state(), "V-2025-C000456-1", LetterFormat::text);
  ASSERT_TRUE(before.ok());
  EXPECT_NE(before->find("tre uker fra du mottok dette brevet"), std::string::npos);
  EXPECT_EQ(before->find("klagefristen går ut"), std::string::npos);  // delivery not known yet
  d.send(std::string(delivery_requested_type),
         R"({"decision_id":"V-2025-C000456-1","delivered_on":"2025-01-09"})", "2025-01-10",
         "post.a");
  auto letter = render_letter(d.state(), "V-2025-C000456-1", LetterFormat::text);
  ASSERT_TRUE(letter.ok());
  for (const char* want :
       {"Til: Test Testesen", "Gate 1", "0150 OSLO", "Kundenummer: C000456", "vederlag for 2025",
        "Vedtaksdato: 06.01.2025", "kr 13 896,58 per måned",
        "kr 166 759,00 for et helt år",                       // the amounts
        "pensjon", "kr 260 000,00", "skatt", "kr 40 000,00",  // the facts
        "Grunnbeløpet (G) fra 01.05.2024", "kr 124 028,00",   // the calculation
        "Fribeløpet (F) fra 01.01.2025", "kr 10 450,00", "kr 166 759,70", "kr 38 844,50",
        "helse- og omsorgstjenesteloven § 11-2", "FOR-2011-12-16-1349) § 3",  // the basis
        // Thu 9 Jan + 3 weeks = Thu 30 Jan.
        "Brevet kom fram til deg 09.01.2025, så klagefristen går ut 30.01.2025",
        "kommunens klagenemnd", "forvaltningsloven § 18", "forvaltningsloven § 31",
        "stanser purring og inkasso"}) {
    EXPECT_NE(letter->find(want), std::string::npos) << "missing: " << want << "\n" << *letter;
  }
  EXPECT_EQ(letter->find("15108695088"), std::string::npos) << "a national id in the letter";
  EXPECT_EQ(letter->find("151086"), std::string::npos) << "part of a national id in the letter";
  EXPECT_EQ(letter->find("15108695088"), std::string::npos);
  auto json = render_letter(d.state(), "V-2025-C000456-1", LetterFormat::json);
  ASSERT_TRUE(json.ok());
  EXPECT_NE(json->find(R"("appeal_deadline":"2025-01-30")"), std::string::npos) << *json;
  auto unknown = render_letter(d.state(), "V-2025-C000456-7", LetterFormat::text);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, "decision_unknown");
  EXPECT_EQ(unknown.error().field, "decision_id");
}

TEST(FeeDecisions, BadInputIsRefusedNamingTheField) {
  Desk d;
  d.resident();
  d.bill(1, "2025-01-06");
  const std::string appeal(appeal_requested_type);
  const std::string decide(appeal_decision_requested_type);
  const std::string deliver(delivery_requested_type);
  // Table: command → code and field.
  EXPECT_EQ(refusal(d.send(appeal,
                           R"({"decision_id":"V-2025-C000456-9","received_on":"2025-02-01",)"
                           R"("reason":"feil"})",
                           "2025-02-01", "post.a")),
            "decision_unknown decision_id");
  EXPECT_EQ(refusal(d.send(appeal,
                           R"({"decision_id":"V-2025-C000456-1","received_on":"2025-02-01",)"
                           R"("reason":"feil","disputed_amount":"0"})",
                           "2025-02-01", "post.a")),
            "amount_invalid disputed_amount");
  EXPECT_EQ(refusal(d.send(decide,
                           R"({"appeal_id":"K-2025-C000456-1-1","outcome":"upheld",)"
                           R"("reason":"x"})",
                           "2025-02-01", "leder.b")),
            "appeal_unknown appeal_id");
  d.send(deliver, R"({"decision_id":"V-2025-C000456-1","delivered_on":"2025-01-09"})", "2025-01-10",
         "post.a");
  EXPECT_EQ(
      refusal(d.send(deliver, R"({"decision_id":"V-2025-C000456-1","delivered_on":"2025-01-10"})",
                     "2025-01-10", "post.a")),
      "already_delivered delivered_on");
  // A late appeal (deadline Thu 30 Jan) is registered, marked late (forvaltningsloven § 31).
  auto late = d.send(appeal,
                     R"({"decision_id":"V-2025-C000456-1","received_on":"2025-02-03",)"
                     R"("reason":"for høyt","disputed_amount":"1500.00"})",
                     "2025-02-03", "post.a");
  EXPECT_EQ(refusal(late), "");
  const AppealRecord& a = d.state().decisions.appeals.at("K-2025-C000456-1-1");
  EXPECT_TRUE(a.late);
  EXPECT_EQ(*a.disputed_amount_nok, testing::dec("1500"));
  EXPECT_EQ(refusal(d.send(appeal,
                           R"({"decision_id":"V-2025-C000456-1","received_on":"2025-02-04",)"
                           R"("reason":"igjen"})",
                           "2025-02-04", "post.a")),
            "appeal_open decision_id");
  EXPECT_EQ(refusal(d.send(decide,
                           R"({"appeal_id":"K-2025-C000456-1-1","outcome":"changed",)"
                           R"("reason":"x"})",
                           "2025-02-10", "leder.b")),
            "amount_missing monthly_amount");
  EXPECT_EQ(refusal(d.send(decide,
                           R"({"appeal_id":"K-2025-C000456-1-1","outcome":"upheld",)"
                           R"("reason":"x"})",
                           "2025-02-10", "Fakturering ")),
            "maker_is_checker actor");
  // Changed: a new decision with the new monthly amount, naming the appealed one.
  auto changed = d.send(decide,
                        R"({"appeal_id":"K-2025-C000456-1-1","outcome":"changed",)"
                        R"("reason":"bostedsutgifter","monthly_amount":"12500.00"})",
                        "2025-02-10", "leder.b");
  EXPECT_EQ(refusal(changed), "");
  const DecisionRecord* now = latest_decision(d.state(), "C000456", 2025);
  EXPECT_EQ(now->decision_id, "V-2025-C000456-2");
  EXPECT_EQ(now->kind, DecisionKind::appeal_decision);
  EXPECT_EQ(now->appealed_decision_id, "V-2025-C000456-1");
  EXPECT_EQ(now->monthly_amount_nok, testing::dec("12500"));
  EXPECT_EQ(now->fee_year_nok, testing::dec("150000"));  // 12 × 12 500
  EXPECT_FALSE(d.state().decisions.appeals.at("K-2025-C000456-1-1").open());
  EXPECT_EQ(refusal(d.send(appeal,
                           R"({"decision_id":"V-2025-C000456-2","received_on":"2025-02-20",)"
                           R"("reason":"videre"})",
                           "2025-02-20", "post.a")),
            "decision_final decision_id");
}

TEST(FeeDecisions, DecisionsSurviveASnapshot) {
  Desk d;
  d.resident();
  d.bill(1, "2025-01-06");
  d.send(std::string(delivery_requested_type),
         R"({"decision_id":"V-2025-C000456-1","delivered_on":"2025-01-09"})", "2025-01-10",
         "post.a");
  CareFeesService copy(testing::store());
  ASSERT_TRUE(copy.load(save_state(d.state())).ok());
  auto a = render_letter(d.state(), "V-2025-C000456-1", LetterFormat::json);
  auto b = render_letter(copy.state(), "V-2025-C000456-1", LetterFormat::json);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, *b);
}

}  // namespace
}  // namespace oppgjor::care_fees
