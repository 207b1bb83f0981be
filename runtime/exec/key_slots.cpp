#include "runtime/exec/key_slots.h"

#include <algorithm>

namespace tauekel::runtime {

namespace {
// Tables larger than this would miss the cache on most lookups; sorting is cheaper then.
constexpr uint64_t kMaxEntries = uint64_t{1} << 18;
}  // namespace

std::optional<KeySlots> KeySlots::make(std::vector<int64_t> keys, int64_t split) {
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  if (keys.empty() || keys.size() >= UINT16_MAX) return std::nullopt;
  KeySlots s;
  s.keys_ = std::move(keys);
  const std::vector<int64_t>& k = s.keys_;
  if (split <= 0) {
    uint64_t span = static_cast<uint64_t>(k.back()) - static_cast<uint64_t>(k.front()) + 1;
    if (span == 0 || span > kMaxEntries) return std::nullopt;
    s.lo_ = k.front();
    s.span_ = span;
    s.table_.assign(span + 1, 0);
    for (size_t j = 0; j < k.size(); ++j) s.table_[static_cast<uint64_t>(k[j]) - static_cast<uint64_t>(s.lo_)] = static_cast<uint16_t>(j + 1);
    return s;
  }
  // Two levels. Keys are ascending, so each top's keys are adjacent.
  if (k.front() < 0) return std::nullopt;
  int64_t lo = k.front() / split, hi = k.back() / split;
  uint64_t span = static_cast<uint64_t>(hi - lo) + 1;
  if (span > kMaxEntries) return std::nullopt;
  s.lo_ = lo;
  s.span_ = span;
  s.blocks_.assign(span + 1, 0);
  s.table_.assign(static_cast<size_t>(split), 0);  // block 0: no keys
  for (size_t j = 0; j < k.size(); ++j) {
    uint64_t top = static_cast<uint64_t>(k[j] / split - lo);
    if (s.blocks_[top] == 0) {
      if (s.table_.size() + static_cast<uint64_t>(split) > kMaxEntries) return std::nullopt;
      s.blocks_[top] = static_cast<uint32_t>(s.table_.size());
      s.table_.resize(s.table_.size() + static_cast<size_t>(split), 0);
    }
    s.table_[s.blocks_[top] + static_cast<uint64_t>(k[j] % split)] = static_cast<uint16_t>(j + 1);
  }
  return s;
}

}  // namespace tauekel::runtime
