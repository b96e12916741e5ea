// Helpers for the events tests: temporary files and hand-made proposed events.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "events/envelope.h"
#include "events/sha256.h"

namespace oppgjor::events::testing {

// A fresh temporary directory, removed with its contents at scope exit.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "oppgjor-test-XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) std::abort();
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// A ProposedEvent as the decoder would make it (payload canonical, content hash computed).
inline ProposedEvent proposed(const std::string& id, const std::string& stream,
                              const std::string& payload = R"({"n":1})",
                              std::optional<std::int64_t> version = std::nullopt) {
  ProposedEvent e;
  e.event_id = id;
  e.type = "test.thing_happened";
  e.schema_version = 1;
  e.stream = stream;
  e.stream_version = version;
  e.occurred_at = "2026-01-05";
  e.source = "test";
  e.payload = payload;
  e.content_hash = sha256_hex(canonical_producer_envelope(e));
  e.channel = "test";
  e.original = "{}";
  e.source_ref = "test:1";
  return e;
}

}  // namespace oppgjor::events::testing
