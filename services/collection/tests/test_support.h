// Shared helpers for the collection tests.
#pragma once

#include "common/date.h"
#include "common/money.h"

namespace oppgjor::collection::test_support {

// A date or an amount written in a test; REQUIRES: valid.
inline common::Date d(const char* iso) {
  return *common::Date::parse(iso);
}
inline common::Decimal dec(const char* text) {
  return *common::Decimal::parse(text);
}

}  // namespace oppgjor::collection::test_support
