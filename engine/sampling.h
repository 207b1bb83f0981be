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

inline bool inSample(int64_t share_millionths, std::string_view profile, std::string_view measure,
                     std::string_view declaration) {
  return inSample(share_millionths, sampleSeed(profile, measure), declaration);
}

}  // namespace tauekel::engine
