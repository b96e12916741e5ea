#include "replay/replayer.h"

#include <sqlite3.h>

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "common/string_hash.h"
#include "events/sha256.h"
#include "events/sqlite_util.h"
#include "replay/instant.h"

namespace oppgjor::replay {

namespace {

using events::Stmt;

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
  common::StringMap<Route> routes_;
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

// A key as it enters the state hash: '\\' '\t' '\n' written as "\\\\" "\\t" "\\n" (every other
// byte as is), so a row's key ends at its first raw tab and a row at its first raw newline.
void append_escaped_key(std::string_view key, std::string& out) {
  for (char c : key) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

std::string unescape_key(std::string_view escaped) {
  std::string out;
  out.reserve(escaped.size());
  for (std::size_t i = 0; i < escaped.size(); ++i) {
    if (escaped[i] != '\\' || i + 1 == escaped.size()) {
      out += escaped[i];
      continue;
    }
    const char next = escaped[++i];
    out += next == 't' ? '\t' : next == 'n' ? '\n' : next;
  }
  return out;
}

// Renders rows as "key\tvalue\n" into one buffer (hashed later, in projection order).
class BufferSink final : public RowSink {
 public:
  // With `stream`, the rows go on into that hash in chunks instead of staying in `out`.
  explicit BufferSink(std::string_view projection, events::Sha256* stream = nullptr)
      : projection_(projection), stream_(stream) {}
  void row(std::string_view key, std::string_view value_json) override {
    if (rows_ > 0 && !(last_key_ < key)) {
      std::fprintf(stderr, "replay: projection %.*s emitted keys out of order\n",
                   static_cast<int>(projection_.size()), projection_.data());
      std::abort();  // a bug: the state hash would depend on emission order
    }
    // A plain loop: find_first_of would call memchr once per byte.
    if (std::any_of(value_json.begin(), value_json.end(),
                    [](char c) { return c == '\t' || c == '\n'; })) {
      std::fprintf(stderr, "replay: projection %.*s emitted a value with a raw tab or newline\n",
                   static_cast<int>(projection_.size()), projection_.data());
      std::abort();  // a bug: values are canonical JSON, which escapes both
    }
    last_key_.assign(key);
    ++rows_;
    append_escaped_key(key, out);
    out += '\t';
    out.append(value_json);
    out += '\n';
    if (stream_ != nullptr && out.size() >= 64 * 1024) flush();
  }
  void flush() {
    if (stream_ == nullptr) return;
    stream_->update(out);
    out.clear();
  }
  std::string out;
  std::int64_t rows() const { return rows_; }

 private:
  std::string_view projection_;
  events::Sha256* stream_;
  std::string last_key_;
  std::int64_t rows_ = 0;
};

struct Rendered {
  std::string name;
  std::string rows;  // "key\tvalue\n" lines in key order
  std::int64_t count = 0;
  Projection* unrendered = nullptr;  // set: rows not rendered yet (streamed into the state hash)
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
      const std::string key = unescape_key(line.substr(0, tab));
      store.insert.bind(2, key, true);
      store.insert.bind(3, line.substr(tab + 1), true);
      if (store.insert.step() != SQLITE_DONE) return events::sqlite_error(store.db, "write state");
      rows.remove_prefix(nl + 1);
    }
  }
  return write_meta(store, result);
}

}  // namespace

namespace {

// The events of 1..until read once from the events table, with the hash chain checked row by
// row exactly as EventLog::verify() does (sequence gapless from 1, prev_hash = the previous
// row's hash, hash = SHA-256(prev_hash || canonical record)); every intact row is handed on.
// Also digests (sequence, stream, stream_version, type) of every row, for the comparison with
// the event_index the header projections read.
class ChainedScan {
 public:
  Status run(events::EventLog& log, std::int64_t until,
             const std::function<bool(const events::EventView&)>& fn) {
    return log.scan_rows(1, until, [&](const events::RecordView& r) {
      if (!check(r)) return false;
      add_header(digest_, r.sequence, r.stream, r.stream_version, r.type);
      ++events_;
      return fn(view_of(r));
    });
  }
  const ChainCheck& chain() const { return chain_; }
  std::int64_t events() const { return events_; }
  std::int64_t last_sequence() const { return last_sequence_; }
  std::string header_digest() { return events::to_hex(digest_.finish()); }

  // Writes v in decimal at buf[at] (buf has room for two int64 and two separators).
  static std::size_t put_decimal(std::int64_t v, char (&buf)[48], std::size_t at) {
    char digits[20];
    std::size_t k = 0;
    std::uint64_t u = v < 0 ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
    do {
      digits[k++] = static_cast<char>('0' + u % 10);
      u /= 10;
    } while (u != 0 && k < sizeof digits);
    if (v < 0) buf[at++] = '-';
    while (k > 0 && at < sizeof buf) buf[at++] = digits[--k];
    return at;
  }
  static void add_header(events::Sha256& h, std::int64_t sequence, std::string_view stream,
                         std::int64_t version, std::string_view type) {
    // "<sequence> <version> <stream>\t<type>\n", written without allocating.
    char buf[48];
    std::size_t n = put_decimal(sequence, buf, 0);
    buf[n++] = ' ';
    n = put_decimal(version, buf, n);
    buf[n++] = ' ';
    h.update(std::string_view(buf, n));
    h.update(stream);
    h.update("\t");
    h.update(type);
    h.update("\n");
  }

 private:
  bool check(const events::RecordView& r) {
    if (r.sequence != last_sequence_ + 1) {
      return broken(last_sequence_ + 1, "sequence " + std::to_string(last_sequence_ + 1) +
                                            " is missing (next row is " +
                                            std::to_string(r.sequence) + ")");
    }
    if (r.prev_hash != last_hash_) {
      return broken(r.sequence, "prev_hash does not match the hash of the previous row");
    }
    record_.clear();
    events::canonical_record_into(r, record_);
    if (!events::chain_hash_matches(r.prev_hash, record_, r.hash)) {
      return broken(r.sequence, "hash does not match the row's contents");
    }
    last_sequence_ = r.sequence;
    last_hash_.assign(r.hash);  // 64 characters: the buffer is reused
    return true;
  }
  bool broken(std::int64_t sequence, std::string problem) {
    chain_.intact = false;
    chain_.first_bad_sequence = sequence;
    chain_.problem = std::move(problem);
    return false;
  }
  static events::EventView view_of(const events::RecordView& r) {
    events::EventView v;
    v.sequence = r.sequence;
    v.stream = r.stream;
    v.stream_version = r.stream_version;
    v.event_id = r.event_id;
    v.type = r.type;
    v.schema_version = r.schema_version;
    v.occurred_at = r.occurred_at;
    v.recorded_at = r.recorded_at;
    v.payload = r.payload;
    v.source = r.source;
    v.causation_id = r.causation_id.value_or(std::string_view());
    v.correlation_id = r.correlation_id.value_or(std::string_view());
    v.actor = r.actor.value_or(std::string_view());
    return v;
  }

  ChainCheck chain_;
  std::int64_t events_ = 0;
  std::int64_t last_sequence_ = 0;
  std::string last_hash_{events::genesis_hash};
  std::string record_;
  events::Sha256 digest_;
};

// Rows handed from the reading thread (SQLite, chain check) to the folding thread, in batches
// of owned copies. Batches are recycled, so after the first few nothing is allocated per row.
class RowPipe {
 public:
  static constexpr std::size_t batch_rows = 512;
  static constexpr std::size_t batches_in_flight = 4;

  RowPipe() {
    for (std::size_t i = 0; i < batches_in_flight; ++i) free_.push_back(&pool_[i]);
  }

  // Reading thread: copies `e` into the batch being filled; false once the folder has stopped.
  bool put(const events::EventView& e) {
    if (filling_ == nullptr) {
      filling_ = take(free_);
      if (filling_ == nullptr) return false;
      filling_->clear();
    }
    filling_->add(e);
    if (filling_->rows.size() == batch_rows) {
      give(full_, filling_);
      filling_ = nullptr;
    }
    return true;
  }
  // Reading thread, at the end (also after a failure): hands on the last batch and closes.
  void finish(Status status) {
    if (filling_ != nullptr && !filling_->rows.empty()) give(full_, filling_);
    filling_ = nullptr;
    std::lock_guard<std::mutex> lock(mu_);
    read_status_ = std::move(status);
    reading_done_ = true;
    cv_.notify_all();
  }
  // Folding thread: calls fn with every row, in order, until fn returns false or the reader has
  // finished; returns the reader's status.
  Status drain(const std::function<bool(const events::EventView&)>& fn) {
    for (;;) {
      Batch* b = take(full_);
      if (b == nullptr) break;  // reader done and nothing left
      bool go_on = true;
      for (std::size_t i = 0; i < b->rows.size() && go_on; ++i) go_on = fn(b->view(i));
      give(free_, b);
      if (!go_on) {
        stop();
        break;
      }
    }
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return reading_done_; });
    return read_status_;
  }
  // Folding thread: the reader stops at its next row.
  void stop() {
    std::lock_guard<std::mutex> lock(mu_);
    stopped_ = true;
    cv_.notify_all();
  }

 private:
  struct Span {
    std::uint32_t at = 0, size = 0;
  };
  struct Row {
    std::int64_t sequence = 0, stream_version = 0, schema_version = 0;
    Span stream, event_id, type, occurred_at, recorded_at, payload, source, causation_id,
        correlation_id, actor;
  };
  struct Batch {
    std::string bytes;
    std::vector<Row> rows;
    void clear() {
      bytes.clear();
      rows.clear();
    }
    Span put(std::string_view v) {
      Span sp{static_cast<std::uint32_t>(bytes.size()), static_cast<std::uint32_t>(v.size())};
      bytes.append(v);
      return sp;
    }
    void add(const events::EventView& e) {
      Row r;
      r.sequence = e.sequence;
      r.stream_version = e.stream_version;
      r.schema_version = e.schema_version;
      r.stream = put(e.stream);
      r.event_id = put(e.event_id);
      r.type = put(e.type);
      r.occurred_at = put(e.occurred_at);
      r.recorded_at = put(e.recorded_at);
      r.payload = put(e.payload);
      r.source = put(e.source);
      r.causation_id = put(e.causation_id);
      r.correlation_id = put(e.correlation_id);
      r.actor = put(e.actor);
      rows.push_back(r);
    }
    std::string_view at(Span sp) const { return std::string_view(bytes).substr(sp.at, sp.size); }
    events::EventView view(std::size_t i) const {
      const Row& r = rows[i];
      events::EventView v;
      v.sequence = r.sequence;
      v.stream = at(r.stream);
      v.stream_version = r.stream_version;
      v.event_id = at(r.event_id);
      v.type = at(r.type);
      v.schema_version = r.schema_version;
      v.occurred_at = at(r.occurred_at);
      v.recorded_at = at(r.recorded_at);
      v.payload = at(r.payload);
      v.source = at(r.source);
      v.causation_id = at(r.causation_id);
      v.correlation_id = at(r.correlation_id);
      v.actor = at(r.actor);
      return v;
    }
  };

  // The next batch of `q`, waiting while it is empty; nullptr when there will be none (the
  // folder stopped, or, for full_, the reader is done and all has been taken).
  Batch* take(std::deque<Batch*>& q) {
    std::unique_lock<std::mutex> lock(mu_);
    const bool from_full = &q == &full_;
    cv_.wait(lock, [&] { return !q.empty() || stopped_ || (from_full && reading_done_); });
    if (q.empty() || (!from_full && stopped_)) return nullptr;
    Batch* b = q.front();
    q.pop_front();
    return b;
  }
  void give(std::deque<Batch*>& q, Batch* b) {
    std::lock_guard<std::mutex> lock(mu_);
    q.push_back(b);
    cv_.notify_all();
  }

  Batch pool_[batches_in_flight];
  std::deque<Batch*> free_, full_;
  Batch* filling_ = nullptr;  // the reading thread's
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopped_ = false, reading_done_ = false;
  Status read_status_ = ok_status();
};

// The last sequence to fold: the whole log, --until-seq, or the last event recorded at or
// before --as-of. Errors: until_beyond_head, as_of_invalid (usage errors, exit 2 in the CLI).
Result<std::int64_t> fold_bound(events::EventLog& log, const ReplayOptions& options,
                                std::int64_t head) {
  if (!options.as_of.empty()) {
    auto instant = parse_instant(options.as_of);
    if (!instant.ok()) return instant.error();
    // recorded_at is stored in to_recorded_at's fixed-width form, so text order = time order.
    return log.sequence_as_of(to_recorded_at(*instant));
  }
  if (options.until_sequence > head) {
    return make_error("until_beyond_head", "--until-seq",
                      "sequence " + std::to_string(options.until_sequence) +
                          " is beyond the log's head (sequence " + std::to_string(head) + ")");
  }
  return options.until_sequence > 0 ? options.until_sequence : head;
}

std::vector<Rendered> render_unfolded(const std::vector<Projection*>& group) {
  std::vector<Rendered> out;
  for (auto* p : group) {
    BufferSink sink(p->name());
    p->emit(sink);
    out.push_back(Rendered{std::string(p->name()), std::move(sink.out), sink.rows()});
  }
  return out;
}

}  // namespace

Result<ReplayResult> replay(events::EventLog& log,
                            std::vector<std::unique_ptr<Projection>>& projections,
                            const ReplayOptions& options) {
  auto head = log.head();
  if (!head.ok()) return head.error();
  auto bound = fold_bound(log, options, head->sequence);
  if (!bound.ok()) return bound.error();
  const std::int64_t until = *bound;  // 0: fold nothing
  // Two groups, folded in parallel: projections that read no payload over the narrow
  // event_index (another connection, another thread); the others from the one full read of the
  // events table that also checks the hash chain. The two reads are compared at the end (a
  // digest of sequence, stream, version and type), so an event_index that differs from the
  // chained rows is found too.
  std::vector<Projection*> headers, payloads;
  for (auto& p : projections) (p->needs_payload() ? payloads : headers).push_back(p.get());
  std::vector<Rendered> rendered_headers, rendered_payloads;
  Status header_status = ok_status();
  events::Sha256 index_digest;
  std::thread header_thread;
  if (until > 0) {
    header_thread = std::thread([&] {
      static events::FixedClock unused_clock;  // a read-only log never records
      auto second =
          events::EventLog::open(log.path(), unused_clock, {events::Durability::full, true});
      if (!second.ok()) {
        header_status = second.error();
        return;
      }
      header_status = fold_and_render(
          headers,
          [&](const auto& fn) {
            return (*second)->scan_headers(1, until, [&](const events::EventView& e) {
              ChainedScan::add_header(index_digest, e.sequence, e.stream, e.stream_version, e.type);
              return fn(e);
            });
          },
          rendered_headers);
    });
  } else {
    rendered_headers = render_unfolded(headers);
  }
  // The full rows are read and their chain checked on one thread (reader) while the payload
  // projections fold on this one.
  ChainedScan chained;
  RowPipe pipe;
  std::thread reader;
  if (until > 0) {
    reader = std::thread([&] {
      pipe.finish(chained.run(log, until, [&](const events::EventView& e) { return pipe.put(e); }));
    });
  }
  // Without --out, the payload projections' rows (the largest: invoice_bases) are never held
  // whole: they are rendered straight into the state hash below.
  const bool stream_payloads = options.out_path.empty();
  const ScanFn drain = [&](const auto& fn) { return until > 0 ? pipe.drain(fn) : ok_status(); };
  Status payload_status = ok_status();
  if (stream_payloads) {
    payload_status = fold_group(payloads, drain, nullptr);
    for (auto* p : payloads) {
      Rendered r;
      r.name = std::string(p->name());
      r.unrendered = p;
      rendered_payloads.push_back(std::move(r));
    }
  } else {
    payload_status = fold_and_render(payloads, drain, rendered_payloads);
  }
  if (reader.joinable()) reader.join();
  if (header_thread.joinable()) header_thread.join();
  ReplayResult result;
  result.chain = chained.chain();
  result.events = chained.events();
  result.last_sequence = chained.last_sequence();
  if (!result.chain.intact) return result;  // no state hash from a log that fails verify
  if (!header_status.ok()) return header_status.error();
  if (!payload_status.ok()) return payload_status.error();
  if (until > 0 && events::to_hex(index_digest.finish()) != chained.header_digest()) {
    result.chain.intact = false;
    result.chain.first_bad_sequence = 0;
    result.chain.problem = "event_index does not match the events table (run `oppgjor verify`)";
    return result;
  }
  if (result.last_sequence != until) {
    return make_error("log_changed", "sequence",
                      "expected to fold up to sequence " + std::to_string(until) +
                          " but the log ends at " + std::to_string(result.last_sequence));
  }

  std::vector<Rendered> all = std::move(rendered_headers);
  for (auto& r : rendered_payloads) all.push_back(std::move(r));
  std::sort(all.begin(), all.end(),
            [](const Rendered& a, const Rendered& b) { return a.name < b.name; });
  events::Sha256 h;
  for (const auto& r : all) {
    h.update("projection ");
    h.update(r.name);
    h.update("\n");
    if (r.unrendered != nullptr) {
      BufferSink sink(r.name, &h);
      r.unrendered->emit(sink);
      sink.flush();
      result.rows_per_projection[r.name] = sink.rows();
      continue;
    }
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
