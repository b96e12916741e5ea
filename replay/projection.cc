#include "replay/projection.h"

#include <algorithm>

namespace oppgjor::replay {

ProjectionRegistry& ProjectionRegistry::global() {
  static ProjectionRegistry r;
  return r;
}

void ProjectionRegistry::add(std::string name, ProjectionFactory factory) {
  factories_.emplace_back(std::move(name), std::move(factory));
  std::sort(factories_.begin(), factories_.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
}

std::vector<std::unique_ptr<Projection>> ProjectionRegistry::create_all() const {
  std::vector<std::unique_ptr<Projection>> out;
  out.reserve(factories_.size());
  for (const auto& [name, make] : factories_) out.push_back(make());
  return out;
}

std::vector<std::string> ProjectionRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& f : factories_) out.push_back(f.first);
  return out;
}

}  // namespace oppgjor::replay
