#include "runtime/exec/item_index.h"

#include <algorithm>

#include "support/codes.h"

namespace tauekel::runtime {

void ItemIndex::reset(const Batch& batch, size_t guards) {
  batch_ = &batch;
  columns_.resize(batch.item_columns.size());
  for (auto& c : columns_) c.built = false;
  selections_.resize(guards);
  selected_.assign(guards, 0);
}

void ItemIndex::build(size_t column) {
  ColumnIndex& index = columns_[column];
  index.built = true;
  const Column& c = batch_->item_columns[column];
  size_t n = batch_->item_count;
  // Keys offset to unsigned, then an LSD radix sort over the bits that differ: a few
  // passes for codes, two for countries.
  scratch_keys_.clear();
  scratch_rows_.clear();
  int64_t lo = INT64_MAX, hi = INT64_MIN;
  for (size_t r = 0; r < n; ++r) {
    if (!c.valid(r)) continue;  // a missing value matches no guard
    int64_t k = c.get(r);
    lo = std::min(lo, k);
    hi = std::max(hi, k);
    scratch_rows_.push_back(static_cast<uint32_t>(r));
  }
  size_t m = scratch_rows_.size();
  index.keys.resize(m);
  index.rows.resize(m);
  if (m == 0) return;
  scratch_keys_.resize(m);
  for (size_t i = 0; i < m; ++i) scratch_keys_[i] = static_cast<uint64_t>(c.get(scratch_rows_[i]) - lo);
  uint64_t span = static_cast<uint64_t>(hi - lo);
  keys_tmp_.resize(m);
  rows_tmp_.resize(m);
  constexpr int kBits = 11;
  constexpr size_t kBuckets = size_t{1} << kBits;
  std::vector<uint32_t> count(kBuckets);
  for (int shift = 0; shift < 64 && (span >> shift) != 0; shift += kBits) {
    std::fill(count.begin(), count.end(), 0);
    for (size_t i = 0; i < m; ++i) ++count[(scratch_keys_[i] >> shift) & (kBuckets - 1)];
    uint32_t sum = 0;
    for (auto& b : count) {
      uint32_t v = b;
      b = sum;
      sum += v;
    }
    for (size_t i = 0; i < m; ++i) {
      uint32_t slot = count[(scratch_keys_[i] >> shift) & (kBuckets - 1)]++;
      keys_tmp_[slot] = scratch_keys_[i];
      rows_tmp_[slot] = scratch_rows_[i];
    }
    scratch_keys_.swap(keys_tmp_);
    scratch_rows_.swap(rows_tmp_);
  }
  for (size_t i = 0; i < m; ++i) {
    index.keys[i] = static_cast<int64_t>(scratch_keys_[i]) + lo;
    index.rows[i] = scratch_rows_[i];
  }
}

const std::vector<uint32_t>& ItemIndex::select(const Guard& guard, int g) {
  std::vector<uint32_t>& out = selections_[static_cast<size_t>(g)];
  if (selected_[static_cast<size_t>(g)]) return out;
  selected_[static_cast<size_t>(g)] = 1;
  out.clear();
  auto column = static_cast<size_t>(guard.column);
  if (!columns_[column].built) build(column);
  const ColumnIndex& index = columns_[column];
  // Mark the rows in the guard's key ranges, then read the marks in row order: the
  // selection comes out ascending, without sorting.
  size_t words = (batch_->item_count + 63) / 64;
  marks_.assign(words, 0);
  size_t count = 0;
  for (const auto& v : guard.values) {
    int64_t lo, hi;  // inclusive key range
    if (guard.type == ir::Type::Hs) {
      int64_t d = codes::hsDivisor(v.digits);
      lo = v.value / d * d;
      hi = lo + d - 1;
    } else if (guard.type == ir::Type::String) {
      int32_t id = batch_->strings.find(v.text);
      if (id < 0) continue;  // not in this batch at all
      lo = hi = id;
    } else {
      lo = hi = v.value;
    }
    auto first = std::lower_bound(index.keys.begin(), index.keys.end(), lo);
    auto last = std::upper_bound(first, index.keys.end(), hi);
    for (auto it = first; it != last; ++it) {
      uint32_t r = index.rows[static_cast<size_t>(it - index.keys.begin())];
      marks_[r >> 6] |= uint64_t{1} << (r & 63);
    }
    count += static_cast<size_t>(last - first);
  }
  if (count == 0) return out;
  out.reserve(count);
  for (size_t w = 0; w < words; ++w) {
    for (uint64_t bits = marks_[w]; bits != 0; bits &= bits - 1)
      out.push_back(static_cast<uint32_t>(w * 64 + static_cast<size_t>(__builtin_ctzll(bits))));
  }
  return out;
}

}  // namespace tauekel::runtime
