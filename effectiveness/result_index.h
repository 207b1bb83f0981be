#pragma once
// Control results matched to the declarations screened: grouped by declaration and goods
// item, a repeated row (the same finding twice) and rows that disagree reported as soon
// as the file is read, the rest handed out declaration by declaration as the
// declarations are read; whatever no declaration claims is reported at the end. The
// counts add up to the rows read.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "effectiveness/control_results.h"

namespace tauekel::effectiveness {

// What control found for one declaration, over all its result rows.
struct Outcome {
  bool violation = false;
  int64_t payments = 0;                 // scaled by 10^6
  std::string kind;                     // of the first violation found, "" if none given
  std::vector<uint32_t> violating_items;  // goods items a row names as violating
};

struct ResultCounts {
  uint64_t rows_read = 0;
  uint64_t rows_rejected = 0;     // unreadable (bad value, bad row)
  uint64_t duplicates = 0;        // the same finding as an earlier row: counted once
  uint64_t contradictory = 0;     // rows that disagree about one declaration or item: none counted
  uint64_t no_such_item = 0;      // name a goods item the declaration does not have
  uint64_t unmatched = 0;         // for no declaration read
  uint64_t outside_period = 0;    // for a declaration dated outside the period screened
  uint64_t matched = 0;           // counted in an outcome
  uint64_t declarations = 0;      // declarations with an outcome
  bool addsUp() const {
    return rows_read == rows_rejected + duplicates + contradictory + no_such_item + unmatched + outside_period + matched;
  }
};

class ResultIndex {
 public:
  using Report = std::function<void(const runtime::LoadError&)>;
  // Takes the rows of `file`; duplicates and contradictions are reported through `report`.
  ResultIndex(ResultsFile file, const Report& report);

  // The outcome of declaration `key` (with `items` goods items), once: a second claim of
  // one key returns null. Null also when it has no result.
  const Outcome* claim(std::string_view key, uint32_t items);
  // Declaration `key` is outside the period screened: its results are counted so.
  void setAside(std::string_view key);
  // Reports every row no declaration claimed; the counts are final after this.
  void finish();
  const ResultCounts& counts() const { return counts_; }

 private:
  struct Group {
    std::vector<size_t> rows;    // into rows_, the ones counted
    bool claimed = false;
    Outcome outcome;
  };
  void report(const ControlResult& row, std::string field, std::string reason);

  std::string file_;
  std::vector<ControlResult> rows_;
  std::unordered_map<std::string, Group> groups_;  // by declaration key
  ResultCounts counts_;
  Report report_;
  std::string declaration_column_, item_column_;
};

}  // namespace tauekel::effectiveness
