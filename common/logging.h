// Logging at the process edge: spdlog set up so that every message is masked
// (mask_personal_ids) before it is written, in a human or a JSON-lines format.
//
// JSON lines: {"ts":"2025-11-23T12:34:56.789Z","level":"info","logger":"oppgjor","msg":"…"}
// with JSON string escaping (quotes, backslashes, control characters). The timestamp is the one
// spdlog stamps on the message (UTC, milliseconds); domain code never reads it.
// Human: "2025-11-23 12:34:56.789 [info] [oppgjor] message" (UTC).
//
// Thread-safety: init_logging is meant to be called once at start-up, before other threads log;
// the loggers it creates are spdlog's thread-safe (_mt) kind.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <spdlog/formatter.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/sink.h>

namespace oppgjor::common {

enum class LogFormat { human, json };

std::optional<LogFormat> parse_log_format(std::string_view name);  // "human", "json"
std::string_view log_format_name(LogFormat format);

// A formatter that writes `format` and masks personal identifiers in the message (and, for
// human output, in the whole line). Install it on any sink with sink->set_formatter(...).
std::unique_ptr<spdlog::formatter> make_masking_formatter(LogFormat format);

// A logger named `name` writing to `sink` through make_masking_formatter(format).
std::shared_ptr<spdlog::logger> make_logger(std::string name, spdlog::sink_ptr sink,
                                            LogFormat format, spdlog::level::level_enum level);

// Makes a masking logger named "oppgjor" on stderr the spdlog default logger (so
// spdlog::info(...) is masked too).
void init_logging(LogFormat format, spdlog::level::level_enum level);

// The JSON string body for `text` (without the surrounding quotes): '"' and '\\' escaped,
// control characters as \n, \t, \r, \b, \f or \u00XX; other bytes (UTF-8) copied as they are.
std::string json_escape(std::string_view text);

}  // namespace oppgjor::common
