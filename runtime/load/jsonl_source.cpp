// JSON Lines declarations: one object per line with the header fields as members and an
// "items" array of objects with the item fields. A missing member or null is a missing
// value; numbers keep their text, so decimals stay exact. A line that cannot be read
// rejects that line and only that line, whatever bytes it holds. Lines are read with
// simdjson; one it leaves unsure goes to json::parse, which words what is wrong.

#include <fmt/format.h>

#include <set>

#include "runtime/load/batch_builder.h"
#include "runtime/load/declaration_json.h"
#include "runtime/load/declaration_simdjson.h"
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
        members_(builder_),
        options_(options),
        key_field_(static_cast<size_t>(program.declaration.key_field)) {
    known_ = knownJsonMembers(builder_);
    for (const auto* fields : {&builder_.declFields(), &builder_.itemFields()})
      for (const auto& f : *fields)
        if (f.nullable) optional_columns_.push_back(f.column);
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
      FieldError bad;
      switch (simdjson_.read(line, lines_.readableFromLine(), members_, options_.max_items, bad)) {
        case SimdjsonDeclarationReader::Result::Declaration: break;
        case SimdjsonDeclarationReader::Result::BadValue:
          if (auto ok = reject(std::move(bad.path), std::move(bad.reason)); !ok) return ok;
          continue;
        case SimdjsonDeclarationReader::Result::Unsure:
          if (auto read = readStrictly(line); !read || !*read) {
            if (!read) return read;
            continue;
          }
          break;
      }
      if (auto ok = addDeclaration(batch); !ok) return ok;
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

  // A line simdjson left to json::parse: true when members_ holds its declaration, false
  // when the line was rejected.
  Expected<bool> readStrictly(std::string_view line) {
    size_t error_offset = 0;
    auto value = json::parse(line, &error_offset);
    if (!value) {
      std::string hint;
      if (line.find('\r') != std::string_view::npos)
        hint = " (the line holds a carriage return: was the file saved with CR-only line endings?)";
      auto ok = reject("", fmt::format("invalid JSON at column {}: {}{}", error_offset + 1, value.error().message, hint));
      if (!ok) return ok;
      return false;
    }
    strict_ = std::move(*value);  // members_ points into it
    if (!readJsonMembers(strict_, members_, options_.max_items)) {
      auto ok = reject("", "a line must hold one JSON object");
      if (!ok) return ok;
      return false;
    }
    return true;
  }

  // A member no field reads, that looks like an optional field's name: warned once.
  // Objects in the order of the old tree walk: the declaration's members, then each
  // goods item's; at most kMaxUnknownMembersWarned, checked at each object's start.
  void checkMembers() {
    const auto& others = members_.otherNames();
    if (!options_.warn || others.empty()) return;
    auto check = [&](const DeclarationMembers::OtherName& other) {
      if (known_.count(other.name) || warned_.count(other.name)) return;
      std::string near = text::closest(other.name, optional_columns_);
      if (near.empty() || members_.has(other.object, near)) return;
      warned_.emplace(other.name);
      options_.warn(fmt::format("{}:{}: member {} matches no field; is it a misspelling of \"{}\"? That optional "
                                "field is missing where the member is absent",
                                path_, lines_.lineNumber(), text::quoted(other.name), near));
    };
    if (warned_.size() < kMaxUnknownMembersWarned)
      for (const auto& other : others)
        if (other.object == 0) check(other);
    size_t object = 0;
    bool open = false;
    for (const auto& other : others) {
      if (other.object == 0) continue;
      if (other.object != object) {
        object = other.object;
        open = warned_.size() < kMaxUnknownMembersWarned;
      }
      if (open) check(other);
    }
  }

  Expected<bool> addDeclaration(Batch& batch) {
    checkMembers();
    // One key, one decision: a key seen on an earlier line rejects this one.
    if (std::string key = members_.key(key_field_); !key.empty())
      if (uint64_t first = seen_.insert(key, lines_.lineNumber()); first != 0)
        return reject(builder_.declFields()[key_field_].column,
                      fmt::format("declaration {} already appeared {}: it gets one decision, so this line is rejected",
                                  text::quoted(key),
                                  first == UINT64_MAX ? "on an earlier line" : fmt::format("at line {}", first)));
    if (members_.items().kind == MemberValue::Array && members_.itemCount() > options_.max_items)
      return reject("items", fmt::format("{} goods items, more than the {} one declaration may have (--max-items "
                                         "raises the limit)",
                                         members_.itemCount(), options_.max_items));
    if (auto error = members_.append(builder_, batch, lines_.lineNumber())) return reject(error->path, error->reason);
    ++stats_.declarations;
    stats_.items += members_.itemCount();
    return true;
  }

  std::string path_;
  io::LineReader lines_;
  BatchBuilder builder_;
  DeclarationMembers members_;  // of the line being read
  SimdjsonDeclarationReader simdjson_;
  json::Value strict_;          // a line json::parse read
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
