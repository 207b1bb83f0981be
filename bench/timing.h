#pragma once
// Small timing helpers for the benchmark programs. Benchmarks report; they never assert.

#include <algorithm>
#include <chrono>
#include <vector>

namespace tauekel::bench {

inline double nowSeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

struct Stats {
  double min = 0, median = 0, p90 = 0;
};

inline Stats summarize(std::vector<double> samples) {
  std::sort(samples.begin(), samples.end());
  Stats s;
  if (samples.empty()) return s;
  s.min = samples.front();
  s.median = samples[samples.size() / 2];
  s.p90 = samples[std::min(samples.size() - 1, samples.size() * 9 / 10)];
  return s;
}

}  // namespace tauekel::bench
