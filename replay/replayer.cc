#include "replay/replayer.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <unordered_map>

#include "events/sha256.h"
#include "events/sqlite_util.h"

namespace oppgjor::replay {

namespace {

using events::Stmt;

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// Which projections take each event type, and whether any of them needs the payload.
class Dispatch {
 public:
  explicit Dispatch(const std::vector<Projection*>& all) : all_(all) {}
  struct Route {
    std::vector<Projection*> targets;
    bool parse = false;
  };
  const Route& route(std::string_view type) {
    auto it = routes_.find(type);
    if (it != routes_.end()) return it->second;
    Route r;
    for (auto* p : all_) {
      if (!p->wants(type)) continue;
      r.targets.push_back(p);
      r.parse = r.parse || p->needs_payload();
    }
    return routes_.emplace(std::string(type), std::move(r)).first->second;
  }

 private:
  const std::vector<Projection*>& all_;
  std::unordered_map<std::string, Route, StringHash, std::equal_to<>> routes_;
};

class HashingSink final : public RowSink {
 public:
  HashingSink(events::Sha256& h, Stmt* insert) : h_(h), insert_(insert) {}
  void start(std::string_view projection) {
    projection_ = projection;
    last_key_.clear();
    first_ = true;
    rows_ = 0;
    h_.update("projection ");
    h_.update(projection);
    h_.update("\n");
  }
  void row(std::string_view key, std::string_view value_json) override {
    if (!first_ && !(last_key_ < key)) {
      std::fprintf(stderr, "replay: projection %.*s emitted keys out of order\n",
                   static_cast<int>(projection_.size()), projection_.data());
      std::abort();  // a bug: the state hash would depend on emission order
    }
    first_ = false;
    last_key_.assign(key);
    ++rows_;
    h_.update(key);
    h_.update("\t");
    h_.update(value_json);
    h_.update("\n");
    if (insert_ != nullptr) {
      insert_->reset();
      insert_->bind(1, projection_, true);
      insert_->bind(2, key, true);
      insert_->bind(3, value_json, true);
      if (insert_->step() != SQLITE_DONE) failed_ = true;
    }
  }
  std::int64_t rows() const { return rows_; }
  bool failed() const { return failed_; }

 private:
  events::Sha256& h_;
  Stmt* insert_;
  std::string_view projection_;
  std::string last_key_;
  bool first_ = true;
  bool failed_ = false;
  std::int64_t rows_ = 0;
};

struct StateStore {
  sqlite3* db = nullptr;
  Stmt insert;
  ~StateStore() {
    insert = Stmt();
    if (db != nullptr) sqlite3_close_v2(db);
  }
};

// A fresh store: an existing file is replaced only if it is itself a state store.
Status open_fresh_store(const std::string& path, StateStore& store) {
  namespace fs = std::filesystem;
  if (fs::exists(path)) {
    sqlite3* probe = nullptr;
    bool is_state = false;
    if (sqlite3_open_v2(path.c_str(), &probe, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
      auto s = Stmt::prepare(probe, "SELECT 1 FROM sqlite_master WHERE name='replay_meta'");
      is_state = s.ok() && s->step() == SQLITE_ROW;
    }
    sqlite3_close_v2(probe);
    if (!is_state) {
      return make_error("refused", "--out", path + " exists and is not a replay state store");
    }
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(path + suffix);
  }
  if (sqlite3_open_v2(path.c_str(), &store.db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                      nullptr) != SQLITE_OK) {
    return events::sqlite_error(store.db, "open state store " + path);
  }
  if (auto st = events::exec(store.db,
                             "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
                             "CREATE TABLE state(projection TEXT NOT NULL, key TEXT NOT NULL,"
                             " value TEXT NOT NULL, PRIMARY KEY(projection, key)) WITHOUT ROWID;"
                             "CREATE TABLE replay_meta(key TEXT PRIMARY KEY, value TEXT);"
                             "BEGIN");
      !st.ok()) {
    return st;
  }
  auto ins = Stmt::prepare(store.db, "INSERT INTO state VALUES(?,?,?)");
  if (!ins.ok()) return ins.error();
  store.insert = std::move(ins.value());
  return ok_status();
}

Status write_meta(StateStore& store, const ReplayResult& r) {
  auto s = Stmt::prepare(store.db, "INSERT INTO replay_meta VALUES(?,?)");
  if (!s.ok()) return s.error();
  const std::pair<std::string, std::string> rows[] = {
      {"state_hash", r.state_hash},
      {"events", std::to_string(r.events)},
      {"last_sequence", std::to_string(r.last_sequence)},
  };
  for (const auto& [k, v] : rows) {
    s->reset();
    s->bind(1, k);
    s->bind(2, v);
    if (s->step() != SQLITE_DONE) return events::sqlite_error(store.db, "write replay meta");
  }
  return events::exec(store.db, "COMMIT");
}

}  // namespace

Status fold(events::EventLog& log, std::vector<Projection*> projections,
            std::int64_t until_sequence, std::int64_t* events_folded) {
  Dispatch dispatch(projections);
  simdjson::dom::parser parser;
  Status failure = ok_status();
  std::int64_t n = 0;
  auto st = log.scan(1, until_sequence, [&](const events::EventView& e) {
    ++n;
    const auto& route = dispatch.route(e.type);
    if (route.targets.empty()) return true;
    simdjson::dom::element payload;
    if (route.parse) {
      if (auto err = parser.parse(e.payload.data(), e.payload.size(), true).get(payload);
          err != simdjson::SUCCESS) {
        failure = make_error("corrupt_payload", "payload",
                             "sequence " + std::to_string(e.sequence) +
                                 ": stored payload is "
                                 "not JSON (run `oppgjor verify`)");
        return false;
      }
    }
    for (auto* p : route.targets) {
      if (auto s = p->apply(e, payload); !s.ok()) {
        failure = s;
        return false;
      }
    }
    return true;
  });
  if (!st.ok()) return st;
  if (events_folded != nullptr) *events_folded = n;
  return failure;
}

Result<ReplayResult> replay(events::EventLog& log,
                            std::vector<std::unique_ptr<Projection>>& projections,
                            const ReplayOptions& options) {
  std::int64_t until = options.until_sequence;
  if (!options.as_of.empty()) {
    auto seq = log.sequence_as_of(options.as_of);
    if (!seq.ok()) return seq.error();
    until = *seq;
    if (until == 0) until = -1;  // nothing recorded by then: fold no event
  }
  std::vector<Projection*> raw;
  for (auto& p : projections) raw.push_back(p.get());
  std::sort(raw.begin(), raw.end(),
            [](const Projection* a, const Projection* b) { return a->name() < b->name(); });

  ReplayResult result;
  if (until >= 0) {
    if (auto st = fold(log, raw, until, &result.events); !st.ok()) return st.error();
  }
  auto head = log.head();
  if (!head.ok()) return head.error();
  result.last_sequence =
      until > 0 ? std::min(until, head->sequence) : (until == 0 ? head->sequence : 0);

  StateStore store;
  if (!options.out_path.empty()) {
    if (auto st = open_fresh_store(options.out_path, store); !st.ok()) return st.error();
  }
  events::Sha256 h;
  HashingSink sink(h, options.out_path.empty() ? nullptr : &store.insert);
  for (auto* p : raw) {
    sink.start(p->name());
    p->emit(sink);
    result.rows_per_projection[std::string(p->name())] = sink.rows();
  }
  if (sink.failed()) return events::sqlite_error(store.db, "write state rows");
  result.state_hash = events::to_hex(h.finish());
  if (!options.out_path.empty()) {
    if (auto st = write_meta(store, result); !st.ok()) return st.error();
  }
  return result;
}

}  // namespace oppgjor::replay
