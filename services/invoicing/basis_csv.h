// Invoice bases as a batch file (`oppgjor import basis FILE.csv --source NAME`), the format
// documented in docs/INVOICING.md ("Batch file"): UTF-8 (a BOM is skipped), ';'-separated, a
// header line naming the columns, then one line per basis line:
//
//   source_reference;customer_id;claim_type;period;product_code;text;quantity;unit_price;vat_code;posting
//
//   source_reference  the source system's order number (ordrenummer); lines with the same
//                     reference, customer, claim type and period are one basis
//   period            YYYY-MM (the whole month) or YYYY-MM-DD..YYYY-MM-DD
//   quantity          decimal, '.' or ',' (≤ 4 decimals, not negative)
//   unit_price        NOK with at most two decimals, '.' or ',' ("1700,00"; negative for a
//                     reduction)
//   posting           art/funksjon/ansvar (KOSTRA), e.g. 16000/201/A1234
//
// Each basis becomes an invoicing.invoice_basis_received (event id from the source and the
// payload's content, occurred_at = period start, so the same file twice appends nothing new),
// amounts computed as the invoicing service checks them (basis.h: quantity × price rounded half-up;
// VAT per the VAT code). A bad line becomes a dead letter naming the line number and the field,
// with the line's bytes; the other lines of its basis are refused with it (nothing of a basis is
// half-imported).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "events/engine_event.h"
#include "events/schema_registry.h"
#include "services/invoicing/billing_rules.h"

namespace oppgjor::invoicing {

struct CsvRefusal {
  std::int64_t line = 0;  // 1-based line number in the file
  std::string field;      // column name
  std::string code;
  std::string message;
  std::string original;  // the line's bytes
};

struct CsvImport {
  std::vector<events::ProposedEvent> events;  // schema-checked, ready to append
  std::vector<CsvRefusal> refused;
  std::int64_t lines = 0;  // data lines read
  std::int64_t bases = 0;  // bases made
};

// Error only for a file that cannot be read as this format at all (no or wrong header).
Result<CsvImport> basis_csv_events(std::string_view bytes, std::string_view source,
                                   const events::SchemaRegistry& registry,
                                   const BillingRules& rules);

}  // namespace oppgjor::invoicing
