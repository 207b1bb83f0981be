#pragma once
// Per-batch index of goods-item columns for guards: the rows sorted by the column's
// value, built on first use in a batch. A guard's selection is then a few binary
// searches (a commodity-code prefix is one contiguous range of padded codes).

#include <cstdint>
#include <vector>

#include "runtime/exec/plan.h"
#include "runtime/vector/batch.h"

namespace tauekel::runtime {

class ItemIndex {
 public:
  void reset(const Batch& batch);
  // The rows the guard selects, ascending.
  void select(const Guard& guard, std::vector<uint32_t>& out);

 private:
  struct ColumnIndex {
    bool built = false;
    std::vector<int64_t> keys;   // ascending
    std::vector<uint32_t> rows;  // parallel to keys
  };
  void build(size_t column);

  const Batch* batch_ = nullptr;
  std::vector<ColumnIndex> columns_;
  std::vector<std::pair<size_t, size_t>> ranges_;   // scratch
  std::vector<uint64_t> scratch_keys_;
  std::vector<uint32_t> scratch_rows_;
};

}  // namespace tauekel::runtime
