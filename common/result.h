// Result<T>: a value or an Error, for business rejections and operating errors that travel as
// values (STYLE.md: errors are values, not exceptions through domain code).
//
// An Error carries a stable machine `code` (snake_case, never reworded once published), the
// `field` it concerns as a JSON-pointer-like path ("payload.lines[0].unit_price", empty when
// not about a field) and a human `message`. Messages must never carry a full personal
// identifier (see mask.h).
#pragma once

#include <string>
#include <utility>
#include <variant>
#include "common/assert.h"

namespace oppgjor {

struct Error {
  std::string code;
  std::string field;
  std::string message;

  std::string to_string() const {
    std::string out = code;
    if (!field.empty()) out += " at " + field;
    if (!message.empty()) out += ": " + message;
    return out;
  }
};

inline Error make_error(std::string code, std::string field, std::string message) {
  return Error{std::move(code), std::move(field), std::move(message)};
}

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // REQUIRES: ok().
  T& value() & {
    OPPGJOR_ASSERT(ok(), "Result::value() on an error");
    return std::get<0>(v_);
  }
  const T& value() const& {
    OPPGJOR_ASSERT(ok(), "Result::value() on an error");
    return std::get<0>(v_);
  }
  T&& value() && {
    OPPGJOR_ASSERT(ok(), "Result::value() on an error");
    return std::get<0>(std::move(v_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  // REQUIRES: !ok().
  const Error& error() const {
    OPPGJOR_ASSERT(!ok(), "Result::error() on a value");
    return std::get<1>(v_);
  }

 private:
  std::variant<T, Error> v_;
};

// Status: Result without a value.
struct Ok {};
using Status = Result<Ok>;
inline Status ok_status() {
  return Ok{};
}

}  // namespace oppgjor
