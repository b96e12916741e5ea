// Fast, exact formatting of øre amounts for the reports (internal to the module): the shared
// formatter in common/ore_format.h (plain "-1234.56", Norwegian "-1 234,56", Excel "-1234,56").
#pragma once

#include "common/ore_format.h"

namespace oppgjor::care_fees {
namespace fmt = common::ore_format;
}  // namespace oppgjor::care_fees
