#pragma once
// The physical bound the benchmarks print beside the engine: reading the columns the
// profiles read, and nothing else.

#include <set>
#include <utility>
#include <vector>

#include "compiler/ir/ir.h"
#include "runtime/vector/batch.h"

namespace tauekel::bench {

// Sums every value of the given columns (item?, column): what reading them costs.
inline uint64_t scan(const std::vector<runtime::Batch>& batches, const std::set<std::pair<bool, size_t>>& columns) {
  uint64_t sum = 0;
  for (const auto& b : batches) {
    for (auto [item, c] : columns) {
      const runtime::Column& col = item ? b.item_columns[c] : b.decl_columns[c];
      size_t rows = item ? b.item_count : b.decl_count;
      switch (runtime::widthOf(col.type())) {
        case 1: { const auto* v = col.values<uint8_t>(); for (size_t r = 0; r < rows; ++r) sum += v[r]; break; }
        case 4: { const auto* v = col.values<int32_t>(); for (size_t r = 0; r < rows; ++r) sum += static_cast<uint64_t>(v[r]); break; }
        default: { const auto* v = col.values<int64_t>(); for (size_t r = 0; r < rows; ++r) sum += static_cast<uint64_t>(v[r]); break; }
      }
    }
  }
  return sum;
}

inline std::set<std::pair<bool, size_t>> columnsRead(const ir::Program& ir) {
  std::set<std::pair<bool, size_t>> out;
  for (const auto& n : ir.nodes)
    if (n.op == ir::Op::Column && n.domain != ir::Domain::Person)
      out.emplace(n.domain == ir::Domain::Item, static_cast<size_t>(n.value));
  return out;
}

}  // namespace tauekel::bench
