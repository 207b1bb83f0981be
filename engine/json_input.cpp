#include "engine/json_input.h"

#include <fmt/format.h>

#include "support/json.h"
#include "support/text.h"

namespace tauekel::engine {

namespace {

// 1-based line and column of a byte offset (columns in bytes).
std::pair<size_t, size_t> lineColumn(std::string_view text, size_t offset) {
  size_t line = 1, column = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

class Reader {
 public:
  Reader(runtime::ValueBatchBuilder& builder, const JsonInputLimits& limits)
      : builder_(builder), limits_(limits), mark_(builder.batch().decl_count) {}

  // One declaration object; `where` says where it is, for messages ("" for the text).
  Expected<bool> add(const json::Value& object, const std::string& where) {
    if (++count_.declarations > limits_.max_declarations)
      return limit(fmt::format("more than {} declarations in one {}", limits_.max_declarations, limits_.unit));
    if (const json::Value* items = object.find("items"); items && items->isArray()) {
      count_.items += items->asArray().size();
      if (count_.items > limits_.max_items)
        return limit(fmt::format("more than {} goods items in one {}", limits_.max_items, limits_.unit));
    }
    std::optional<runtime::FieldError> error;
    if (limits_.unknown_members_are_errors) error = builder_.unknownMember(object);
    if (!error) error = builder_.addJson(object, limits_.max_items);
    if (error) {
      builder_.truncate(mark_);
      // "items[0].x", "[3].items[0].x" in an array, "line 2: items[0].x" in JSON Lines.
      std::string at = error->path;
      if (!where.empty() && where[0] == '[')
        at = error->path.empty() ? where : where + "." + error->path;
      else if (!where.empty())
        at = error->path.empty() ? where : where + ": " + error->path;
      return Error{at.empty() ? error->reason : at + ": " + error->reason, true};
    }
    return true;
  }

  Expected<JsonInputCount> done() { return count_; }

  Expected<bool> fail(std::string message) {
    builder_.truncate(mark_);
    return Error{std::move(message), true};
  }

 private:
  Expected<bool> limit(std::string message) {
    builder_.truncate(mark_);
    return Error{std::move(message), false};
  }

  runtime::ValueBatchBuilder& builder_;
  JsonInputLimits limits_;
  size_t mark_;
  JsonInputCount count_;
};

}  // namespace

Expected<JsonInputCount> appendJsonDeclarations(runtime::ValueBatchBuilder& builder, std::string_view text,
                                                const JsonInputLimits& limits) {
  Reader reader(builder, limits);
  size_t start = text.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return Error{"no declarations: the text is empty", true};
  if (start + 3 <= text.size() && text.substr(start, 3) == "\xEF\xBB\xBF") start += 3;  // a byte-order mark

  // One JSON value: an object or an array of objects.
  size_t error_offset = 0;
  auto whole = json::parse(text.substr(start), &error_offset);
  if (whole) {
    if (whole->isObject()) {
      if (auto ok = reader.add(*whole, ""); !ok) return ok.error();
      return reader.done();
    }
    if (!whole->isArray()) return Error{"expected a declaration object, an array of them, or JSON Lines", true};
    size_t index = 0;
    for (const auto& element : whole->asArray()) {
      if (auto ok = reader.add(element, fmt::format("[{}]", index++)); !ok) return ok.error();
    }
    return reader.done();
  }

  // Else JSON Lines: one object per line, blank lines allowed. A text of one line that
  // does not parse is reported as the single value it was meant to be.
  size_t line_start = 0, line_number = 0;
  size_t first_break = text.find('\n', start);
  bool several_lines = first_break != std::string_view::npos &&
                       text.find_first_not_of(" \t\r\n", first_break) != std::string_view::npos;
  if (!several_lines || text[start] == '[') {
    auto [line, column] = lineColumn(text, start + error_offset);
    return Error{fmt::format("line {}, column {}: invalid JSON: {}", line, column, whole.error().message), true};
  }
  while (line_start <= text.size()) {
    size_t end = text.find('\n', line_start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(line_start, end - line_start);
    ++line_number;
    if (line_number == 1 && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
    if (line.find_first_not_of(" \t\r") != std::string_view::npos) {
      size_t offset = 0;
      auto value = json::parse(line, &offset);
      if (!value) {
        return reader.fail(fmt::format("line {}, column {}: invalid JSON: {}", line_number, offset + 1,
                                       value.error().message))
            .error();
      }
      if (!value->isObject())
        return reader.fail(fmt::format("line {}: a line must hold one declaration object", line_number)).error();
      if (auto ok = reader.add(*value, fmt::format("line {}", line_number)); !ok) return ok.error();
    }
    line_start = end + 1;
  }
  return reader.done();
}

}  // namespace tauekel::engine
