// The index file: the log's IdIndex and StreamIndex saved beside it as `<log>.index`, so that a
// process that appends to a large log reads the event_index rows after the file only, not all of
// them (events/LOG_FORMAT.md, "The index file"). A cache, never the truth: it names the sequence
// it reflects and that row's chain hash, and a file that does not match the log is ignored (the
// index is then loaded from event_index as before). Written whole to a temporary file, synced and
// renamed into place; read by mapping it privately (copy-on-write), so a process that probes a
// few keys reads a few pages of it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "events/id_index.h"

namespace oppgjor::events {

std::string index_file_path(std::string_view log_path);

// What a usable file says it reflects.
struct IndexFileHead {
  std::int64_t through = 0;  // the last sequence indexed
  std::string hash;          // that row's chain hash
};

// Maps `path` and makes `ids` and `streams` run over its slots. Nothing (and both left as they
// were) when there is no file or it is not a complete index file of this format; the caller
// still checks the head against the log.
std::optional<IndexFileHead> map_index_file(const std::string& path, IdIndex& ids,
                                            StreamIndex& streams);

// Writes both tables as the index of the log through `head`.
Status write_index_file(const std::string& path, const IndexFileHead& head, const IdIndex& ids,
                        const StreamIndex& streams);

}  // namespace oppgjor::events
