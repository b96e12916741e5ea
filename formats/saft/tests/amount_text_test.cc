#include "formats/saft/amount_text.h"

#include <gtest/gtest.h>

namespace oppgjor::formats::saft {
namespace {

TEST(SaftAmountText, WholeOreToTwoDecimalsExactly) {
  EXPECT_EQ(amount_text(0), "0.00");
  EXPECT_EQ(amount_text(5), "0.05");
  EXPECT_EQ(amount_text(10), "0.10");
  EXPECT_EQ(amount_text(100), "1.00");
  EXPECT_EQ(amount_text(12345), "123.45");
  EXPECT_EQ(amount_text(4'250'000), "42500.00");                  // no thousands separator
  EXPECT_EQ(amount_text(amount_ore_max), "9999999999999999.99");  // 18 digits, the XSD's limit
}

TEST(SaftAmountTextDeathTest, NegativeOrTooLargeIsABug) {
  EXPECT_DEATH(amount_text(-1), "non-negative");
  EXPECT_DEATH(amount_text(amount_ore_max + 1), "18 digits");
}

}  // namespace
}  // namespace oppgjor::formats::saft
