#include "formats/ehf/totals.h"

#include "common/assert.h"
#include "common/money.h"

namespace oppgjor::formats::ehf {

using common::Decimal;
using common::Rounding;

std::optional<std::int64_t> line_amount_ore(std::int64_t quantity_milli,
                                            std::int64_t unit_price_ore) {
  OPPGJOR_ASSERT(quantity_milli >= -quantity_milli_max && quantity_milli <= quantity_milli_max,
                 "quantity beyond quantity_milli_max");
  OPPGJOR_ASSERT(unit_price_ore >= -amount_ore_max && unit_price_ore <= amount_ore_max,
                 "price beyond amount_ore_max");
  // At most 1e6 units × 1e11 NOK = 1e17 NOK: well inside Decimal's range.
  const Decimal exact = Decimal::from_scaled(quantity_milli, 3) * Decimal::from_ore(unit_price_ore);
  const Decimal limit = Decimal::from_ore(amount_ore_max);
  if (exact > limit || exact < -limit) return std::nullopt;
  return exact.to_ore(Rounding::half_up);
}

namespace {

bool same_group(const Vat& a, const Vat& b) {
  return a.category == b.category && a.rate_bp == b.rate_bp;
}

std::int64_t tax_ore(std::int64_t taxable_ore, std::int32_t rate_bp) {
  return (Decimal::from_ore(taxable_ore) * Decimal::from_scaled(rate_bp, 4))
      .to_ore(Rounding::half_up);
}

}  // namespace

Totals compute_totals(const Document& document) {
  Totals totals;
  for (const Line& line : document.lines) {
    totals.line_extension_ore += line.line_amount_ore;
    TaxSubtotal* group = nullptr;
    for (TaxSubtotal& s : totals.subtotals) {
      if (same_group(s.vat, line.vat)) group = &s;
    }
    if (group == nullptr) group = &totals.subtotals.emplace_back(TaxSubtotal{line.vat, 0, 0});
    group->taxable_ore += line.line_amount_ore;
  }
  for (TaxSubtotal& s : totals.subtotals) {
    s.tax_ore = tax_ore(s.taxable_ore, s.vat.rate_bp);
    totals.tax_ore += s.tax_ore;
  }
  totals.tax_exclusive_ore = totals.line_extension_ore;
  totals.tax_inclusive_ore = totals.tax_exclusive_ore + totals.tax_ore;
  totals.payable_ore = totals.tax_inclusive_ore;
  return totals;
}

}  // namespace oppgjor::formats::ehf
