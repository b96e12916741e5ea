#include "replay/replayer.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <thread>
#include <unordered_map>

#include "events/schema_registry.h"
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
    if (last_ != nullptr && type == last_type_) return *last_;  // runs of one type are common
    auto it = routes_.find(type);
    if (it != routes_.end()) return remember(it->first, it->second);
    Route r;
    for (auto* p : all_) {
      if (!p->wants(type)) continue;
      r.targets.push_back(p);
      r.parse = r.parse || p->needs_payload();
    }
    auto ins = routes_.emplace(std::string(type), std::move(r)).first;
    return remember(ins->first, ins->second);
  }

 private:
  const Route& remember(const std::string& type, const Route& r) {
    last_type_ = type;
    last_ = &r;
    return r;
  }
  const std::vector<Projection*>& all_;
  std::unordered_map<std::string, Route, StringHash, std::equal_to<>> routes_;
  std::string_view last_type_;  // a key of routes_ (stable: unordered_map nodes do not move)
  const Route* last_ = nullptr;
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

namespace {

// Renders rows as "key\tvalue\n" into one buffer (hashed later, in projection order).
class BufferSink final : public RowSink {
 public:
  explicit BufferSink(std::string_view projection) : projection_(projection) {}
  void row(std::string_view key, std::string_view value_json) override {
    if (rows_ > 0 && !(last_key_ < key)) {
      std::fprintf(stderr, "replay: projection %.*s emitted keys out of order\n",
                   static_cast<int>(projection_.size()), projection_.data());
      std::abort();  // a bug: the state hash would depend on emission order
    }
    last_key_.assign(key);
    ++rows_;
    out.append(key);
    out += '\t';
    out.append(value_json);
    out += '\n';
  }
  std::string out;
  std::int64_t rows() const { return rows_; }

 private:
  std::string_view projection_;
  std::string last_key_;
  std::int64_t rows_ = 0;
};

struct Rendered {
  std::string name;
  std::string rows;  // "key\tvalue\n" lines in key order
  std::int64_t count = 0;
};

using ScanFn = std::function<Status(const std::function<bool(const events::EventView&)>&)>;

// Folds `group` from one scan: each event to the projections that want it, its payload parsed
// once when any of them reads it. Counts the events scanned in *n when n is given.
Status fold_group(const std::vector<Projection*>& group, const ScanFn& scan, std::int64_t* n) {
  Dispatch dispatch(group);
  simdjson::dom::parser parser;
  Status failure = ok_status();
  auto st = scan([&](const events::EventView& e) {
    if (n != nullptr) ++*n;
    const auto& route = dispatch.route(e.type);
    if (route.targets.empty()) return true;
    simdjson::dom::element payload;
    if (route.parse &&
        parser.parse(e.payload.data(), e.payload.size(), true).get(payload) != simdjson::SUCCESS) {
      failure = make_error("corrupt_payload", "payload",
                           "sequence " + std::to_string(e.sequence) +
                               ": stored payload is not JSON (run `oppgjor verify`)");
      return false;
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
  return failure;
}

// Folds `group` from one scan and renders each projection's rows.
Status fold_and_render(const std::vector<Projection*>& group, const ScanFn& scan,
                       std::vector<Rendered>& out) {
  if (auto st = fold_group(group, scan, nullptr); !st.ok()) return st;
  for (auto* p : group) {
    BufferSink sink(p->name());
    p->emit(sink);
    out.push_back(Rendered{std::string(p->name()), std::move(sink.out), sink.rows()});
  }
  return ok_status();
}

// Every known event type some projection of `group` wants (types come from the schemas: the
// log holds no other).
std::vector<std::string> wanted_types(const std::vector<Projection*>& group) {
  std::vector<std::string> out;
  auto registry = events::SchemaRegistry::load();
  if (!registry.ok()) return out;
  for (const auto& [type, version] : (*registry)->types()) {
    if (!out.empty() && out.back() == type) continue;
    for (auto* p : group) {
      if (p->wants(type)) {
        out.push_back(type);
        break;
      }
    }
  }
  return out;
}

}  // namespace

Status fold(events::EventLog& log, std::vector<Projection*> projections,
            std::int64_t until_sequence, std::int64_t* events_folded) {
  std::int64_t n = 0;
  auto st = fold_group(
      projections, [&](const auto& fn) { return log.scan(1, until_sequence, fn); }, &n);
  if (events_folded != nullptr) *events_folded = n;
  return st;
}

namespace {

Status write_store(const std::string& path, const std::vector<Rendered>& rendered,
                   const ReplayResult& result) {
  StateStore store;
  if (auto st = open_fresh_store(path, store); !st.ok()) return st;
  for (const auto& r : rendered) {
    std::string_view rows = r.rows;
    while (!rows.empty()) {
      const auto nl = rows.find('\n');
      const std::string_view line = rows.substr(0, nl);
      const auto tab = line.find('\t');
      store.insert.reset();
      store.insert.bind(1, r.name);
      store.insert.bind(2, line.substr(0, tab), true);
      store.insert.bind(3, line.substr(tab + 1), true);
      if (store.insert.step() != SQLITE_DONE) return events::sqlite_error(store.db, "write state");
      rows.remove_prefix(nl + 1);
    }
  }
  return write_meta(store, result);
}

}  // namespace

Result<ReplayResult> replay(events::EventLog& log,
                            std::vector<std::unique_ptr<Projection>>& projections,
                            const ReplayOptions& options) {
  auto head = log.head();
  if (!head.ok()) return head.error();
  std::int64_t until = options.until_sequence > 0 ? std::min(options.until_sequence, head->sequence)
                                                  : head->sequence;
  if (!options.as_of.empty()) {
    auto seq = log.sequence_as_of(options.as_of);
    if (!seq.ok()) return seq.error();
    until = *seq;
  }
  // Two groups, folded in parallel from two scans bounded by the same `until`: projections that
  // read no payload go over the narrow event_index; the others over the events of their types.
  std::vector<Projection*> headers, payloads;
  for (auto& p : projections) (p->needs_payload() ? payloads : headers).push_back(p.get());
  std::vector<Rendered> rendered_headers, rendered_payloads;
  Status header_status = ok_status();
  std::thread header_thread;
  if (!headers.empty() && until > 0) {
    header_thread = std::thread([&] {
      static events::FixedClock unused_clock;  // a read-only log never records
      auto second =
          events::EventLog::open(log.path(), unused_clock, {events::Durability::full, true});
      if (!second.ok()) {
        header_status = second.error();
        return;
      }
      header_status = fold_and_render(
          headers, [&](const auto& fn) { return (*second)->scan_headers(1, until, fn); },
          rendered_headers);
    });
  } else {
    for (auto* p : headers) {
      BufferSink sink(p->name());
      p->emit(sink);
      rendered_headers.push_back(
          Rendered{std::string(p->name()), std::move(sink.out), sink.rows()});
    }
  }
  const std::vector<std::string> types =
      until > 0 ? wanted_types(payloads) : std::vector<std::string>{};
  Status payload_status = fold_and_render(
      payloads,
      [&](const auto& fn) {
        return types.empty() ? ok_status() : log.scan_types(1, until, types, fn);
      },
      rendered_payloads);
  if (header_thread.joinable()) header_thread.join();
  if (!header_status.ok()) return header_status.error();
  if (!payload_status.ok()) return payload_status.error();

  std::vector<Rendered> all = std::move(rendered_headers);
  for (auto& r : rendered_payloads) all.push_back(std::move(r));
  std::sort(all.begin(), all.end(),
            [](const Rendered& a, const Rendered& b) { return a.name < b.name; });
  ReplayResult result;
  result.events = std::max<std::int64_t>(until, 0);  // sequences are gapless from 1
  result.last_sequence = result.events;
  events::Sha256 h;
  for (const auto& r : all) {
    h.update("projection ");
    h.update(r.name);
    h.update("\n");
    h.update(r.rows);
    result.rows_per_projection[r.name] = r.count;
  }
  result.state_hash = events::to_hex(h.finish());
  if (!options.out_path.empty()) {
    if (auto st = write_store(options.out_path, all, result); !st.ok()) return st.error();
  }
  return result;
}

}  // namespace oppgjor::replay
