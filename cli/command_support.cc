// Shared subcommand helpers (command_support.h).
#include "cli/command_support.h"

#include <cstdio>
#include <fstream>
#include <sstream>

#include "cli/command_registry.h"
#include "cli/support.h"
#include "common/actor.h"
#include "common/mask.h"
#include "events/canonical_json.h"

namespace oppgjor::cli {

bool read_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  out = buffer.str();
  return !in.bad();
}

bool write_file(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return static_cast<bool>(out);
}

void print(const std::string& s) {
  const std::string out = common::for_display(s, common::Newlines::keep);
  std::fwrite(out.data(), 1, out.size(), stdout);
}

std::string shown(const std::string& s) {
  return common::for_display(s);
}

int rejected(const char* group, const char* what, const Error& e) {
  std::fprintf(stderr, "oppgjor %s %s: avvist (%s%s%s): %s\n", group, what, e.code.c_str(),
               e.field.empty() ? "" : ", ", e.field.c_str(), shown(e.message).c_str());
  return exit_rejected;
}

std::string payload_of(std::initializer_list<std::pair<std::string, std::string>> fields) {
  std::string out = "{";
  for (const auto& [key, json] : fields) {
    if (json.empty()) continue;
    if (out.size() > 1) out += ',';
    out += '"';
    out += key;
    out += "\":";
    out += json;
  }
  return out + "}";
}

std::string json_string(const std::string& s) {
  std::string out;
  events::append_json_string(s, out);
  return out;
}

std::optional<runtime::Answer> submit(ServiceSession& s, const char* group, const char* what,
                                      const std::string& type, const std::string& payload,
                                      const std::string& actor,
                                      const std::optional<std::string>& correlation, int& rc) {
  auto answer = submit_command(s, type, payload, actor, correlation);
  if (!answer) {
    rc = exit_operating_error;
    return std::nullopt;
  }
  if (answer->refused) {
    rc = rejected(group, what, answer->refusal);
    return std::nullopt;
  }
  rc = exit_ok;
  return answer;
}

std::int64_t count(const runtime::Answer& a, const std::string& key) {
  const auto it = a.completion.counts.find(key);
  return it == a.completion.counts.end() ? 0 : it->second;
}

std::int64_t amount(const runtime::Answer& a, const std::string& key) {
  const auto it = a.completion.amounts.find(key);
  return it == a.completion.amounts.end() ? 0 : it->second;
}

bool kafka_settings(const std::vector<std::string>& items, const char* command,
                    std::map<std::string, std::string>& out) {
  for (const auto& kv : items) {
    const auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::fprintf(stderr, "oppgjor %s: -X wants key=value, got '%s'\n", command, kv.c_str());
      return false;
    }
    out[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  return true;
}

std::unique_ptr<kafka::HealthServer> start_health(const std::string& listen,
                                                  const kafka::HealthBoard& board,
                                                  const char* command, int& exit_code) {
  auto started = kafka::HealthServer::start(listen, board);
  if (!started) {
    print_error(command, started.error());
    exit_code = started.error().code == "invalid_value" ? exit_usage : exit_operating_error;
    return nullptr;
  }
  std::fprintf(stderr, "%s: health and metrics on http://%s:%d\n", command,
               (*started)->host().c_str(), (*started)->port());
  std::fflush(stderr);
  return std::move(*started);
}

void add_db(CLI::App* cmd, std::string& db) {
  cmd->add_option("--db", db, "Event log (SQLite file)")->required();
}

void add_actor(CLI::App* cmd, std::string& actor, bool required) {
  // Normalised here, at the edge: from now on the name is the person's identity (actor.h).
  auto* o = cmd->add_option("--actor", actor,
                            "User name of the person acting (case and surrounding blanks do not "
                            "matter; never a fødselsnummer)")
                ->transform(CLI::Validator(
                    [](std::string& v) {
                      auto id = common::normalise_actor(v);
                      if (!id) return id.error().message;
                      v = id->str();
                      return std::string();
                    },
                    "USER"));
  if (required) o->required();
}

}  // namespace oppgjor::cli
