// A simulated bank: an OCR giro file paying open invoices, for the demo, tests and benchmarks
// (`oppgjor sample-ocr`). Deterministic (same items, options → same bytes). Of the items, in
// order: most are paid exactly, some partly (half), some with too much (+100 NOK), some not at
// all; a few payments carry a KID no invoice has (they land in suspense).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/date.h"

namespace oppgjor::sample {

struct OpenInvoice {
  std::string kid;
  std::int64_t open_ore = 0;
};

struct OcrSampleOptions {
  std::uint64_t seed = 2026;
  common::Date date;                            // settlement date of every payment
  std::string transmission_number = "0000001";  // 7 digits
  int exact_pct = 80;                           // of the items
  int partial_pct = 5;
  int over_pct = 3;      // the rest is unpaid
  int unknown_kids = 2;  // extra payments with a KID that matches nothing
};

struct OcrSample {
  std::string bytes;  // the file
  std::int64_t payments = 0;
  std::int64_t amount_ore = 0;
};

OcrSample sample_ocr_file(const std::vector<OpenInvoice>& items, const OcrSampleOptions& options);

}  // namespace oppgjor::sample
