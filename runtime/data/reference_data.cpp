#include "runtime/data/reference_data.h"

#include <algorithm>
#include <map>

#include "support/codes.h"

namespace tauekel::runtime {

namespace {
// A commodity-code key's length: the digits written, or a whole code.
int keyDigits(const sema::Value& key) { return key.digits ? key.digits : codes::kHsDigits; }
}  // namespace

DataLookup::DataLookup(const sema::DataSet& data) {
  if (data.type == nullptr || data.type->isError()) return;
  const sema::Type* key = data.type->element;
  string_keys_ = key->kind == sema::TypeKind::String;
  hs_keys_ = key->kind == sema::TypeKind::Hs;
  string_values_ = data.is_table && data.type->value->kind == sema::TypeKind::String;
  if (key->kind == sema::TypeKind::Pair) {
    pair_keys_ = true;
    hs_keys_ = false;
    for (size_t row = 0; row < data.keys.size() && row < data.keys2.size(); ++row)
      pairs_[{data.keys[row].number, data.keys2[row].number}] = static_cast<int64_t>(row);
    for (const auto& v : data.values) {
      values_.push_back(v.number);
      string_values_text_.push_back(string_values_ ? v.text : std::string());
    }
    return;
  }
  std::map<int, FlatIntMap, std::greater<>> levels;
  for (size_t row = 0; row < data.keys.size(); ++row) {
    const auto& k = data.keys[row];
    auto r = static_cast<int64_t>(row);
    if (string_keys_) strings_.emplace(k.text, r);
    else if (hs_keys_) levels[keyDigits(k)].insert(k.number, r);
    else ints_.insert(k.number, r);
  }
  for (auto& [digits, keys] : levels) {
    HsLevel level{digits, std::move(keys), {}};
    if (digits <= 4) {
      level.dense.assign(static_cast<size_t>(directSize(digits)), -1);
      // Later rows win, as FlatIntMap::insert does.
      for (size_t row = 0; row < data.keys.size(); ++row) {
        const auto& k = data.keys[row];
        if (keyDigits(k) != digits) continue;
        level.dense[static_cast<size_t>(codes::hsCut(k.number, digits))] = static_cast<int32_t>(row);
      }
    }
    hs_levels_.push_back(std::move(level));
  }
  // Countries, enum members and bools index an array directly: no hashing per row.
  if (key->kind == sema::TypeKind::Country || key->kind == sema::TypeKind::Enum || key->kind == sema::TypeKind::Bool) {
    dense_.assign(static_cast<size_t>(directSize(0)), -1);
    for (size_t row = 0; row < data.keys.size(); ++row) {
      int64_t k = data.keys[row].number;
      if (k >= 0 && k < directSize(0)) dense_[static_cast<size_t>(k)] = static_cast<int32_t>(row);
    }
  }
  if (data.is_table) {
    for (const auto& v : data.values) {
      values_.push_back(v.number);
      string_values_text_.push_back(string_values_ ? v.text : std::string());
    }
  }
}

int DataLookup::directDigits(const sema::DataSet& data) {
  if (data.type == nullptr || data.type->isError()) return -1;
  const sema::Type* key = data.type->element;
  if (key->kind == sema::TypeKind::Country || key->kind == sema::TypeKind::Enum || key->kind == sema::TypeKind::Bool)
    return 0;
  if (key->kind != sema::TypeKind::Hs || data.keys.empty()) return -1;
  int digits = keyDigits(data.keys.front());
  if (digits != 2 && digits != 4) return -1;
  for (const auto& k : data.keys)
    if (keyDigits(k) != digits) return -1;
  return digits;
}

const int32_t* DataLookup::directRows() const {
  if (!dense_.empty()) return dense_.data();
  if (hs_levels_.size() == 1 && !hs_levels_[0].dense.empty()) return hs_levels_[0].dense.data();
  return nullptr;
}

const int64_t* DataLookup::valueData() const {
  static const int64_t kNone = 0;
  return values_.empty() ? &kNone : values_.data();
}

int64_t DataLookup::findInt(int64_t key) const {
  if (hs_keys_) {
    if (key < 0) return -1;  // not a code
    for (const auto& level : hs_levels_) {
      int64_t prefix = codes::hsCut(key, level.digits);
      if (!level.dense.empty()) {
        if (static_cast<size_t>(prefix) < level.dense.size() && level.dense[static_cast<size_t>(prefix)] >= 0)
          return level.dense[static_cast<size_t>(prefix)];
        continue;
      }
      if (int64_t row = level.keys.find(prefix * codes::hsDivisor(level.digits)); row >= 0) return row;
    }
    return -1;
  }
  if (!dense_.empty()) return key >= 0 && key < directSize(0) ? dense_[static_cast<size_t>(key)] : -1;
  return ints_.find(key);
}

int64_t DataLookup::findString(std::string_view key) const {
  auto it = strings_.find(key);
  return it == strings_.end() ? -1 : it->second;
}

int64_t DataLookup::findPair(int64_t first, int64_t second) const {
  auto it = pairs_.find({first, second});
  return it == pairs_.end() ? -1 : it->second;
}

int64_t DataLookup::find(const ir::scalar::Datum& first, const ir::scalar::Datum& second) const {
  if (!first.valid || !second.valid) return -1;
  return findPair(first.i, second.i);
}

int64_t DataLookup::find(const ir::scalar::Datum& key) const {
  if (!key.valid) return -1;
  return string_keys_ ? findString(key.s) : findInt(key.i);
}

ir::scalar::Datum DataLookup::value(int64_t row) const {
  auto r = static_cast<size_t>(row);
  if (string_values_) return ir::scalar::Datum::ofString(string_values_text_[r]);
  return ir::scalar::Datum::of(values_[r]);
}

ReferenceData::ReferenceData(const sema::Program& program) {
  for (const auto& d : program.data) sets_.emplace_back(d);
}

}  // namespace tauekel::runtime
