// Properties of invoicing and the ledger, end to end through the binary, for random customers,
// invoice bases and OCR payments (a few seeds; the seed is printed on failure):
//   - every transaction of every ledger.transactions_posted balances (debits = credits; a compact
//     payment row's amount is its applications plus its credit balance);
//   - the open items (credit-balance rows included) sum to the receivables account 1500;
//   - replay gives the same state hash twice, and again after deleting <db>.snapshots;
//   - importing a payment file twice equals importing it once (trial balance, state hash);
//   - invoice numbers in the series are gapless, 10000001 … 1000000n;
//   - an OCR file decided in parts (--partitions 4, as the ledger instances on a Kafka topic of 4
//     partitions decide it) books exactly what the whole decision books: the same answer, open
//     items, suspense, statements and trial balance.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/cli_run.h"
#include "tests/support/process.h"
#include "tests/support/test_support.h"

namespace oppgjor::billing_property_test {
namespace {

using events::testing::TempDir;

struct Inv {
  std::string number;
  std::string kid;
  std::int64_t total_ore = 0;
};

class BillingProperty : public ::testing::TestWithParam<std::uint64_t> {
 protected:
  std::string db() const { return dir_.file(db_name_); }
  testing::CliResult cli(const std::string& args) {
    return testing::run_split(testing::bin() + " " + args + " --db " + db(), dir_.path());
  }
  std::string ok(const std::string& args) {
    auto r = cli(args);
    EXPECT_EQ(r.exit_code, 0) << args << "\n" << r.out << r.err;
    return r.out;
  }
  void use_db(const std::string& name) { db_name_ = name; }
  std::string state_hash() { return testing::field(ok("replay"), "state_hash"); }
  std::string trial_balance() {
    return ok("report trial-balance --as-of 2030-12-31 --format json");
  }

  // Upstream events: customers and one to three bases each for January 2026.
  void generate(std::mt19937_64& rng, int customers) {
    static const char* types[] = {"kindergarten", "after_school", "nursing_home", "municipal_fees"};
    static const char* quantities[] = {"1", "2", "0.5", "0.25", "1.5"};
    std::string out;
    int id = 0;
    const auto envelope = [&](const std::string& type, const std::string& customer,
                              const std::string& payload) {
      char eid[40];
      std::snprintf(eid, sizeof eid, "00000000-0000-4000-8000-%012d", ++id);
      out += std::string(R"({"event_id":")") + eid + R"(","type":")" + type +
             R"(","schema_version":1,"stream":"customer/)" + customer +
             R"(","occurred_at":"2026-01-20","source":"property","payload":)" + payload + "}\n";
    };
    for (int c = 1; c <= customers; ++c) {
      char cid[16];
      std::snprintf(cid, sizeof cid, "C%06d", 500 + c);
      envelope("customers.customer_registered", cid,
               std::string(R"({"customer_id":")") + cid +
                   R"(","kind":"person","national_id":"15108695088","name":"Prop Test",)"
                   R"("address":{"street":"Gate 1","postal_code":"0150","city":"OSLO"}})");
      const int bases = 1 + static_cast<int>(rng() % 3);
      for (int b = 0; b < bases; ++b) {
        const std::string type = types[rng() % 4];
        std::string lines;
        std::int64_t net = 0;
        const int n = 1 + static_cast<int>(rng() % 3);
        for (int l = 0; l < n; ++l) {
          const std::string q = quantities[rng() % 5];
          const std::int64_t price = 1000 + static_cast<std::int64_t>(rng() % 300000);
          // antall × pris_ore, half-up: every quantity here has at most two decimals.
          const std::int64_t hundredths = q == "1"      ? 100
                                          : q == "2"    ? 200
                                          : q == "0.5"  ? 50
                                          : q == "0.25" ? 25
                                                        : 150;
          net += (price * hundredths + 50) / 100;
          if (!lines.empty()) lines += ',';
          lines +=
              R"({"vare":{"kode":"P)" + std::to_string(l) +
              R"(","navn":"Vare","kontering":{"art":"16000","funksjon":"201","ansvar":"OK_01"}},"antall":")" +
              q + R"(","pris_ore":)" + std::to_string(price) + R"(,"mva_kode":"0"})";
        }
        const std::string total = std::to_string(net);
        envelope("invoicing.invoice_basis_received", cid,
                 std::string(R"({"ordrenummer":"P-)") + cid + "-" + std::to_string(b) +
                     R"(","customer_id":")" + cid + R"(","fakturautsteder":"PROP","claim_type":")" +
                     type +
                     R"(","period":{"from":"2026-01-01","to":"2026-01-31"},"fakturalinjer":[)" +
                     lines + R"(],"nettobelop_ore":)" + total +
                     R"(,"avgiftsbelop_ore":0,"totalbelop_ore":)" + total + "}");
      }
    }
    std::ofstream(dir_.file("up.jsonl")) << out;
  }

  std::vector<Inv> invoices() {
    std::vector<Inv> out;
    const std::string json = ok("invoice list --format json");
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    EXPECT_EQ(parser.parse(json).get(doc), simdjson::SUCCESS) << json;
    for (auto row : doc.get_array()) {
      Inv i;
      i.number = std::string(std::string_view(row["invoice_number"].get_string()));
      i.kid = std::string(std::string_view(row["kid"].get_string()));
      i.total_ore = row["total_ore"].get_int64();
      out.push_back(i);
    }
    return out;
  }

  // Random payments on the invoices: exact, partial, over, unknown KID, no KID.
  std::string payment_file(std::mt19937_64& rng, const std::vector<Inv>& invs, int transmission) {
    std::vector<formats::ocr::Payment> pays;
    const auto date = *common::Date::parse("2026-02-20");
    for (int k = 0; k < 12; ++k) {
      const Inv& inv = invs[rng() % invs.size()];
      std::int64_t amount = inv.total_ore;
      std::string kid = inv.kid;
      switch (rng() % 5) {
        case 0:
          break;
        case 1:
          amount = 1 + static_cast<std::int64_t>(rng() % std::max<std::int64_t>(amount, 1));
          break;
        case 2:
          amount += 1 + static_cast<std::int64_t>(rng() % 50000);
          break;
        case 3:
          kid = "00009999" + std::to_string(100000000 + rng() % 100000000) + "0";
          break;
        default:
          kid.clear();
          amount = 100 + static_cast<std::int64_t>(rng() % 10000);
          break;
      }
      if (amount <= 0) amount = 100;
      pays.push_back({kid, amount, date});
    }
    const std::string name = "pay" + std::to_string(transmission) + ".ocr";
    std::ofstream(dir_.file(name), std::ios::binary)
        << testing::ocr_file_text(date, transmission, pays);
    return dir_.file(name);
  }

  TempDir dir_;
  std::string db_name_ = "p.db";
};

std::int64_t receivables_balance(const std::string& tb_json) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  EXPECT_EQ(parser.parse(tb_json).get(doc), simdjson::SUCCESS) << tb_json;
  for (auto row : doc.get_array()) {
    if (std::string_view(row["account"].get_string()) == "1500") {
      return row["debit_ore"].get_int64().value() - row["credit_ore"].get_int64().value();
    }
  }
  return 0;
}

TEST_P(BillingProperty, LedgerInvariantsHold) {
  const std::uint64_t seed = GetParam();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  generate(rng, 6 + static_cast<int>(rng() % 6));
  ok("ingest " + dir_.file("up.jsonl"));
  ok("invoice run --period 2026-01 --issue-date 2026-01-30 --actor prop");
  const auto invs = invoices();
  ASSERT_FALSE(invs.empty());

  // Gapless numbers 10000001 … in series 1.
  std::vector<std::string> numbers;
  for (const auto& i : invs) numbers.push_back(i.number);
  std::sort(numbers.begin(), numbers.end());
  for (std::size_t k = 0; k < numbers.size(); ++k) {
    EXPECT_EQ(numbers[k], std::to_string(10000001 + k));
  }

  const std::string first = payment_file(rng, invs, 1);
  ok("payments import-ocr " + first);
  const std::string tb_once = trial_balance();
  const std::string hash_once = state_hash();
  const auto again = cli("payments import-ocr " + first + " --format json");
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find(R"("duplicate_file":true)"), std::string::npos) << again.out;
  EXPECT_EQ(trial_balance(), tb_once);
  EXPECT_EQ(state_hash(), hash_once);

  ok("payments import-ocr " + payment_file(rng, invs, 2));

  // Every posted transaction balances.
  const auto posted = testing::run_split(
      "sqlite3 " + db() +
          " \"SELECT payload FROM events WHERE type='ledger.transactions_posted' ORDER BY rowid\"",
      dir_.path());
  ASSERT_EQ(posted.exit_code, 0) << posted.err;
  std::istringstream lines(posted.out);
  std::string line;
  int transactions = 0;
  int compact = 0;  // compact payment rows among them
  while (std::getline(lines, line)) {
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    ASSERT_EQ(parser.parse(line).get(doc), simdjson::SUCCESS) << line;
    for (auto tx : doc["transactions"].get_array()) {
      simdjson::dom::array entries;
      if (tx["entries"].get(entries) != simdjson::SUCCESS) {
        // A compact payment row (v2): one amount, D bank / C receivables on the event's
        // payment_accounts, all of it settling open items or becoming a credit balance.
        ASSERT_EQ(doc["payment_accounts"].error(), simdjson::SUCCESS) << line;
        std::int64_t applied = 0;
        if (tx["credit_balance_ore"].error() == simdjson::SUCCESS) {
          applied += tx["credit_balance_ore"].get_int64().value();
        }
        if (tx["applications"].error() == simdjson::SUCCESS) {
          for (auto a : tx["applications"].get_array())
            applied += a["amount_ore"].get_int64().value();
        }
        EXPECT_EQ(applied, tx["amount_ore"].get_int64().value()) << simdjson::minify(tx);
        ++compact;
        ++transactions;
        continue;
      }
      std::int64_t debit = 0;
      std::int64_t credit = 0;
      for (auto e : entries) {
        debit += e["debit_ore"].get_int64().value();
        credit += e["credit_ore"].get_int64().value();
      }
      EXPECT_EQ(debit, credit) << simdjson::minify(tx);
      ++transactions;
    }
  }
  EXPECT_GT(transactions, 0);
  EXPECT_GT(compact, 0);

  // Open items (credit balances included) = receivables 1500.
  const std::string tb = trial_balance();
  simdjson::dom::parser parser;
  simdjson::dom::element items;
  const std::string open = ok("report open-items --as-of 2030-12-31 --format json");
  ASSERT_EQ(parser.parse(open).get(items), simdjson::SUCCESS) << open;
  std::int64_t open_sum = 0;
  for (auto row : items.get_array()) open_sum += row["open_ore"].get_int64().value();
  EXPECT_EQ(open_sum, receivables_balance(tb)) << open << "\n" << tb;

  // Every service's snapshot plus its tail equals a full rebuild, row for row (exit 4 if not):
  // the ledger's and invoicing's snapshots hold documents, postings and bases as record lines.
  const std::string checked = ok("replay --check-snapshots");
  for (const char* service : {"collection", "invoicing", "ledger"}) {
    const std::size_t at = checked.find(std::string("snapshot service=") + service + " ");
    ASSERT_NE(at, std::string::npos) << service << " was not checked:\n" << checked;
    const std::string row = checked.substr(at, checked.find('\n', at) - at);
    // from a snapshot it loaded (a note says why not), equal to the full rebuild
    EXPECT_EQ(row.find("note="), std::string::npos) << row;
    EXPECT_NE(row.find(" equal"), std::string::npos) << row;
  }
  // Replay: the same hash twice, and without the snapshots.
  const std::string h1 = state_hash();
  EXPECT_FALSE(h1.empty());
  EXPECT_EQ(state_hash(), h1);
  std::filesystem::remove(db() + ".snapshots");
  EXPECT_EQ(state_hash(), h1);
  EXPECT_EQ(trial_balance(), tb);
}

TEST_P(BillingProperty, PaymentsDecidedInPartsBookWhatTheWholeDecisionBooks) {
  const std::uint64_t seed = GetParam();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  generate(rng, 12 + static_cast<int>(rng() % 8));
  std::string file;
  std::vector<std::string> answers, reports;
  for (const char* mode : {"whole", "parts"}) {
    use_db(std::string(mode) + ".db");
    ok("ingest " + dir_.file("up.jsonl"));
    ok("invoice run --period 2026-01 --issue-date 2026-01-30 --partitions 4 --actor prop");
    if (file.empty()) file = payment_file(rng, invoices(), 1);
    const std::string parts = std::string(mode) == "parts" ? " --partitions 4" : "";
    std::string answer = ok("payments import-ocr " + file + parts + " --format json");
    answers.push_back(answer);
    reports.push_back(ok("report open-items --as-of 2030-12-31 --format json") +
                      ok("payments suspense --format json") + trial_balance());
  }
  EXPECT_EQ(answers[0], answers[1]);
  EXPECT_EQ(reports[0], reports[1]);
  // The parts were really decided apart: one posting per part that had payments, each on its
  // own stream.
  const auto streams = testing::run_split(
      "sqlite3 " + dir_.file("parts.db") +
          " \"SELECT count(DISTINCT stream) FROM events WHERE type='ledger.transactions_posted'"
          " AND stream LIKE 'ledger/payments.%.p_'\"",
      dir_.path());
  EXPECT_GT(std::stoi(streams.out), 1) << streams.out << streams.err;
}

INSTANTIATE_TEST_SUITE_P(Seeds, BillingProperty, ::testing::Values(1u, 2u, 3u, 20260130u));

}  // namespace
}  // namespace oppgjor::billing_property_test
