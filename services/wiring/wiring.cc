#include "services/wiring/wiring.h"

#include <algorithm>

#include "replay/builtin_projections.h"
#include "services/care_fees/care_fees_projection.h"
#include "services/care_fees/care_fees_service.h"
#include "services/collection/collection_service.h"
#include "services/invoicing/invoicing_service.h"
#include "services/ledger/ledger_service.h"

namespace oppgjor::wiring {

namespace {

struct NamedFactory {
  std::string_view name;
  runtime::ServiceFactory make;
};

std::vector<NamedFactory> named_factories() {
  return {
      {care_fees::service_name,
       []() -> std::unique_ptr<runtime::Service> { return care_fees::make_care_fees_service(); }},
      {invoicing::service_name,
       []() -> std::unique_ptr<runtime::Service> { return invoicing::make_invoicing_service(); }},
      {ledger::service_name,
       []() -> std::unique_ptr<runtime::Service> { return ledger::make_ledger_service(); }},
      {collection::service_name, []() -> std::unique_ptr<runtime::Service> {
         return collection::make_collection_service();
       }}};
}

}  // namespace

std::vector<runtime::ServiceFactory> all_services() {
  return services_named({});
}

std::vector<runtime::ServiceFactory> services_named(const std::vector<std::string_view>& names) {
  std::vector<runtime::ServiceFactory> out;
  for (auto& f : named_factories()) {
    if (names.empty() || std::find(names.begin(), names.end(), f.name) != names.end()) {
      out.push_back(std::move(f.make));
    }
  }
  return out;
}

std::vector<std::unique_ptr<replay::Projection>> all_projections() {
  replay::ProjectionRegistry registry;
  replay::register_builtin_projections(registry);
  registry.add(std::string(care_fees::care_fees_projection_name),
               []() -> std::unique_ptr<replay::Projection> {
                 return care_fees::make_care_fees_projection();
               });
  registry.add(std::string(invoicing::projection_name),
               []() -> std::unique_ptr<replay::Projection> {
                 return invoicing::make_invoicing_projection();
               });
  registry.add(std::string(ledger::projection_name), []() -> std::unique_ptr<replay::Projection> {
    return ledger::make_ledger_projection();
  });
  registry.add(std::string(collection::projection_name),
               []() -> std::unique_ptr<replay::Projection> {
                 return collection::make_collection_projection();
               });
  return registry.create_all();
}

}  // namespace oppgjor::wiring
