#pragma once
// A quick 64-bit hash of a text for the engine's own tables (person ids, declaration
// keys): eight bytes a step, each step a multiply and a shift, so a 20-byte id is three
// steps where byte-wise FNV is twenty dependent multiplies. Nothing outside the process
// depends on its values (support/fnv.h is the hash outputs name things by).

#include <cstdint>
#include <cstring>
#include <string_view>

namespace tauekel::text_hash {

inline uint64_t mix(uint64_t h) {
  h ^= h >> 32;
  h *= 0xD6E8FEB86659FD93ull;
  h ^= h >> 32;
  return h;
}

inline uint64_t hash(std::string_view text) {
  const char* p = text.data();
  size_t n = text.size();
  uint64_t h = 0x9E3779B97F4A7C15ull ^ (static_cast<uint64_t>(n) * 0xC2B2AE3D27D4EB4Full);
  for (; n >= 8; p += 8, n -= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ w) * 0x9FB21C651E98DF25ull;
    h ^= h >> 29;
  }
  uint64_t tail = 0;
  for (size_t i = 0; i < n; ++i) tail |= static_cast<uint64_t>(static_cast<unsigned char>(p[i])) << (8 * i);
  return mix((h ^ tail) * 0x9FB21C651E98DF25ull);
}

}  // namespace tauekel::text_hash
