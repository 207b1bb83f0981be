#pragma once
// Per-batch index of goods-item columns for guards: the rows grouped by the column's
// value (commodity codes cut to the prefix length a guard names), built on first use in
// a batch. A guard's selection is then one directory search per key, and a merge when
// it has several keys. A compound index answers a code prefix and a country (or enum)
// test together.
//
// Columns of bounded codes (commodity-code prefixes, countries, enums, flags) are
// bucketed: every guard's keys are known before the first batch, so each row's key is
// looked up in a table of those keys and the rows are counted into buckets, one pass
// each, with rows of other keys dropped. Other columns (texts, numbers, full codes) are
// radix-sorted.

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <span>
#include <tuple>
#include <vector>

#include "runtime/exec/key_slots.h"
#include "runtime/exec/plan.h"
#include "runtime/vector/batch.h"

namespace tauekel::runtime {

class ItemIndex {
 public:
  // Once, before the first batch: the keys the guards name. Without `compounds`, only
  // plain indexes are bucketed and compound ones sorted (to test that path).
  void prepare(const std::vector<Guard>& guards, bool compounds = true);
  void reset(const Batch& batch, size_t guards);
  // The rows guard `g` selects, ascending; computed once per batch, and valid until the
  // next reset().
  std::span<const uint32_t> select(const Guard& guard, int g);

 private:
  // Rows grouped by the column's value cut to `digits` (commodity codes; 10 for other
  // types), each key's rows ascending. Sorted: every row with a value, and the batch's
  // distinct keys. Bucketed: only rows of keys some guard names, and every such key
  // (some with no rows). The keys are a small directory searched in cache; key j's rows
  // are rows[starts[j]] to rows[starts[j + 1]].
  struct ColumnIndex {
    bool built = false;
    std::vector<int64_t> keys;     // distinct, ascending
    std::vector<uint32_t> starts;  // keys.size() + 1
    std::vector<uint32_t> rows;
    std::vector<uint16_t> slot_of_row;  // bucketed: each row's slot (0: no guard's key)
    std::span<const uint32_t> rowsOf(int64_t key) const;
  };
  // A compound index bucketed from its plain one: (plain slot, rank of the second value)
  // to the slot of the pair, 0 when no guard names it.
  struct PairSlots {
    std::vector<int64_t> keys;    // (second key, code prefix) packed, ascending
    std::vector<uint16_t> rank;   // by second key: 1 + its rank among those named; 0 none
    uint32_t ranks = 0;           // named second values + 1
    std::vector<uint16_t> slots;  // by plain slot * ranks + rank
  };
  // Fills keys and starts from the key of each of the m rows, in order.
  template <class KeyOf>
  static void setKeys(ColumnIndex& index, size_t m, KeyOf key_of);
  // With `second` (a country or enum column), the key is (second value, code prefix).
  ColumnIndex& build(size_t column, int digits, int second = -1);
  ColumnIndex& buildCompound(size_t column, int digits, size_t second);
  // Fills index.starts and index.rows from each row's slot in index.slot_of_row.
  void bucket(ColumnIndex& index, uint32_t slots);
  // The rows of `keys` in guard `at`'s index, merged.
  std::span<const uint32_t> lookUp(const Guard& guard, size_t at, std::span<const std::pair<int64_t, int>> keys);
  // Guard `at`'s selection: the union of runs_, which hold `count` rows.
  std::span<const uint32_t> merge(size_t at, size_t count);

  const Batch* batch_ = nullptr;
  std::deque<ColumnIndex> columns_;  // by column * 6 + digits / 2 (a deque: growing keeps them in place)
  std::vector<std::optional<KeySlots>> key_slots_;  // like columns_: set when bucketed
  std::map<std::tuple<size_t, int, int>, PairSlots> pair_slots_;  // like compound_
  std::map<std::tuple<size_t, int, int>, ColumnIndex> compound_;  // (column, digits, second column)
  std::vector<std::vector<uint32_t>> selections_;   // by guard, when several keys' rows merge
  std::vector<std::span<const uint32_t>> selected_; // by guard: in an index or in selections_
  std::vector<uint8_t> done_;                       // by guard: computed this batch
  std::vector<uint64_t> marks_;                     // a bit per item row
  std::vector<std::span<const uint32_t>> runs_;     // scratch: the rows of each key
  std::vector<uint32_t> merged_;                    // scratch
  std::vector<std::pair<int64_t, int>> keys_;       // scratch: (key, digits) to look up
  std::vector<std::pair<int64_t, int>> fixed_keys_;  // keys of guards on non-text columns
  struct KeyRange {
    size_t begin = 0, size = 0;
    bool known = false;  // computed in an earlier batch
  };
  std::vector<KeyRange> fixed_keys_at_;  // by guard: its keys in fixed_keys_
  // By guard, when all its keys are in one bucketed index: that index and where its keys
  // are in the index's directory, so selecting needs no search.
  struct Bucketed {
    ColumnIndex* index = nullptr;
    size_t column = 0;
    int digits = 0, second = -1;
    std::vector<uint32_t> keys;  // positions in index->keys
  };
  std::vector<Bucketed> bucketed_;
  std::vector<uint64_t> scratch_keys_, keys_tmp_;
  std::vector<uint32_t> scratch_rows_;
  std::vector<std::pair<int64_t, uint32_t>> wide_;  // scratch: keys too wide to pack
  std::vector<uint32_t> counts_;
  std::vector<uint32_t> wanted_;  // scratch: rows whose slot is not 0
  std::vector<uint16_t> seconds_;
};

}  // namespace tauekel::runtime
