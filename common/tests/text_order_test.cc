#include "common/text_order.h"

#include <gtest/gtest.h>

namespace oppgjor::common {
namespace {

TEST(NaturalLess, LinesOrderAsNumbers) {
  EXPECT_TRUE(natural_less("f.jsonl:9", "f.jsonl:10"));
  EXPECT_FALSE(natural_less("f.jsonl:10", "f.jsonl:9"));
  EXPECT_TRUE(natural_less("a.jsonl:100", "b.jsonl:2"));
  EXPECT_TRUE(natural_less("billing/2@99", "billing/2@100"));
  EXPECT_TRUE(natural_less("f:7", "f:07"));
  EXPECT_FALSE(natural_less("f:7", "f:7"));
  EXPECT_TRUE(natural_less("f", "f:1"));
  EXPECT_TRUE(natural_less("f:99999999999999999999998", "f:99999999999999999999999"));
}

}  // namespace
}  // namespace oppgjor::common
