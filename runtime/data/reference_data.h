#pragma once
// Lists and tables as lookup structures. Commodity-code keys match by prefix: a list
// holding 6403 contains every code under heading 6403, and a table lookup takes the row
// with the longest key that prefixes the code.

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "compiler/ir/scalar.h"
#include "compiler/sema/program.h"
#include "runtime/data/flat_int_map.h"
#include "runtime/load/field_parser.h"
#include "support/codes.h"

namespace tauekel::runtime {

class DataLookup {
 public:
  explicit DataLookup(const sema::DataSet& data);
  // The row holding `key`, or -1.
  int64_t find(const ir::scalar::Datum& key) const;
  int64_t findInt(int64_t key) const;
  int64_t findString(std::string_view key) const;
  // A table with two keys (map<K1, K2, V>): the row of (first, second), matched exactly
  // (a commodity code by its 10 padded digits), or -1.
  int64_t findPair(int64_t first, int64_t second) const;
  int64_t find(const ir::scalar::Datum& first, const ir::scalar::Datum& second) const;
  bool pairKeys() const { return pair_keys_; }
  bool contains(const ir::scalar::Datum& key) const { return find(key) >= 0; }
  // The value of a row (tables), as a datum; strings point into this object.
  ir::scalar::Datum value(int64_t row) const;
  bool stringKeys() const { return string_keys_; }

  // Lookups compiled code can do with two loads and no call. directDigits(data) says
  // whether a data set allows it: 0 when keys are countries, enum members or bools (row
  // by key, keys below 2^16); 2 or 4 when every key is a commodity-code prefix of that
  // length (row by the code cut to it); -1 otherwise. Decided from the declaration
  // alone, so the kernels' shape can depend on it.
  static int directDigits(const sema::DataSet& data);
  // How many entries directRows() has for those digits: a row for every key below it.
  static int64_t directSize(int digits) { return digits == 0 ? int64_t{1} << 16 : codes::hsDivisor(codes::kHsDigits - digits); }
  const int32_t* directRows() const;         // by key or prefix, -1 absent; null if not direct
  const int64_t* valueData() const;          // table values by row (never null)

 private:
  bool string_keys_ = false;
  bool hs_keys_ = false;
  bool string_values_ = false;
  bool pair_keys_ = false;
  struct PairHash {
    size_t operator()(const std::pair<int64_t, int64_t>& p) const {
      uint64_t h = static_cast<uint64_t>(p.first) * 0x9E3779B97F4A7C15ull;
      h ^= static_cast<uint64_t>(p.second) + 0x7F4A7C159E3779B9ull + (h << 6) + (h >> 2);
      return static_cast<size_t>(h);
    }
  };
  std::unordered_map<std::pair<int64_t, int64_t>, int64_t, PairHash> pairs_;
  FlatIntMap ints_;                                               // non-Hs keys
  std::vector<int32_t> dense_;  // small-domain keys (country, enum, bool): row by key, -1 absent
  // Commodity-code keys by prefix length, longest first: a code matches the longest
  // key that is a prefix of it. Short prefixes (up to 4 digits) index an array.
  struct HsLevel {
    int digits;
    FlatIntMap keys;             // padded prefix → row
    std::vector<int32_t> dense;  // digits <= 4: row by the prefix cut to `digits`, -1 absent
  };
  std::vector<HsLevel> hs_levels_;
  std::unordered_map<std::string, int64_t, StringHash, std::equal_to<>> strings_;
  std::vector<int64_t> values_;
  std::vector<std::string> string_values_text_;
};

// One lookup per data set of the program, by the data index used in the IR.
class ReferenceData {
 public:
  explicit ReferenceData(const sema::Program& program);
  const DataLookup& operator[](int64_t index) const { return sets_[static_cast<size_t>(index)]; }

 private:
  std::vector<DataLookup> sets_;
};

}  // namespace tauekel::runtime
