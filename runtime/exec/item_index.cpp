#include "runtime/exec/item_index.h"

#include <algorithm>
#include <optional>

#include "support/codes.h"

namespace tauekel::runtime {

namespace {
// Countries are two capital letters, packed: 0x4141 ("AA") to 0x5A5A ("ZZ"), 6,426 values.
constexpr int kSecondBits = 13;
int64_t secondKey(ir::Type type, int64_t v) {
  return (type == ir::Type::Country ? v - 0x4141 : v) & ((int64_t{1} << kSecondBits) - 1);
}
}  // namespace

void ItemIndex::reset(const Batch& batch, size_t guards) {
  batch_ = &batch;
  columns_.resize(batch.item_columns.size() * 6);
  for (auto& c : columns_) c.built = false;
  for (auto& [key, c] : compound_) c.built = false;
  selections_.resize(guards);
  selected_.assign(guards, 0);
}

ItemIndex::ColumnIndex& ItemIndex::build(size_t column, int digits, int second) {
  ColumnIndex& index =
      second < 0 ? columns_[column * 6 + static_cast<size_t>(digits / 2)] : compound_[{column, digits, second}];
  if (index.built) return index;
  index.built = true;
  int64_t divisor = codes::hsDivisor(digits);
  const Column* other = second < 0 ? nullptr : &batch_->item_columns[static_cast<size_t>(second)];
  // The compound key: the prefix, then the country or enum value in 13 bits.
  auto keyAt = [&](const Column& c, size_t r) {
    int64_t k = divisor == 1 ? c.get(r) : c.get(r) / divisor;
    return other ? (k << kSecondBits) | secondKey(other->type(), other->get(r)) : k;
  };
  const Column& c = batch_->item_columns[column];
  size_t n = batch_->item_count;
  // Keys offset to unsigned, then an LSD radix sort over the bits that differ: a few
  // passes for codes, two for countries. One pass computes the keys and their range.
  scratch_keys_.resize(n);
  scratch_rows_.resize(n);
  int64_t lo = INT64_MAX, hi = INT64_MIN;
  size_t m = 0;
  const uint64_t* valid = c.validity();
  const uint64_t* other_valid = other ? other->validity() : nullptr;
  for (size_t r = 0; r < n; ++r) {
    if (valid && !((valid[r >> 6] >> (r & 63)) & 1)) continue;  // a missing value matches no guard
    if (other_valid && !((other_valid[r >> 6] >> (r & 63)) & 1)) continue;
    int64_t k = keyAt(c, r);
    lo = std::min(lo, k);
    hi = std::max(hi, k);
    scratch_keys_[m] = static_cast<uint64_t>(k);
    scratch_rows_[m] = static_cast<uint32_t>(r);
    ++m;
  }
  scratch_keys_.resize(m);
  scratch_rows_.resize(m);
  index.keys.resize(m);
  index.rows.resize(m);
  if (m == 0) return index;
  for (size_t i = 0; i < m; ++i) scratch_keys_[i] -= static_cast<uint64_t>(lo);
  uint64_t span = static_cast<uint64_t>(hi - lo);
  keys_tmp_.resize(m);
  rows_tmp_.resize(m);
  constexpr int kBits = 11;
  constexpr size_t kBuckets = size_t{1} << kBits;
  std::vector<uint32_t>& count = counts_;
  count.resize(kBuckets);
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
  return index;
}

const std::vector<uint32_t>& ItemIndex::select(const Guard& guard, int g) {
  std::vector<uint32_t>& out = selections_[static_cast<size_t>(g)];
  if (selected_[static_cast<size_t>(g)]) return out;
  selected_[static_cast<size_t>(g)] = 1;
  out.clear();
  auto column = static_cast<size_t>(guard.column);
  // Each value is one key of an index: commodity codes are indexed by the prefix length
  // the guard names.
  auto keyOf = [&](const Guard::Value& v, int& digits) -> std::optional<int64_t> {
    digits = guard.type == ir::Type::Hs ? v.digits : 10;
    if (guard.type == ir::Type::Hs) return v.value / codes::hsDivisor(v.digits);
    if (guard.type == ir::Type::String) {
      int32_t id = batch_->strings.find(v.text);
      if (id < 0) return std::nullopt;  // not in this batch at all
      return id;
    }
    return v.value;
  };
  // The keys to look up: each value, or each (value, second value) pair.
  keys_.clear();
  for (const auto& v : guard.values) {
    int digits;
    auto key = keyOf(v, digits);
    if (!key) continue;
    if (guard.second_column < 0) {
      keys_.emplace_back(*key, digits);
    } else {
      const ir::Type second_type = batch_->item_columns[static_cast<size_t>(guard.second_column)].type();
      for (int64_t s : guard.second_values) keys_.emplace_back((*key << kSecondBits) | secondKey(second_type, s), digits);
    }
  }
  if (keys_.size() == 1) {
    // One key: its rows are one run, already ascending.
    auto [key, digits] = keys_[0];
    ColumnIndex& index = build(column, digits, guard.second_column);
    auto [first, last] = std::equal_range(index.keys.begin(), index.keys.end(), key);
    out.assign(index.rows.begin() + (first - index.keys.begin()), index.rows.begin() + (last - index.keys.begin()));
    return out;
  }
  // Several keys (a list, nested prefixes): mark their rows, then read the marks in row
  // order, so the selection comes out ascending without sorting.
  size_t words = (batch_->item_count + 63) / 64;
  marks_.assign(words, 0);
  size_t count = 0;
  for (auto [key, digits] : keys_) {
    ColumnIndex& index = build(column, digits, guard.second_column);
    auto [first, last] = std::equal_range(index.keys.begin(), index.keys.end(), key);
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
