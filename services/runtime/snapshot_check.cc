#include "services/runtime/snapshot_check.h"

#include <utility>

namespace oppgjor::runtime {
namespace {

class Rows final : public replay::RowSink {
 public:
  void row(std::string_view key, std::string_view value) override {
    rows.emplace_back(std::string(key), std::string(value));
  }
  std::vector<std::pair<std::string, std::string>> rows;
};

std::string first_difference(const Rows& a, const Rows& b) {
  std::size_t i = 0;
  while (i < a.rows.size() && i < b.rows.size() && a.rows[i] == b.rows[i]) ++i;
  if (i < a.rows.size()) return a.rows[i].first;
  if (i < b.rows.size()) return b.rows[i].first;
  return {};
}

}  // namespace

Result<std::vector<SnapshotCheck>> check_snapshots(events::EventLog& log,
                                                   const events::SchemaRegistry& registry,
                                                   SnapshotStore& snapshots,
                                                   const std::vector<ServiceFactory>& factories) {
  std::vector<SnapshotCheck> out;
  for (const ServiceFactory& factory : factories) {
    SnapshotCheck check;
    check.service = std::string(factory()->name());
    RunnerOptions read_only;
    read_only.write_snapshots = false;
    Runner resumed(log, log, registry, &snapshots, {factory}, read_only);
    if (auto st = resumed.bring_up(); !st.ok()) return st.error();
    Runner full(log, log, registry, nullptr, {factory}, read_only);
    if (auto st = full.bring_up(); !st.ok()) return st.error();
    const ServiceRunStats stats = resumed.load_stats(check.service);
    check.checkpoint = resumed.checkpoint(check.service);
    check.snapshot_sequence = stats.snapshot_sequence;
    check.note = stats.snapshot_note;
    check.tail = stats.rebuilt;
    Rows a, b;
    resumed.service(check.service)->emit(a);
    full.service(check.service)->emit(b);
    check.rows = static_cast<std::int64_t>(b.rows.size());
    check.equal = a.rows == b.rows;
    if (!check.equal) check.difference = first_difference(a, b);
    auto size = snapshots.size(check.service);
    if (!size) return size.error();
    check.snapshot_bytes = *size;
    out.push_back(std::move(check));
  }
  return out;
}

}  // namespace oppgjor::runtime
