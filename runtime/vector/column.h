#pragma once
// A column of one batch: fixed-width values and, when the field may be missing, a
// validity bitmap (bit set: present). Widths follow ir::Type: Bool 1 byte; Int, Decimal
// and Hs 8 bytes; Date, Country, Enum, String (pool id) and Person (register row) 4.

#include <cstdint>
#include <algorithm>
#include <cstring>
#include <vector>

#include "compiler/ir/type.h"

namespace tauekel::runtime {

inline size_t widthOf(ir::Type type) {
  switch (type) {
    case ir::Type::Bool: return 1;
    case ir::Type::Int: case ir::Type::Decimal: case ir::Type::Hs: return 8;
    default: return 4;
  }
}

class Column {
 public:
  void init(ir::Type type, bool nullable) {
    type_ = type;
    nullable_ = nullable;
    width_ = widthOf(type);
    resize(0);
    resize(1);  // row 0 always exists: gathers may load it for a missing reference
    rows_ = 0;
  }
  // Sets the row count. Values of new rows are unset until set() or setMissing(); the
  // storage only grows, so a batch reused for the next one allocates nothing.
  void resize(size_t rows) {
    if (rows > capacity_) {
      capacity_ = std::max(rows, capacity_ * 2);
      data_.resize(capacity_ * width_ + 8);  // slack so 8-byte loads at the end stay inside
      if (nullable_) validity_.resize((capacity_ + 63) / 64 + 1, 0);
    }
    rows_ = rows;
  }
  ir::Type type() const { return type_; }
  bool nullable() const { return nullable_; }
  size_t size() const { return rows_; }

  template <class T>
  T* values() { return reinterpret_cast<T*>(data_.data()); }
  template <class T>
  const T* values() const { return reinterpret_cast<const T*>(data_.data()); }
  const void* raw() const { return data_.data(); }
  const uint64_t* validity() const { return nullable_ ? validity_.data() : nullptr; }

  // Any type as int64 (the widths above, sign-extended), for generic code paths.
  int64_t get(size_t row) const {
    switch (width_) {
      case 1: return data_[row];
      case 4: return values<int32_t>()[row];
      default: return values<int64_t>()[row];
    }
  }
  void set(size_t row, int64_t v) {
    switch (width_) {
      case 1: data_[row] = static_cast<uint8_t>(v); break;
      case 4: values<int32_t>()[row] = static_cast<int32_t>(v); break;
      default: values<int64_t>()[row] = v; break;
    }
    if (nullable_) validity_[row >> 6] |= uint64_t{1} << (row & 63);
  }
  // set() for a column known to be 8 bytes wide (Int, Decimal, Hs) or 4 (the others but Bool).
  void setWide(size_t row, int64_t v) {
    values<int64_t>()[row] = v;
    markValid(row);
  }
  void setNarrow(size_t row, int32_t v) {
    values<int32_t>()[row] = v;
    markValid(row);
  }
  void markValid(size_t row) {
    if (nullable_) validity_[row >> 6] |= uint64_t{1} << (row & 63);
  }
  void setMissing(size_t row) {
    set(row, 0);
    if (nullable_) validity_[row >> 6] &= ~(uint64_t{1} << (row & 63));
  }
  bool valid(size_t row) const { return !nullable_ || ((validity_[row >> 6] >> (row & 63)) & 1); }

 private:
  ir::Type type_ = ir::Type::Int;
  bool nullable_ = false;
  size_t width_ = 8;
  size_t rows_ = 0;
  size_t capacity_ = 0;
  std::vector<uint8_t> data_;
  std::vector<uint64_t> validity_;
};

}  // namespace tauekel::runtime
