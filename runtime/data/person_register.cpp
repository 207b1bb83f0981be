#include "runtime/data/person_register.h"

#include <fmt/format.h>

#include "runtime/load/header_match.h"
#include "support/csv.h"
#include "support/text.h"

namespace tauekel::runtime {

Expected<PersonRegister> loadPersons(const std::string& path, const sema::Program& program, const LoadOptions& options) {
  if (!program.person.defined) return Error{"the program has no person schema, so a person register cannot be read"};
  auto input = io::openInput(path);
  if (!input) return input.error();
  return loadPersons(input.take(), program, options);
}

Expected<PersonRegister> loadPersons(std::unique_ptr<io::ByteSource> input, const sema::Program& program,
                                     const LoadOptions& options) {
  if (!program.person.defined) return Error{"the program has no person schema, so a person register cannot be read"};
  auto opened = csv::Reader::fromSource(std::move(input), options.max_record_bytes);
  auto& reader = *opened;
  const std::string& name = reader.name();
  if (reader.sizeHint() > options.max_data_bytes)
    return Error{fmt::format("{} is {}; the person register may have at most {} (--max-data-bytes raises the limit)",
                             name, io::describeBytes(reader.sizeHint()), io::describeBytes(options.max_data_bytes))};
  auto failure = [&]() -> Error {
    if (reader.limitExceeded())
      return Error{fmt::format("{}:{}: {}; --max-record-bytes raises the limit", name, reader.line(), reader.error()),
                   true};
    return Error{reader.error()};
  };
  auto status = reader.next();
  if (status == csv::Reader::Status::Failed) return failure();
  if (status == csv::Reader::Status::End)
    return Error{fmt::format("{} is {}: a person register starts with a header row", name,
                             reader.bytesConsumed() == 0 ? "empty" : "only blank lines")};
  if (status == csv::Reader::Status::Error)
    return Error{fmt::format("{}:{}: the header row: {}", name, reader.line(), reader.error())};
  std::vector<std::string> header;
  for (size_t i = 0; i < reader.size(); ++i) header.emplace_back(reader.field(i));

  PersonRegister reg;
  auto specs = fieldSpecs(program.person);
  auto matched = matchHeader(name, header, {&specs}, options.warn);
  if (!matched) return matched.error();
  std::vector<size_t> columns = (*matched)[0];
  for (const auto& spec : specs) {
    reg.columns.emplace_back();
    reg.columns.back().init(spec.type, spec.nullable);
  }
  auto key = static_cast<size_t>(program.person.key_field);
  std::vector<uint64_t> first_line;  // by register row

  auto reject = [&](uint64_t line, std::string field, std::string reason) -> Expected<bool> {
    LoadError error{name, line, std::move(field), std::move(reason)};
    ++reg.stats.rows_rejected;
    if (options.on_error == OnError::Fail) return Error{error.format(), true};
    if (options.report) options.report(error);
    return true;
  };

  while (true) {
    status = reader.next();
    if (status == csv::Reader::Status::End) break;
    if (status == csv::Reader::Status::Failed) return failure();
    if (reader.bytesConsumed() > options.max_data_bytes)
      return Error{fmt::format("{}:{}: the person register is larger than {} (--max-data-bytes raises the limit)", name,
                               reader.line(), io::describeBytes(options.max_data_bytes)),
                   true};
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
      std::string_view text = columns[f] == kNoColumn ? std::string_view{} : reader.field(columns[f]);
      reason = parseField(specs[f], text, reg.columns[f], row, reg.strings, nullptr);
      if (!reason.empty()) failed_field = specs[f].column;
    }
    if (reason.empty()) {
      std::string id(reg.strings.view(static_cast<int32_t>(reg.columns[key].get(row))));
      if (!reg.index.insert(id, static_cast<int32_t>(row))) {
        failed_field = specs[key].column;
        reason = fmt::format("person {} is already in the register (line {})", text::quoted(id),
                             first_line[static_cast<size_t>(reg.index.find(id))]);
      }
    }
    if (!reason.empty()) {
      for (auto& c : reg.columns) c.resize(row);
      if (auto ok = reject(reader.line(), failed_field, reason); !ok) return ok.error();
      continue;
    }
    first_line.push_back(reader.line());
    ++reg.count;
  }
  reg.stats.registered = reg.count;
  reg.category.assign(reg.count, static_cast<uint8_t>(sema::RiskLevel::Medium));
  return reg;
}

}  // namespace tauekel::runtime
