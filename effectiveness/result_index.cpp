#include "effectiveness/result_index.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>

#include "support/text.h"

namespace tauekel::effectiveness {

namespace {

std::string finding(const ControlResult& r) {
  std::string out = r.violation ? "a violation" : "no violation";
  if (!r.kind.empty()) out += fmt::format(" of kind {}", text::quoted(r.kind));
  if (r.payments != 0) out += fmt::format(", payments {}.{:06}", r.payments / 1'000'000, r.payments % 1'000'000);
  return out;
}

std::string itemWords(const std::optional<uint32_t>& item) {
  return item ? fmt::format("goods item {}", *item) : std::string("the declaration as a whole");
}

}  // namespace

ResultIndex::ResultIndex(ResultsFile file, const Report& report)
    : file_(file.name), rows_(std::move(file.rows)), report_(report), declaration_column_(file.key_column),
      item_column_(file.item_column) {
  counts_.rows_read = file.rows_read;
  counts_.rows_rejected = file.rows_rejected;
  // By declaration, then by item (none first): the first row of each finding counts.
  std::unordered_map<std::string, std::map<std::optional<uint32_t>, std::vector<size_t>>> by_item;
  for (size_t r = 0; r < rows_.size(); ++r) by_item[rows_[r].declaration][rows_[r].item].push_back(r);
  for (auto& [key, items] : by_item) {
    Group& group = groups_[key];
    for (auto& [item, rows] : items) {
      const ControlResult& first = rows_[rows.front()];
      bool agree = std::all_of(rows.begin(), rows.end(), [&](size_t r) { return rows_[r].sameFinding(first); });
      if (!agree) {
        std::string lines;
        for (size_t r : rows) lines += fmt::format("{}{}", lines.empty() ? "" : ", ", rows_[r].line);
        for (size_t r : rows) {
          ++counts_.contradictory;
          this->report(rows_[r], declaration_column_,
                       fmt::format("the results for declaration {} ({}) disagree (lines {}): this one says {}; none "
                                   "of them is counted",
                                   text::quoted(key), itemWords(item), lines, finding(rows_[r])));
        }
        continue;
      }
      group.rows.push_back(rows.front());
      for (size_t k = 1; k < rows.size(); ++k) {
        ++counts_.duplicates;
        this->report(rows_[rows[k]], declaration_column_,
                     fmt::format("repeats the result of line {} for declaration {} ({}): counted once", first.line,
                                 text::quoted(key), itemWords(item)));
      }
    }
  }
}

void ResultIndex::report(const ControlResult& row, std::string field, std::string reason) {
  if (report_) report_(runtime::LoadError{file_, row.line, std::move(field), std::move(reason)});
}

const Outcome* ResultIndex::claim(std::string_view key, uint32_t items) {
  auto found = groups_.find(std::string(key));
  if (found == groups_.end() || found->second.claimed) return nullptr;
  Group& group = found->second;
  group.claimed = true;
  Outcome& outcome = group.outcome;
  size_t counted = 0;
  for (size_t r : group.rows) {
    const ControlResult& row = rows_[r];
    if (row.item && *row.item > items) {
      ++counts_.no_such_item;
      report(row, item_column_,
             fmt::format("declaration {} has {} goods item{}, not an item {}: the result is not counted",
                         text::quoted(key), items, items == 1 ? "" : "s", *row.item));
      continue;
    }
    ++counts_.matched;
    ++counted;
    outcome.payments += row.payments;
    if (!row.violation) continue;
    if (!outcome.violation) outcome.kind = row.kind;
    outcome.violation = true;
    if (row.item) outcome.violating_items.push_back(*row.item);
  }
  if (counted == 0) return nullptr;
  ++counts_.declarations;
  std::sort(outcome.violating_items.begin(), outcome.violating_items.end());
  return &outcome;
}

void ResultIndex::setAside(std::string_view key) {
  auto found = groups_.find(std::string(key));
  if (found == groups_.end() || found->second.claimed) return;
  found->second.claimed = true;
  counts_.outside_period += found->second.rows.size();
}

void ResultIndex::finish() {
  std::vector<size_t> unclaimed;
  for (const auto& [key, group] : groups_)
    if (!group.claimed) unclaimed.insert(unclaimed.end(), group.rows.begin(), group.rows.end());
  std::sort(unclaimed.begin(), unclaimed.end());  // in file order
  for (size_t r : unclaimed) {
    ++counts_.unmatched;
    report(rows_[r], declaration_column_,
           fmt::format("no declaration {} was screened: the result is not counted", text::quoted(rows_[r].declaration)));
  }
  for (auto& [key, group] : groups_) group.claimed = true;
}

}  // namespace tauekel::effectiveness
