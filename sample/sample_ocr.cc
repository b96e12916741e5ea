// A simulated bank's OCR giro file (sample_ocr.h).
#include "sample/sample_ocr.h"

#include <random>

#include "formats/ocr/ocr_writer.h"

namespace oppgjor::sample {

OcrSample sample_ocr_file(const std::vector<OpenInvoice>& items, const OcrSampleOptions& o) {
  std::mt19937_64 rng(o.seed);
  std::vector<formats::ocr::Payment> payments;
  payments.reserve(items.size() + static_cast<std::size_t>(o.unknown_kids));
  for (const OpenInvoice& item : items) {
    if (item.open_ore <= 0 || item.kid.empty()) continue;
    const int roll = static_cast<int>(rng() % 100);
    std::int64_t amount = 0;
    if (roll < o.exact_pct) {
      amount = item.open_ore;
    } else if (roll < o.exact_pct + o.partial_pct) {
      amount = item.open_ore / 2;
    } else if (roll < o.exact_pct + o.partial_pct + o.over_pct) {
      amount = item.open_ore + 10'000;
    }
    if (amount > 0) payments.push_back({item.kid, amount, o.date});
  }
  for (int i = 0; i < o.unknown_kids; ++i) {
    // A KID of the right shape that no invoice has (customer number 99999999).
    std::string kid = "99999999" + std::to_string(900'000'000 + i);
    kid += '0';
    payments.push_back({kid, 50'000 + 1'000 * i, o.date});
  }
  formats::ocr::FileParams params;
  params.transmission_number = o.transmission_number;
  params.nets_date = o.date;
  OcrSample out;
  out.bytes = formats::ocr::write_ocr_file(formats::ocr::make_ocr_file(params, payments));
  out.payments = static_cast<std::int64_t>(payments.size());
  for (const auto& p : payments) out.amount_ore += p.amount_ore;
  return out;
}

}  // namespace oppgjor::sample
