// on_two_threads: work on independent services' states on this thread and one helper, with the
// results handed back to this thread one by one as they are ready. for_each_on_two_threads: a
// loop over independent items split over the same two threads (the runner stamps and checks a
// large decision's outputs with it).
//
// The runner uses it for what costs most when a command ends or a process starts and touches only
// one service's own state: serialising and hashing snapshots (Service::save) and restoring them
// (Service::load). The machine has two cores (ARCHITECTURE.md); the states share nothing mutable
// (the rule data they hold is immutable after loading), and what they produce does not depend on
// the thread, so the snapshots and the loaded states are the same bytes and the same states as on
// one thread. What only one thread may touch — the SQLite connections of the log and of the
// snapshot store — stays in `consume`, which runs on the calling thread.
#pragma once

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <thread>
#include <vector>

namespace oppgjor::runtime {

// Calls make(i) exactly once for each i in [0, n), on the calling thread or on one helper thread,
// and consume(i) on the calling thread once make(i) has returned, for every i, in the order the
// makes finish (the calling thread hands a finished result on before it makes another, so at
// most about two results are alive at once). make must not throw and must not touch what another
// make(j) touches; consume may. With n < 2 everything runs on the calling thread, in order.
template <class Make, class Consume>
void on_two_threads(std::size_t n, Make&& make, Consume&& consume) {
  if (n < 2) {
    for (std::size_t i = 0; i < n; ++i) {
      make(i);
      consume(i);
    }
    return;
  }
  std::mutex m;
  std::condition_variable cv;
  std::size_t next = 0;               // the next i to make (guarded by m)
  std::vector<char> made(n, 0);       // make(i) has returned (guarded by m)
  std::vector<char> handed_on(n, 0);  // consume(i) was called or is due (this thread only)
  std::thread helper([&] {
    for (;;) {
      std::size_t i = 0;
      {
        const std::lock_guard<std::mutex> lock(m);
        if (next == n) return;
        i = next++;
      }
      make(i);
      {
        const std::lock_guard<std::mutex> lock(m);
        made[i] = 1;
      }
      cv.notify_one();
    }
  });
  std::size_t consumed = 0;
  std::vector<std::size_t> ready;
  while (consumed < n) {
    ready.clear();
    std::size_t mine = n;  // an i this thread makes now (n: none)
    {
      std::unique_lock<std::mutex> lock(m);
      for (;;) {
        for (std::size_t i = 0; i < n; ++i) {
          if (made[i] != 0 && handed_on[i] == 0) {
            handed_on[i] = 1;
            ready.push_back(i);
          }
        }
        if (!ready.empty()) break;
        if (next < n) {
          mine = next++;
          break;
        }
        cv.wait(lock);
      }
    }
    if (mine < n) {
      make(mine);
      const std::lock_guard<std::mutex> lock(m);
      made[mine] = 1;
      continue;  // handed on at the top, with whatever else is ready
    }
    for (const std::size_t i : ready) {
      consume(i);
      ++consumed;
    }
  }
  helper.join();
}

// Calls f(i) exactly once for each i in [0, n), on the calling thread or on one helper thread,
// `chunk` consecutive indices at a time, and returns when every call has returned. For work on
// independent items whose results go to their own slots (f(i) must not touch what f(j) touches
// and must not throw), so the results are the same as on one thread, in the same places. With
// n <= chunk everything runs on the calling thread, in order.
template <class F>
void for_each_on_two_threads(std::size_t n, std::size_t chunk, F&& f) {
  chunk = std::max<std::size_t>(chunk, 1);
  if (n <= chunk) {
    for (std::size_t i = 0; i < n; ++i) f(i);
    return;
  }
  std::atomic<std::size_t> next{0};
  const auto work = [&] {
    for (;;) {
      const std::size_t first = next.fetch_add(chunk, std::memory_order_relaxed);
      if (first >= n) return;
      const std::size_t last = std::min(n, first + chunk);
      for (std::size_t i = first; i < last; ++i) f(i);
    }
  };
  std::thread helper(work);
  work();
  helper.join();
}

}  // namespace oppgjor::runtime
