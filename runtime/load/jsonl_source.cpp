// JSON Lines declarations: one object per line with the header fields as members and an
// "items" array of objects with the item fields. A missing member or null is a missing
// value; numbers keep their text, so decimals stay exact.

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "runtime/load/batch_builder.h"
#include "runtime/load/sources.h"
#include "support/json.h"

namespace tauekel::runtime {

namespace {

class JsonLinesSource : public DeclarationSource {
 public:
  JsonLinesSource(std::string path, std::FILE* file, const sema::Program& program, const PersonIndex* persons,
                  const LoadOptions& options)
      : path_(std::move(path)), file_(file), builder_(program, persons), options_(options) {
    std::error_code ec;
    total_bytes_ = std::filesystem::file_size(path_, ec);
    if (ec) total_bytes_ = 0;
  }
  ~JsonLinesSource() override { std::fclose(file_); }

  uint64_t totalBytes() const override { return total_bytes_; }

  Expected<bool> next(Batch& batch) override {
    clearBatch(batch);
    while (batch.item_count < options_.batch_items) {
      if (!readLine()) break;
      ++line_number_;
      if (line_.find_first_not_of(" \t\r") == std::string::npos) continue;  // blank line
      ++stats_.rows_read;
      size_t error_offset = 0;
      auto value = json::parse(line_, &error_offset);
      if (!value) {
        if (auto ok = reject("", fmt::format("invalid JSON at column {}: {}", error_offset + 1, value.error().message)); !ok)
          return ok;
        continue;
      }
      if (auto ok = addDeclaration(batch, *value); !ok) return ok;
    }
    return batch.decl_count > 0;
  }

 private:
  bool readLine() {
    line_.clear();
    char buffer[65536];
    while (std::fgets(buffer, sizeof buffer, file_)) {
      size_t n = std::strlen(buffer);
      stats_.bytes += n;
      line_.append(buffer, n);
      if (n > 0 && buffer[n - 1] == '\n') {
        line_.pop_back();
        return true;
      }
    }
    return !line_.empty();
  }

  Expected<bool> reject(std::string field, std::string reason) {
    LoadError error{path_, line_number_, std::move(field), std::move(reason)};
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

  Expected<bool> addDeclaration(Batch& batch, const json::Value& value) {
    if (!value.isObject()) return reject("", "a line must hold one JSON object");
    builder_.beginDeclaration(batch, line_number_);
    std::string text, reason;
    const auto& decl_fields = builder_.declFields();
    for (size_t f = 0; f < decl_fields.size(); ++f) {
      if (!memberText(value.find(decl_fields[f].column), text, reason) ||
          !(reason = builder_.setDeclField(batch, f, text)).empty()) {
        builder_.abandonDeclaration(batch);
        return reject(decl_fields[f].name, reason);
      }
    }
    const json::Value* items = value.find("items");
    if (items == nullptr || !items->isArray()) {
      builder_.abandonDeclaration(batch);
      return reject("items", "a declaration needs an \"items\" array");
    }
    const auto& item_fields = builder_.itemFields();
    size_t index = 0;
    for (const auto& item : items->asArray()) {
      ++index;
      if (!item.isObject()) {
        builder_.abandonDeclaration(batch);
        return reject(fmt::format("items[{}]", index), "an item must be a JSON object");
      }
      builder_.beginItem(batch);
      for (size_t f = 0; f < item_fields.size(); ++f) {
        if (!memberText(item.find(item_fields[f].column), text, reason) ||
            !(reason = builder_.setItemField(batch, f, text)).empty()) {
          builder_.abandonDeclaration(batch);
          return reject(fmt::format("items[{}].{}", index, item_fields[f].name), reason);
        }
      }
    }
    builder_.endDeclaration(batch);
    ++stats_.declarations;
    stats_.items += items->asArray().size();
    return true;
  }

  std::string path_;
  std::FILE* file_;
  BatchBuilder builder_;
  LoadOptions options_;
  uint64_t total_bytes_ = 0;
  uint64_t line_number_ = 0;
  std::string line_;
};

}  // namespace

Expected<std::unique_ptr<DeclarationSource>> openJsonLines(const std::string& path, const sema::Program& program,
                                                           const PersonIndex* persons, const LoadOptions& options) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return Error{fmt::format("cannot open {}: {}", path, std::strerror(errno))};
  return std::unique_ptr<DeclarationSource>(new JsonLinesSource(path, f, program, persons, options));
}

}  // namespace tauekel::runtime
