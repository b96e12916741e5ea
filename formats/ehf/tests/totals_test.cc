#include "formats/ehf/totals.h"

#include <gtest/gtest.h>

#include "formats/ehf/tests/samples.h"

namespace oppgjor::formats::ehf {
namespace {

TEST(LineAmount, RoundsHalfUpAwayFromZeroToWholeOre) {
  struct Row {
    std::int64_t quantity_milli, price_ore, expected_ore;
  };
  const Row rows[] = {
      {2'500, 123'457, 308'643},    // 2.5 × 1234.57 = 3086.425 → 3086.43
      {-2'500, 123'457, -308'643},  // a correction line rounds away from zero too
      {500, 1, 1},                  // 0.5 øre → 1 øre
      {499, 1, 0},                  // 0.499 øre → 0
      {1'000, 0, 0},
      {30'000, 425'000, 12'750'000},
      {1, 1, 0},  // 0.001 × 0.01
  };
  for (const Row& r : rows) {
    EXPECT_EQ(line_amount_ore(r.quantity_milli, r.price_ore), r.expected_ore)
        << r.quantity_milli << " × " << r.price_ore;
  }
}

TEST(LineAmount, RefusesBeyondTheLimit) {
  EXPECT_EQ(line_amount_ore(quantity_milli_max, amount_ore_max), std::nullopt);
  EXPECT_EQ(line_amount_ore(1'000, amount_ore_max), amount_ore_max);
}

TEST(Totals, SeveralLinesTwoRatesExact) {
  const Totals t = compute_totals(samples::several_lines_invoice_s());
  ASSERT_EQ(t.subtotals.size(), 2u);
  EXPECT_EQ(t.subtotals[0].vat.rate_bp, 2500);
  EXPECT_EQ(t.subtotals[0].taxable_ore, 2'268'000 + 308'643 + 99'999);
  EXPECT_EQ(t.subtotals[0].tax_ore, 669'161);  // 6691.605 → 6691.61
  EXPECT_EQ(t.subtotals[1].vat.rate_bp, 1500);
  EXPECT_EQ(t.subtotals[1].taxable_ore, 359'600);
  EXPECT_EQ(t.subtotals[1].tax_ore, 53'940);
  EXPECT_EQ(t.line_extension_ore, 3'036'242);
  EXPECT_EQ(t.tax_exclusive_ore, 3'036'242);
  EXPECT_EQ(t.tax_ore, 723'101);
  EXPECT_EQ(t.tax_inclusive_ore, 3'759'343);
  EXPECT_EQ(t.payable_ore, 3'759'343);
}

TEST(Totals, OutsideScopeHasOneSubtotalWithoutTax) {
  const Totals t = compute_totals(samples::nursing_home_invoice_o());
  ASSERT_EQ(t.subtotals.size(), 1u);
  EXPECT_EQ(t.subtotals[0].vat.category, VatCategory::outside_scope);
  EXPECT_EQ(t.subtotals[0].taxable_ore, 12'750'000);
  EXPECT_EQ(t.tax_ore, 0);
  EXPECT_EQ(t.payable_ore, 12'750'000);
}

}  // namespace
}  // namespace oppgjor::formats::ehf
