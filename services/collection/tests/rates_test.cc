// The shipped collection rule data and its dated lookups: interest rates per half-year, the
// inkassosats and the notice fees, add() on top (rules.parameter_set), and refusals.
#include <gtest/gtest.h>

#include "services/collection/rates.h"
#include "services/collection/tests/test_support.h"

namespace oppgjor::collection {
namespace {

using test_support::d;
using test_support::dec;

DatedValue value(const char* v, const char* from, const char* to) {
  DatedValue out;
  out.value = dec(v);
  out.effective_from = d(from);
  if (to != nullptr) out.effective_to = d(to);
  out.source = "rules.parameter_set event";
  out.rule_version = "test";
  return out;
}

TEST(CollectionRates, TheShippedDataParsesAndEveryValueIsDatedWithASource) {
  const CollectionRates& rates = builtin_rates();
  EXPECT_EQ(rates.rule_version(), "collection.rules.2026-11.1");
  for (std::string_view p :
       {param::late_interest_rate, param::inkassosats, param::reminder_fee_fraction,
        param::collection_notice_fee_fraction, param::payment_demand_fee_fraction}) {
    ASSERT_FALSE(rates.values(p).empty()) << p;
    for (const DatedValue& v : rates.values(p)) {
      EXPECT_TRUE(v.effective_to.has_value()) << p;
      EXPECT_FALSE(v.source.empty()) << p;
      EXPECT_FALSE(v.rule_version.empty()) << p;
    }
  }
}

TEST(CollectionRates, EveryHalfYearFrom2014H1To2026H1HasARate) {
  for (HalfYear h{2014, 1}; h <= HalfYear{2026, 1}; h = h.next()) {
    auto r = late_interest_rate(h.first_day());
    ASSERT_TRUE(r.ok()) << h.label();
    EXPECT_EQ(r->half_year, h);
    auto last = late_interest_rate(h.last_day());
    ASSERT_TRUE(last.ok()) << h.label();
    EXPECT_EQ(last->rate_pct, r->rate_pct);
  }
}

TEST(CollectionRates, RatesFromTheResearchTable) {
  const struct {
    const char* day;
    const char* rate;
    bool uncertain;
  } cases[] = {
      {"2014-03-01", "9.50", false},  {"2015-01-01", "9.25", false},
      {"2020-07-01", "8.00", true},   {"2023-12-31", "11.75", true},
      {"2024-01-01", "12.50", false}, {"2024-07-01", "12.50", true},  // derived
      {"2025-06-30", "12.50", false}, {"2025-07-01", "12.25", false},
      {"2026-06-30", "12.00", true},  // derived
  };
  for (const auto& c : cases) {
    auto r = late_interest_rate(d(c.day));
    ASSERT_TRUE(r.ok()) << c.day;
    EXPECT_EQ(r->rate_pct, dec(c.rate)) << c.day;
    EXPECT_EQ(r->uncertain, c.uncertain) << c.day;
    EXPECT_FALSE(r->source.empty());
  }
}

TEST(CollectionRates, AMissingHalfYearIsAnErrorNamingIt) {
  auto r = late_interest_rate(d("2027-02-01"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "rate_missing");
  EXPECT_EQ(r.error().field, "collection.late_interest_rate_pct");
  EXPECT_NE(r.error().message.find("late-payment interest rate missing for 2027 H1"),
            std::string::npos)
      << r.error().message;
  auto before = late_interest_rate(d("2013-12-31"));
  ASSERT_FALSE(before.ok());
  EXPECT_NE(before.error().message.find("2013 H2"), std::string::npos);
  auto h2 = late_interest_rate(d("2026-07-01"));
  ASSERT_FALSE(h2.ok());
  EXPECT_NE(h2.error().message.find("2026 H2"), std::string::npos);
}

TEST(NoticeFees, TheReminderFeeWasHalvedOn1October2020) {
  auto old_fee = notice_fee(NoticeKind::reminder, d("2020-09-30"));
  auto new_fee = notice_fee(NoticeKind::reminder, d("2020-10-01"));
  ASSERT_TRUE(old_fee.ok() && new_fee.ok());
  EXPECT_EQ(old_fee->amount_ore, 7000);
  EXPECT_EQ(old_fee->fraction_text, "1/10");
  EXPECT_EQ(new_fee->amount_ore, 3500);
  EXPECT_EQ(new_fee->fraction_text, "1/20");
  EXPECT_EQ(new_fee->inkassosats_nok, Decimal::from_int(700));
  EXPECT_EQ(new_fee->effective_from, d("2020-10-01"));
  EXPECT_EQ(new_fee->effective_to, d("2020-12-31"));
  EXPECT_FALSE(new_fee->uncertain);  // 700 and 1/20 confirmed for late 2020
  EXPECT_TRUE(old_fee->uncertain);   // secondary sources only
}

TEST(NoticeFees, CollectionNoticeAndPaymentDemand) {
  auto notice = notice_fee(NoticeKind::collection_notice, d("2025-03-01"));
  auto demand = notice_fee(NoticeKind::payment_demand, d("2025-03-01"));
  auto old_demand = notice_fee(NoticeKind::payment_demand, d("2019-05-01"));
  ASSERT_TRUE(notice.ok() && demand.ok() && old_demand.ok());
  EXPECT_EQ(notice->amount_ore, 3500);
  EXPECT_EQ(demand->amount_ore, 10500);
  EXPECT_EQ(demand->fraction_text, "3/20");
  EXPECT_EQ(old_demand->amount_ore, 21000);
  EXPECT_EQ(old_demand->fraction_text, "3/10");
  EXPECT_TRUE(demand->uncertain);  // 700 for 2021–2025 is not confirmed per year
  EXPECT_EQ(notice_fee(NoticeKind::reminder, d("2016-06-01"))->amount_ore, 6700);
}

TEST(NoticeFees, AMissingInkassosatsOrFractionIsAnErrorNamingIt) {
  auto gap = notice_fee(NoticeKind::reminder, d("2012-03-01"));  // 2010–2014 unknown
  ASSERT_FALSE(gap.ok());
  EXPECT_EQ(gap.error().code, "parameter_missing");
  EXPECT_EQ(gap.error().field, "collection.inkassosats_nok");
  EXPECT_NE(gap.error().message.find("inkassosats missing for 2012-03-01"), std::string::npos)
      << gap.error().message;
  auto future = notice_fee(NoticeKind::payment_demand, d("2027-01-04"));
  ASSERT_FALSE(future.ok());
  EXPECT_NE(future.error().message.find("2027-01-04"), std::string::npos);
}

TEST(NoticeFees, AFeeIsTheExactFractionRoundedHalfUpToOre) {
  CollectionRates rates = builtin_rates();
  // A confirmed 750 for 2027 would give 37.50 and 112.50 — kept to the øre, not to the krone.
  ASSERT_TRUE(rates.add(param::inkassosats, value("750", "2027-01-01", "2027-12-31")).ok());
  ASSERT_TRUE(rates.add(param::reminder_fee_fraction, value("0.05", "2027-01-01", "2027-12-31")));
  ASSERT_TRUE(
      rates.add(param::payment_demand_fee_fraction, value("0.15", "2027-01-01", "2027-12-31")));
  EXPECT_EQ(rates.notice_fee(NoticeKind::reminder, d("2027-03-01"))->amount_ore, 3750);
  EXPECT_EQ(rates.notice_fee(NoticeKind::payment_demand, d("2027-03-01"))->amount_ore, 11250);
  // 3/20 of 701.55 = 105.2325 → 105.23; 1/20 of 700.10 = 35.005 → 35.01 (a tie goes up).
  ASSERT_TRUE(rates.add(param::inkassosats, value("701.55", "2028-01-01", "2028-12-31")));
  ASSERT_TRUE(rates.add(param::reminder_fee_fraction, value("0.15", "2028-01-01", "2028-12-31")));
  EXPECT_EQ(rates.notice_fee(NoticeKind::reminder, d("2028-03-01"))->amount_ore, 10523);
  ASSERT_TRUE(rates.add(param::inkassosats, value("700.10", "2028-01-01", "2028-12-31")));
  ASSERT_TRUE(rates.add(param::reminder_fee_fraction, value("0.05", "2028-01-01", "2028-12-31")));
  EXPECT_EQ(rates.notice_fee(NoticeKind::reminder, d("2028-03-01"))->amount_ore, 3501);
}

TEST(CollectionRatesAdd, AParameterSetEventAddsAndReplacesValues) {
  CollectionRates rates = builtin_rates();
  auto h = value("13.00", "2026-07-01", "2026-12-31");
  h.uncertain = false;
  h.source = "FOR-2026-06-xx (test)";
  ASSERT_TRUE(rates.add(param::late_interest_rate, h).ok());
  auto r = rates.late_interest_rate(d("2026-09-15"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->rate_pct, dec("13.00"));
  EXPECT_EQ(r->source, "FOR-2026-06-xx (test)");
  EXPECT_FALSE(r->uncertain);
  // The same effective_from replaces: a confirmed 2026 H1 rate over the derived one.
  ASSERT_TRUE(rates.add(param::late_interest_rate, value("12.00", "2026-01-01", "2026-06-30")));
  EXPECT_FALSE(rates.late_interest_rate(d("2026-03-01"))->uncertain);
  EXPECT_EQ(rates.values(param::late_interest_rate).size(),
            builtin_rates().values(param::late_interest_rate).size() + 1);
  // The built-in set is untouched.
  EXPECT_FALSE(builtin_rates().late_interest_rate(d("2026-09-15")).ok());
}

TEST(CollectionRatesAdd, RefusesBadValues) {
  CollectionRates rates = builtin_rates();
  const auto code_of = [&](std::string_view p, const DatedValue& v) {
    auto s = rates.add(p, v);
    return s.ok() ? std::string("ok") : s.error().code + " " + s.error().field;
  };
  EXPECT_EQ(code_of("care_fees.grunnbelop_nok", value("1", "2027-01-01", "2027-12-31")),
            "parameter_invalid parameter");
  EXPECT_EQ(code_of(param::inkassosats, value("700", "2027-01-01", nullptr)),
            "parameter_invalid effective_to");
  EXPECT_EQ(code_of(param::inkassosats, value("700", "2027-01-01", "2026-12-31")),
            "parameter_invalid effective_to");
  EXPECT_EQ(code_of(param::inkassosats, value("700.001", "2027-01-01", "2027-12-31")),
            "parameter_invalid value");
  EXPECT_EQ(code_of(param::inkassosats, value("0", "2027-01-01", "2027-12-31")),
            "parameter_invalid value");
  EXPECT_EQ(code_of(param::late_interest_rate, value("101", "2027-01-01", "2027-06-30")),
            "parameter_invalid value");
  EXPECT_EQ(code_of(param::late_interest_rate, value("12", "2027-01-02", "2027-06-30")),
            "parameter_invalid effective_from");
  EXPECT_EQ(code_of(param::late_interest_rate, value("12", "2027-01-01", "2027-06-29")),
            "parameter_invalid effective_from");
  EXPECT_EQ(code_of(param::reminder_fee_fraction, value("1.5", "2027-01-01", "2027-12-31")),
            "parameter_invalid value");
  // A rate may cover a whole year; another collection.* parameter is taken as it is.
  EXPECT_EQ(code_of(param::late_interest_rate, value("12", "2027-01-01", "2027-12-31")), "ok");
  EXPECT_EQ(code_of("collection.reminder_min_days", value("14", "2027-01-01", nullptr)), "ok");
}

TEST(CollectionRatesAdd, DecodesARulesParameterSetPayload) {
  const std::string json = R"({
    "parameter": "collection.late_interest_rate_pct", "value": "12.25", "unit": "pct",
    "effective_from": "2025-07-01", "effective_to": "2025-12-31",
    "rule_version": "forsinkelsesrente-2025h2",
    "source": "Forsinkelsesrenteloven § 3; Finansdepartementets fastsettelse",
    "scope": {"municipality": "0301"}, "uncertain": true})";
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(json).get(doc), simdjson::SUCCESS);
  auto v = decode_dated_value(doc);
  ASSERT_TRUE(v.ok()) << v.error().to_string();
  EXPECT_EQ(v->value, dec("12.25"));
  EXPECT_EQ(v->effective_to, d("2025-12-31"));
  EXPECT_TRUE(v->uncertain);
  CollectionRates rates = builtin_rates();
  ASSERT_TRUE(rates.add(param::late_interest_rate, *v).ok());
  EXPECT_TRUE(rates.late_interest_rate(d("2025-08-01"))->uncertain);

  ASSERT_EQ(parser.parse(std::string(R"({"value": "x", "effective_from": "2025-07-01"})")).get(doc),
            simdjson::SUCCESS);
  auto bad = decode_dated_value(doc);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "parameter_invalid");
  EXPECT_EQ(bad.error().field, "value");
}

TEST(CollectionRatesParse, RefusesAValueWithoutEffectiveTo) {
  auto r = CollectionRates::parse(R"({"rule_version": "t", "parameters": [
    {"parameter": "collection.inkassosats_nok", "unit": "nok", "values": [
      {"value": "700", "effective_from": "2017-01-01", "source": "s", "rule_version": "t"}]}]})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "rules_data_invalid");
  EXPECT_EQ(r.error().field, "parameters[0].values[0].effective_to");
  auto unknown = CollectionRates::parse(R"({"rule_version": "t", "parameters": [
    {"parameter": "collection.inkassosats_nok", "values": [
      {"value": "700", "effective_from": "2017-01-01", "effective_to": "2017-12-31",
       "source": "s", "rule_version": "t", "confidence": "H"}]}]})");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().field, "parameters[0].values[0].confidence");
}

TEST(Fractions, AsText) {
  EXPECT_EQ(fraction_text(dec("0.05")), "1/20");
  EXPECT_EQ(fraction_text(dec("0.15")), "3/20");
  EXPECT_EQ(fraction_text(dec("0.1")), "1/10");
  EXPECT_EQ(fraction_text(dec("0.3")), "3/10");
  EXPECT_EQ(fraction_text(dec("1")), "1/1");
  EXPECT_EQ(decimal_text_2(dec("9.5")), "9.50");
  EXPECT_EQ(decimal_text_2(dec("12.125")), "12.125");
}

}  // namespace
}  // namespace oppgjor::collection
