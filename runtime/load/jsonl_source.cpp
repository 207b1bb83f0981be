// JSON Lines declarations: one object per line with the header fields as members and an
// "items" array of objects with the item fields. A missing member or null is a missing
// value; numbers keep their text, so decimals stay exact. A line that cannot be read
// rejects that line and only that line, whatever bytes it holds.

#include <fmt/format.h>

#include <set>

#include "runtime/load/batch_builder.h"
#include "runtime/load/seen_keys.h"
#include "runtime/load/sources.h"
#include "support/json.h"
#include "support/line_reader.h"
#include "support/text.h"
#include "support/utf8.h"

namespace tauekel::runtime {

namespace {

constexpr size_t kMaxUnknownMembersWarned = 20;

class JsonLinesSource : public DeclarationSource {
 public:
  JsonLinesSource(std::unique_ptr<io::ByteSource> input, const sema::Program& program, const PersonIndex* persons,
                  const LoadOptions& options)
      : path_(input->name()),
        lines_(std::move(input), options.max_record_bytes),
        builder_(program, persons),
        options_(options),
        key_field_(static_cast<size_t>(program.declaration.key_field)) {
    for (const auto* fields : {&builder_.declFields(), &builder_.itemFields()})
      for (const auto& f : *fields) {
        known_.insert(f.column);
        if (f.nullable) optional_columns_.push_back(f.column);
      }
    known_.insert("items");
  }

  uint64_t totalBytes() const override { return lines_.sizeHint(); }

  Expected<bool> next(Batch& batch) override {
    clearBatch(batch);
    while (batch.item_count < options_.batch_items) {
      auto status = lines_.next();
      stats_.bytes = lines_.bytesConsumed();
      if (status == io::LineReader::Status::Failed) {
        if (lines_.limitExceeded())
          return Error{fmt::format("{}:{}: {}; --max-record-bytes raises the limit", path_, lines_.lineNumber(),
                                   lines_.error()),
                       true};
        return Error{lines_.error()};
      }
      if (status == io::LineReader::Status::End) break;
      std::string_view line = lines_.line();
      if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;  // blank line
      ++stats_.rows_read;
      if (auto problem = utf8::findProblem(line); problem.kind != utf8::Problem::None) {
        std::string what = problem.kind == utf8::Problem::NulByte
                               ? "a NUL byte"
                               : fmt::format("invalid UTF-8 (byte 0x{:02X})",
                                             static_cast<unsigned char>(line[problem.offset]));
        if (auto ok = reject("", fmt::format("{} at column {}", what, problem.offset + 1)); !ok) return ok;
        continue;
      }
      size_t error_offset = 0;
      auto value = json::parse(line, &error_offset);
      if (!value) {
        std::string hint;
        if (line.find('\r') != std::string_view::npos)
          hint = " (the line holds a carriage return: was the file saved with CR-only line endings?)";
        if (auto ok = reject("", fmt::format("invalid JSON at column {}: {}{}", error_offset + 1,
                                             value.error().message, hint));
            !ok)
          return ok;
        continue;
      }
      if (auto ok = addDeclaration(batch, *value); !ok) return ok;
    }
    stats_.persons_unregistered = builder_.unregisteredPersons();
    return batch.decl_count > 0;
  }

 private:
  Expected<bool> reject(std::string field, std::string reason) {
    LoadError error{path_, lines_.lineNumber(), std::move(field), std::move(reason)};
    ++stats_.rows_rejected;
    ++stats_.declarations_rejected;
    if (options_.on_error == OnError::Fail) return Error{error.format(), true};
    if (options_.report) options_.report(error);
    return true;
  }

  // The text a member holds, or an error; a missing member or null is the empty text.
  static bool memberText(const json::Value* v, std::string& text, std::string& reason) {
    text.clear();
    if (v == nullptr || v->isNull()) return true;
    if (v->isString()) {
      text = v->asString();
      if (text.empty()) {
        reason = "an empty string; leave the member out or write null for a missing value";
        return false;
      }
      return true;
    }
    if (v->isNumber()) {
      text = v->numberText();
      return true;
    }
    if (v->isBool()) {
      text = v->asBool() ? "true" : "false";
      return true;
    }
    reason = "an object or array where a single value is expected";
    return false;
  }

  // A member no field reads, that looks like an optional field's name: warned once.
  void checkMembers(const json::Value& object) {
    if (!options_.warn || warned_.size() >= kMaxUnknownMembersWarned) return;
    for (const auto& [name, value] : object.asObject()) {
      if (known_.count(name) || warned_.count(name)) continue;
      std::string near = text::closest(name, optional_columns_);
      if (near.empty() || object.find(near) != nullptr) continue;
      warned_.insert(name);
      options_.warn(fmt::format("{}:{}: member {} matches no field; is it a misspelling of \"{}\"? That optional "
                                "field is missing where the member is absent",
                                path_, lines_.lineNumber(), text::quoted(name), near));
    }
  }

  Expected<bool> addDeclaration(Batch& batch, const json::Value& value) {
    if (!value.isObject()) return reject("", "a line must hold one JSON object");
    checkMembers(value);
    const auto& decl_fields = builder_.declFields();
    std::string text, reason;
    // One key, one decision: a key seen on an earlier line rejects this one.
    if (memberText(value.find(decl_fields[key_field_].column), text, reason) && !text.empty())
      if (uint64_t first = seen_.insert(text, lines_.lineNumber()); first != 0)
        return reject(decl_fields[key_field_].column,
                      fmt::format("declaration {} already appeared {}: it gets one decision, so this line is rejected",
                                  text::quoted(text),
                                  first == UINT64_MAX ? "on an earlier line" : fmt::format("at line {}", first)));
    builder_.beginDeclaration(batch, lines_.lineNumber());
    for (size_t f = 0; f < decl_fields.size(); ++f) {
      if (!memberText(value.find(decl_fields[f].column), text, reason) ||
          !(reason = builder_.setDeclField(batch, f, text)).empty()) {
        builder_.abandonDeclaration(batch);
        return reject(decl_fields[f].column, reason);
      }
    }
    const json::Value* items = value.find("items");
    if (items == nullptr || !items->isArray()) {
      builder_.abandonDeclaration(batch);
      return reject("items", "a declaration needs an \"items\" array");
    }
    if (items->asArray().size() > options_.max_items) {
      builder_.abandonDeclaration(batch);
      return reject("items", fmt::format("{} goods items, more than the {} one declaration may have (--max-items raises "
                                         "the limit)",
                                         items->asArray().size(), options_.max_items));
    }
    const auto& item_fields = builder_.itemFields();
    size_t index = 0;
    for (const auto& item : items->asArray()) {
      ++index;
      if (!item.isObject()) {
        builder_.abandonDeclaration(batch);
        return reject(fmt::format("items[{}]", index), "an item must be a JSON object");
      }
      checkMembers(item);
      builder_.beginItem(batch);
      for (size_t f = 0; f < item_fields.size(); ++f) {
        if (!memberText(item.find(item_fields[f].column), text, reason) ||
            !(reason = builder_.setItemField(batch, f, text)).empty()) {
          builder_.abandonDeclaration(batch);
          return reject(fmt::format("items[{}].{}", index, item_fields[f].column), reason);
        }
      }
    }
    builder_.endDeclaration(batch);
    ++stats_.declarations;
    stats_.items += items->asArray().size();
    return true;
  }

  std::string path_;
  io::LineReader lines_;
  BatchBuilder builder_;
  LoadOptions options_;
  size_t key_field_;
  SeenKeys seen_;
  std::set<std::string, std::less<>> known_;       // member names some field reads
  std::vector<std::string> optional_columns_;
  std::set<std::string, std::less<>> warned_;
};

}  // namespace

Expected<std::unique_ptr<DeclarationSource>> openJsonLines(std::unique_ptr<io::ByteSource> input,
                                                           const sema::Program& program, const PersonIndex* persons,
                                                           const LoadOptions& options) {
  return std::unique_ptr<DeclarationSource>(new JsonLinesSource(std::move(input), program, persons, options));
}

}  // namespace tauekel::runtime
