// What the acting and reading subcommands share (cmd_care_fees.cc, cmd_invoice.cc,
// cmd_payments.cc, cmd_report.cc): files, printing for people (masked, control characters
// escaped), command payloads, submitting a command to the services and reading its answer, and
// the common options. Nothing here decides anything.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/service_session.h"
#include "common/result.h"
#include "kafka/health.h"
#include "services/runtime/commands.h"

namespace oppgjor::cli {

bool read_file(const std::string& path, std::string& out);
bool write_file(const std::string& path, const std::string& bytes);

// Prints rendered text (several lines) for people: masked, control characters escaped.
void print(const std::string& s);
// One field of the log, as shown to people.
std::string shown(const std::string& s);

// "oppgjor <group> <what>: avvist (<code>, <field>): <sentence>" on stderr; returns
// exit_rejected.
int rejected(const char* group, const char* what, const Error& e);

// A command's payload {"key": json, ...}; a field whose json is empty is left out. The engine
// canonicalises it.
std::string payload_of(std::initializer_list<std::pair<std::string, std::string>> fields);
std::string json_string(const std::string& s);

// Submits the command; prints the refusal when it was refused. The answer, or nullopt with `rc`
// set (exit_operating_error or exit_rejected).
std::optional<runtime::Answer> submit(ServiceSession& s, const char* group, const char* what,
                                      const std::string& type, const std::string& payload,
                                      const std::string& actor,
                                      const std::optional<std::string>& correlation, int& rc);

std::int64_t count(const runtime::Answer& a, const std::string& key);
std::int64_t amount(const runtime::Answer& a, const std::string& key);

void add_db(CLI::App* cmd, std::string& db);

// The repeatable `-X key=value` (extra librdkafka settings) of a Kafka command, into `out`.
// False, after printing "oppgjor COMMAND: -X wants key=value, got …", for an item without a key
// and '=' (a usage error, exit 2).
bool kafka_settings(const std::vector<std::string>& items, const char* command,
                    std::map<std::string, std::string>& out);
// `--http HOST:PORT` of a Kafka command (serve, ingest --kafka): starts the /healthz and /metrics
// endpoint over `board` and prints "COMMAND: health and metrics on http://HOST:PORT" on stderr
// (port 0 takes a free one). Null after printing the error, with `exit_code` set (2 for an
// address that is not HOST:PORT, 1 when it cannot listen).
std::unique_ptr<kafka::HealthServer> start_health(const std::string& listen,
                                                  const kafka::HealthBoard& board,
                                                  const char* command, int& exit_code);
// --actor, normalised at the edge (common/actor.h).
void add_actor(CLI::App* cmd, std::string& actor, bool required);

}  // namespace oppgjor::cli
