#include "services/runtime/two_threads.h"

#include <algorithm>
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace oppgjor::runtime::two_threads_test {
namespace {

// Every i is made once and handed on once, after it was made, on the calling thread; results
// made on the helper arrive intact.
TEST(OnTwoThreads, MakesEachOnceAndHandsEachOnAfterItWasMadeOnTheCallingThread) {
  for (const std::size_t n : {0u, 1u, 2u, 3u, 4u, 17u}) {
    std::vector<std::atomic<int>> made(n);
    std::vector<int> consumed(n, 0);
    std::vector<std::string> results(n);
    std::atomic<int> on_helper{0};
    const auto caller = std::this_thread::get_id();
    on_two_threads(
        n,
        [&](std::size_t i) {
          if (std::this_thread::get_id() != caller) ++on_helper;
          results[i] = std::string(1000 + i, static_cast<char>('a' + i % 26));
          ++made[i];
        },
        [&](std::size_t i) {
          EXPECT_EQ(std::this_thread::get_id(), caller) << "n=" << n << " i=" << i;
          EXPECT_EQ(made[i].load(), 1) << "handed on before it was made: n=" << n << " i=" << i;
          EXPECT_EQ(results[i], std::string(1000 + i, static_cast<char>('a' + i % 26)));
          ++consumed[i];
          results[i].clear();
        });
    for (std::size_t i = 0; i < n; ++i) {
      EXPECT_EQ(made[i].load(), 1) << "n=" << n << " i=" << i;
      EXPECT_EQ(consumed[i], 1) << "n=" << n << " i=" << i;
    }
    if (n < 2) {
      EXPECT_EQ(on_helper.load(), 0) << "n=" << n;
    }
  }
}

// Every index is visited exactly once, whatever the chunk and however n divides by it; at or
// under one chunk everything stays on the calling thread, in order.
TEST(ForEachOnTwoThreads, VisitsEachIndexOnceAndSmallWorkStaysOnTheCallingThread) {
  for (const std::size_t chunk : {0u, 1u, 3u, 128u}) {
    for (const std::size_t n : {0u, 1u, 2u, 127u, 128u, 129u, 1000u}) {
      std::vector<std::atomic<int>> visits(n);
      std::vector<std::size_t> results(n, 0);
      std::atomic<int> on_helper{0};
      std::vector<std::size_t> order;
      const auto caller = std::this_thread::get_id();
      for_each_on_two_threads(n, chunk, [&](std::size_t i) {
        if (std::this_thread::get_id() != caller) {
          ++on_helper;
        } else if (n <= std::max<std::size_t>(chunk, 1)) {
          order.push_back(i);
        }
        results[i] = i * i + 1;
        ++visits[i];
      });
      for (std::size_t i = 0; i < n; ++i) {
        EXPECT_EQ(visits[i].load(), 1) << "chunk=" << chunk << " n=" << n << " i=" << i;
        EXPECT_EQ(results[i], i * i + 1) << "chunk=" << chunk << " n=" << n << " i=" << i;
      }
      if (n <= std::max<std::size_t>(chunk, 1)) {
        EXPECT_EQ(on_helper.load(), 0) << "chunk=" << chunk << " n=" << n;
        ASSERT_EQ(order.size(), n);
        for (std::size_t i = 0; i < n; ++i) EXPECT_EQ(order[i], i);
      }
    }
  }
}

}  // namespace
}  // namespace oppgjor::runtime::two_threads_test
