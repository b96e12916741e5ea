#include "events/sha256.h"

#include <openssl/evp.h>

#include <cassert>
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
}  // namespace

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
  if (ctx_ == nullptr) std::abort();
  check(EVP_DigestInit_ex(ctx_of(ctx_), EVP_sha256(), nullptr));
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
  assert(len == out.size());
  check(EVP_DigestInit_ex(ctx_of(ctx_), EVP_sha256(), nullptr));
  return out;
}

Digest sha256(std::string_view bytes) {
  Digest out{};
  unsigned int len = 0;
  check(EVP_Digest(bytes.data(), bytes.size(), out.data(), &len, EVP_sha256(), nullptr));
  return out;
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

std::string sha256_hex(std::string_view bytes) {
  return to_hex(sha256(bytes));
}

}  // namespace oppgjor::events
