// An invoice run (`oppgjor invoice run`, command invoicing.run_requested): the open bases of a
// billing period and claim types become invoices and credit notes. Pure: plan_run() decides from
// the state; the service turns the plan into events.
//
// Rules (docs/INVOICING.md):
// - A basis belongs to the period (a month) in which its period.from falls.
// - Per customer and claim type, the open invoice bases of the period become one invoice (their
//   lines in log order); each open credit basis becomes one credit note. Customers are taken in
//   customer-id order, documents of one customer by claim type, invoices before credit notes.
// - Numbers: series = the customer's partition + 1 (runtime/partition.h, murmur2 over the
//   customer id, `partitions` of the command; 1 series when 1), gapless within the series, in
//   the order above. Embedded and on Kafka a part numbers the same documents the same way
//   because a series belongs to one partition. A run with another partition count than the
//   series already have is refused (partitions_changed).
// - KID: the claim type's KID agreement over customer number and invoice number; a credit note
//   carries the KID of the invoice it credits.
// - Due date: issue date + the claim type's payment terms, moved to the next business day.
// - A credit note credits the invoice that holds the first basis it corrects (corrects
//   .ordrenummer), else the customer's latest invoice of the claim type whose period overlaps
//   the credit's period; none found: credit_of is null and the note says so.
// - An invoice whose lines sum to less than zero is not issued (left open, counted
//   negative_total): a reduction larger than the charges is for a credit basis to state.
// - Running again issues nothing new: what was invoiced is no longer open.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <simdjson.h>

#include "common/date.h"
#include "common/result.h"
#include "services/invoicing/invoice.h"
#include "services/invoicing/invoicing_state.h"
#include "services/runtime/partition.h"

namespace oppgjor::invoicing {

struct RunRequest {
  std::string period;  // "YYYY-MM"
  Date period_first;
  std::vector<std::string> claim_types;  // empty: every claim type
  Date issue_date;
  int partitions = 1;
  std::string run_id;  // the command's event id
};

// Error (a refusal) naming the field.
Result<RunRequest> decode_run_request(simdjson::dom::element payload, std::string_view run_id);

struct RunPlan {
  std::vector<Invoice> documents;
  std::int64_t invoices = 0;
  std::int64_t credit_notes = 0;
  std::int64_t customers = 0;
  std::int64_t negative_total = 0;
  std::int64_t invoiced_ore = 0;
  std::int64_t credited_ore = 0;
  std::vector<std::string> notes;  // e.g. a credit note for no invoice
};

// REQUIRES: part.count == request.partitions (or 1 when the request names none).
Result<RunPlan> plan_run(const InvoicingState& state, const RunRequest& request,
                         runtime::Part part);

}  // namespace oppgjor::invoicing
