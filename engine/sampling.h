#pragma once
// Deterministic random sampling: whether a declaration falls in a profile's N% sample
// for a measure depends only on the profile id, the measure code and the declaration's
// number, so any run over the same declarations samples the same ones, and an auditor
// can recompute it: FNV-1a (64-bit) over "profile\x1Fmeasure\x1Fdeclaration", taken
// modulo 1,000,000, is compared with the share in millionths.

#include <cstdint>
#include <string_view>

#include "support/fnv.h"

namespace tauekel::engine {

inline uint64_t fnv1a(uint64_t h, std::string_view s) { return fnv::hash(s, h); }

// The hash's state after "profile\x1Fmeasure\x1F": the same for every declaration, so a
// writer computes it once per profile and measure.
inline uint64_t sampleSeed(std::string_view profile, std::string_view measure) {
  return fnv1a(fnv1a(fnv1a(fnv1a(fnv::kOffset, profile), "\x1F"), measure), "\x1F");
}

inline uint64_t sampleHash(std::string_view profile, std::string_view measure, std::string_view declaration) {
  return fnv1a(sampleSeed(profile, measure), declaration);
}

inline bool inSample(int64_t share_millionths, uint64_t seed, std::string_view declaration) {
  return static_cast<int64_t>(fnv1a(seed, declaration) % 1'000'000) < share_millionths;
}

// fnv1a(seeds[i], declaration) for every i, four at a time: each hash is a chain of
// dependent multiplies, so four chains side by side take about as long as one.
inline void sampleHashes(const uint64_t* seeds, size_t n, std::string_view declaration, uint64_t* out) {
  constexpr uint64_t kPrime = 1099511628211ull;
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    uint64_t a = seeds[i], b = seeds[i + 1], c = seeds[i + 2], d = seeds[i + 3];
    for (unsigned char ch : declaration) {
      a = (a ^ ch) * kPrime;
      b = (b ^ ch) * kPrime;
      c = (c ^ ch) * kPrime;
      d = (d ^ ch) * kPrime;
    }
    out[i] = a;
    out[i + 1] = b;
    out[i + 2] = c;
    out[i + 3] = d;
  }
  for (; i < n; ++i) out[i] = fnv1a(seeds[i], declaration);
}

inline bool inSampleHash(int64_t share_millionths, uint64_t hash) {
  return static_cast<int64_t>(hash % 1'000'000) < share_millionths;
}

inline bool inSample(int64_t share_millionths, std::string_view profile, std::string_view measure,
                     std::string_view declaration) {
  return inSample(share_millionths, sampleSeed(profile, measure), declaration);
}

}  // namespace tauekel::engine
