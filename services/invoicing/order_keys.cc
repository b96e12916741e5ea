// The invoicing state's order keys (order_keys.h).
#include "services/invoicing/order_keys.h"

#include "services/runtime/snapshot_lines.h"

namespace oppgjor::invoicing {

std::string order_set_key(std::string_view issuer, std::string_view ordrenummer) {
  std::string key;
  key.reserve(issuer.size() + ordrenummer.size() + 1);
  runtime::append_escaped_field(key, issuer);
  key.push_back('\t');
  runtime::append_escaped_field(key, ordrenummer);
  return key;
}

}  // namespace oppgjor::invoicing
