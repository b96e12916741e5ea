// Replay: fold the log (up to a sequence or a recorded_at instant) through projections into a
// fresh state store, and compute the state hash over the sorted projection contents.
//
// state_hash = SHA-256 over, for each projection in name order:
//   "projection " name "\n", then for each row in key order: key' "\t" value "\n",
// where key' is the key with '\\', tab and newline written as "\\\\", "\\t", "\\n", and value is
// canonical JSON (which never holds a raw tab or newline), so the rows can be told apart
// unambiguously (replay/README.md). It covers no log-assigned field (sequence, recorded_at,
// hashes), so the same events give the same hash however they reached the log (file or Kafka,
// any partition interleaving).
//
// replay() checks the hash chain of every row it folds, as `verify` does; on a broken chain it
// returns a result with chain.intact == false and no state hash (nothing written).
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
  std::int64_t until_sequence = 0;  // 0 = the whole log; beyond the head: until_beyond_head
  // An RFC 3339 instant with a zone (replay/instant.h); events recorded at or before it are
  // folded. Empty = none. Wins over until_sequence. Unparsable: as_of_invalid.
  std::string as_of;
  std::string out_path;  // state store file; empty = none written
};

struct ChainCheck {
  bool intact = true;
  std::int64_t first_bad_sequence = 0;  // when !intact (0: the event_index differs)
  std::string problem;                  // when !intact
};

struct ReplayResult {
  ChainCheck chain;
  std::string state_hash;          // empty when !chain.intact
  std::int64_t events = 0;         // rows read and folded (counted, not assumed)
  std::int64_t last_sequence = 0;  // the last of them; 0 when none
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
