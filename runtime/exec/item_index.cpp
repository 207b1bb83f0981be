#include "runtime/exec/item_index.h"

#include <algorithm>
#include <cassert>
#include <optional>

#include "support/codes.h"

namespace tauekel::runtime {

namespace {
// Countries are two capital letters, packed: 0x4141 ("AA") to 0x5A5A ("ZZ"), 6,426 values.
constexpr int kSecondBits = 13;
constexpr size_t kSecondValues = size_t{1} << kSecondBits;
// A compound key: the second value above the code prefix (a full code is below 2^34).
constexpr int kCodeBits = 40;
int64_t secondKey(ir::Type type, int64_t v) {
  return (type == ir::Type::Country ? v - 0x4141 : v) & ((int64_t{1} << kSecondBits) - 1);
}

bool present(const uint64_t* valid, size_t r) { return !valid || ((valid[r >> 6] >> (r & 63)) & 1); }

// The rows where `c` has a value, and its values there.
template <class T>
size_t gatherTyped(const T* values, const uint64_t* valid, size_t n, uint32_t* rows, uint64_t* out) {
  size_t m = 0;
  if (!valid) {
    for (size_t r = 0; r < n; ++r) {
      rows[r] = static_cast<uint32_t>(r);
      out[r] = static_cast<uint64_t>(static_cast<int64_t>(values[r]));
    }
    return n;
  }
  for (size_t r = 0; r < n; ++r) {
    if (!present(valid, r)) continue;
    rows[m] = static_cast<uint32_t>(r);
    out[m++] = static_cast<uint64_t>(static_cast<int64_t>(values[r]));
  }
  return m;
}

size_t gatherPresent(const Column& c, size_t n, uint32_t* rows, uint64_t* out) {
  switch (widthOf(c.type())) {
    case 1: return gatherTyped(c.values<uint8_t>(), c.validity(), n, rows, out);
    case 4: return gatherTyped(c.values<int32_t>(), c.validity(), n, rows, out);
    default: return gatherTyped(c.values<int64_t>(), c.validity(), n, rows, out);
  }
}

// LSD radix sort of `words` by their bits [low, low + bits), in as few passes of at most
// 13 bits as it takes (a 4-digit prefix is one pass); stable, so words equal in those
// bits keep their order. The counts of every pass come from one read.
void radixSort(std::vector<uint64_t>& words, std::vector<uint64_t>& tmp, int low, int bits,
               std::vector<uint32_t>& counts) {
  constexpr int kMaxBits = 13;
  const int passes = std::max(1, (bits + kMaxBits - 1) / kMaxBits);
  const int digit = (bits + passes - 1) / passes;
  const size_t buckets = size_t{1} << digit;
  const uint64_t mask = buckets - 1;
  counts.assign(static_cast<size_t>(passes) * buckets, 0);
  for (uint64_t w : words)
    for (int p = 0; p < passes; ++p) ++counts[static_cast<size_t>(p) * buckets + ((w >> (low + p * digit)) & mask)];
  for (int p = 0; p < passes; ++p) {
    uint32_t* count = counts.data() + static_cast<size_t>(p) * buckets;
    uint32_t sum = 0;
    for (size_t b = 0; b < buckets; ++b) {
      uint32_t v = count[b];
      count[b] = sum;
      sum += v;
    }
    const int shift = low + p * digit;
    for (uint64_t w : words) tmp[count[(w >> shift) & mask]++] = w;
    words.swap(tmp);
  }
}

// The union of two ascending row lists, ascending, into `out`; returns its size. Without
// branches on the comparisons: interleaved rows of two countries would mispredict half
// of them.
size_t unionOf(std::span<const uint32_t> a, std::span<const uint32_t> b, uint32_t* out) {
  size_t i = 0, j = 0, k = 0;
  while (i < a.size() && j < b.size()) {
    uint32_t x = a[i], y = b[j];
    out[k++] = x < y ? x : y;
    i += x <= y;
    j += y <= x;
  }
  for (; i < a.size(); ++i) out[k++] = a[i];
  for (; j < b.size(); ++j) out[k++] = b[j];
  return k;
}

// Commodity codes cut to a prefix; the length a constant, so each cut is a multiply.
template <int kDigits>
void cutCodes(uint64_t* keys, size_t m) {
  for (size_t i = 0; i < m; ++i) keys[i] = static_cast<uint64_t>(codes::hsCut(static_cast<int64_t>(keys[i]), kDigits));
}
}  // namespace

void ItemIndex::reset(const Batch& batch, size_t guards) {
  batch_ = &batch;
  columns_.resize(batch.item_columns.size() * 6);
  for (auto& c : columns_) c.built = false;
  for (auto& [key, c] : compound_) c.built = false;
  selections_.resize(guards);
  selected_.resize(guards);
  done_.assign(guards, 0);
}

ItemIndex::ColumnIndex& ItemIndex::build(size_t column, int digits, int second) {
  if (second >= 0) return buildCompound(column, digits, static_cast<size_t>(second));
  ColumnIndex& index = columns_[column * 6 + static_cast<size_t>(digits / 2)];
  if (index.built) return index;
  index.built = true;
  const Column& c = batch_->item_columns[column];
  size_t n = batch_->item_count;
  // The rows with a value (a missing value matches no guard), and their values.
  scratch_keys_.resize(n);
  scratch_rows_.resize(n);
  size_t m = gatherPresent(c, n, scratch_rows_.data(), scratch_keys_.data());
  // Keys: the code prefix (a division by a constant per length, so a multiply).
  switch (digits) {
    case 2: cutCodes<2>(scratch_keys_.data(), m); break;
    case 4: cutCodes<4>(scratch_keys_.data(), m); break;
    case 6: cutCodes<6>(scratch_keys_.data(), m); break;
    case 8: cutCodes<8>(scratch_keys_.data(), m); break;
    default: break;
  }
  int64_t lo = INT64_MAX, hi = INT64_MIN;
  for (size_t i = 0; i < m; ++i) {
    lo = std::min(lo, static_cast<int64_t>(scratch_keys_[i]));
    hi = std::max(hi, static_cast<int64_t>(scratch_keys_[i]));
  }
  scratch_keys_.resize(m);
  scratch_rows_.resize(m);
  index.rows.resize(m);
  if (m == 0) {
    setKeys(index, 0, [](size_t) { return int64_t{0}; });
    return index;
  }
  // In unsigned arithmetic: keys may span the whole of int64 (amounts, say).
  uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
  if (span < (uint64_t{1} << 32)) {
    // The usual case: key and row packed in one word, so each pass moves 8 bytes.
    for (size_t i = 0; i < m; ++i) scratch_keys_[i] = (scratch_keys_[i] - static_cast<uint64_t>(lo)) << 32 | scratch_rows_[i];
    keys_tmp_.resize(m);
    radixSort(scratch_keys_, keys_tmp_, 32, 64 - __builtin_clzll(span | 1), counts_);
    for (size_t i = 0; i < m; ++i) index.rows[i] = static_cast<uint32_t>(scratch_keys_[i]);
    setKeys(index, m, [&](size_t i) { return static_cast<int64_t>(scratch_keys_[i] >> 32) + lo; });
    return index;
  }
  // Keys too wide to pack (amounts spanning more than 2^32, say): rare, so a plain sort
  // of (key, row) pairs; rows are distinct, so equal keys keep their rows ascending.
  wide_.resize(m);
  for (size_t i = 0; i < m; ++i) wide_[i] = {static_cast<int64_t>(scratch_keys_[i]), scratch_rows_[i]};
  std::sort(wide_.begin(), wide_.end());
  for (size_t i = 0; i < m; ++i) index.rows[i] = wide_[i].second;
  setKeys(index, m, [&](size_t i) { return wide_[i].first; });
  return index;
}

template <class KeyOf>
void ItemIndex::setKeys(ColumnIndex& index, size_t m, KeyOf key_of) {
  index.keys.clear();
  index.starts.clear();
  for (size_t i = 0; i < m; ++i) {
    int64_t key = key_of(i);
    if (i > 0 && key == index.keys.back()) continue;
    index.keys.push_back(key);
    index.starts.push_back(static_cast<uint32_t>(i));
  }
  index.starts.push_back(static_cast<uint32_t>(m));
}

std::span<const uint32_t> ItemIndex::ColumnIndex::rowsOf(int64_t key) const {
  // Branch-free lower bound: the directory is small, and mispredictions cost more than
  // the few extra steps.
  const int64_t* base = keys.data();
  size_t n = keys.size();
  if (n == 0) return {};
  while (n > 1) {
    size_t half = n / 2;
    base = base[half - 1] < key ? base + half : base;
    n -= half;
  }
  if (*base != key) return {};
  auto j = static_cast<size_t>(base - keys.data());
  return {rows.data() + starts[j], starts[j + 1] - starts[j]};
}

// The plain index is in (prefix, row) order; one stable counting pass by the second
// column puts it in (second value, prefix, row) order: a third of the passes sorting
// the compound key from scratch would take.
ItemIndex::ColumnIndex& ItemIndex::buildCompound(size_t column, int digits, size_t second) {
  ColumnIndex& index = compound_[{column, digits, static_cast<int>(second)}];
  if (index.built) return index;
  const ColumnIndex& plain = build(column, digits);
  index.built = true;
  const Column& other = batch_->item_columns[second];
  assert(widthOf(other.type()) == 4);  // a country or an enum
  const int32_t* values = other.values<int32_t>();
  const uint64_t* valid = other.validity();
  const int64_t offset = other.type() == ir::Type::Country ? 0x4141 : 0;
  constexpr uint16_t kMissing = UINT16_MAX;
  size_t m = plain.rows.size();
  seconds_.resize(m);
  counts_.assign(kSecondValues + 1, 0);
  for (size_t i = 0; i < m; ++i) {
    uint32_t r = plain.rows[i];
    if (!present(valid, r)) {
      seconds_[i] = kMissing;
      continue;
    }
    auto v = static_cast<uint16_t>((values[r] - offset) & static_cast<int64_t>(kSecondValues - 1));
    seconds_[i] = v;
    ++counts_[v + 1u];
  }
  for (size_t b = 0; b < kSecondValues; ++b) counts_[b + 1] += counts_[b];
  size_t total = counts_[kSecondValues];
  index.rows.resize(total);
  scratch_keys_.resize(total);
  for (size_t j = 0; j + 1 < plain.starts.size(); ++j) {
    for (size_t i = plain.starts[j]; i < plain.starts[j + 1]; ++i) {
      uint16_t v = seconds_[i];
      if (v == kMissing) continue;
      uint32_t slot = counts_[v]++;
      scratch_keys_[slot] = (static_cast<uint64_t>(v) << kCodeBits) | static_cast<uint64_t>(plain.keys[j]);
      index.rows[slot] = plain.rows[i];
    }
  }
  setKeys(index, total, [&](size_t i) { return static_cast<int64_t>(scratch_keys_[i]); });
  return index;
}

std::span<const uint32_t> ItemIndex::select(const Guard& guard, int g) {
  auto at = static_cast<size_t>(g);
  if (done_[at]) return selected_[at];
  done_[at] = 1;
  selections_[at].clear();
  selected_[at] = {};
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
  // The keys to look up: each value, or each (value, second value) pair. They are the
  // same in every batch unless they are texts (ids in the batch's dictionary): those
  // are kept, one array for all guards in the order they are first used, so later
  // batches read them in sequence instead of chasing each guard's values.
  const bool fixed = guard.type != ir::Type::String;
  if (fixed && at < fixed_keys_at_.size() && fixed_keys_at_[at].known) {
    const KeyRange& range = fixed_keys_at_[at];
    return lookUp(guard, at, std::span(fixed_keys_.data() + range.begin, range.size));
  }
  keys_.clear();
  for (const auto& v : guard.values) {
    int digits;
    auto key = keyOf(v, digits);
    if (!key) continue;
    if (guard.second_column < 0) {
      keys_.emplace_back(*key, digits);
    } else {
      const ir::Type second_type = batch_->item_columns[static_cast<size_t>(guard.second_column)].type();
      for (int64_t s : guard.second_values) keys_.emplace_back((secondKey(second_type, s) << kCodeBits) | *key, digits);
    }
  }
  if (!fixed) return lookUp(guard, at, keys_);
  if (fixed_keys_at_.size() <= at) fixed_keys_at_.resize(at + 1);
  fixed_keys_at_[at] = {fixed_keys_.size(), keys_.size(), true};
  fixed_keys_.insert(fixed_keys_.end(), keys_.begin(), keys_.end());
  return lookUp(guard, at, keys_);
}

std::span<const uint32_t> ItemIndex::lookUp(const Guard& guard, size_t at, std::span<const std::pair<int64_t, int>> keys) {
  std::vector<uint32_t>& out = selections_[at];
  auto column = static_cast<size_t>(guard.column);
  // Each key's rows are one run of its index, ascending.
  runs_.clear();
  size_t count = 0;
  for (auto [key, digits] : keys) {
    auto run = build(column, digits, guard.second_column).rowsOf(key);
    if (run.empty()) continue;
    runs_.push_back(run);
    count += run.size();
  }
  if (runs_.empty()) return {};
  if (runs_.size() == 1) return selected_[at] = runs_[0];  // in place, no copy
  if (runs_.size() <= 4) {
    // A few runs (a few countries, nested prefixes): merge them; a union, since nested
    // prefixes select some rows twice.
    out.assign(runs_[0].begin(), runs_[0].end());
    for (size_t k = 1; k < runs_.size(); ++k) {
      merged_.resize(out.size() + runs_[k].size());
      merged_.resize(unionOf(out, runs_[k], merged_.data()));
      out.swap(merged_);
    }
    return selected_[at] = out;
  }
  // Many runs (a list): mark their rows, then read the marks in row order, so the
  // selection comes out ascending without sorting.
  size_t words = (batch_->item_count + 63) / 64;
  marks_.assign(words, 0);
  for (auto run : runs_)
    for (uint32_t r : run) marks_[r >> 6] |= uint64_t{1} << (r & 63);
  out.resize(count);
  size_t m = 0;
  for (size_t w = 0; w < words; ++w) {
    for (uint64_t bits = marks_[w]; bits != 0; bits &= bits - 1)
      out[m++] = static_cast<uint32_t>(w * 64 + static_cast<size_t>(__builtin_ctzll(bits)));
  }
  out.resize(m);
  selected_[at] = out;
  return selected_[at];
}

}  // namespace tauekel::runtime
