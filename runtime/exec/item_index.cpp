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

// The index a guard value is looked up in: commodity codes by the prefix length it
// names, other columns whole.
int digitsOf(const Guard& g, const Guard::Value& v) { return g.type == ir::Type::Hs ? v.digits : 10; }
// A non-text value's key in that index: a code cut to the prefix, anything else as is.
int64_t fixedKey(const Guard& g, const Guard::Value& v) {
  return g.type == ir::Type::Hs ? codes::hsCut(v.value, v.digits) : v.value;
}
int64_t pairKey(int64_t second_key, int64_t prefix) { return second_key << kCodeBits | prefix; }

// Slot 0 (no guard's key) for the rows where the column has no value.
void dropMissing(uint16_t* slots, const uint64_t* valid, size_t n) {
  if (!valid) return;
  for (size_t r = 0; r < n; ++r) slots[r] = static_cast<uint16_t>(slots[r] & -static_cast<uint16_t>(present(valid, r)));
}

// Columns whose guard keys come from a bounded set, so a table of them stays small.
bool bucketable(const Guard& g) {
  return g.type == ir::Type::Hs || g.type == ir::Type::Country || g.type == ir::Type::Enum || g.type == ir::Type::Bool;
}
size_t familyOf(size_t column, int digits) { return column * 6 + static_cast<size_t>(digits / 2); }
// Codes longer than a heading are looked up as (heading, remaining digits).
int64_t splitOf(ir::Type type, int digits) { return type == ir::Type::Hs && digits > 4 ? codes::hsDivisor(10 - (digits - 4)) : 0; }
}  // namespace

void ItemIndex::prepare(const std::vector<Guard>& guards, bool compounds) {
  std::map<size_t, std::pair<ir::Type, std::vector<int64_t>>> keys;  // by family
  std::map<std::tuple<size_t, int, int>, std::vector<std::pair<int64_t, int64_t>>> pairs;
  size_t families = 0;
  for (const Guard& g : guards) {
    if (!bucketable(g)) continue;
    auto column = static_cast<size_t>(g.column);
    for (const auto& v : g.values) {
      int digits = digitsOf(g, v);
      if (g.type == ir::Type::Hs && digits > 8) continue;  // full codes: too many to tabulate
      int64_t key = fixedKey(g, v);
      size_t family = familyOf(column, digits);
      families = std::max(families, family + 1);
      auto& [type, list] = keys[family];
      type = g.type;
      list.push_back(key);  // a compound's prefixes too: its pairs are found from them
      if (g.second_column >= 0 && compounds)
        for (int64_t second : g.second_values)
          pairs[{column, digits, g.second_column}].emplace_back(secondKey(g.second_type, second), key);
    }
  }
  key_slots_.assign(families, std::nullopt);
  columns_.resize(std::max(columns_.size(), families));
  for (auto& [family, entry] : keys) {
    auto& [type, list] = entry;
    key_slots_[family] = KeySlots::make(std::move(list), splitOf(type, static_cast<int>(family % 6) * 2));
    if (key_slots_[family]) columns_[family].keys = key_slots_[family]->keys();
  }
  pair_slots_.clear();
  for (auto& [at, list] : pairs) {
    const auto& plain = key_slots_[familyOf(std::get<0>(at), std::get<1>(at))];
    if (!plain) continue;
    std::sort(list.begin(), list.end());
    list.erase(std::unique(list.begin(), list.end()), list.end());
    PairSlots ps;
    ps.rank.assign(kSecondValues, 0);
    for (auto [second, prefix] : list) ps.rank[static_cast<size_t>(second)] = 1;
    for (size_t v = 0; v < kSecondValues; ++v)
      if (ps.rank[v]) ps.rank[v] = static_cast<uint16_t>(ps.ranks++ + 1);
    ps.ranks += 1;
    if (static_cast<uint64_t>(plain->slots()) * ps.ranks > (uint64_t{1} << 18) || list.size() >= UINT16_MAX) continue;
    ps.slots.assign(static_cast<size_t>(plain->slots()) * ps.ranks, 0);
    const auto& prefixes = plain->keys();
    for (size_t j = 0; j < list.size(); ++j) {
      auto [second, prefix] = list[j];
      ps.keys.push_back(pairKey(second, prefix));  // ascending: the pairs were sorted
      auto plain_slot = static_cast<size_t>(std::lower_bound(prefixes.begin(), prefixes.end(), prefix) - prefixes.begin()) + 1;
      ps.slots[plain_slot * ps.ranks + ps.rank[static_cast<size_t>(second)]] = static_cast<uint16_t>(j + 1);
    }
    compound_[at].keys = ps.keys;
    pair_slots_.emplace(at, std::move(ps));
  }
  // Each guard whose keys all landed in one bucketed index: where they are in it.
  bucketed_.assign(guards.size(), {});
  for (size_t g = 0; g < guards.size(); ++g) {
    const Guard& guard = guards[g];
    if (!bucketable(guard) || guard.values.empty()) continue;
    auto column = static_cast<size_t>(guard.column);
    Bucketed b{nullptr, column, digitsOf(guard, guard.values[0]), guard.second_column, {}};
    bool one_index = true;
    for (const auto& v : guard.values) one_index = one_index && digitsOf(guard, v) == b.digits;
    if (!one_index) continue;
    const size_t family = familyOf(column, b.digits);
    if (family >= key_slots_.size() || !key_slots_[family]) continue;
    if (guard.second_column >= 0) {
      if (!pair_slots_.count({column, b.digits, guard.second_column})) continue;
      b.index = &compound_[{column, b.digits, guard.second_column}];
    } else {
      b.index = &columns_[family];
    }
    for (const auto& v : guard.values) {
      int64_t key = fixedKey(guard, v);
      if (guard.second_column < 0) {
        b.keys.push_back(static_cast<uint32_t>(std::lower_bound(b.index->keys.begin(), b.index->keys.end(), key) - b.index->keys.begin()));
        continue;
      }
      for (int64_t second : guard.second_values) {
        int64_t pair = pairKey(secondKey(guard.second_type, second), key);
        b.keys.push_back(static_cast<uint32_t>(std::lower_bound(b.index->keys.begin(), b.index->keys.end(), pair) - b.index->keys.begin()));
      }
    }
    std::sort(b.keys.begin(), b.keys.end());
    b.keys.erase(std::unique(b.keys.begin(), b.keys.end()), b.keys.end());
    for ([[maybe_unused]] uint32_t k : b.keys) assert(k < b.index->keys.size());  // every key was registered
    bucketed_[g] = std::move(b);
  }
}

void ItemIndex::reset(const Batch& batch, size_t guards) {
  batch_ = &batch;
  columns_.resize(std::max(columns_.size(), batch.item_columns.size() * 6));
  for (auto& c : columns_) c.built = false;
  for (auto& [key, c] : compound_) c.built = false;
  selections_.resize(guards);
  selected_.resize(guards);
  done_.assign(guards, 0);
}

ItemIndex::ColumnIndex& ItemIndex::build(size_t column, int digits, int second) {
  if (second >= 0) return buildCompound(column, digits, static_cast<size_t>(second));
  const size_t family = familyOf(column, digits);
  ColumnIndex& index = columns_[family];
  if (index.built) return index;
  index.built = true;
  const Column& c = batch_->item_columns[column];
  size_t n = batch_->item_count;
  if (family < key_slots_.size() && key_slots_[family]) {
    const KeySlots& slots = *key_slots_[family];
    index.slot_of_row.resize(n);
    uint16_t* out = index.slot_of_row.data();
    auto each = [&](auto slot_of) {
      for (size_t r = 0; r < n; ++r) out[r] = static_cast<uint16_t>(slot_of(r));
    };
    if (c.type() == ir::Type::Hs) {
      const auto* v = reinterpret_cast<const uint64_t*>(c.values<int64_t>());  // padded codes: never negative
      switch (digits) {
        case 2: each([&](size_t r) { return slots.of(static_cast<int64_t>(v[r] / 100'000'000)); }); break;
        case 4: each([&](size_t r) { return slots.of(static_cast<int64_t>(v[r] / 1'000'000)); }); break;
        case 6: each([&](size_t r) { return slots.of(static_cast<int64_t>(v[r] / 1'000'000), v[r] / 10'000 % 100); }); break;
        default: each([&](size_t r) { return slots.of(static_cast<int64_t>(v[r] / 1'000'000), v[r] / 100 % 10'000); }); break;
      }
    } else if (widthOf(c.type()) == 1) {
      const auto* v = c.values<uint8_t>();
      each([&](size_t r) { return slots.of(v[r]); });
    } else {
      assert(widthOf(c.type()) == 4);
      const auto* v = c.values<int32_t>();
      each([&](size_t r) { return slots.of(v[r]); });
    }
    dropMissing(out, c.validity(), n);  // a missing value matches no guard
    bucket(index, slots.slots());
    return index;
  }
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
  const std::tuple<size_t, int, int> at{column, digits, static_cast<int>(second)};
  ColumnIndex& index = compound_[at];
  if (index.built) return index;
  const ColumnIndex& plain = build(column, digits);
  index.built = true;
  const Column& other = batch_->item_columns[second];
  assert(widthOf(other.type()) == 4);  // a country or an enum
  const int32_t* values = other.values<int32_t>();
  const uint64_t* valid = other.validity();
  const int64_t offset = other.type() == ir::Type::Country ? 0x4141 : 0;
  if (auto it = pair_slots_.find(at); it != pair_slots_.end()) {
    // Bucketed: each row's pair slot from its plain slot and its second value's rank.
    const PairSlots& ps = it->second;
    size_t n = batch_->item_count;
    assert(plain.slot_of_row.size() == n);
    index.slot_of_row.resize(n);
    uint16_t* out = index.slot_of_row.data();
    const uint16_t* plain_slot = plain.slot_of_row.data();
    for (size_t r = 0; r < n; ++r) {
      uint32_t rank = ps.rank[static_cast<size_t>(values[r] - offset) & (kSecondValues - 1)];
      out[r] = ps.slots[plain_slot[r] * ps.ranks + rank];
    }
    dropMissing(out, valid, n);
    bucket(index, static_cast<uint32_t>(ps.keys.size()) + 1);
    return index;
  }
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
      scratch_keys_[slot] = static_cast<uint64_t>(pairKey(v, plain.keys[j]));
      index.rows[slot] = plain.rows[i];
    }
  }
  setKeys(index, total, [&](size_t i) { return static_cast<int64_t>(scratch_keys_[i]); });
  return index;
}

// A counting sort of the rows by slot, keeping only rows of slots other than 0 (no
// guard's key). Counted in four interleaved sets of counters: a popular slot (0 above
// all) would otherwise make one long chain of increments to one counter.
void ItemIndex::bucket(ColumnIndex& index, uint32_t slots) {
  const size_t n = batch_->item_count;
  const uint16_t* slot = index.slot_of_row.data();
  counts_.assign(4 * size_t{slots}, 0);
  uint32_t* c0 = counts_.data();
  uint32_t* c1 = c0 + slots;
  uint32_t* c2 = c1 + slots;
  uint32_t* c3 = c2 + slots;
  wanted_.resize(n);
  uint32_t* wanted = wanted_.data();
  size_t m = 0, r = 0;
  for (; r + 4 <= n; r += 4) {
    uint16_t s0 = slot[r], s1 = slot[r + 1], s2 = slot[r + 2], s3 = slot[r + 3];
    ++c0[s0], ++c1[s1], ++c2[s2], ++c3[s3];
    wanted[m] = static_cast<uint32_t>(r), m += s0 != 0;
    wanted[m] = static_cast<uint32_t>(r + 1), m += s1 != 0;
    wanted[m] = static_cast<uint32_t>(r + 2), m += s2 != 0;
    wanted[m] = static_cast<uint32_t>(r + 3), m += s3 != 0;
  }
  for (; r < n; ++r) {
    ++c0[slot[r]];
    wanted[m] = static_cast<uint32_t>(r), m += slot[r] != 0;
  }
  // Slot j's rows start at starts[j - 1]; c0 becomes each slot's next position.
  index.starts.resize(slots);
  uint32_t at = 0;
  for (uint32_t j = 1; j < slots; ++j) {
    index.starts[j - 1] = at;
    uint32_t c = c0[j] + c1[j] + c2[j] + c3[j];
    c0[j] = at;
    at += c;
  }
  index.starts[slots - 1] = at;
  assert(at == m);
  index.rows.resize(m);
  uint32_t* rows = index.rows.data();
  for (size_t i = 0; i < m; ++i) {
    uint32_t row = wanted[i];
    rows[c0[slot[row]]++] = row;
  }
}

std::span<const uint32_t> ItemIndex::select(const Guard& guard, int g) {
  auto at = static_cast<size_t>(g);
  if (done_[at]) return selected_[at];
  done_[at] = 1;
  selections_[at].clear();
  selected_[at] = {};
  if (at < bucketed_.size() && bucketed_[at].index) {
    const Bucketed& b = bucketed_[at];
    if (!b.index->built) build(b.column, b.digits, b.second);
    const ColumnIndex& index = *b.index;
    runs_.clear();
    size_t count = 0;
    for (uint32_t k : b.keys) {
      uint32_t from = index.starts[k], to = index.starts[k + 1];
      if (from == to) continue;
      runs_.emplace_back(index.rows.data() + from, to - from);
      count += to - from;
    }
    return merge(at, count);
  }
  // Each value is one key of an index: commodity codes are indexed by the prefix length
  // the guard names.
  auto keyOf = [&](const Guard::Value& v, int& digits) -> std::optional<int64_t> {
    digits = digitsOf(guard, v);
    if (guard.type == ir::Type::String) {
      int32_t id = batch_->strings.find(v.text);
      if (id < 0) return std::nullopt;  // not in this batch at all
      return id;
    }
    return fixedKey(guard, v);
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
      for (int64_t s : guard.second_values) keys_.emplace_back(pairKey(secondKey(guard.second_type, s), *key), digits);
    }
  }
  if (!fixed) return lookUp(guard, at, keys_);
  if (fixed_keys_at_.size() <= at) fixed_keys_at_.resize(at + 1);
  fixed_keys_at_[at] = {fixed_keys_.size(), keys_.size(), true};
  fixed_keys_.insert(fixed_keys_.end(), keys_.begin(), keys_.end());
  return lookUp(guard, at, keys_);
}

std::span<const uint32_t> ItemIndex::lookUp(const Guard& guard, size_t at, std::span<const std::pair<int64_t, int>> keys) {
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
  return merge(at, count);
}

std::span<const uint32_t> ItemIndex::merge(size_t at, size_t count) {
  std::vector<uint32_t>& out = selections_[at];
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
