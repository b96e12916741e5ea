#include "events/intake.h"

#include <csignal>
#include <fstream>

namespace oppgjor::events {

Intake::Intake(EventLog& log, std::shared_ptr<const SchemaRegistry> registry, IntakeOptions options)
    : log_(log), decoder_(std::move(registry)), options_(std::move(options)) {
  events_.reserve(options_.batch_events);
  if (options_.kill_after_appended >= 0) {
    log_.set_before_commit_hook([this](const BatchResult& r) {
      if (stats_.appended + static_cast<std::int64_t>(r.appended) > options_.kill_after_appended) {
        std::raise(SIGKILL);  // the crash-restart test: die with the batch written, not committed
      }
    });
  }
}

Status Intake::add(std::string_view bytes, std::string_view source_ref) {
  ++stats_.inputs;
  originals_.push_back(std::make_unique<std::string>(bytes));
  refs_.push_back(std::make_unique<std::string>(source_ref));
  const std::string_view original = *originals_.back();
  const std::string_view ref = *refs_.back();
  ProposedEvent e;
  DeadLetter d;
  if (decoder_.decode(original, e, d)) {
    e.channel = options_.channel;
    e.original = original;
    e.source_ref = ref;
    events_.push_back(std::move(e));
  } else {
    d.source = options_.channel;
    d.source_ref = std::string(ref);
    d.original = original;
    ++stats_.rejected;
    ++stats_.rejected_by_reason[d.reason];
    dead_.push_back(std::move(d));
  }
  if (options_.progress && stats_.inputs % options_.progress_every == 0) options_.progress(stats_);
  if (options_.auto_flush && buffered() >= options_.batch_events) return flush();
  return ok_status();
}

Status Intake::flush(std::span<const SourceOffset> offsets) {
  if (buffered() == 0 && offsets.empty()) return ok_status();
  auto result = log_.append(events_, BatchPolicy::per_event, dead_, offsets, options_.dry_run);
  if (!result.ok()) return result.error();
  stats_.appended += static_cast<std::int64_t>(result->appended);
  stats_.duplicates += static_cast<std::int64_t>(result->duplicates);
  stats_.rejected += static_cast<std::int64_t>(result->rejected);
  for (const auto& o : result->outcomes) {
    if (o.kind == AppendOutcome::Kind::rejected) ++stats_.rejected_by_reason[o.reason];
  }
  events_.clear();
  dead_.clear();
  originals_.clear();
  refs_.clear();
  return ok_status();
}

Result<IntakeStats> ingest_file(const std::string& path, EventLog& log,
                                std::shared_ptr<const SchemaRegistry> registry,
                                const IntakeOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("io_error", "", "cannot open " + path);
  Intake intake(log, std::move(registry), options);
  std::string line;
  std::string ref;
  std::int64_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    ref = path + ":" + std::to_string(line_no);
    if (auto st = intake.add(line, ref); !st.ok()) return st.error();
  }
  if (in.bad()) return make_error("io_error", "", "read error in " + path);
  if (auto st = intake.flush(); !st.ok()) return st.error();
  return intake.stats();
}

}  // namespace oppgjor::events
