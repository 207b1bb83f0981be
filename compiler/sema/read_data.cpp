// Lists and tables: read the CSV file a declaration names, check its header against the
// declared columns and every cell against the declared types.

#include <fmt/format.h>

#include <cstring>
#include <filesystem>

#include "compiler/sema/checker_impl.h"
#include "compiler/source/file_finder.h"
#include "support/csv.h"
#include "support/input_file.h"
#include "support/text.h"
#include "support/utf8.h"

namespace tauekel::sema {

namespace {
constexpr size_t kMaxValueErrors = 20;

std::string joinColumns(const std::vector<std::string>& header) {
  std::string out;
  for (const auto& h : header) out += (out.empty() ? "" : ", ") + text::quoted(h);
  return out;
}

// A key that is equal for equal values of one type (commodity codes compare padded).
// Commodity codes of different lengths are different keys (6403 and 6403000000 differ).
std::string keyOf(const Value& v) {
  return v.text.empty() ? std::to_string(v.number) + "/" + std::to_string(v.digits) : "s" + v.text;
}
}  // namespace

source::FileId Checker::dataSourceFile(const std::string& path, const std::string& text) {
  auto it = data_files_.find(path);
  if (it != data_files_.end()) return it->second;
  source::FileId id = sources_.add(path, text);
  data_files_.emplace(path, id);
  return id;
}

bool Checker::resolveDataPath(const FileScope& scope, const syntax::DataDecl& decl, DataSet& data) {
  namespace fs = std::filesystem;
  const char* what = data.is_table ? "table" : "list";
  fs::path written = decl.path;
  if (written.is_absolute()) {
    sink_.report(Code::TK505, decl.path_range,
                 fmt::format("{} file {} is an absolute path: name it relative to this file, inside the repository",
                             what, text::quoted(decl.path)));
    return false;
  }
  fs::path path = (fs::path(scope.directory) / written).lexically_normal();
  data.path = path.string();
  // Lexically first: `..` that climbs out of the root is refused whether or not the
  // file exists; then with links resolved, for a link that leads elsewhere.
  std::error_code ec;
  fs::path root = fs::absolute(scope.data_root, ec).lexically_normal();
  fs::path relative = fs::absolute(path, ec).lexically_normal().lexically_relative(root);
  bool climbs = relative.empty() || *relative.begin() == "..";
  if (!climbs) {
    if (fs::exists(fs::symlink_status(path, ec)) && fs::exists(path, ec)) climbs = !source::isInside(data.path, root.string());
  }
  if (climbs) {
    // The root as the user would write it: relative to the working folder when inside it.
    fs::path shown = fs::proximate(root, ec);
    std::string root_text = ec || shown.empty() || *shown.begin() == ".." ? root.string() : shown.string();
    if (root_text.empty() || root_text.back() != '/') root_text += '/';
    sink_.report(Code::TK505, decl.path_range,
                 fmt::format("{} file {} leads out of the repository (root: {}): data files must be inside it", what,
                             text::quoted(decl.path), root_text));
    return false;
  }
  return true;
}

void Checker::readDataFile(DataSet& data, const syntax::DataDecl& decl) {
  const char* what = data.is_table ? "table" : "list";
  auto read = io::readWhole(data.path, options_.max_data_bytes);
  if (!read) {
    // "cannot open lists/x.csv: ..." becomes "cannot read list file lists/x.csv: ...".
    std::string message = read.error().message;
    for (const char* verb : {"cannot open ", "cannot read "})
      if (message.rfind(verb, 0) == 0) {
        message = fmt::format("cannot read {} file {}", what, message.substr(std::strlen(verb)));
        break;
      }
    sink_.report(Code::TK501, decl.path_range, message);
    return;
  }
  std::string text = read.take();
  auto reader = csv::Reader::fromString(text);

  auto at = [&](uint64_t line, uint64_t column, size_t width = 1) {
    Range r;
    r.file = dataSourceFile(data.path, text);
    r.begin = {static_cast<uint32_t>(line), static_cast<uint32_t>(column)};
    r.end = {r.begin.line, r.begin.column + static_cast<uint32_t>(std::max<size_t>(width, 1))};
    return r;
  };

  if (auto status = reader->next(); status != csv::Reader::Status::Record) {
    std::string why = status == csv::Reader::Status::End ? "has no header row"
                                                         : "has a header row that cannot be read: " + reader->error();
    sink_.report(Code::TK502, decl.path_range, fmt::format("{} file {} {}", what, data.path, why));
    return;
  }
  std::vector<std::string> header;
  for (size_t i = 0; i < reader->size(); ++i) header.emplace_back(reader->field(i));
  if (!header.empty() && header[0].rfind("\xEF\xBB\xBF", 0) == 0) header[0].erase(0, 3);  // UTF-8 BOM
  std::map<std::string, size_t> header_position;
  for (size_t i = 0; i < header.size(); ++i) {
    if (header[i].empty()) continue;
    auto [it, inserted] = header_position.emplace(header[i], i);
    if (inserted) continue;
    sink_.report(Code::TK502, at(1, reader->column(i), utf8::countCodePoints(header[i])),
                 fmt::format("{} file {}: column {} appears twice in the header (columns {} and {}): which one is "
                             "meant cannot be told",
                             what, data.path, text::quoted(header[i]), it->second + 1, i + 1));
    return;
  }

  auto columnIndex = [&](const std::string& wanted, size_t position, const char* role) -> int {
    if (wanted.empty()) {
      if (position < header.size()) return static_cast<int>(position);
      sink_.report(Code::TK502, decl.path_range,
                   fmt::format("{} file {} needs a {} column; its header has {} column{}", what, data.path, role,
                               header.size(), header.size() == 1 ? "" : "s"));
      return -1;
    }
    for (size_t i = 0; i < header.size(); ++i)
      if (header[i] == wanted) return static_cast<int>(i);
    sink_.report(Code::TK502, decl.path_range,
                 fmt::format("{} file {} has no column `{}` (its columns: {})", what, data.path, wanted, joinColumns(header)));
    return -1;
  };
  // A table with two keys (map<K1, K2, V>) reads key, key2, value: by default the
  // first three columns.
  const bool two_keys = data.is_table && data.type->element->kind == TypeKind::Pair;
  int key_index = columnIndex(data.key_column, 0, data.is_table ? "key" : "value");
  int key2_index = two_keys ? columnIndex(data.key2_column, 1, "second key") : -1;
  int value_index = data.is_table ? columnIndex(data.value_column, two_keys ? 2 : 1, "value") : -1;
  if (key_index < 0 || (data.is_table && value_index < 0) || (two_keys && key2_index < 0)) return;
  data.key_column = header[static_cast<size_t>(key_index)];
  if (two_keys) data.key2_column = header[static_cast<size_t>(key2_index)];
  if (data.is_table) data.value_column = header[static_cast<size_t>(value_index)];

  const Type* key_type = two_keys ? data.type->element->element : data.type->element;
  const Type* key2_type = two_keys ? data.type->element->value : nullptr;
  const Type* value_type = data.is_table ? data.type->value : nullptr;
  size_t errors = 0, suppressed = 0;
  auto error = [&](uint64_t line, uint64_t column, std::string message, size_t width = 1) {
    if (errors++ >= kMaxValueErrors) {
      ++suppressed;
      return;
    }
    sink_.report(Code::TK503, at(line, column, width), fmt::format("{} {}: {}", what, data.name, message));
  };
  std::map<std::string, uint64_t> first_line;
  size_t width = static_cast<size_t>(std::max({key_index, key2_index, value_index})) + 1;
  while (true) {
    auto status = reader->next();
    if (status == csv::Reader::Status::End) break;
    if (status == csv::Reader::Status::Failed) {
      error(reader->line(), 1, reader->error());
      break;
    }
    if (status == csv::Reader::Status::Error) {
      error(reader->line(), 1, reader->error());
      continue;
    }
    if (reader->size() < width) {
      error(reader->line(), 1,
            fmt::format("row has {} field{}, but column `{}` is number {}", reader->size(), reader->size() == 1 ? "" : "s",
                        header[width - 1], width));
      continue;
    }
    auto cell = [&](int index, const Type* type, Value& out) {
      auto text_cell = reader->field(static_cast<size_t>(index));
      if (text_cell.empty()) {
        error(reader->line(), reader->column(static_cast<size_t>(index)),
              fmt::format("column `{}` is empty", header[static_cast<size_t>(index)]));
        return false;
      }
      std::string reason;
      auto parsed = parseCell(*type, text_cell, reason);
      if (!parsed) {
        error(reader->line(), reader->column(static_cast<size_t>(index)),
              fmt::format("column `{}`: {}", header[static_cast<size_t>(index)], reason), utf8::countCodePoints(text_cell));
        return false;
      }
      out = std::move(*parsed);
      return true;
    };
    Value key, key2, value;
    if (!cell(key_index, key_type, key)) continue;
    if (two_keys && !cell(key2_index, key2_type, key2)) continue;
    if (data.is_table && !cell(value_index, value_type, value)) continue;
    // Two keys match exactly (a code as its 10 padded digits), so they are compared so.
    std::string both =
        two_keys ? std::to_string(key.number) + "\x1f" + std::to_string(key2.number) : keyOf(key);
    auto [it, inserted] = first_line.emplace(both, reader->line());
    if (!inserted) {
      if (data.is_table) {
        auto& d = sink_.report(Code::TK504,
                               at(reader->line(), reader->column(static_cast<size_t>(key_index)),
                                  utf8::countCodePoints(reader->field(static_cast<size_t>(key_index)))),
                               fmt::format("key `{}` is already in table {}; a key may appear once",
                                           two_keys ? formatValue(*key_type, key) + ", " + formatValue(*key2_type, key2)
                                                    : formatValue(*key_type, key),
                                           data.name));
        d.notes.push_back({at(it->second, 1), "first given here"});
      }
      continue;  // a repeated list element changes nothing
    }
    data.keys.push_back(std::move(key));
    if (two_keys) data.keys2.push_back(std::move(key2));
    if (data.is_table) data.values.push_back(std::move(value));
  }
  if (suppressed > 0) {
    Range r = decl.path_range;
    sink_.report(Code::TK503, r, fmt::format("{} more rows of {} have errors", suppressed, data.path));
  }
  if (errors == 0 && data.keys.empty())
    sink_.report(Code::TK602, decl.path_range, fmt::format("{} file {} has no rows", what, data.path));
}

}  // namespace tauekel::sema
