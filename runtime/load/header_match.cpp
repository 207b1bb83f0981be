#include "runtime/load/header_match.h"

#include <fmt/format.h>

#include <map>

#include "support/text.h"

namespace tauekel::runtime {

Expected<std::vector<std::vector<size_t>>> matchHeader(const std::string& file, std::vector<std::string> header,
                                                       const std::vector<const std::vector<FieldSpec>*>& groups,
                                                       const std::function<void(const std::string&)>& warn) {
  if (!header.empty() && header[0].rfind("\xEF\xBB\xBF", 0) == 0) header[0].erase(0, 3);
  std::map<std::string, size_t> position;
  for (size_t i = 0; i < header.size(); ++i) {
    if (header[i].empty()) continue;  // unnamed columns cannot be meant by any field
    auto [it, inserted] = position.emplace(header[i], i);
    if (!inserted)
      return Error{fmt::format("{}:1: column {} appears twice in the header (columns {} and {}): which one is meant "
                               "cannot be told; rename or remove one",
                               file, text::quoted(header[i]), it->second + 1, i + 1)};
  }

  std::vector<std::vector<size_t>> out;
  std::vector<bool> used(header.size(), false);
  std::vector<const FieldSpec*> absent;
  for (const auto* fields : groups) {
    out.emplace_back();
    for (const auto& f : *fields) {
      auto it = position.find(f.column);
      if (it == position.end()) {
        if (!f.nullable)
          return Error{fmt::format("{}:1: the header has no column \"{}\" for field `{}`", file, f.column, f.name)};
        out.back().push_back(kNoColumn);  // an optional field may be left out entirely
        absent.push_back(&f);
        continue;
      }
      used[it->second] = true;
      out.back().push_back(it->second);
    }
  }

  if (!warn || absent.empty()) return out;
  std::vector<std::string> unknown;
  for (size_t i = 0; i < header.size(); ++i)
    if (!used[i] && !header[i].empty()) unknown.push_back(header[i]);
  // Pair each unknown column with the absent optional field it most looks like.
  std::vector<std::string> absent_columns;
  for (const auto* f : absent) absent_columns.push_back(f->column);
  std::vector<std::string> unpaired;
  for (const auto& column : unknown) {
    std::string near = text::closest(column, absent_columns);
    if (near.empty()) {
      unpaired.push_back(column);
      continue;
    }
    const FieldSpec* field = nullptr;
    for (const auto* f : absent)
      if (f->column == near) field = f;
    warn(fmt::format("{}:1: column {} matches no field, and the optional field `{}` has no column \"{}\", so it is "
                     "missing on every row: is {} a misspelling of \"{}\"?",
                     file, text::quoted(column), field->name, near, text::quoted(column), near));
    absent_columns.erase(std::find(absent_columns.begin(), absent_columns.end(), near));
  }
  if (!unpaired.empty() && !absent_columns.empty()) {
    auto list = [](const std::vector<std::string>& names) {
      std::string out;
      for (size_t i = 0; i < names.size() && i < 5; ++i) out += (i ? ", " : "") + text::quoted(names[i]);
      if (names.size() > 5) out += fmt::format(" and {} more", names.size() - 5);
      return out;
    };
    warn(fmt::format("{}:1: column{} {} match{} no field, while the optional column{} {} {} absent and read as "
                     "missing on every row: if one is meant for the other, rename it",
                     file, unpaired.size() == 1 ? "" : "s", list(unpaired), unpaired.size() == 1 ? "es" : "",
                     absent_columns.size() == 1 ? "" : "s", list(absent_columns),
                     absent_columns.size() == 1 ? "is" : "are"));
  }
  return out;
}

}  // namespace tauekel::runtime
