#pragma once
// A batch of declarations: two related column sets, one row per declaration and one per
// goods item; every item carries its declaration's row, and each declaration the range
// of its items (items are stored in declaration order).

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/vector/column.h"
#include "runtime/vector/string_pool.h"

namespace tauekel::runtime {

struct Batch {
  size_t decl_count = 0;
  size_t item_count = 0;
  std::vector<Column> decl_columns;   // by declaration schema field
  std::vector<Column> item_columns;   // by item schema field
  std::vector<uint32_t> item_decl;    // item row -> declaration row
  std::vector<uint32_t> item_begin;   // declaration row -> first item row; [decl_count] = item_count
  std::vector<uint64_t> decl_line;    // input line of each declaration's first row
  StringPool strings;                 // every string column's dictionary

  uint32_t itemsOf(size_t decl) const { return item_begin[decl + 1] - item_begin[decl]; }
};

}  // namespace tauekel::runtime
