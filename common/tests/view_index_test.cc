// ViewIndex (view_index.h): string view → pointer, over keys the caller keeps in place.
#include "common/view_index.h"

#include <gtest/gtest.h>

#include <deque>
#include <string>

namespace oppgjor::common {
namespace {

struct Thing {
  std::string key;
  int value = 0;
};

TEST(ViewIndex, FindsEachOfManyKeysAndNoOtherAcrossGrowth) {
  std::deque<Thing> things;  // never moves what it holds
  ViewIndex<Thing> index;
  EXPECT_EQ(index.find("x"), nullptr);  // empty: no slot at all
  for (int i = 0; i < 5000; ++i) {
    things.push_back({"1000" + std::to_string(i), i});
    index.insert_or_assign(things.back().key, &things.back());
  }
  EXPECT_EQ(index.size(), 5000u);
  for (int i = 0; i < 5000; ++i) {
    const Thing* t = index.find("1000" + std::to_string(i));
    ASSERT_NE(t, nullptr) << i;
    EXPECT_EQ(t->value, i);
  }
  EXPECT_EQ(index.find("10005000"), nullptr);
  EXPECT_EQ(index.find(""), nullptr);
  EXPECT_FALSE(index.contains("9"));
  // The empty key is a key like any other.
  things.push_back({"", -1});
  index.insert_or_assign(things.back().key, &things.back());
  ASSERT_NE(index.find(""), nullptr);
  EXPECT_EQ(index.find("")->value, -1);
}

TEST(ViewIndex, AKeyAddedAgainPointsAtTheNewValueAndViewsItsNewBytes) {
  std::deque<Thing> things;
  ViewIndex<Thing> index;
  things.push_back({"10000001", 1});
  index.insert_or_assign(things.back().key, &things.back());
  things.push_back({"10000001", 2});
  index.insert_or_assign(things.back().key, &things.back());
  EXPECT_EQ(index.size(), 1u);
  ASSERT_NE(index.find("10000001"), nullptr);
  EXPECT_EQ(index.find("10000001")->value, 2);
  // The first key's bytes may go: the index views the second's.
  things.front().key = "changed";
  EXPECT_EQ(index.find("10000001")->value, 2);
  EXPECT_EQ(index.find("changed"), nullptr);
}

}  // namespace
}  // namespace oppgjor::common
