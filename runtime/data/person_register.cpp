#include "runtime/data/person_register.h"

#include <fmt/format.h>

#include "support/csv.h"

namespace tauekel::runtime {

Expected<PersonRegister> loadPersons(const std::string& path, const sema::Program& program, const LoadOptions& options) {
  if (!program.person.defined) return Error{"the program has no person schema, so a person register cannot be read"};
  auto opened = csv::Reader::open(path);
  if (!opened) return opened.error();
  auto& reader = **opened;
  if (reader.next() != csv::Reader::Status::Record) return Error{fmt::format("{}: no header row", path)};
  std::vector<std::string> header;
  for (size_t i = 0; i < reader.size(); ++i) header.emplace_back(reader.field(i));
  if (!header.empty() && header[0].rfind("\xEF\xBB\xBF", 0) == 0) header[0].erase(0, 3);

  PersonRegister reg;
  auto specs = fieldSpecs(program.person);
  std::vector<size_t> columns;
  for (const auto& spec : specs) {
    auto it = std::find(header.begin(), header.end(), spec.column);
    if (it == header.end()) {
      if (!spec.nullable)
        return Error{fmt::format("{}:1: the header has no column \"{}\" for field `{}`", path, spec.column, spec.name)};
      columns.push_back(SIZE_MAX);
    } else {
      columns.push_back(static_cast<size_t>(it - header.begin()));
    }
    reg.columns.emplace_back();
    reg.columns.back().init(spec.type, spec.nullable);
  }
  auto key = static_cast<size_t>(program.person.key_field);

  auto reject = [&](uint64_t line, std::string field, std::string reason) -> Expected<bool> {
    LoadError error{path, line, std::move(field), std::move(reason)};
    ++reg.stats.rows_rejected;
    if (options.on_error == OnError::Fail) return Error{error.format(), true};
    if (options.report) options.report(error);
    return true;
  };

  while (true) {
    auto status = reader.next();
    if (status == csv::Reader::Status::End) break;
    ++reg.stats.rows_read;
    if (status == csv::Reader::Status::Error) {
      if (auto ok = reject(reader.line(), "", reader.error()); !ok) return ok.error();
      continue;
    }
    if (reader.size() != header.size()) {
      auto ok = reject(reader.line(), "", fmt::format("row has {} fields, the header has {}", reader.size(), header.size()));
      if (!ok) return ok.error();
      continue;
    }
    size_t row = reg.count;
    for (auto& c : reg.columns) c.resize(row + 1);
    std::string failed_field, reason;
    for (size_t f = 0; f < specs.size() && reason.empty(); ++f) {
      std::string_view text = columns[f] == SIZE_MAX ? std::string_view{} : reader.field(columns[f]);
      reason = parseField(specs[f], text, reg.columns[f], row, reg.strings, nullptr);
      if (!reason.empty()) failed_field = specs[f].name;
    }
    if (reason.empty()) {
      std::string id(reg.strings.view(static_cast<int32_t>(reg.columns[key].get(row))));
      if (!reg.index.emplace(id, static_cast<int32_t>(row)).second) {
        failed_field = specs[key].name;
        reason = fmt::format("person \"{}\" is already in the register", id);
      }
    }
    if (!reason.empty()) {
      for (auto& c : reg.columns) c.resize(row);
      if (auto ok = reject(reader.line(), failed_field, reason); !ok) return ok.error();
      continue;
    }
    ++reg.count;
  }
  reg.stats.declarations = reg.count;
  reg.category.assign(reg.count, static_cast<uint8_t>(sema::RiskLevel::Medium));
  return reg;
}

}  // namespace tauekel::runtime
