// The embedded runner: outputs with deterministic identity, checkpoints committed with outputs,
// snapshots resumed or rebuilt, fixed point across services, and crash safety (the runner is
// killed with SIGKILL in a forked child at seeded commits; the parent restarts it).
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <map>
#include <random>

#include "events/canonical_json.h"
#include "services/runtime/runner.h"
#include "services/runtime/snapshot_check.h"
#include "tests/support/test_support.h"

namespace oppgjor::runtime {
namespace {

using events::testing::proposed;
using events::testing::TempDir;

class FixedClock final : public events::Clock {
 public:
  std::string now_utc() override { return "2026-01-05T08:00:00.000000Z"; }
};

class RowCollector final : public replay::RowSink {
 public:
  void row(std::string_view key, std::string_view value) override {
    rows.emplace_back(std::string(key), std::string(value));
  }
  std::vector<std::pair<std::string, std::string>> rows;
};

// Counts test.thing_happened per stream and answers each with a service.command_completed that
// carries the running count; folds its own answers (answers per stream). `relay`, when set, is
// a second service that answers the first one's outputs (a fixed point needs two passes).
class CountingService final : public Service {
 public:
  explicit CountingService(std::string name = "counting", std::string version = "1",
                           std::string listens_to = "test.thing_happened", int parts = 1,
                           bool spans = false)
      : name_(std::move(name)),
        version_(std::move(version)),
        input_(std::move(listens_to)),
        parts_(parts),
        spans_(spans) {}
  int parts(const events::EventView&, simdjson::dom::element) const override { return parts_; }
  bool spans_customers(std::string_view) const override { return spans_; }

  std::string_view name() const override { return name_; }
  std::string state_version() const override { return version_; }
  std::vector<std::string> input_types() const override {
    return {input_, "service.command_completed"};
  }
  bool decides(std::string_view type) const override { return type == input_; }

  Result<std::vector<events::EngineEvent>> decide(const events::EventView& e,
                                                  simdjson::dom::element,
                                                  Part part) const override {
    if (input_ == "service.command_completed" && e.source == output_source(name_))
      return std::vector<events::EngineEvent>{};
    events::EngineEvent out;
    out.type = "service.command_completed";
    out.stream = "command/" + std::string(e.event_id);
    const auto it = seen_.find(std::string(e.stream));
    const std::int64_t n = (it == seen_.end() ? 0 : it->second) + 1;
    out.payload_json = R"({"service":")" + name_ + R"(","command_type":")" + std::string(e.type) +
                       R"(","command_event_id":")" + std::string(e.event_id) +
                       R"(","counts":{"seen":)" + std::to_string(n) + "}" +
                       (part.whole() ? std::string()
                                     : R"(,"part":{"count":)" + std::to_string(part.count) +
                                           R"(,"index":)" + std::to_string(part.index) + "}") +
                       "}";
    return std::vector<events::EngineEvent>{out};
  }
  Status fold(const events::EventView& e, simdjson::dom::element) override {
    if (e.type == input_ && e.source != output_source(name_)) ++seen_[std::string(e.stream)];
    if (e.source == output_source(name_)) ++answered_;
    return ok_status();
  }
  std::string save() const override {
    std::string out = std::to_string(answered_) + "\n";
    for (const auto& [k, v] : seen_) out += k + "\t" + std::to_string(v) + "\n";
    return out;
  }
  Status load(std::string_view s) override {
    std::size_t pos = s.find('\n');
    if (pos == std::string_view::npos) return make_error("bad_snapshot", "", "no header");
    answered_ = std::stoll(std::string(s.substr(0, pos)));
    ++pos;
    while (pos < s.size()) {
      const std::size_t tab = s.find('\t', pos);
      const std::size_t nl = s.find('\n', pos);
      seen_[std::string(s.substr(pos, tab - pos))] =
          std::stoll(std::string(s.substr(tab + 1, nl - tab - 1)));
      pos = nl + 1;
    }
    return ok_status();
  }
  void emit(replay::RowSink& sink) const override {
    sink.row("answered", std::to_string(answered_));
    for (const auto& [k, v] : seen_) sink.row("seen/" + k, std::to_string(v));
  }
  std::int64_t answered() const { return answered_; }

 private:
  std::string name_, version_, input_;
  int parts_ = 1;
  bool spans_ = false;
  std::map<std::string, std::int64_t> seen_;
  std::int64_t answered_ = 0;
};

class RunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto reg = events::SchemaRegistry::load();
    ASSERT_TRUE(reg.ok()) << reg.error().to_string();
    registry_ = *reg;
    log_path_ = dir_.file("log.db");
    snap_path_ = dir_.file("log.db.snapshots");
  }
  std::unique_ptr<events::EventLog> open_log() {
    auto log = events::EventLog::open(log_path_, clock_);
    EXPECT_TRUE(log.ok());
    return std::move(*log);
  }
  void add_inputs(int from, int to, int streams = 7) {
    auto log = open_log();
    std::vector<events::ProposedEvent> batch;
    for (int i = from; i < to; ++i) {
      batch.push_back(proposed(input_id(i), "s/" + std::to_string(i % streams)));
    }
    auto r = log->append(batch, events::BatchPolicy::per_event);
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r->appended, batch.size());
  }
  struct Outcome {
    std::vector<std::pair<std::string, std::string>> rows;
    ServiceRunStats stats;
    std::int64_t head = 0;
  };
  Outcome run(std::vector<ServiceFactory> factories, RunnerOptions options = {},
              bool snapshots = true) {
    auto writer = open_log();
    auto reader = open_log();
    std::unique_ptr<SnapshotStore> store;
    if (snapshots) store = SnapshotStore::open(snap_path_).value();
    const std::string first(factories.front()()->name());
    Runner runner(*writer, *reader, *registry_, store.get(), std::move(factories), options);
    auto stats = runner.run_to_fixed_point();
    EXPECT_TRUE(stats.ok()) << stats.error().to_string();
    Outcome o;
    RowCollector rows;
    runner.service(first)->emit(rows);
    o.rows = rows.rows;
    if (stats.ok()) {
      o.stats = stats->services[first];
      o.head = stats->head;
    }
    return o;
  }
  // replay --check-snapshots for the counting service: its snapshot plus the tail, against a
  // full rebuild (expected equal).
  SnapshotCheck check_counting_snapshot() {
    auto log = open_log();
    auto store = SnapshotStore::open(snap_path_).value();
    auto checks = check_snapshots(*log, *registry_, *store, {counting()});
    if (!checks.ok() || checks->size() != 1) {
      ADD_FAILURE() << (checks.ok() ? "not one service checked" : checks.error().to_string());
      return {};
    }
    EXPECT_TRUE(checks->front().equal) << checks->front().difference;
    return checks->front();
  }
  // Event ids are UUID-shaped, as the envelope schema requires of every id (outputs carry the
  // consumed id as their causation_id and are validated against the envelope).
  static std::string input_id(int i) {
    return events::deterministic_event_id("in-" + std::to_string(i));
  }
  static ServiceFactory counting(std::string version = "1") {
    return [version] { return std::make_unique<CountingService>("counting", version); };
  }

  TempDir dir_;
  FixedClock clock_;
  std::shared_ptr<const events::SchemaRegistry> registry_;
  std::string log_path_, snap_path_;
};

TEST_F(RunnerTest, AnswersEachConsumedEventOnceWithDeterministicIdentity) {
  add_inputs(0, 20);
  const Outcome first = run({counting()});
  EXPECT_EQ(first.stats.decided, 20);
  EXPECT_EQ(first.stats.appended, 20);
  EXPECT_EQ(first.head, 40);
  auto log = open_log();
  auto rows = log->read(21, 1);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  const auto& out = rows->front();
  EXPECT_EQ(out.type, "service.command_completed");
  EXPECT_EQ(out.source, "oppgjor.counting");
  EXPECT_EQ(out.causation_id, std::optional<std::string>(input_id(0)));
  EXPECT_EQ(out.correlation_id, std::optional<std::string>(input_id(0)));
  EXPECT_EQ(out.event_id, events::deterministic_event_id("counting/" + input_id(0) + "/0"));
  auto cp = read_checkpoint(*log, "counting");
  ASSERT_TRUE(cp.ok());
  EXPECT_EQ(*cp, 40);  // past its own outputs too: the fixed-point pass read over them

  // Running again decides nothing and appends nothing.
  const Outcome again = run({counting()});
  EXPECT_EQ(again.stats.decided, 0);
  EXPECT_EQ(again.stats.appended, 0);
  EXPECT_EQ(again.head, 40);
  EXPECT_EQ(again.rows, first.rows);
}

// A decision in parts (a request spanning customers, runtime/partition.h): embedded, every part
// is decided, each output id naming its part; in partition mode (Kafka) only the instance's own
// part, with the same ids; a command that spans customers without the topic's partition count
// is refused there, never decided for a part of the customers as if they were all.
TEST_F(RunnerTest, DecidesInPartsEmbeddedAndOnlyItsOwnPartInPartitionMode) {
  add_inputs(0, 3);
  const auto split = [](bool spans, int parts) -> ServiceFactory {
    return [=] {
      return std::make_unique<CountingService>("counting", "1", "test.thing_happened", parts,
                                               spans);
    };
  };
  const Outcome all = run({split(true, 4)}, {}, false);
  EXPECT_EQ(all.stats.decided, 3);
  EXPECT_EQ(all.stats.appended, 12);
  auto log = open_log();
  auto rows = log->read(4, 12);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 12u);
  for (int p = 0; p < 4; ++p) {
    const auto& out = (*rows)[static_cast<std::size_t>(p)];
    EXPECT_EQ(out.event_id, events::deterministic_event_id("counting/" + input_id(0) + "/p" +
                                                           std::to_string(p) + "/0"));
    EXPECT_NE(out.payload.find(R"("part":{"count":4,"index":)" + std::to_string(p) + "}"),
              std::string::npos)
        << out.payload;
  }
  const std::string embedded_part2 = (*rows)[2].event_id;

  // The same input in partition 2 of 4: one answer per input, the part-2 answer's id.
  log_path_ = dir_.file("p2.db");
  snap_path_ = dir_.file("p2.db.snapshots");
  add_inputs(0, 3);
  RunnerOptions p2;
  p2.partition = Part{2, 4};
  const Outcome mine = run({split(true, 4)}, p2, false);
  EXPECT_EQ(mine.stats.appended, 3);
  auto p2log = open_log();
  auto p2rows = p2log->read(4, 1);
  ASSERT_TRUE(p2rows.ok());
  ASSERT_EQ(p2rows->size(), 1u);
  EXPECT_EQ(p2rows->front().event_id, embedded_part2);

  // Partition mode, a command that spans customers but names no partition count: refused.
  log_path_ = dir_.file("refused.db");
  snap_path_ = dir_.file("refused.db.snapshots");
  add_inputs(0, 1);
  const Outcome refused = run({split(true, 1)}, p2, false);
  EXPECT_EQ(refused.stats.appended, 1);
  auto rlog = open_log();
  auto rrows = rlog->read(2, 1);
  ASSERT_TRUE(rrows.ok());
  ASSERT_EQ(rrows->size(), 1u);
  EXPECT_EQ(rrows->front().type, "service.command_refused");
  EXPECT_NE(rrows->front().payload.find("partitions_mismatch"), std::string::npos);

  // One that does not span customers is decided whole in any partition.
  log_path_ = dir_.file("whole.db");
  snap_path_ = dir_.file("whole.db.snapshots");
  add_inputs(0, 1);
  const Outcome whole = run({split(false, 1)}, p2, false);
  EXPECT_EQ(whole.stats.appended, 1);
  auto wlog = open_log();
  auto wrows = wlog->read(2, 1);
  ASSERT_TRUE(wrows.ok());
  ASSERT_EQ(wrows->size(), 1u);
  EXPECT_EQ(wrows->front().event_id,
            events::deterministic_event_id("counting/" + input_id(0) + "/0"));
}

TEST_F(RunnerTest, ResumesFromSnapshotAndFoldsOnlyTheTail) {
  add_inputs(0, 30);
  const Outcome first = run({counting()});
  EXPECT_EQ(first.stats.snapshot_sequence, 0);
  add_inputs(30, 35);
  const Outcome second = run({counting()});
  EXPECT_EQ(second.stats.snapshot_sequence, 60) << second.stats.snapshot_note;
  EXPECT_EQ(second.stats.rebuilt, 0);
  EXPECT_EQ(second.stats.decided, 5);

  // The same state as a runner without snapshots, which rebuilds from sequence 1.
  const Outcome full = run({counting()}, {}, false);
  EXPECT_EQ(full.stats.rebuilt, 35);  // the inputs; each followed by its recorded answer
  EXPECT_EQ(full.rows, second.rows);
  ASSERT_FALSE(full.rows.empty());
  EXPECT_EQ(full.rows.front(), std::make_pair(std::string("answered"), std::string("35")));
}

// A service that folded something keeps its snapshot while the payload bytes folded since stay
// under its size (RunnerOptions::snapshot_tail_percent), and writes it again once they reach it;
// at every step a start from the stored snapshot plus the tail equals a full rebuild.
TEST_F(RunnerTest, WritesAChangedSnapshotOnceItsTailReachesItsSize) {
  add_inputs(0, 400, 400);  // 400 streams: a snapshot of ~3 KiB; a run of one input ~0.3 KiB
  const Outcome first = run({counting()});
  ASSERT_TRUE(first.stats.snapshot_written);
  EXPECT_EQ(first.stats.snapshot_at, 800);
  EXPECT_EQ(first.stats.tail_bytes, 0);
  const std::int64_t size = first.stats.snapshot_bytes;
  ASSERT_GT(size, 2000);

  int next = 400;
  std::int64_t tail = 0;
  std::int64_t step = 0;
  for (int round = 0; round < 100; ++round) {
    add_inputs(next, next + 1, 400);
    ++next;
    const Outcome o = run({counting()});
    EXPECT_EQ(o.stats.decided, 1);
    check_counting_snapshot();  // snapshot + tail = full rebuild, whether written or kept
    EXPECT_EQ(o.rows, run({counting()}, {}, false).rows);
    if (o.stats.snapshot_written) {
      // Written in the first run whose tail reached the size: the kept tail before it plus one
      // more run's bytes (every run folds one input and its answer, the same size each time).
      ASSERT_GT(step, 0);
      EXPECT_LT(tail, size);
      EXPECT_GE(tail + step, size);
      EXPECT_EQ(o.stats.snapshot_at, 800 + 2 * (next - 400));
      EXPECT_EQ(o.stats.tail_bytes, 0);
      return;
    }
    EXPECT_EQ(o.stats.snapshot_at, 800);  // kept
    EXPECT_GT(o.stats.tail_bytes, tail);
    step = o.stats.tail_bytes - tail;
    tail = o.stats.tail_bytes;
    EXPECT_LT(tail, size);
  }
  FAIL() << "a tail of " << tail << " bytes never made the " << size << "-byte snapshot be written";
}

// With snapshot_tail_percent = 0 a service that folded something is written after every run.
TEST_F(RunnerTest, WritesAfterEveryRunWithoutATailShare) {
  add_inputs(0, 400, 400);
  run({counting()});
  RunnerOptions every;
  every.snapshot_tail_percent = 0;
  add_inputs(400, 401, 400);
  const Outcome o = run({counting()}, every);
  EXPECT_TRUE(o.stats.snapshot_written);
  EXPECT_EQ(o.stats.snapshot_at, 802);
  add_inputs(401, 402, 400);
  const Outcome kept = run({counting()});
  EXPECT_FALSE(kept.stats.snapshot_written);
  EXPECT_EQ(kept.stats.snapshot_at, 802);
}

// A service whose checkpoint moves over nothing it consumes keeps its snapshot (no new save()):
// the snapshot states the older sequence it reflects, the next start folds the tail from there
// (nothing for the service), and snapshot + tail equals a full rebuild. Once it folds again,
// the snapshot is written at the new checkpoint.
TEST_F(RunnerTest, KeepsTheSnapshotWhenNothingWasFolded) {
  add_inputs(0, 10);
  const Outcome first = run({counting()});
  const auto stored_sequence = [&] {
    auto store = SnapshotStore::open(snap_path_).value();
    auto got = store->get("counting");
    EXPECT_TRUE(got.ok() && got->has_value());
    return got.ok() && got->has_value() ? (**got).sequence : std::int64_t{-1};
  };
  ASSERT_EQ(stored_sequence(), 20);
  {  // 5 events of a type the service does not consume
    auto log = open_log();
    std::vector<events::ProposedEvent> batch;
    for (int i = 0; i < 5; ++i) {
      auto e = proposed(events::deterministic_event_id("day-" + std::to_string(i)), "calendar/x",
                        R"({"date":"2026-01-0)" + std::to_string(i + 1) + R"("})");
      e.type = "calendar.day_closed";
      e.content_hash = events::sha256_hex(events::canonical_producer_envelope(e));
      batch.push_back(std::move(e));
    }
    ASSERT_EQ(log->append(batch, events::BatchPolicy::per_event).value().appended, 5u);
  }
  const Outcome second = run({counting()});
  EXPECT_EQ(second.stats.consumed, 0);
  EXPECT_EQ(second.stats.checkpoint, 25);
  EXPECT_EQ(stored_sequence(), 20);  // not written again
  EXPECT_EQ(second.rows, first.rows);

  const Outcome third = run({counting()});
  EXPECT_EQ(third.stats.snapshot_sequence, 20) << third.stats.snapshot_note;
  EXPECT_EQ(third.stats.rebuilt, 0);
  EXPECT_EQ(third.stats.decided, 0);
  EXPECT_EQ(third.rows, first.rows);
  {  // replay --check-snapshots: snapshot + tail = full replay
    const SnapshotCheck check = check_counting_snapshot();
    EXPECT_EQ(check.snapshot_sequence, 20);
    EXPECT_EQ(check.checkpoint, 25);
  }

  // Kept only while it is at most snapshot_lag sequences behind the checkpoint.
  RunnerOptions short_lag;
  short_lag.snapshot_lag = 5;
  run({counting()}, short_lag);  // 5 behind: kept
  EXPECT_EQ(stored_sequence(), 20);
  {
    auto log = open_log();
    auto e =
        proposed(events::deterministic_event_id("day-5"), "calendar/x", R"({"date":"2026-01-06"})");
    e.type = "calendar.day_closed";
    e.content_hash = events::sha256_hex(events::canonical_producer_envelope(e));
    ASSERT_EQ(log->append(std::span(&e, 1), events::BatchPolicy::per_event).value().appended, 1u);
  }
  const Outcome past = run({counting()}, short_lag);
  EXPECT_EQ(past.stats.consumed, 0);
  EXPECT_EQ(stored_sequence(), 26);  // 6 behind: written again, the same state
  EXPECT_EQ(past.rows, first.rows);

  add_inputs(10, 12);
  const Outcome fourth = run({counting()});
  EXPECT_EQ(fourth.stats.snapshot_sequence, 26);
  EXPECT_EQ(fourth.stats.decided, 2);
  EXPECT_EQ(stored_sequence(), 30);  // 26 + 2 inputs + 2 answers
  const Outcome full = run({counting()}, {}, false);
  EXPECT_EQ(full.rows, fourth.rows);
}

// Outputs of the service already in the log for an event it has not consumed yet (decided on
// Kafka, archived here) are folded as recorded, not decided again, beside outputs this runner
// appends itself in the same run (which the next pass does not scan again).
TEST_F(RunnerTest, FoldsOutputsRecordedElsewhereBesideItsOwn) {
  add_inputs(0, 5);
  {  // the answer to input 4 as an instance on Kafka decided it, archived into this log
    auto log = open_log();
    auto e = proposed(events::deterministic_event_id("counting/" + input_id(4) + "/0"),
                      "command/" + input_id(4),
                      R"({"command_event_id":")" + input_id(4) +
                          R"(","command_type":"test.thing_happened","counts":{"seen":1},)"
                          R"("service":"counting"})");
    e.type = "service.command_completed";
    e.source = "oppgjor.counting";
    e.causation_id = input_id(4);
    e.correlation_id = input_id(4);
    e.content_hash = events::sha256_hex(events::canonical_producer_envelope(e));
    ASSERT_EQ(log->append(std::span(&e, 1), events::BatchPolicy::per_event).value().appended, 1u);
  }
  add_inputs(5, 8);
  const Outcome o = run({counting()});
  EXPECT_EQ(o.stats.folded_recorded, 1);
  EXPECT_EQ(o.stats.decided, 7);
  EXPECT_EQ(o.stats.appended, 7);
  EXPECT_EQ(o.head, 16);
  const Outcome full = run({counting()}, {}, false);
  EXPECT_EQ(full.rows, o.rows);
  ASSERT_FALSE(o.rows.empty());
  EXPECT_EQ(o.rows.front(), std::make_pair(std::string("answered"), std::string("8")));
}

TEST_F(RunnerTest, RebuildsASnapshotOfAnotherStateVersion) {
  add_inputs(0, 10);
  const Outcome first = run({counting("1")});
  const Outcome other = run({counting("2")});
  EXPECT_EQ(other.stats.snapshot_sequence, 0);
  EXPECT_NE(other.stats.snapshot_note.find("state version 1"), std::string::npos)
      << other.stats.snapshot_note;
  EXPECT_EQ(other.stats.rebuilt, 10);
  EXPECT_EQ(other.rows, first.rows);
}

TEST_F(RunnerTest, RebuildsASnapshotOfAnotherLog) {
  add_inputs(0, 10);
  run({counting()});
  const std::string saved = dir_.file("saved.snapshots");
  std::filesystem::copy_file(snap_path_, saved);
  // A new log at the same path, with other events: the snapshot's chain hash no longer matches.
  std::filesystem::remove(log_path_);
  std::filesystem::remove(log_path_ + "-wal");
  std::filesystem::remove(log_path_ + "-shm");
  std::filesystem::remove(snap_path_);
  std::filesystem::copy_file(saved, snap_path_);
  {
    auto log = open_log();
    std::vector<events::ProposedEvent> batch;
    for (int i = 0; i < 25; ++i)
      batch.push_back(
          proposed(events::deterministic_event_id("other-" + std::to_string(i)), "s/x"));
    ASSERT_TRUE(log->append(batch, events::BatchPolicy::per_event).ok());
  }
  const Outcome o = run({counting()});
  EXPECT_EQ(o.stats.snapshot_sequence, 0);
  EXPECT_FALSE(o.stats.snapshot_note.empty());
  EXPECT_EQ(o.stats.decided, 25);
}

TEST_F(RunnerTest, RunsServicesToAFixedPoint) {
  add_inputs(0, 4);
  // "relay" answers the outputs of "counting"; "counting" ignores "relay"'s answers (they are
  // command_completed too, but not its own input type).
  std::vector<ServiceFactory> f = {
      counting(),
      [] { return std::make_unique<CountingService>("relay", "1", "service.command_completed"); }};
  auto writer = open_log();
  auto reader = open_log();
  Runner runner(*writer, *reader, *registry_, nullptr, f);
  auto stats = runner.run_to_fixed_point();
  ASSERT_TRUE(stats.ok()) << stats.error().to_string();
  EXPECT_EQ(stats->services["counting"].appended, 4);
  EXPECT_EQ(stats->services["relay"].appended, 4);
  EXPECT_EQ(stats->head, 12);
  EXPECT_GE(stats->passes, 2);
}

// Kills the runner (in a forked child) inside or right after a seeded commit, restarts it, and
// checks that the result equals an uninterrupted run: same outputs, none lost, none doubled.
TEST_F(RunnerTest, SurvivesSigkillAtSeededCommits) {
  const unsigned seed = std::random_device{}();
  SCOPED_TRACE("seed=" + std::to_string(seed));
  std::mt19937 rng(seed);
  constexpr int inputs = 600;
  // The uninterrupted run, in its own directory.
  TempDir reference_dir;
  const std::string original_log = log_path_;
  log_path_ = reference_dir.file("log.db");
  snap_path_ = reference_dir.file("log.db.snapshots");
  add_inputs(0, inputs);
  RunnerOptions small;
  small.commit_every_events = 16;
  const Outcome reference = run({counting()}, small);
  ASSERT_EQ(reference.head, 2 * inputs);
  log_path_ = original_log;

  for (int round = 0; round < 6; ++round) {
    TempDir d;
    log_path_ = d.file("log.db");
    snap_path_ = d.file("log.db.snapshots");
    add_inputs(0, inputs);
    RunnerOptions kill = small;
    const std::int64_t commit_no = std::uniform_int_distribution<std::int64_t>(1, 37)(rng);
    if (rng() % 2 == 0) {
      kill.kill_before_commit = commit_no;
    } else {
      kill.kill_after_commit = commit_no;
    }
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      run({counting()}, kill);
      _exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "round " << round << " commit " << commit_no;
    EXPECT_EQ(WTERMSIG(status), SIGKILL);
    const Outcome restarted = run({counting()}, small);
    EXPECT_EQ(restarted.head, 2 * inputs) << "round " << round << " commit " << commit_no;
    EXPECT_EQ(restarted.rows, reference.rows) << "round " << round << " commit " << commit_no;
    auto log = open_log();
    auto verify = log->verify();
    ASSERT_TRUE(verify.ok());
    EXPECT_TRUE(verify->intact) << verify->problem;
  }
}

}  // namespace
}  // namespace oppgjor::runtime
