// CSV declarations: one row per goods item with the header fields repeated; consecutive
// rows with the same key belong to one declaration.

#include <fmt/format.h>

#include <filesystem>

#include "runtime/load/batch_builder.h"
#include "runtime/load/sources.h"
#include "support/csv.h"

namespace tauekel::runtime {

namespace {

class CsvSource : public DeclarationSource {
 public:
  CsvSource(std::string path, std::unique_ptr<csv::Reader> reader, const sema::Program& program,
            const PersonIndex* persons, const LoadOptions& options)
      : path_(std::move(path)), reader_(std::move(reader)), builder_(program, persons), options_(options) {
    std::error_code ec;
    total_bytes_ = std::filesystem::file_size(path_, ec);
    if (ec) total_bytes_ = 0;
    key_field_ = static_cast<size_t>(program.declaration.key_field);
  }

  Expected<bool> readHeader() {
    auto status = reader_->next();
    if (status != csv::Reader::Status::Record) return Error{fmt::format("{}: no header row", path_)};
    std::vector<std::string> header;
    for (size_t i = 0; i < reader_->size(); ++i) header.emplace_back(reader_->field(i));
    if (!header.empty() && header[0].rfind("\xEF\xBB\xBF", 0) == 0) header[0].erase(0, 3);
    auto locate = [&](const std::vector<FieldSpec>& fields, std::vector<size_t>& out) -> Expected<bool> {
      for (const auto& f : fields) {
        auto it = std::find(header.begin(), header.end(), f.column);
        if (it == header.end()) {
          if (!f.nullable)
            return Error{fmt::format("{}:1: the header has no column \"{}\" for field `{}`", path_, f.column, f.name)};
          out.push_back(kAbsent);  // an optional field may be left out entirely
          continue;
        }
        out.push_back(static_cast<size_t>(it - header.begin()));
      }
      return true;
    };
    if (auto ok = locate(builder_.declFields(), decl_columns_); !ok) return ok;
    if (auto ok = locate(builder_.itemFields(), item_columns_); !ok) return ok;
    width_ = header.size();
    // When the header fields are the first columns, a row repeats its declaration's
    // header exactly if the text before the first item column is the same.
    size_t last_header = 0, first_item = SIZE_MAX;
    for (size_t c : decl_columns_)
      if (c != kAbsent) last_header = std::max(last_header, c);
    for (size_t c : item_columns_)
      if (c != kAbsent) first_item = std::min(first_item, c);
    prefix_columns_ = first_item != SIZE_MAX && last_header < first_item ? first_item : 0;
    return true;
  }

  uint64_t totalBytes() const override { return total_bytes_; }

  Expected<bool> next(Batch& batch) override {
    clearBatch(batch);
    while (true) {
      if (!have_row_) {
        auto status = reader_->next();
        stats_.bytes = reader_->bytesConsumed();
        if (status == csv::Reader::Status::End) {
          if (auto ok = closeDeclaration(batch); !ok) return ok;
          return batch.decl_count > 0;
        }
        ++stats_.rows_read;
        have_row_ = true;
        row_ok_ = status == csv::Reader::Status::Record;
      }
      // A row that does not parse as CSV belongs to no declaration we can name: it is
      // rejected alone.
      if (!row_ok_) {
        have_row_ = false;
        if (auto ok = reject(reader_->line(), "", reader_->error(), 1); !ok) return ok;
        continue;
      }
      std::string_view key = fieldAt(decl_columns_[key_field_]);
      bool same = open_ && key == open_key_;
      if (!same) {
        if (auto ok = closeDeclaration(batch); !ok) return ok;
        if (batch.item_count >= options_.batch_items) return true;  // the row waits for the next batch
      }
      have_row_ = false;
      if (auto ok = addRow(batch, same); !ok) return ok;
    }
  }

 private:
  static constexpr size_t kAbsent = SIZE_MAX;

  std::string_view fieldAt(size_t column) const {
    if (column == kAbsent || column >= reader_->size()) return {};
    return reader_->field(column);
  }

  Expected<bool> reject(uint64_t line, std::string field, std::string reason, uint64_t rows) {
    LoadError error{path_, line, std::move(field), std::move(reason)};
    stats_.rows_rejected += rows;
    ++stats_.declarations_rejected;
    if (options_.on_error == OnError::Fail) return Error{error.format(), true};
    if (options_.report) options_.report(error);
    return true;
  }

  // Starts a declaration with this row, or adds the row as one more item of it.
  Expected<bool> addRow(Batch& batch, bool same) {
    if (!same) {
      open_ = true;
      bad_ = false;
      open_rows_ = 0;
      open_key_.assign(fieldAt(decl_columns_[key_field_]));
      builder_.beginDeclaration(batch, reader_->line());
      header_text_.resize(decl_columns_.size());  // strings keep their capacity: no allocation per row
      if (prefix_columns_ > 0 && reader_->size() > prefix_columns_) header_prefix_.assign(reader_->rawPrefix(prefix_columns_));
      else header_prefix_.clear();
      for (size_t f = 0; f < decl_columns_.size(); ++f) {
        std::string_view text = fieldAt(decl_columns_[f]);
        header_text_[f].assign(text);
        if (bad_) continue;
        if (std::string reason = builder_.setDeclField(batch, f, text); !reason.empty()) fail(f, true, reason);
      }
    }
    ++open_rows_;
    if (bad_) return true;  // the declaration is already rejected; count its rows
    if (reader_->size() != width_) {
      bad_error_ = LoadError{path_, reader_->line(), "",
                             fmt::format("row has {} fields, the header has {}", reader_->size(), width_)};
      bad_ = true;
      return true;
    }
    bool same_prefix = same && !header_prefix_.empty() && reader_->rawPrefix(prefix_columns_) == header_prefix_;
    if (same && !same_prefix) {
      for (size_t f = 0; f < decl_columns_.size(); ++f) {
        if (fieldAt(decl_columns_[f]) == header_text_[f]) continue;
        bad_error_ = LoadError{path_, reader_->line(), builder_.declFields()[f].name,
                               fmt::format("differs from the declaration's first row (line {})", batch.decl_line.back())};
        bad_ = true;
        return true;
      }
    }
    builder_.beginItem(batch);
    for (size_t f = 0; f < item_columns_.size(); ++f) {
      if (std::string reason = builder_.setItemField(batch, f, fieldAt(item_columns_[f])); !reason.empty()) {
        fail(f, false, reason);
        break;
      }
    }
    return true;
  }

  void fail(size_t field, bool header, const std::string& reason) {
    bad_ = true;
    const auto& spec = header ? builder_.declFields()[field] : builder_.itemFields()[field];
    bad_error_ = LoadError{path_, reader_->line(), spec.name, reason};
  }

  Expected<bool> closeDeclaration(Batch& batch) {
    if (!open_) return true;
    open_ = false;
    if (bad_) {
      builder_.abandonDeclaration(batch);
      LoadError e = bad_error_;
      if (open_rows_ > 1) e.reason += fmt::format(" (all {} rows of declaration {} rejected)", open_rows_, open_key_);
      return reject(e.line, e.field, e.reason, open_rows_);
    }
    builder_.endDeclaration(batch);
    ++stats_.declarations;
    stats_.items += open_rows_;
    return true;
  }

  std::string path_;
  std::unique_ptr<csv::Reader> reader_;
  BatchBuilder builder_;
  LoadOptions options_;
  uint64_t total_bytes_ = 0;
  size_t key_field_ = 0;
  size_t width_ = 0;
  std::vector<size_t> decl_columns_, item_columns_;

  bool have_row_ = false;
  bool row_ok_ = false;
  bool open_ = false;
  bool bad_ = false;
  uint64_t open_rows_ = 0;
  std::string open_key_;
  std::vector<std::string> header_text_;
  size_t prefix_columns_ = 0;  // header fields are columns [0, prefix_columns_): compare their raw text at once
  std::string header_prefix_;
  LoadError bad_error_;
};

}  // namespace

Expected<std::unique_ptr<DeclarationSource>> openCsv(const std::string& path, const sema::Program& program,
                                                     const PersonIndex* persons, const LoadOptions& options) {
  auto reader = csv::Reader::open(path);
  if (!reader) return reader.error();
  auto source = std::make_unique<CsvSource>(path, reader.take(), program, persons, options);
  if (auto ok = source->readHeader(); !ok) return ok.error();
  return std::unique_ptr<DeclarationSource>(std::move(source));
}

}  // namespace tauekel::runtime
