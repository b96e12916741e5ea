// json_parse_bench: the measurement behind the JSON choice in docs/DEPENDENCIES.md.
//
// Parses the same event envelope with nlohmann::json, simdjson DOM (one dom::parser reused, as
// events::Decoder does) and simdjson On-Demand (one ondemand::parser reused). Intake needs every
// member of the payload (validation, canonical form), so each variant is measured twice: parse
// only, and parse + a walk that visits every value (strings read, numbers converted).
//
// Inputs come from the sample generator: a customer registration (payload ≈ 230 bytes) and a
// compact invoice basis (payload ≈ 400 bytes). Run it by hand or through bench/run.sh; it is
// never a test.
#include <benchmark/benchmark.h>
#include <simdjson.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "sample/sample_generator.h"

namespace {

// The first generated envelope of `type`.
std::string sample_line(std::string_view type) {
  oppgjor::sample::SampleOptions o;
  o.customers = 10;
  o.compact = true;
  std::string found;
  const std::string needle = "\"type\":\"" + std::string(type) + "\"";
  oppgjor::sample::generate_sample(o, [&](std::string_view line) {
    if (found.empty() && line.find(needle) != std::string_view::npos) found.assign(line);
  });
  return found;
}

const std::string& input(int which) {
  static const std::string customer = sample_line("customers.customer_registered");
  static const std::string invoice = sample_line("invoicing.invoice_basis_received");
  return which == 0 ? customer : invoice;
}

std::uint64_t walk(const nlohmann::json& v) {
  switch (v.type()) {
    case nlohmann::json::value_t::object: {
      std::uint64_t n = 0;
      for (const auto& [k, x] : v.items()) n += k.size() + walk(x);
      return n;
    }
    case nlohmann::json::value_t::array: {
      std::uint64_t n = 0;
      for (const auto& x : v) n += walk(x);
      return n;
    }
    case nlohmann::json::value_t::string:
      return v.get_ref<const std::string&>().size();
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
      return static_cast<std::uint64_t>(v.get<std::int64_t>());
    default:
      return 1;
  }
}

std::uint64_t walk(simdjson::dom::element v) {
  switch (v.type()) {
    case simdjson::dom::element_type::OBJECT: {
      std::uint64_t n = 0;
      const simdjson::dom::object obj = v.get_object().value_unsafe();
      for (auto field : obj) n += field.key.size() + walk(field.value);
      return n;
    }
    case simdjson::dom::element_type::ARRAY: {
      std::uint64_t n = 0;
      const simdjson::dom::array arr = v.get_array().value_unsafe();
      for (auto x : arr) n += walk(x);
      return n;
    }
    case simdjson::dom::element_type::STRING:
      return v.get_string().value_unsafe().size();
    case simdjson::dom::element_type::INT64:
      return static_cast<std::uint64_t>(v.get_int64().value_unsafe());
    default:
      return 1;
  }
}

std::uint64_t walk(simdjson::ondemand::value v) {
  switch (v.type().value_unsafe()) {
    case simdjson::ondemand::json_type::object: {
      std::uint64_t n = 0;
      simdjson::ondemand::object obj = v.get_object().value_unsafe();
      for (auto field : obj) {
        n += field.unescaped_key().value_unsafe().size() + walk(field.value().value_unsafe());
      }
      return n;
    }
    case simdjson::ondemand::json_type::array: {
      std::uint64_t n = 0;
      simdjson::ondemand::array arr = v.get_array().value_unsafe();
      for (auto x : arr) n += walk(x.value_unsafe());
      return n;
    }
    case simdjson::ondemand::json_type::string:
      return v.get_string().value_unsafe().size();
    case simdjson::ondemand::json_type::number:
      return static_cast<std::uint64_t>(v.get_int64().value_unsafe());
    default:
      return 1;
  }
}

void set_counters(benchmark::State& state, std::size_t bytes) {
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes));
  state.SetLabel(state.range(0) == 0 ? "customer_registered" : "invoice_basis (compact)");
}

void nlohmann_parse(benchmark::State& state) {
  const std::string& line = input(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto doc = nlohmann::json::parse(line);
    benchmark::DoNotOptimize(doc);
  }
  set_counters(state, line.size());
}

void nlohmann_parse_walk(benchmark::State& state) {
  const std::string& line = input(static_cast<int>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(walk(nlohmann::json::parse(line)));
  set_counters(state, line.size());
}

void simdjson_dom_parse(benchmark::State& state) {
  const simdjson::padded_string line(input(static_cast<int>(state.range(0))));
  simdjson::dom::parser parser;
  for (auto _ : state) {
    simdjson::dom::element root;
    if (parser.parse(line).get(root) != simdjson::SUCCESS) state.SkipWithError("parse");
    benchmark::DoNotOptimize(root);
  }
  set_counters(state, line.size());
}

void simdjson_dom_parse_walk(benchmark::State& state) {
  const simdjson::padded_string line(input(static_cast<int>(state.range(0))));
  simdjson::dom::parser parser;
  for (auto _ : state) {
    simdjson::dom::element root;
    if (parser.parse(line).get(root) != simdjson::SUCCESS) state.SkipWithError("parse");
    benchmark::DoNotOptimize(walk(root));
  }
  set_counters(state, line.size());
}

// As events::Decoder does it: the bytes arrive unpadded and are copied into a padded buffer.
void simdjson_dom_copy_parse_walk(benchmark::State& state) {
  const std::string& line = input(static_cast<int>(state.range(0)));
  simdjson::dom::parser parser;
  simdjson::padded_string buffer;
  for (auto _ : state) {
    buffer = simdjson::padded_string(line);
    simdjson::dom::element root;
    if (parser.parse(buffer).get(root) != simdjson::SUCCESS) state.SkipWithError("parse");
    benchmark::DoNotOptimize(walk(root));
  }
  set_counters(state, line.size());
}

void simdjson_ondemand_parse(benchmark::State& state) {
  const simdjson::padded_string line(input(static_cast<int>(state.range(0))));
  simdjson::ondemand::parser parser;
  for (auto _ : state) {
    auto doc = parser.iterate(line);
    std::string_view type;
    if (doc["type"].get_string().get(type) != simdjson::SUCCESS) state.SkipWithError("parse");
    benchmark::DoNotOptimize(type);
  }
  set_counters(state, line.size());
}

void simdjson_ondemand_parse_walk(benchmark::State& state) {
  const simdjson::padded_string line(input(static_cast<int>(state.range(0))));
  simdjson::ondemand::parser parser;
  for (auto _ : state) {
    auto doc = parser.iterate(line);
    simdjson::ondemand::value root;
    if (doc.get_value().get(root) != simdjson::SUCCESS) state.SkipWithError("parse");
    benchmark::DoNotOptimize(walk(root));
  }
  set_counters(state, line.size());
}

}  // namespace

BENCHMARK(nlohmann_parse)->Arg(0)->Arg(1);
BENCHMARK(nlohmann_parse_walk)->Arg(0)->Arg(1);
BENCHMARK(simdjson_dom_parse)->Arg(0)->Arg(1);
BENCHMARK(simdjson_dom_parse_walk)->Arg(0)->Arg(1);
BENCHMARK(simdjson_dom_copy_parse_walk)->Arg(0)->Arg(1);
// "parse" for On-Demand only indexes the document and reads one field: it defers the rest.
BENCHMARK(simdjson_ondemand_parse)->Arg(0)->Arg(1);
BENCHMARK(simdjson_ondemand_parse_walk)->Arg(0)->Arg(1);

BENCHMARK_MAIN();
