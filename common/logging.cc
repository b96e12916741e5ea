// spdlog set-up with masking (see logging.h).
#include "common/logging.h"

#include <chrono>
#include <utility>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "common/ascii.h"
#include "common/json_text.h"
#include "common/mask.h"

namespace oppgjor::common {
namespace {

// "2025-11-23T12:34:56.789Z" (separator 'T', suffix "Z") or "2025-11-23 12:34:56.789".
std::string utc_timestamp(std::chrono::system_clock::time_point tp, char separator,
                          std::string_view suffix) {
  using namespace std::chrono;
  const auto ms = floor<milliseconds>(tp);
  const auto day = floor<days>(ms);
  const year_month_day civil{day};
  const hh_mm_ss<milliseconds> time{ms - day};
  std::string out;
  append_zero_padded(out, static_cast<int>(civil.year()), 4);
  out += '-';
  append_zero_padded(out, static_cast<unsigned>(civil.month()), 2);
  out += '-';
  append_zero_padded(out, static_cast<unsigned>(civil.day()), 2);
  out += separator;
  append_zero_padded(out, time.hours().count(), 2);
  out += ':';
  append_zero_padded(out, time.minutes().count(), 2);
  out += ':';
  append_zero_padded(out, time.seconds().count(), 2);
  out += '.';
  append_zero_padded(out, time.subseconds().count(), 3);
  out += suffix;
  return out;
}

void append(spdlog::memory_buf_t& dest, std::string_view text) {
  dest.append(text.data(), text.data() + text.size());
}

std::string_view level_name(spdlog::level::level_enum level) {
  const auto name = spdlog::level::to_string_view(level);
  return std::string_view(name.data(), name.size());
}

class JsonMaskingFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const std::string_view text(msg.payload.data(), msg.payload.size());
    const std::string_view logger(msg.logger_name.data(), msg.logger_name.size());
    std::string line = "{\"ts\":\"" + utc_timestamp(msg.time, 'T', "Z");
    line += "\",\"level\":\"" + json_escape(level_name(msg.level));
    line += "\",\"logger\":\"" + json_escape(logger);
    line += "\",\"msg\":\"" + json_escape(mask_personal_ids(text)) + "\"}\n";
    append(dest, line);
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonMaskingFormatter>();
  }
};

class HumanMaskingFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const std::string_view text(msg.payload.data(), msg.payload.size());
    const std::string_view logger(msg.logger_name.data(), msg.logger_name.size());
    std::string line = utc_timestamp(msg.time, ' ', "");
    line += " [";
    line += level_name(msg.level);
    line += "] [";
    line += logger;
    line += "] ";
    line += text;
    line += '\n';
    append(dest, mask_personal_ids(line));  // masks the logger name too, if ever needed
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<HumanMaskingFormatter>();
  }
};

}  // namespace

std::optional<LogFormat> parse_log_format(std::string_view name) {
  if (name == "human") return LogFormat::human;
  if (name == "json") return LogFormat::json;
  return std::nullopt;
}

std::string_view log_format_name(LogFormat format) {
  return format == LogFormat::json ? "json" : "human";
}

std::unique_ptr<spdlog::formatter> make_masking_formatter(LogFormat format) {
  if (format == LogFormat::json) return std::make_unique<JsonMaskingFormatter>();
  return std::make_unique<HumanMaskingFormatter>();
}

std::shared_ptr<spdlog::logger> make_logger(std::string name, spdlog::sink_ptr sink,
                                            LogFormat format, spdlog::level::level_enum level) {
  sink->set_formatter(make_masking_formatter(format));
  auto logger = std::make_shared<spdlog::logger>(std::move(name), std::move(sink));
  logger->set_level(level);
  return logger;
}

void init_logging(LogFormat format, spdlog::level::level_enum level) {
  auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  spdlog::set_default_logger(make_logger("oppgjor", std::move(sink), format, level));
}

std::string json_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  append_json_escaped(text, out);
  return out;
}

}  // namespace oppgjor::common
