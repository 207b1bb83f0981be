#pragma once
// Dense slots for a fixed set of integer keys: slot j + 1 for the j-th smallest key, 0
// for any other value. An index looks up every item of a batch here to bucket its rows
// by the keys guards name, so a lookup is one or two loads and no branch: a table over
// the keys' span, or for commodity-code prefixes longer than a heading, a table of
// headings pointing to blocks of the remaining digits.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

namespace tauekel::runtime {

class KeySlots {
 public:
  // `split`: 0 for one table over the keys' span; else keys are (top * split + low) with
  // low < split, looked up as (top, low). Empty when the tables would be too large to
  // stay in cache (or the keys too many for 16-bit slots): the caller sorts instead.
  static std::optional<KeySlots> make(std::vector<int64_t> keys, int64_t split);

  const std::vector<int64_t>& keys() const { return keys_; }  // ascending
  uint32_t slots() const { return static_cast<uint32_t>(keys_.size()) + 1; }

  uint32_t of(int64_t key) const {
    // Out of range reads the zero past the end: a clamp, not a branch.
    uint64_t i = std::min<uint64_t>(static_cast<uint64_t>(key) - static_cast<uint64_t>(lo_), span_);
    return table_[i];
  }
  uint32_t of(int64_t top, uint64_t low) const {
    uint64_t i = std::min<uint64_t>(static_cast<uint64_t>(top) - static_cast<uint64_t>(lo_), span_);
    return table_[blocks_[i] + low];
  }

 private:
  std::vector<int64_t> keys_;
  int64_t lo_ = 0;                // smallest key (or top)
  uint64_t span_ = 0;             // keys (or tops) from lo_ to lo_ + span_ - 1 have entries
  std::vector<uint16_t> table_;   // one level: by key - lo_, then a 0; two: blocks of `split`
  std::vector<uint32_t> blocks_;  // two levels: by top - lo_ (then one more), where its block starts; 0 is all zeros
};

}  // namespace tauekel::runtime
