#include "events/sha256.h"
#include "common/assert.h"

#include <openssl/evp.h>

#include <cstdlib>

namespace oppgjor::events {

namespace {
EVP_MD_CTX* ctx_of(void* p) {
  return static_cast<EVP_MD_CTX*>(p);
}

void check(int rc) {
  // A failing digest is a bug or a broken library, never a business case: stop before writing.
  if (rc != 1) std::abort();
}

// OpenSSL 3 looks the algorithm up on every EVP_sha256() init; fetch it once.
const EVP_MD* sha256_md() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  if (md == nullptr) std::abort();
  return md;
}
}  // namespace

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
  if (ctx_ == nullptr) std::abort();
  check(EVP_DigestInit_ex2(ctx_of(ctx_), sha256_md(), nullptr));
}

Sha256::~Sha256() {
  EVP_MD_CTX_free(ctx_of(ctx_));
}

void Sha256::update(std::string_view bytes) {
  check(EVP_DigestUpdate(ctx_of(ctx_), bytes.data(), bytes.size()));
}

Digest Sha256::finish() {
  Digest out{};
  unsigned int len = 0;
  check(EVP_DigestFinal_ex(ctx_of(ctx_), out.data(), &len));
  OPPGJOR_ASSERT(len == out.size(), "SHA-256 digest length");
  check(EVP_DigestInit_ex2(ctx_of(ctx_), sha256_md(), nullptr));
  return out;
}

Digest sha256(std::string_view bytes) {
  thread_local Sha256 h;  // one context per thread, reused
  h.update(bytes);
  return h.finish();
}

std::string to_hex(const Digest& digest) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out(digest.size() * 2, '0');
  for (std::size_t i = 0; i < digest.size(); ++i) {
    out[2 * i] = digits[digest[i] >> 4];
    out[2 * i + 1] = digits[digest[i] & 0x0f];
  }
  return out;
}

bool hex_equals(const Digest& digest, std::string_view hex) {
  static constexpr char digits[] = "0123456789abcdef";
  if (hex.size() != digest.size() * 2) return false;
  for (std::size_t i = 0; i < digest.size(); ++i) {
    if (hex[2 * i] != digits[digest[i] >> 4] || hex[2 * i + 1] != digits[digest[i] & 0x0f]) {
      return false;
    }
  }
  return true;
}

std::string sha256_hex(std::string_view bytes) {
  return to_hex(sha256(bytes));
}

}  // namespace oppgjor::events
