#pragma once
// Deterministic random sampling: whether a declaration falls in a profile's N% sample
// for a measure depends only on the profile id, the measure code and the declaration's
// number, so any run over the same declarations samples the same ones, and an auditor
// can recompute it: FNV-1a (64-bit) over "profile\x1Fmeasure\x1Fdeclaration", taken
// modulo 1,000,000, is compared with the share in millionths.

#include <cstdint>
#include <string_view>

namespace tauekel::engine {

inline uint64_t sampleHash(std::string_view profile, std::string_view measure, std::string_view declaration) {
  uint64_t h = 14695981039346656037ull;
  auto mix = [&](std::string_view s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ull;
    }
  };
  mix(profile);
  mix("\x1F");
  mix(measure);
  mix("\x1F");
  mix(declaration);
  return h;
}

inline bool inSample(int64_t share_millionths, std::string_view profile, std::string_view measure,
                     std::string_view declaration) {
  return static_cast<int64_t>(sampleHash(profile, measure, declaration) % 1'000'000) < share_millionths;
}

}  // namespace tauekel::engine
