#include "services/runtime/two_threads.h"

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

}  // namespace
}  // namespace oppgjor::runtime::two_threads_test
