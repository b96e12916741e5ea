// Replay: fold the log (up to a sequence or a recorded_at instant) through projections into a
// fresh state store, and compute the state hash over the sorted projection contents.
//
// state_hash = SHA-256 over, for each projection in name order:
//   "projection " name "\n", then for each row in key order: key "\t" value "\n".
// It covers no log-assigned field (sequence, recorded_at, hashes), so the same events give the
// same hash however they reached the log (file or Kafka, any partition interleaving).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "events/event_log.h"
#include "replay/projection.h"

namespace oppgjor::replay {

struct ReplayOptions {
  std::int64_t until_sequence = 0;  // 0 = the whole log
  std::string as_of;                // recorded_at instant; empty = none. Wins over until.
  std::string out_path;             // state store file; empty = none written
};

struct ReplayResult {
  std::string state_hash;
  std::int64_t events = 0;
  std::int64_t last_sequence = 0;
  std::map<std::string, std::int64_t> rows_per_projection;
};

Result<ReplayResult> replay(events::EventLog& log,
                            std::vector<std::unique_ptr<Projection>>& projections,
                            const ReplayOptions& options);

// Folds without writing a store or hashing (for services that need state in memory, e.g. a
// recalculation run reading the care-fees projection).
Status fold(events::EventLog& log, std::vector<Projection*> projections,
            std::int64_t until_sequence, std::int64_t* events_folded = nullptr);

}  // namespace oppgjor::replay
