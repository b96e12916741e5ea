#include "services/wiring/wiring.h"

#include <algorithm>

#include "replay/builtin_projections.h"
#include "services/care_fees/care_fees_projection.h"
#include "services/care_fees/care_fees_service.h"
#include "services/collection/collection_service.h"
#include "services/invoicing/invoicing_service.h"
#include "services/ledger/ledger_service.h"

namespace oppgjor::wiring {

std::vector<runtime::ServiceFactory> all_services() {
  return {
      []() -> std::unique_ptr<runtime::Service> { return care_fees::make_care_fees_service(); },
      []() -> std::unique_ptr<runtime::Service> { return invoicing::make_invoicing_service(); },
      []() -> std::unique_ptr<runtime::Service> { return ledger::make_ledger_service(); },
      []() -> std::unique_ptr<runtime::Service> { return collection::make_collection_service(); }};
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
