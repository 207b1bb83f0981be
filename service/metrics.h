#pragma once
// What the server counts, and its Prometheus text exposition (format 0.0.4): requests
// by path and status, a latency histogram of screening requests, declarations screened
// and selected, selections per profile, reloads, and the version in force.

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "tauekel/decision.h"

namespace tauekel::service {

class Metrics {
 public:
  // Upper bounds of the latency buckets, in seconds (+Inf is implied).
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0,  2.5};

  void request(const std::string& path, int status);
  void screening(double seconds);
  // Counts one answered request's decisions.
  void decisions(const std::vector<Decision>& decisions);
  void reload(bool accepted);
  void version(const std::string& version);

  std::string render() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, uint64_t> requests_;
  std::array<uint64_t, kBuckets.size() + 1> latency_ = {};
  double latency_sum_ = 0;
  uint64_t latency_count_ = 0;
  uint64_t screened_ = 0;
  uint64_t selected_ = 0;
  std::map<std::string, uint64_t> by_profile_;
  uint64_t reloads_[2] = {};  // refused, accepted
  std::string version_;
};

}  // namespace tauekel::service
