// The set of strings held as views (view_set.h): its own keys kept in an arena across chunks,
// long keys in chunks of their own, the empty key, views of the caller's bytes, erasure.
#include "common/view_set.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace oppgjor::common {
namespace {

TEST(ViewSet, KeepsItsOwnKeysAcrossChunksAndTellsWhetherAKeyWasNew) {
  ViewSet set;
  std::vector<std::string> keys;
  keys.reserve(20003);
  for (int i = 0; i < 20000; ++i) keys.push_back("0000001/0000002/" + std::to_string(i));
  keys.push_back(std::string(100000, 'x'));  // longer than a chunk
  keys.push_back(std::string(20000, 'y'));   // a chunk of its own too
  keys.emplace_back();                       // the empty key
  for (const auto& k : keys) EXPECT_TRUE(set.insert(k)) << k.size();
  for (const auto& k : keys) EXPECT_FALSE(set.insert(k)) << k.size();
  EXPECT_EQ(set.size(), keys.size());
  // The set holds copies: the caller's strings may go.
  const std::vector<std::string> copies = keys;
  keys.clear();
  keys.shrink_to_fit();
  for (const auto& k : copies) EXPECT_TRUE(set.contains(k)) << k.size();
  EXPECT_FALSE(set.contains("0000001/0000002/20000"));
  EXPECT_FALSE(set.contains(std::string(100001, 'x')));

  set.erase("");
  EXPECT_FALSE(set.contains(""));
  EXPECT_TRUE(set.insert(""));
  set.erase("0000001/0000002/7");
  EXPECT_FALSE(set.contains("0000001/0000002/7"));
  EXPECT_EQ(set.size(), copies.size() - 1);

  // Moved, its views still good; the set moved from is empty and takes new keys of its own.
  ViewSet moved = std::move(set);
  EXPECT_TRUE(moved.contains("0000001/0000002/19999"));
  EXPECT_TRUE(moved.contains(std::string(20000, 'y')));
  // NOLINTNEXTLINE(bugprone-use-after-move): the state after a move is part of the contract
  EXPECT_EQ(set.size(), 0u);
  EXPECT_TRUE(set.insert("fresh"));
  EXPECT_TRUE(set.contains("fresh"));
  EXPECT_FALSE(moved.contains("fresh"));
}

TEST(ViewSet, AViewOfTheCallersBytesIsHeldAsItIs) {
  const std::string bytes = "issuer\tO-1";
  ViewSet set;
  set.insert_view(bytes);
  EXPECT_TRUE(set.contains("issuer\tO-1"));
  EXPECT_FALSE(set.insert("issuer\tO-1"));  // there already: not copied
  EXPECT_EQ(set.size(), 1u);
}

}  // namespace
}  // namespace oppgjor::common
