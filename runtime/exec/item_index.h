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
  void reset(const Batch& batch, size_t guards);
  // The rows guard `g` selects, ascending; computed once per batch.
  const std::vector<uint32_t>& select(const Guard& guard, int g);

 private:
  struct ColumnIndex {
    bool built = false;
    std::vector<int64_t> keys;   // ascending
    std::vector<uint32_t> rows;  // parallel to keys
  };
  void build(size_t column);

  const Batch* batch_ = nullptr;
  std::vector<ColumnIndex> columns_;
  std::vector<std::vector<uint32_t>> selections_;   // by guard
  std::vector<uint8_t> selected_;                   // by guard: computed this batch
  std::vector<uint64_t> marks_;                     // a bit per item row
  std::vector<uint64_t> scratch_keys_, keys_tmp_;
  std::vector<uint32_t> scratch_rows_, rows_tmp_;
};

}  // namespace tauekel::runtime
