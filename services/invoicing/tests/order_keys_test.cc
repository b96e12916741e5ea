// The invoicing state's set of order keys (order_keys.h).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "services/invoicing/order_keys.h"

namespace oppgjor::invoicing {
namespace {

TEST(OrderKeys, AKeyIsTheEscapedIssuerAndOrdrenummerJoinedByATab) {
  EXPECT_EQ(order_set_key("BHG_SAGENE", "O-1"), "BHG_SAGENE\tO-1");
  EXPECT_EQ(order_set_key("A\tB", "1\\2\n"), "A\\tB\t1\\\\2\\n");
  // The join cannot be mistaken: a tab inside a value is escaped.
  EXPECT_NE(order_set_key("A\tB", "C"), order_set_key("A", "B\tC"));
}

TEST(OrderKeys, HoldsViewsAndOwnKeysThroughGrowthAndErasure) {
  OrderKeys keys;
  EXPECT_FALSE(keys.contains("x"));
  keys.erase("x");  // nothing to erase
  std::vector<std::string> viewed;
  for (int i = 0; i < 5000; ++i) viewed.push_back("ISSUER\tV-" + std::to_string(i));
  keys.reserve_more(100);  // less than what comes: it grows as it fills
  for (const auto& k : viewed) keys.insert_view(k);
  for (int i = 0; i < 5000; ++i) keys.insert("ISSUER\tO-" + std::to_string(i));  // copies kept
  keys.insert("ISSUER\tV-7");  // already there (a view): no second entry
  EXPECT_EQ(keys.size(), 10000u);
  for (int i = 0; i < 5000; i += 2) {
    keys.erase("ISSUER\tV-" + std::to_string(i));
    keys.erase("ISSUER\tO-" + std::to_string(i));
  }
  EXPECT_EQ(keys.size(), 5000u);
  for (int i = 0; i < 5000; ++i) {
    const bool odd = i % 2 == 1;
    EXPECT_EQ(keys.contains("ISSUER\tV-" + std::to_string(i)), odd) << i;
    EXPECT_EQ(keys.contains("ISSUER\tO-" + std::to_string(i)), odd) << i;
  }
  // An erased key can come back, and erasing many leaves room for as many new ones.
  keys.insert("ISSUER\tO-0");
  EXPECT_TRUE(keys.contains("ISSUER\tO-0"));
  for (int i = 0; i < 20000; ++i) keys.insert("NEW\t" + std::to_string(i));
  EXPECT_EQ(keys.size(), 25001u);
  EXPECT_TRUE(keys.contains("NEW\t19999"));
  EXPECT_TRUE(keys.contains("ISSUER\tV-4999"));
  EXPECT_FALSE(keys.contains("ISSUER\tV-4998"));
}

}  // namespace
}  // namespace oppgjor::invoicing
