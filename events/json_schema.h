// JsonSchema: a JSON Schema draft-07 validator. A schema is compiled once into an immutable tree
// of its own (it keeps no reference into the parser that read the schema text), then validates
// any number of simdjson DOM instances without copying them.
//
// Supported: every draft-07 validation keyword (type, enum, const, the number, string, array
// and object keywords, dependencies, allOf/anyOf/oneOf/not, if/then/else, format, $ref with
// $id-based resolution and definitions, boolean schemas). Accepted and ignored annotations:
// $schema, $id, $comment, title, description, default, examples, readOnly, writeOnly,
// contentMediaType, contentEncoding. Any other key in a schema object is rejected at compile
// time ("schema_unsupported_keyword") unless a $ref points into it (then it is a container of
// subschemas, as in `{"my_defs": {...}, "$ref": "#/my_defs/x"}`), so a misspelled keyword can
// never silently validate nothing.
//
// Limits: `pattern` is matched by a small built-in matcher when the pattern fits its subset
// (anchors, classes, \d \w \s, groups with '|', quantifiers; no back-references or
// look-around), by std::regex (ECMAScript grammar) otherwise. Both work on bytes, so a `.` or
// a character class does not match a non-ASCII code point as one unit. A pattern outside the
// subset recurses once per input character in std::regex: give such fields a maxLength.
// minLength/maxLength count code points. Numbers beyond int64/uint64 are a simdjson parse error.
//
// Thread-safety: a compiled JsonSchema and a FormatRegistry that is no longer modified are
// safe to use from many threads at once (format checkers must be thread-safe themselves).
#pragma once

#include <simdjson.h>

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace oppgjor::events {

// One failed keyword. For "required", "dependencies" and "additionalProperties" the path names
// the missing or unexpected field itself ("/national_id"), not the object that holds it.
struct SchemaViolation {
  std::string instance_path;  // JSON pointer into the instance: "/lines/0/unit_price"; "" = root
  std::string keyword;        // the failing keyword: "required", "type", "format", ...
  std::string message;        // human: names the field and the reason
  std::string format;         // the format name when keyword == "format", else empty
};

// Returns true when the string satisfies the format. Must be pure and thread-safe.
using FormatChecker = std::function<bool(std::string_view)>;

// What compile() does with a `format` name that has no checker.
enum class UnknownFormatPolicy {
  reject,  // compile error "schema_unsupported_keyword" naming the format (our schemas)
  ignore,  // the keyword asserts nothing (draft-07's default; used by the official test suite)
};

class FormatRegistry {
 public:
  // Adds or replaces the checker for `name`.
  void add(std::string name, FormatChecker checker);
  // The checker for `name`, or nullptr. The pointer lives as long as this registry is not
  // modified.
  const FormatChecker* find(std::string_view name) const;

  void set_unknown_format_policy(UnknownFormatPolicy policy) { unknown_ = policy; }
  UnknownFormatPolicy unknown_format_policy() const { return unknown_; }

  // A registry with "date" (RFC 3339 full-date), "date-time" (RFC 3339), "time" (RFC 3339
  // full-time, offset required), "uuid" (8-4-4-4-12 hex), "email" (a plain addr-spec check)
  // and "regex" (compiles as ECMAScript). Policy: reject unknown formats.
  static FormatRegistry with_builtin();

 private:
  std::map<std::string, FormatChecker, std::less<>> checkers_;
  UnknownFormatPolicy unknown_ = UnknownFormatPolicy::reject;
};

// Supplies schemas that a $ref names by an absolute URI outside the schema being compiled.
// The draft-07 meta-schema (http://json-schema.org/draft-07/schema) is built in.
class RemoteResolver {
 public:
  virtual ~RemoteResolver() = default;
  // The schema JSON text for `uri` (absolute, without fragment), or nullopt when unknown.
  virtual std::optional<std::string> fetch(std::string_view uri) const = 0;
};

namespace detail {
struct SchemaNode;
struct SchemaStore;
}  // namespace detail

class JsonSchema {
 public:
  // Compiles a draft-07 schema. Errors: "schema_invalid" (not JSON, a keyword with a value of
  // the wrong shape, a bad regex), "schema_unsupported_keyword" (field = schema path, the
  // message names the keyword or format), "schema_unresolved_ref" (field = schema path of the
  // $ref). `formats` is consulted during compile only (checkers are copied); `remotes` may be
  // nullptr, and is used during compile only.
  static Result<std::shared_ptr<const JsonSchema>> compile(std::string_view schema_json,
                                                           const FormatRegistry& formats,
                                                           const RemoteResolver* remotes = nullptr);
  static Result<std::shared_ptr<const JsonSchema>> compile(simdjson::dom::element schema,
                                                           const FormatRegistry& formats,
                                                           const RemoteResolver* remotes = nullptr);

  // The violations found, in schema order, at most `max_violations` (>= 1); empty = valid. A
  // valid instance costs what is_valid() costs.
  // REQUIRES: `instance` (and its parser) stays alive during the call.
  std::vector<SchemaViolation> validate(simdjson::dom::element instance,
                                        std::size_t max_violations = 8) const;
  // Same answer as validate(instance).empty(), faster: stops at the first failure, builds no
  // messages.
  bool is_valid(simdjson::dom::element instance) const;

  ~JsonSchema();
  JsonSchema(const JsonSchema&) = delete;
  JsonSchema& operator=(const JsonSchema&) = delete;

 private:
  explicit JsonSchema(std::unique_ptr<detail::SchemaStore> store);
  std::unique_ptr<detail::SchemaStore> store_;
};

}  // namespace oppgjor::events
