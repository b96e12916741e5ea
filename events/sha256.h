// SHA-256 through OpenSSL's EVP interface (libssl-dev), for the hash chain and content digests.
// Thread-safe: each Sha256 object is single-threaded; the free functions are reentrant.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace oppgjor::events {

using Digest = std::array<std::uint8_t, 32>;

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(std::string_view bytes);
  Digest finish();  // resets the object for reuse

 private:
  void* ctx_;  // EVP_MD_CTX*
};

Digest sha256(std::string_view bytes);
std::string to_hex(const Digest& digest);  // 64 lowercase hex characters
std::string sha256_hex(std::string_view bytes);
// Whether `hex` is `digest` as to_hex writes it (64 lowercase hex characters); allocates nothing.
bool hex_equals(const Digest& digest, std::string_view hex);

}  // namespace oppgjor::events
