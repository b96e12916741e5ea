// `oppgjor replay --check-snapshots`: proves, service by service, that the state resumed from
// its snapshot plus the tail of the log equals the state rebuilt from sequence 1, row for row
// (Service::emit). Reads only; writes nothing.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "events/event_log.h"
#include "events/schema_registry.h"
#include "services/runtime/runner.h"
#include "services/runtime/snapshot_store.h"

namespace oppgjor::runtime {

struct SnapshotCheck {
  std::string service;
  std::int64_t checkpoint = 0;
  std::int64_t snapshot_sequence = 0;  // 0: no usable snapshot (then note says why)
  std::string note;
  std::int64_t rows = 0;  // rows of the full rebuild
  std::int64_t tail = 0;  // events folded after the snapshot
  bool equal = false;
  std::string difference;  // the first differing key, when !equal
  std::int64_t snapshot_bytes = 0;
};

Result<std::vector<SnapshotCheck>> check_snapshots(events::EventLog& log,
                                                   const events::SchemaRegistry& registry,
                                                   SnapshotStore& snapshots,
                                                   const std::vector<ServiceFactory>& factories);

}  // namespace oppgjor::runtime
