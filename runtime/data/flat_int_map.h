#pragma once
// An open-addressing hash map from int64 keys to rows, for reference-data lookups on
// the hot path: one multiply and usually one probe, no division, no pointer chasing.

#include <cstdint>
#include <vector>

namespace tauekel::runtime {

class FlatIntMap {
 public:
  void insert(int64_t key, int64_t row) {
    if (key == kEmpty) {
      empty_key_row_ = row;
      return;
    }
    if ((size_ + 1) * 2 > keys_.size()) grow();
    size_t i = slot(key);
    while (keys_[i] != kEmpty && keys_[i] != key) i = (i + 1) & mask_;
    if (keys_[i] == kEmpty) ++size_;
    keys_[i] = key;
    rows_[i] = row;
  }
  // The row of `key`, or -1.
  int64_t find(int64_t key) const {
    if (key == kEmpty) return empty_key_row_;
    if (keys_.empty()) return -1;
    for (size_t i = slot(key);; i = (i + 1) & mask_) {
      if (keys_[i] == key) return rows_[i];
      if (keys_[i] == kEmpty) return -1;
    }
  }
  size_t size() const { return size_ + (empty_key_row_ >= 0); }

 private:
  static constexpr int64_t kEmpty = INT64_MIN;
  size_t slot(int64_t key) const {
    return static_cast<size_t>((static_cast<uint64_t>(key) * 0x9E3779B97F4A7C15ull) >> shift_) & mask_;
  }
  void grow() {
    std::vector<int64_t> keys = std::move(keys_), rows = std::move(rows_);
    size_t capacity = keys.empty() ? 16 : keys.size() * 2;
    keys_.assign(capacity, kEmpty);
    rows_.assign(capacity, -1);
    mask_ = capacity - 1;
    shift_ = 64 - static_cast<unsigned>(__builtin_ctzll(capacity));
    size_ = 0;
    for (size_t i = 0; i < keys.size(); ++i)
      if (keys[i] != kEmpty) insert(keys[i], rows[i]);
  }

  std::vector<int64_t> keys_;
  std::vector<int64_t> rows_;
  size_t mask_ = 0;
  unsigned shift_ = 64;
  size_t size_ = 0;
  int64_t empty_key_row_ = -1;
};

}  // namespace tauekel::runtime
