// A ledger service driven as the runner drives it (decide(e), fold(e), fold(outputs)), for the
// ledger's tests: documents issued by a command, the invoicing service's answer, any event.
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <simdjson.h>

#include "services/invoicing/invoice.h"
#include "services/ledger/ledger_service.h"
#include "services/runtime/commands.h"

namespace oppgjor::ledger::ledger_testing {

class Rows final : public replay::RowSink {
 public:
  void row(std::string_view key, std::string_view value) override {
    all += std::string(key) + "=" + std::string(value) + "\n";
  }
  std::string all;
};

class Harness {
 public:
  Harness() : service_(make_ledger_service()) {}

  void restart() {
    auto fresh = make_ledger_service();
    ASSERT_TRUE(fresh->load(service_->save()).ok());
    service_ = std::move(fresh);
  }

  // An event folded alone (no decision): as a ledger that only reads the log would see it.
  void fold_only(const std::string& type, const std::string& payload) {
    simdjson::dom::element doc;
    ASSERT_EQ(parser_.parse(payload).get(doc), simdjson::SUCCESS) << payload;
    events::EventView e;
    e.type = type;
    e.event_id = "f" + std::to_string(++counter_);
    e.payload = payload;
    auto folded = service_->fold(e, doc);
    EXPECT_TRUE(folded.ok()) << (folded.ok() ? "" : folded.error().message);
  }

  // The same, giving the fold's answer (a refused event's error).
  Status fold_status(const std::string& type, const std::string& payload) {
    simdjson::dom::element doc;
    if (parser_.parse(payload).get(doc) != simdjson::SUCCESS) {
      return make_error("malformed_json", "payload", payload);
    }
    events::EventView e;
    e.type = type;
    e.event_id = "f" + std::to_string(++counter_);
    e.payload = payload;
    return service_->fold(e, doc);
  }

  // One event as the runner delivers it: decide, fold, fold the outputs. Returns the outputs.
  std::vector<events::EngineEvent> feed(const std::string& type, const std::string& payload,
                                        const std::string& cause) {
    const std::string id = "e" + std::to_string(++counter_);
    events::EventView e;
    e.type = type;
    e.event_id = id;
    e.occurred_at = "2026-02-05T08:00:00Z";
    e.actor = "tester";
    e.causation_id = cause;
    e.payload = payload;
    e.stream = "test/" + id;
    simdjson::dom::element doc;
    EXPECT_EQ(parser_.parse(payload).get(doc), simdjson::SUCCESS) << payload;
    std::vector<events::EngineEvent> out;
    if (service_->decides(type)) {
      auto decided = service_->decide(e, doc, runtime::Part{});
      EXPECT_TRUE(decided.ok()) << (decided.ok() ? "" : decided.error().message);
      if (decided.ok()) out = std::move(decided).value();
    }
    EXPECT_TRUE(service_->fold(e, doc).ok());
    for (const auto& o : out) {
      simdjson::dom::parser p2;
      simdjson::dom::element od;
      EXPECT_EQ(p2.parse(o.payload_json).get(od), simdjson::SUCCESS);
      events::EventView ov;
      ov.type = o.type;
      ov.event_id = "o";
      ov.causation_id = id;
      ov.payload = o.payload_json;
      auto folded = service_->fold(ov, od);
      EXPECT_TRUE(folded.ok()) << (folded.ok() ? "" : folded.error().message);
    }
    return out;
  }

  // A document issued by `command`: an invoice, or a credit note of `credit_of` when given.
  void document(const std::string& command, int sequence, const std::string& customer,
                std::int64_t total, const std::string& credit_of = {}) {
    invoicing::Invoice inv;
    inv.kind =
        credit_of.empty() ? invoicing::DocumentKind::invoice : invoicing::DocumentKind::credit_note;
    inv.series = 1;
    inv.sequence = sequence;
    inv.invoice_number = invoicing::invoice_number_of(1, sequence);
    inv.customer_id = customer;
    inv.claim_type = "kindergarten";
    if (credit_of.empty()) {
      char kid[32];
      std::snprintf(kid, sizeof kid, "%07d%010d", sequence, sequence);
      inv.kid = kid;
    } else {
      inv.credit_of = credit_of;
    }
    inv.issue_date = *common::Date::parse("2026-02-05");
    inv.due_date = *common::Date::parse("2026-02-20");
    inv.period_from = *common::Date::parse("2026-01-01");
    inv.period_to = *common::Date::parse("2026-01-31");
    invoicing::InvoiceLine line;
    line.product_code = "BHG";
    line.text = "Foreldrebetaling";
    line.quantity = "1";
    line.unit_price_ore = total;
    line.amount_ore = total;
    line.vat_code = "0";
    inv.lines.push_back(line);
    inv.net_ore = total;
    inv.total_ore = total;
    inv.basis_event_ids = {"b" + std::to_string(sequence)};
    inv.run_id = command;
    inv.rule_version = "test";
    EXPECT_TRUE(feed("invoicing.invoice_issued", invoicing::invoice_payload(inv), command).empty())
        << "a document is posted only when its command is answered";
  }

  // The invoicing service's answer to `command`.
  std::vector<events::EngineEvent> answer(const std::string& command,
                                          const std::string& service = "invoicing") {
    const std::string payload =
        R"({"command_event_id":")" + command +
        R"(","command_type":"invoicing.run_requested","counts":{},"service":")" + service + R"("})";
    return feed(std::string(runtime::command_completed_type), payload, command);
  }

  std::string rows() const {
    Rows r;
    service_->emit(r);
    return r.all;
  }
  const LedgerState& state() const { return service_->state(); }

 private:
  std::unique_ptr<LedgerService> service_;
  simdjson::dom::parser parser_;
  int counter_ = 0;
};

}  // namespace oppgjor::ledger::ledger_testing
