#include "services/runtime/partition.h"

#include "common/assert.h"

namespace oppgjor::runtime {

std::int32_t murmur2(std::string_view key) {
  // Unsigned arithmetic: the Java original relies on two's-complement wrap-around of int.
  constexpr std::uint32_t seed = 0x9747b28cU;
  constexpr std::uint32_t m = 0x5bd1e995U;
  constexpr int r = 24;
  const auto* data = reinterpret_cast<const unsigned char*>(key.data());
  const std::size_t length = key.size();
  std::uint32_t h = seed ^ static_cast<std::uint32_t>(length);
  const std::size_t length4 = length / 4;
  for (std::size_t i = 0; i < length4; ++i) {
    const std::size_t i4 = i * 4;
    std::uint32_t k = std::uint32_t{data[i4]} | (std::uint32_t{data[i4 + 1]} << 8) |
                      (std::uint32_t{data[i4 + 2]} << 16) | (std::uint32_t{data[i4 + 3]} << 24);
    k *= m;
    k ^= k >> r;
    k *= m;
    h *= m;
    h ^= k;
  }
  const std::size_t tail = length & ~std::size_t{3};
  switch (length % 4) {
    case 3:
      h ^= std::uint32_t{data[tail + 2]} << 16;
      [[fallthrough]];
    case 2:
      h ^= std::uint32_t{data[tail + 1]} << 8;
      [[fallthrough]];
    case 1:
      h ^= std::uint32_t{data[tail]};
      h *= m;
      break;
    default:
      break;
  }
  h ^= h >> 13;
  h *= m;
  h ^= h >> 15;
  return static_cast<std::int32_t>(h);
}

int partition_of(std::string_view key, int partitions) {
  OPPGJOR_ASSERT(partitions > 0 && partitions <= parts_max, "a partition count out of range");
  const auto positive = static_cast<std::uint32_t>(murmur2(key)) & 0x7fffffffU;
  return static_cast<int>(positive % static_cast<std::uint32_t>(partitions));
}

std::string_view partition_key(std::string_view stream) {
  const auto slash = stream.find('/');
  if (slash == std::string_view::npos) return stream;
  const std::string_view kind = stream.substr(0, slash);
  if (kind == "customer" || kind == "care_fees" || kind == "resident") {
    return stream.substr(slash + 1);
  }
  return stream;
}

}  // namespace oppgjor::runtime
