// Upstream events for the care-fees end-to-end tests: customers, stays and income reports as
// JSON Lines, with sequential UUIDs (tests/care_fees_e2e_test.cc, tests/regressions/).
#pragma once

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

namespace oppgjor::testing {

// Builds upstream JSON Lines with sequential UUIDs.
class Upstream {
 public:
  explicit Upstream(int id_base) : next_(id_base) {}
  void customer(const std::string& id) {
    add("customers.customer_registered", "customer/" + id, "2024-01-01", "folkeregister",
        R"({"customer_id":")" + id +
            R"(","kind":"person","national_id":"15108695088","name":"Test Testesen",)"
            R"("address":{"street":"Gate 1","postal_code":"0150","city":"OSLO"},)"
            R"("district":"bydel_sagene"})");
  }
  void stay(const std::string& id, const std::string& stay_id, const std::string& admission,
            const std::string& kind = "long_term") {
    add("care_fees.stay_started", "resident/" + id, admission, "care_records",
        R"({"customer_id":")" + id + R"(","stay_id":")" + stay_id + R"(","kind":")" + kind +
            R"(","institution_id":"SYKEHJEM-A","institution_type":"nursing_home",)"
            R"("admission_date":")" +
            admission + R"(","from_home":false,"district":"bydel_sagene"})");
  }
  void end(const std::string& id, const std::string& stay_id, const std::string& date) {
    add("care_fees.stay_ended", "resident/" + id, date, "care_records",
        R"({"customer_id":")" + id + R"(","stay_id":")" + stay_id + R"(","end_date":")" + date +
            R"(","reason":"discharge"})");
  }
  void income(const std::string& id, const std::string& status, const std::string& pension,
              const std::string& tax, const std::string& kind = "pension") {
    add("care_fees.income_reported", "resident/" + id,
        status == "final" ? "2026-06-20" : "2025-01-02", "tax_authority",
        R"({"customer_id":")" + id + R"(","income_year":2025,"status":")" + status +
            R"(","items":[{"kind":")" + kind + R"(","amount":")" + pension +
            R"(","joint":false}],"deductions":[{"kind":"tax","amount":")" + tax + R"("}]})");
  }
  // A person's command (docs/SERVICES.md), as a front end would append it: stream
  // command/<event_id>, with its actor.
  void command(const std::string& type, const std::string& payload, const std::string& actor) {
    add(type, "", "2026-01-05", "oppgjor.cli", payload, actor);
  }
  void write(const std::string& path) {
    std::ofstream out(path);
    for (const auto& l : lines_) out << l << '\n';
    lines_.clear();
  }

 private:
  void add(const std::string& type, const std::string& stream, const std::string& occurred,
           const std::string& source, const std::string& payload, const std::string& actor = {}) {
    char id[40];
    std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012d", next_++);
    const std::string s = stream.empty() ? "command/" + std::string(id) : stream;
    lines_.push_back(std::string(R"({"event_id":")") + id + R"(","type":")" + type +
                     R"(","schema_version":1,"stream":")" + s + R"(","occurred_at":")" + occurred +
                     R"(","source":")" + source + R"(",)" +
                     (actor.empty() ? "" : R"("actor":")" + actor + R"(",)") + R"("payload":)" +
                     payload + "}");
  }
  int next_;
  std::vector<std::string> lines_;
};

}  // namespace oppgjor::testing
