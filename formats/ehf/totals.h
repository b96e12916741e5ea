// The document's VAT breakdown and monetary totals, computed exactly from its lines.
//
// One TaxSubtotal per (VAT category, rate), in order of first appearance among the lines; its
// tax is taxable × rate rounded half up (away from zero) to whole øre, once per subtotal (BR-CO-17,
// BR-S-09). Totals: LineExtensionAmount = Σ line amounts (BR-CO-10); TaxExclusiveAmount = that
// (no document-level allowances or charges are written); TaxInclusiveAmount = exclusive + Σ tax
// (BR-CO-15); PayableAmount = inclusive (no prepaid amount, BR-CO-16).
//
// REQUIRES: validate_document(document).ok() (amounts within limits, one exemption reason per
// subtotal). Pure; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "formats/ehf/document.h"

namespace oppgjor::formats::ehf {

struct TaxSubtotal {
  Vat vat;  // category, rate and exemption reason shared by its lines
  std::int64_t taxable_ore = 0;
  std::int64_t tax_ore = 0;
};

struct Totals {
  std::vector<TaxSubtotal> subtotals;
  std::int64_t line_extension_ore = 0;
  std::int64_t tax_exclusive_ore = 0;
  std::int64_t tax_ore = 0;
  std::int64_t tax_inclusive_ore = 0;
  std::int64_t payable_ore = 0;
};

Totals compute_totals(const Document& document);

// quantity × unit price rounded half up (away from zero) to whole øre; nullopt when the result
// exceeds amount_ore_max. Both arguments must be within quantity_milli_max / amount_ore_max.
std::optional<std::int64_t> line_amount_ore(std::int64_t quantity_milli,
                                            std::int64_t unit_price_ore);

// Limits the validator enforces, so every sum fits in int64 with room to spare.
inline constexpr std::int64_t amount_ore_max = 10'000'000'000'000;  // 100 000 000 000 NOK
inline constexpr std::int64_t quantity_milli_max = 1'000'000'000;   // 1 000 000 units
inline constexpr std::size_t lines_max = 10'000;

}  // namespace oppgjor::formats::ehf
