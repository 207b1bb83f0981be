#include "effectiveness/control_results.h"

#include <fmt/format.h>

#include <set>

#include "runtime/load/declaration_members.h"
#include "runtime/load/field_parser.h"
#include "runtime/load/header_match.h"
#include "runtime/vector/column.h"
#include "runtime/vector/string_pool.h"
#include "support/csv.h"
#include "support/json.h"
#include "support/line_reader.h"
#include "support/text.h"

namespace tauekel::effectiveness {

namespace {

using runtime::LoadError;

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Turns one row's field texts into a ControlResult, checking each as its type says.
class RowReader {
 public:
  explicit RowReader(const sema::Program& program) : program_(program), specs_(runtime::fieldSpecs(program.result)) {
    columns_.resize(specs_.size());
    for (size_t f = 0; f < specs_.size(); ++f) {
      columns_[f].init(specs_[f].type, specs_[f].nullable);
      columns_[f].resize(1);
    }
    for (const auto& m : program.measures) measure_codes_.insert(m.name);
  }
  const std::vector<runtime::FieldSpec>& specs() const { return specs_; }

  // texts[f] for each field; on a bad value, `error` names the field and the reason.
  bool read(const std::vector<std::string_view>& texts, ControlResult& out, LoadError& error) {
    strings_.clear();
    for (size_t f = 0; f < specs_.size(); ++f) {
      std::string reason = runtime::parseField(specs_[f], texts[f], columns_[f], 0, strings_, nullptr);
      if (!reason.empty()) return fail(error, f, std::move(reason));
    }
    const sema::ResultFields& roles = program_.result_fields;
    out.declaration = text(roles.declaration);
    if (out.declaration.empty()) return fail(error, static_cast<size_t>(roles.declaration), "no declaration key");
    out.date = static_cast<int32_t>(columns_[static_cast<size_t>(roles.date)].get(0));
    out.violation = columns_[static_cast<size_t>(roles.violation)].get(0) != 0;
    out.item.reset();
    if (roles.item >= 0 && columns_[static_cast<size_t>(roles.item)].valid(0)) {
      int64_t item = columns_[static_cast<size_t>(roles.item)].get(0);
      if (item < 1 || item > UINT32_MAX)
        return fail(error, static_cast<size_t>(roles.item),
                    fmt::format("goods item {} does not exist: items are numbered from 1", item));
      out.item = static_cast<uint32_t>(item);
    }
    out.kind = roles.kind >= 0 ? text(roles.kind) : std::string();
    out.payments = 0;
    if (roles.payments >= 0 && columns_[static_cast<size_t>(roles.payments)].valid(0)) {
      out.payments = columns_[static_cast<size_t>(roles.payments)].get(0);
      if (out.payments < 0)
        return fail(error, static_cast<size_t>(roles.payments), "additional payments cannot be negative");
    }
    out.measures.clear();
    if (roles.measures >= 0) {
      std::string listed = text(roles.measures);
      for (size_t from = 0, end; from <= listed.size(); from = end + 1) {
        end = std::min(listed.find(';', from), listed.size());
        std::string code(trimmed(std::string_view(listed).substr(from, end - from)));
        if (code.empty()) continue;
        if (!measure_codes_.count(code))
          return fail(error, static_cast<size_t>(roles.measures),
                      fmt::format("{} is no measure of the catalogue{}", text::quoted(code),
                                  suggestion(code)));
        out.measures.push_back(code);
      }
    }
    return true;
  }

 private:
  std::string text(int field) const {
    const runtime::Column& c = columns_[static_cast<size_t>(field)];
    if (!c.valid(0)) return {};
    return std::string(strings_.view(static_cast<int32_t>(c.get(0))));
  }
  bool fail(LoadError& error, size_t field, std::string reason) const {
    error.field = specs_[field].column;
    error.reason = std::move(reason);
    return false;
  }
  std::string suggestion(const std::string& code) const {
    std::vector<std::string> known(measure_codes_.begin(), measure_codes_.end());
    std::string closest = text::closest(code, known);
    return closest.empty() ? std::string() : fmt::format(" (did you mean `{}`?)", closest);
  }

  const sema::Program& program_;
  std::vector<runtime::FieldSpec> specs_;
  std::vector<runtime::Column> columns_;
  runtime::StringPool strings_;
  std::set<std::string> measure_codes_;
};

Expected<ResultsFile> readCsv(std::unique_ptr<io::ByteSource> input, const sema::Program& program,
                              const ResultsOptions& options) {
  auto reader = csv::Reader::fromSource(std::move(input), options.max_record_bytes);
  ResultsFile file;
  file.name = reader->name();
  auto failure = [&]() -> Error {
    if (reader->limitExceeded())
      return Error{fmt::format("{}:{}: {}; --max-record-bytes raises the limit", file.name, reader->line(),
                               reader->error())};
    return Error{reader->error()};
  };
  auto status = reader->next();
  if (status == csv::Reader::Status::Failed) return failure();
  if (status == csv::Reader::Status::End)
    return Error{fmt::format("{} is {}: a file of control results starts with a header row", file.name,
                             reader->bytesConsumed() == 0 ? "empty" : "only blank lines")};
  if (status == csv::Reader::Status::Error)
    return Error{fmt::format("{}:{}: the header row: {}", file.name, reader->line(), reader->error())};
  std::vector<std::string> header;
  for (size_t i = 0; i < reader->size(); ++i) header.emplace_back(reader->field(i));
  RowReader rows(program);
  auto matched = runtime::matchHeader(file.name, header, {&rows.specs()}, options.warn);
  if (!matched) return matched.error();
  const std::vector<size_t>& columns = (*matched)[0];
  std::vector<std::string_view> texts(columns.size());
  auto reject = [&](LoadError error) {
    ++file.rows_rejected;
    if (options.report) options.report(error);
  };
  while (true) {
    status = reader->next();
    if (status == csv::Reader::Status::End) break;
    if (status == csv::Reader::Status::Failed) return failure();
    ++file.rows_read;
    LoadError error{file.name, reader->line(), "", ""};
    if (status == csv::Reader::Status::Error) {
      error.reason = reader->error();
      reject(error);
      continue;
    }
    if (reader->size() != header.size()) {
      error.reason = fmt::format("row has {} fields, the header has {}", reader->size(), header.size());
      reject(error);
      continue;
    }
    for (size_t f = 0; f < columns.size(); ++f)
      texts[f] = columns[f] == runtime::kNoColumn ? std::string_view{} : reader->field(columns[f]);
    ControlResult result;
    result.line = reader->line();
    if (!rows.read(texts, result, error)) {
      reject(error);
      continue;
    }
    file.rows.push_back(std::move(result));
  }
  return file;
}

Expected<ResultsFile> readJsonLines(std::unique_ptr<io::ByteSource> input, const sema::Program& program,
                                    const ResultsOptions& options) {
  io::LineReader lines(std::move(input), options.max_record_bytes);
  ResultsFile file;
  file.name = lines.name();
  RowReader rows(program);
  const auto& specs = rows.specs();
  std::set<std::string, std::less<>> known;
  for (const auto& s : specs) known.insert(s.column);
  std::vector<std::string_view> texts(specs.size());
  std::vector<std::string> held(specs.size());  // the texts' storage
  while (true) {
    auto status = lines.next();
    if (status == io::LineReader::Status::End) break;
    if (status == io::LineReader::Status::Failed) {
      if (lines.limitExceeded())
        return Error{fmt::format("{}:{}: {}; --max-record-bytes raises the limit", file.name, lines.lineNumber(),
                                 lines.error())};
      return Error{lines.error()};
    }
    std::string_view line = lines.line();
    if (trimmed(line).empty()) continue;
    ++file.rows_read;
    LoadError error{file.name, lines.lineNumber(), "", ""};
    auto reject = [&](std::string field, std::string reason) {
      error.field = std::move(field);
      error.reason = std::move(reason);
      ++file.rows_rejected;
      if (options.report) options.report(error);
    };
    size_t offset = 0;
    auto parsed = json::parse(line, &offset);
    if (!parsed) {
      reject("", fmt::format("column {}: {}", offset + 1, parsed.error().message));
      continue;
    }
    if (!parsed->isObject()) {
      reject("", "a control result is a JSON object, one per line");
      continue;
    }
    std::string unknown;
    for (const auto& [name, value] : parsed->asObject())
      if (!known.count(name) && unknown.empty()) unknown = name;
    if (!unknown.empty()) {
      reject(unknown, "no field of the result schema reads this member");
      continue;
    }
    bool ok = true;
    for (size_t f = 0; f < specs.size() && ok; ++f) {
      const json::Value* value = parsed->find(specs[f].column);
      held[f].clear();
      if (value == nullptr || value->isNull()) {
      } else if (value->isString()) {
        held[f] = value->asString();
      } else if (value->isBool()) {
        held[f] = value->asBool() ? "true" : "false";
      } else if (value->isNumber()) {
        held[f] = value->numberText();
        if (held[f].find_first_of("eE") != std::string::npos) {
          reject(specs[f].column, fmt::format("{} is written with an exponent: write its digits", held[f]));
          ok = false;
        }
      } else {
        reject(specs[f].column, "an object or array is no value of a field");
        ok = false;
      }
      texts[f] = held[f];
    }
    if (!ok) continue;
    ControlResult result;
    result.line = lines.lineNumber();
    if (!rows.read(texts, result, error)) {
      ++file.rows_rejected;
      if (options.report) options.report(error);
      continue;
    }
    file.rows.push_back(std::move(result));
  }
  return file;
}

}  // namespace

Expected<ResultsFile> readResults(std::unique_ptr<io::ByteSource> input, const sema::Program& program,
                                  const ResultsOptions& options) {
  if (!program.result.defined)
    return Error{"the profiles declare no `schema result`, so control results cannot be read: declare one (see "
                 "docs/effectiveness.md)"};
  auto read = options.format == runtime::InputFormat::JsonLines ? readJsonLines(std::move(input), program, options)
                                                                 : readCsv(std::move(input), program, options);
  if (!read) return read;
  const sema::ResultFields& roles = program.result_fields;
  read->key_column = program.result.fields[static_cast<size_t>(roles.declaration)].column;
  if (roles.item >= 0) read->item_column = program.result.fields[static_cast<size_t>(roles.item)].column;
  return read;
}

Expected<ResultsFile> readResults(const std::string& path, const sema::Program& program, const ResultsOptions& options) {
  ResultsOptions opened = options;
  if (opened.format == runtime::InputFormat::ByName) {
    auto format = runtime::formatByName(path);
    if (!format) return format.error();
    opened.format = *format;
  }
  auto input = io::openInput(path);
  if (!input) return input.error();
  return readResults(input.take(), program, opened);
}

}  // namespace tauekel::effectiveness
