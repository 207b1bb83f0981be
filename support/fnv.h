#pragma once
// FNV-1a (64-bit), byte by byte: the hash our outputs and files name things by (samples,
// kernel cache entries, profile set versions), so it must never change.

#include <cstdint>
#include <string_view>

namespace tauekel::fnv {

inline constexpr uint64_t kOffset = 14695981039346656037ull;

// Continues the hash `h` over `text`; start from kOffset.
inline uint64_t hash(std::string_view text, uint64_t h = kOffset) {
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace tauekel::fnv
