// Nursing-home fees, phase 2, end to end through the binary: stays and income from the log,
// monthly billing, the control recalculation (kontrollberegning), maker–checker approval,
// reproducible reports, and the clear errors for bad input.
//
// Hand-checked numbers (F = 10 450 for 2025; long-term stays since 2024, not from home, so every
// month of 2025 is billed in full). Each monthly bill uses the G in force on the month's first
// day (issue 10, item 2): January–April G = 124 028 (from 1 May 2024), May–December 130 160;
// the control recalculation uses 130 160 (1 May 2025) for the whole year. Each bill is its
// month's share of the year's cumulative rounding under its own yearly amount.
//   C000456 provisional: pension 260 000, tax 40 000 → B = 220 000
//     Jan–Apr: 0.75 × (124 028 − 10 450) + 0.85 × (220 000 − 124 028) = 85 183.50 + 81 576.20
//              = 166 759.70 → 166 759: billed 13 897, 13 896, 13 897, 13 896 (= 55 586)
//     May–Dec: 0.75 × (130 160 − 10 450) + 0.85 × (220 000 − 130 160) = 89 782.50 + 76 364
//              = 166 146.50 → 166 146: cumulative 5/12 → 69 228 − 55 382 = 13 846, then
//              13 845, 13 846, … (May–Dec = 166 146 − 55 382 = 110 764); charged 166 350
//   C000456 final: pension 250 000, tax 38 000 → B = 212 000
//     fee_raw = 89 782.50 + 0.85 × 81 840 = 89 782.50 + 69 564 = 159 346.50 → 159 346
//     refund = 166 350 − 159 346 = 7 004 (January: 13 897 charged, 13 279 due, −618)
//   C000457 provisional: pension 200 000, tax 30 000 → B = 170 000
//     Jan–Apr: 85 183.50 + 0.85 × 45 972 = 85 183.50 + 39 076.20 = 124 259.70 → 124 259:
//              billed 10 355 × 4 = 41 420
//     May–Dec: 89 782.50 + 0.85 × 39 840 = 89 782.50 + 33 864 = 123 646.50 → 123 646:
//              123 646 − round(4/12 × 123 646 = 41 215.33) = 82 431; charged 123 851
//   C000457 final: pension 220 000, tax 34 000 → B = 186 000
//     fee_raw = 89 782.50 + 0.85 × 55 840 = 89 782.50 + 47 464 = 137 246.50 → 137 246
//     extra charge = 137 246 − 123 851 = 13 395
// keep = 0.25 G + 0.75 F (38 844.50 or 40 377.50) never binds here (B − keep > fee_raw).
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/care_fees_upstream.h"
#include "tests/support/process.h"
#include "tests/support/test_support.h"

namespace oppgjor::care_fees_e2e_test {
namespace {

using events::testing::TempDir;
using testing::bin;
using testing::field;
using testing::run;
using testing::Upstream;

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream b;
  b << in.rdbuf();
  return b.str();
}

class CareFeesE2e : public ::testing::Test {
 protected:
  std::string db() const { return dir_.file("log.db"); }
  testing::RunResult cf(const std::string& args) {
    return run(bin() + " care-fees " + args + " --db " + db());
  }
  void ingest(Upstream& up, const std::string& name) {
    const std::string path = dir_.file(name);
    up.write(path);
    const auto r = run(bin() + " ingest " + path + " --db " + db());
    ASSERT_EQ(r.exit_code, 0) << r.output;
  }
  void bill_year() {
    for (int m = 1; m <= 12; ++m) {
      const auto r = cf("bill --year 2025 --month " + std::to_string(m) + " --actor fakturering");
      ASSERT_EQ(r.exit_code, 0) << r.output;
    }
  }
  // Two residents billed all of 2025 on the provisional basis, then the final data.
  void two_residents_billed_then_final() {
    Upstream up(1);
    for (const char* id : {"C000456", "C000457"}) {
      up.customer(id);
      up.stay(id, std::string("S-") + id, "2024-06-01");
    }
    up.income("C000456", "provisional", "260000.00", "40000.00");
    up.income("C000457", "provisional", "200000.00", "30000.00");
    ingest(up, "setup.jsonl");
    bill_year();
    up.income("C000456", "final", "250000.00", "38000.00");
    up.income("C000457", "final", "220000.00", "34000.00");
    ingest(up, "final.jsonl");
  }
  std::string events_count() { return field(run(bin() + " verify --db " + db()).output, "events"); }
  std::string start_run(const std::string& actor = "saksbehandler.a") {
    const auto r = cf("recalc --year 2025 --actor " + actor + " --out-dir " + dir_.file("out"));
    EXPECT_EQ(r.exit_code, 0) << r.output;
    return field(r.output, "run_id");
  }
  TempDir dir_;
};

TEST_F(CareFeesE2e, BillingTwiceAppendsNothing) {
  two_residents_billed_then_final();
  const std::string before = events_count();
  const auto again = cf("bill --year 2025 --month 3 --actor fakturering");
  EXPECT_EQ(again.exit_code, 0) << again.output;
  EXPECT_EQ(field(again.output, "appended"), "0");
  EXPECT_NE(again.output.find("allerede fakturert:      2"), std::string::npos) << again.output;
  // The log records the request and the service's answer, and no bill.
  EXPECT_EQ(std::stoll(events_count()), std::stoll(before) + 2);
}

TEST_F(CareFeesE2e, RecalculationRefundsOneAndChargesTheOtherMore) {
  two_residents_billed_then_final();
  const std::string run_id = start_run();
  ASSERT_EQ(run_id.size(), 36u);
  const std::string json = read_all(dir_.file("out/kontrollberegning-" + run_id + ".json"));
  EXPECT_NE(json.find(R"("refund_nok":"7004.00","extra_charge_nok":"13395.00")"), std::string::npos)
      << json;
  // January for C000456: 13 897 charged, 13 279 due (159 346 / 12 = 13 278.83 → 13 279).
  EXPECT_NE(json.find(R"("month":"2025-01","charged_nok":"13897.00","due_nok":"13279.00",)"
                      R"("difference_nok":"-618.00")"),
            std::string::npos);
  const std::string table = read_all(dir_.file("out/kontrollberegning-" + run_id + ".txt"));
  EXPECT_NE(table.find("Sum tilbakebetaling                                 7 004,00"),
            std::string::npos)
      << table;
  EXPECT_NE(table.find("pensjon 260 000,00 → 250 000,00"), std::string::npos);
  const std::string excel = read_all(dir_.file("out/kontrollberegning-" + run_id + ".xlsx.csv"));
  EXPECT_EQ(excel.rfind("\xEF\xBB\xBF", 0), 0u);
  EXPECT_NE(excel.find(";januar;13897,00;13279,00;-618,00;"), std::string::npos) << excel;

  const auto approved = cf("approve " + run_id + " --actor leder.b");
  ASSERT_EQ(approved.exit_code, 0) << approved.output;
  EXPECT_EQ(field(approved.output, "appended"), "3");  // approval + credit + invoice basis
  const auto credit = run("sqlite3 " + db() +
                          " \"SELECT json_extract(payload,'$.totalbelop_ore') FROM events WHERE "
                          "type='invoicing.credit_basis_received'\"");
  EXPECT_EQ(credit.output, "700400\n");
  const auto extra = run("sqlite3 " + db() +
                         " \"SELECT json_extract(payload,'$.totalbelop_ore'), correlation_id FROM "
                         "events WHERE type='invoicing.invoice_basis_received' AND "
                         "json_extract(payload,'$.ordrenummer') LIKE 'VED-ETT-%'\"");
  EXPECT_EQ(extra.output, "1339500|" + run_id + "\n");
}

TEST_F(CareFeesE2e, AfterApprovalTheMonthsSumToTheYearlyAmount) {
  two_residents_billed_then_final();
  const std::string run_id = start_run();
  ASSERT_EQ(cf("approve " + run_id + " --actor leder.b").exit_code, 0);
  // A new run sees the corrections: charged per year = the final yearly amount, no differences.
  const auto again = cf("recalc --year 2025 --actor saksbehandler.a --out-dir " + dir_.file("o2"));
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(again.output.find("with_correction=0 "), std::string::npos) << again.output;
  const std::string json =
      read_all(dir_.file("o2/kontrollberegning-" + field(again.output, "run_id") + ".json"));
  EXPECT_NE(json.find(R"("charged_nok":"159346.00","due_nok":"159346.00")"), std::string::npos);
  EXPECT_NE(json.find(R"("charged_nok":"137246.00","due_nok":"137246.00")"), std::string::npos);
  // No resident is due any more.
  EXPECT_EQ(field(cf("status").output, "due"), "0");
}

TEST_F(CareFeesE2e, MakerCannotApproveAndApprovingTwiceDoesNothingMore) {
  two_residents_billed_then_final();
  const std::string run_id = start_run("saksbehandler.a");
  const auto self = cf("approve " + run_id + " --actor saksbehandler.a");
  EXPECT_EQ(self.exit_code, 3) << self.output;
  EXPECT_NE(self.output.find("avvist (maker_is_checker, --actor)"), std::string::npos)
      << self.output;
  ASSERT_EQ(cf("approve " + run_id + " --actor leder.b").exit_code, 0);
  const std::string after_first = events_count();
  const auto twice = cf("approve " + run_id + " --actor leder.b");
  EXPECT_EQ(twice.exit_code, 0) << twice.output;
  EXPECT_NE(twice.output.find("allerede godkjent av leder.b"), std::string::npos) << twice.output;
  // The request and the answer ("already approved"), no approval and no correction.
  EXPECT_EQ(std::stoll(events_count()), std::stoll(after_first) + 2);
}

TEST_F(CareFeesE2e, ReportIsReproducedByteForByteFromTheLog) {
  two_residents_billed_then_final();
  const std::string run_id = start_run();
  ASSERT_EQ(cf("approve " + run_id + " --actor leder.b").exit_code, 0);  // the log grows
  const auto r = cf("report " + run_id + " --out-dir " + dir_.file("again"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (const char* ext : {".txt", ".xlsx.csv", ".csv", ".json"}) {
    const std::string name = "kontrollberegning-" + run_id + ext;
    const std::string first = read_all(dir_.file("out/" + name));
    ASSERT_FALSE(first.empty()) << name;
    EXPECT_EQ(read_all(dir_.file("again/" + name)), first) << name;
  }
  EXPECT_EQ(cf("report " + run_id + " --format json").output,
            read_all(dir_.file("out/kontrollberegning-" + run_id + ".json")));
}

TEST_F(CareFeesE2e, ApprovalIsRefusedWhenTheLogChangedTheReport) {
  two_residents_billed_then_final();
  const std::string run_id = start_run();
  Upstream up(500);
  up.income("C000456", "final", "251000.00", "38000.00");  // a corrected assessment
  ingest(up, "late.jsonl");
  const auto r = cf("approve " + run_id + " --actor leder.b");
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_NE(r.output.find("report_changed"), std::string::npos) << r.output;
}

TEST_F(CareFeesE2e, RejectRecordsTheReasonAndClosesTheRun) {
  two_residents_billed_then_final();
  const std::string run_id = start_run();
  const auto r = cf("reject " + run_id + " --actor leder.b --reason 'venter på flere oppgjør'");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto approve = cf("approve " + run_id + " --actor leder.c");
  EXPECT_EQ(approve.exit_code, 3);
  EXPECT_NE(approve.output.find("run_closed"), std::string::npos) << approve.output;
  const auto row = run("sqlite3 " + db() +
                       " \"SELECT json_extract(payload,'$.reason') FROM events WHERE "
                       "type='care_fees.recalculation_rejected'\"");
  EXPECT_EQ(row.output, "venter på flere oppgjør\n");
}

TEST_F(CareFeesE2e, FinalDataMakesAResidentDueAndWaitingResidentsAreListed) {
  Upstream up(1);
  up.customer("C000456");
  up.stay("C000456", "S-1", "2024-06-01");
  up.income("C000456", "provisional", "260000.00", "40000.00");
  ingest(up, "a.jsonl");
  bill_year();
  EXPECT_EQ(field(cf("status").output, "due"), "0");
  const auto waiting = cf("recalc --year 2025 --actor saksbehandler.a");
  EXPECT_NE(waiting.output.find("waiting=1 "), std::string::npos) << waiting.output;
  EXPECT_NE(waiting.output.find("venter på endelig skatteoppgjør"), std::string::npos);
  up.income("C000456", "final", "260000.00", "40000.00");
  ingest(up, "b.jsonl");
  const auto status = cf("status");
  EXPECT_EQ(field(status.output, "due"), "1") << status.output;
  EXPECT_NE(status.output.find("due_for_recalculation C000456 2025"), std::string::npos);
}

// Property (seeded): with the final data equal to the provisional data, a control recalculation
// finds nothing to correct from May on, whatever the stays. (January–April bills use the G in
// force on the month's first day, the recalculation the 1 May G — issue 10, item 2 — so those
// months may differ: the parameter changed.)
TEST_F(CareFeesE2e, UnchangedDataGivesZeroCorrections) {
  const unsigned seed = 20250601;
  std::mt19937 rng(seed);
  Upstream up(1);
  const int residents = 12;
  for (int i = 0; i < residents; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "C%06d", 100 + i);
    up.customer(id);
    const int month = static_cast<int>(rng() % 12) + 1;
    char admission[16];
    std::snprintf(admission, sizeof admission, "%d-%02d-%02d", rng() % 2 ? 2024 : 2025, month,
                  static_cast<int>(rng() % 28) + 1);
    up.stay(id, "S-1", admission);
    const int pension = 120000 + static_cast<int>(rng() % 400000);
    const int tax = pension / 5;
    for (const char* status : {"provisional", "final"}) {
      up.income(id, status, std::to_string(pension) + ".00", std::to_string(tax) + ".00");
    }
  }
  ingest(up, "p.jsonl");
  bill_year();
  const auto r = cf("recalc --year 2025 --actor saksbehandler.a --out-dir " + dir_.file("out"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("residents=" + std::to_string(residents) + " "), std::string::npos)
      << "seed " << seed << "\n"
      << r.output;
  const std::string json =
      read_all(dir_.file("out/kontrollberegning-" + field(r.output, "run_id") + ".json"));
  const std::regex row(
      R"re("month":"2025-(\d\d)","charged_nok":"[^"]*","due_nok":"[^"]*","difference_nok":"([^"]*)")re");
  int rows = 0;
  for (auto it = std::sregex_iterator(json.begin(), json.end(), row); it != std::sregex_iterator();
       ++it) {
    ++rows;
    if (std::stoi((*it)[1].str()) >= 5) {
      EXPECT_EQ((*it)[2].str(), "0.00") << "seed " << seed << " month " << (*it)[1].str();
    }
  }
  EXPECT_EQ(rows, residents * 12) << "seed " << seed;
}

TEST_F(CareFeesE2e, BadInputIsRejectedWithTheField) {
  Upstream up(1);
  up.customer("C000456");
  up.income("C000999", "provisional", "100000.00", "0");  // no stay: unknown resident
  up.stay("C000456", "S-1", "2025-03-01");
  up.end("C000456", "S-1", "2025-02-01");                        // discharge before admission
  up.income("C000456", "provisional", "-5.00", "0");             // negative pension
  up.income("C000456", "provisional", "100.00", "0", "salary");  // unknown income kind
  const std::string path = dir_.file("bad.jsonl");
  up.write(path);
  const auto ingest = run(bin() + " ingest " + path + " --db " + db());
  EXPECT_EQ(ingest.exit_code, 3) << ingest.output;  // the schema refuses two at intake
  const auto dead = run(bin() + " deadletters --json --db " + db());
  EXPECT_NE(dead.output.find(R"("field":"/payload/items/0/amount")"), std::string::npos)
      << dead.output;
  EXPECT_NE(dead.output.find(R"("field":"/payload/items/0/kind")"), std::string::npos);
  EXPECT_NE(dead.output.find(R"("reason":"schema_violation")"), std::string::npos);
  // What a schema cannot see, the care-fees check reports, naming the field.
  const auto check = cf("check");
  EXPECT_EQ(check.exit_code, 3) << check.output;
  EXPECT_NE(check.output.find("C000999"), std::string::npos);
  EXPECT_NE(check.output.find("resident_unknown at payload.customer_id"), std::string::npos)
      << check.output;
  EXPECT_NE(check.output.find("end_before_admission at payload.end_date"), std::string::npos);
  EXPECT_EQ(field(check.output, "rejections"), "2");
  // Billing shows them too, and exits 3.
  const auto bill = cf("bill --year 2025 --month 3 --actor fakturering");
  EXPECT_EQ(bill.exit_code, 3) << bill.output;
  EXPECT_NE(bill.output.find("end_before_admission"), std::string::npos);
}

// Issue 10, item 10: staff set a parameter the shipped data lacks (the 2026 fribeløp) and list
// what is in force; the validation is the service library's (rules_admin.h).
TEST_F(CareFeesE2e, StaffSetAParameterAndListWhatIsInForce) {
  Upstream up(1);
  up.customer("C000456");
  ingest(up, "c.jsonl");
  const std::string set = bin() + " rules set --parameter care_fees.fribelop_nok --value 10900 " +
                          "--from 2026-01-01 --to 2026-12-31 --source Rundskriv-2026 " +
                          "--actor kari.regler --db " + db();
  const auto first = run(set);
  ASSERT_EQ(first.exit_code, 0) << first.output;
  EXPECT_EQ(field(first.output, "appended"), "1");
  EXPECT_EQ(field(run(set).output, "appended"), "0");  // the same value again: nothing more
  const auto unknown = run(bin() + " rules set --parameter care_fees.fribeloep_nok --value 1 " +
                           "--from 2026-01-01 --source x --actor kari.regler --db " + db());
  EXPECT_EQ(unknown.exit_code, 3) << unknown.output;
  EXPECT_NE(unknown.output.find("parameter_unknown"), std::string::npos) << unknown.output;
  const auto overlap = run(bin() + " rules set --parameter care_fees.fribelop_nok --value 11000 " +
                           "--from 2026-07-01 --source x --actor kari.regler --db " + db());
  EXPECT_EQ(overlap.exit_code, 3) << overlap.output;
  EXPECT_NE(overlap.output.find("parameter_overlap"), std::string::npos) << overlap.output;
  const auto list = run(bin() + " rules list --parameter care_fees.fribelop_nok --at 2026-06-01 " +
                        "--db " + db());
  ASSERT_EQ(list.exit_code, 0) << list.output;
  EXPECT_NE(list.output.find("care_fees.fribelop_nok = 10900 fra 2026-01-01 til 2026-12-31 "
                             "(care_fees.set.2026-01-01; Rundskriv-2026; satt av kari.regler)"),
            std::string::npos)
      << list.output;
  // Shipped rule data has no person as its setter.
  const auto shipped =
      run(bin() + " rules list --parameter care_fees.grunnbelop_nok --at 2025-06-01 --db " + db());
  ASSERT_EQ(shipped.exit_code, 0) << shipped.output;
  EXPECT_NE(shipped.output.find("care_fees.grunnbelop_nok = 130160 fra 2025-05-01"),
            std::string::npos)
      << shipped.output;
  EXPECT_NE(shipped.output.find("; regeldata)"), std::string::npos) << shipped.output;
}

}  // namespace
}  // namespace oppgjor::care_fees_e2e_test
