// CSV declarations: one row per goods item with the header fields repeated; consecutive
// rows with the same key belong to one declaration.
//
// A bad row rejects the declaration it belongs to, whole. When the row is so broken
// that its key cannot be read, it may belong to the declaration before it or to the
// one after it: both are rejected, since screening either without it could be wrong.

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "runtime/load/batch_builder.h"
#include "runtime/load/header_match.h"
#include "runtime/load/seen_keys.h"
#include "runtime/load/sources.h"
#include "support/csv.h"
#include "support/csv_block.h"
#include "support/text.h"

namespace tauekel::runtime {

namespace {

// Where the header put each field, learnt from the header row.
struct CsvLayout {
  size_t width = 0;
  std::vector<size_t> decl_columns, item_columns;
  // When the header fields are the first columns, a row repeats its declaration's header
  // exactly if the text before the first item column is the same.
  size_t prefix_columns = 0;  // header fields are columns [0, prefix_columns): compare their raw text at once
};

// Reads rows from a csv::Reader: over the file, or over a block of its rows cut off for
// another thread to read (csv::BlockCutter). The same code either way, so a block gives
// what the file's rows would.
class CsvSource : public DeclarationSource {
 public:
  // The whole input; `splittable`: it may be cut into blocks (split()).
  CsvSource(std::unique_ptr<csv::Reader> reader, const sema::Program& program, const PersonIndex* persons,
            const LoadOptions& options, bool splittable)
      : path_(reader->name()), reader_(std::move(reader)), builder_(program, persons), options_(options),
        program_(program), persons_(persons), splittable_(splittable) {
    key_field_ = static_cast<size_t>(program.declaration.key_field);
    seen_ = &own_seen_;
    if (options.fields_read) builder_.readOnly(*options.fields_read);
  }
  // A block's reader, or the rest's: the layout is the file's, keys go to `keys` (when
  // given) and are checked against `seen` (null: this block's own).
  CsvSource(std::unique_ptr<csv::Reader> reader, const sema::Program& program, const PersonIndex* persons,
            const LoadOptions& options, const CsvLayout& layout, SeenKeys* seen,
            std::vector<std::pair<uint64_t, uint64_t>>* keys)
      : CsvSource(std::move(reader), program, persons, options, false) {
    setLayout(layout);
    if (seen != nullptr) seen_ = seen;
    keys_ = keys;
  }

  Expected<bool> readHeader() {
    auto status = reader_->next();
    if (status == csv::Reader::Status::Failed) return failure();
    if (status == csv::Reader::Status::End) {
      if (reader_->bytesConsumed() == 0) return Error{fmt::format("{} is empty: a declarations file starts with a header row", path_)};
      return Error{fmt::format("{} holds only blank lines: a declarations file starts with a header row", path_)};
    }
    if (status == csv::Reader::Status::Error) return Error{fmt::format("{}:{}: the header row: {}", path_, reader_->line(), reader_->error())};
    std::vector<std::string> header;
    for (size_t i = 0; i < reader_->size(); ++i) header.emplace_back(reader_->field(i));
    auto matched = matchHeader(path_, header, {&builder_.declFields(), &builder_.itemFields()}, options_.warn);
    if (!matched) return matched.error();
    CsvLayout layout;
    layout.decl_columns = (*matched)[0];
    layout.item_columns = (*matched)[1];
    layout.width = header.size();
    size_t last_header = 0, first_item = SIZE_MAX;
    for (size_t c : layout.decl_columns)
      if (c != kNoColumn) last_header = std::max(last_header, c);
    for (size_t c : layout.item_columns)
      if (c != kNoColumn) first_item = std::min(first_item, c);
    layout.prefix_columns = first_item != SIZE_MAX && last_header < first_item ? first_item : 0;
    setLayout(layout);
    return true;
  }

  bool splits() const override { return splittable_; }

  // Blocks of about `rows` rows, cut only between two rows whose keys can be read and
  // differ: there the declaration before is whole, and no unreadable row is left to
  // belong to either side.
  Expected<bool> split(InputBlock& block, size_t rows) override {
    if (!cutter_)
      cutter_ = std::make_unique<csv::BlockCutter>(*reader_, [this](const csv::Reader& r, csv::Reader::Status status) {
        return keyOf(r, status);
      });
    // Bytes for `rows` rows, at the length rows have had so far.
    uint64_t per_row = cut_newlines_ == 0 ? 256 : std::clamp<uint64_t>(cut_bytes_ / cut_newlines_, 16, 1 << 16);
    auto got = cutter_->next(block.bytes, static_cast<size_t>(per_row * rows));
    if (!got) return Error{fmt::format("{}: {}", path_, got.error().message)};
    cut_bytes_ += block.bytes.bytes.size();
    cut_newlines_ += block.bytes.newlines;
    stats_.bytes = cutter_->bytesConsumed();
    return *got;
  }

  void read(InputBlock& block, Batch& batch, BlockOutcome& outcome, SeenKeys* seen) const override {
    outcome.clear();
    LoadOptions options = options_;
    options.batch_items = SIZE_MAX;  // the block is one batch
    options.warn = nullptr;          // said once, when the header was read
    options.report = [&outcome](const LoadError& e) { outcome.rejected.push_back(e); };
    CsvSource reader(csv::readBlock(block.bytes, path_, options_.max_record_bytes), program_, persons_, options,
                     layout_, seen, &outcome.keys);
    auto got = reader.next(batch);
    if (!got) {
      outcome.error = got.error();
    } else if (!*got) {
      clearBatch(batch);
    }
    outcome.stats = reader.stats();
    outcome.unregistered = reader.builder().unregisteredIds();
    block.bytes.bytes = reader.reader_->takeText();  // the block is read again when its keys came before
  }

  void absorb(const BlockOutcome& outcome) override {
    for (const auto& e : outcome.rejected)
      if (options_.report) options_.report(e);
    addStats(outcome.stats, outcome.unregistered);
  }

  std::unique_ptr<DeclarationSource> readRest(InputBlock& block, SeenKeys& seen) override {
    LoadOptions options = options_;
    options.warn = nullptr;
    return std::make_unique<CsvSource>(cutter_->restReader(block.bytes), program_, persons_, options, layout_, &seen,
                                       nullptr);
  }

  void absorbRest(const DeclarationSource& rest) override {
    const auto& source = static_cast<const CsvSource&>(rest);
    LoadStats stats = source.stats();
    stats.bytes = 0;
    addStats(stats, source.builder().unregisteredIds());
    stats_.bytes = cutter_->bytesConsumed() + source.stats().bytes;
  }

  const BatchBuilder& builder() const { return builder_; }

  uint64_t totalBytes() const override { return reader_->sizeHint(); }

  Expected<bool> next(Batch& batch) override {
    clearBatch(batch);
    while (true) {
      if (!have_row_) {
        status_ = reader_->next();
        stats_.bytes = reader_->bytesConsumed();
        if (status_ == csv::Reader::Status::Failed) {
          // Reading cannot go on: the batch keeps the declarations read whole before.
          if (open_) builder_.abandonDeclaration(batch);
          open_ = false;
          return failure();
        }
        if (status_ == csv::Reader::Status::End) {
          if (auto ok = closeDeclaration(batch); !ok) return ok;
          if (pending_ && pending_->rows > 0) {
            // Unreadable rows and no declaration at all: rejected on their own.
            Pending alone = *pending_;
            pending_.reset();
            if (auto ok = reject(alone.error, alone.rows); !ok) return ok;
          }
          pending_.reset();
          stats_.persons_unregistered = builder_.unregisteredPersons();
          return batch.decl_count > 0;
        }
        ++stats_.rows_read;
        have_row_ = true;
      }
      std::optional<std::string_view> key = rowKey();
      if (!key) {
        // A row whose key cannot be read: it rejects the open declaration, and the
        // declaration that starts after it.
        have_row_ = false;
        LoadError error{path_, reader_->line(), "", reader_->error()};
        if (open_) {
          markBad(LoadError{error.file, error.line, "",
                            error.reason + "; which declaration the row belongs to cannot be told, so the "
                                           "declarations on both sides of it are rejected"});
          ++open_rows_;
          if (!pending_) pending_ = Pending{error, 0};
        } else if (pending_) {
          ++pending_->rows;
        } else {
          pending_ = Pending{error, 1};
        }
        continue;
      }
      bool same = open_ && *key == open_key_;
      if (!same) {
        if (auto ok = closeDeclaration(batch); !ok) return ok;
        if (batch.item_count >= options_.batch_items) return true;  // the row waits for the next batch
      }
      have_row_ = false;
      if (status_ == csv::Reader::Status::Record) {
        if (auto ok = addRow(batch, same, *key); !ok) return ok;
      } else {
        if (!same) beginDeclaration(batch, *key);
        else pending_.reset();  // an unreadable row before this one was inside the declaration
        ++open_rows_;
        markBad(LoadError{path_, reader_->line(), "", reader_->error()});
      }
    }
  }

 private:
  // An unreadable row whose declaration cannot be told: the declaration that starts
  // next is rejected with it, and takes its rows when no declaration has yet.
  struct Pending {
    LoadError error;
    uint64_t rows = 0;
  };

  void addStats(const LoadStats& stats, const std::unordered_set<uint64_t>& unregistered) {
    stats_.rows_read += stats.rows_read;
    stats_.rows_rejected += stats.rows_rejected;
    stats_.declarations += stats.declarations;
    stats_.declarations_rejected += stats.declarations_rejected;
    stats_.items += stats.items;
    builder_.addUnregistered(unregistered);
    stats_.persons_unregistered = builder_.unregisteredPersons();
  }

  // The key of the record `r` has just read: a view into its buffer, valid until its
  // next record; none when the record is too broken to show it.
  std::optional<std::string_view> keyOf(const csv::Reader& r, csv::Reader::Status status) const {
    size_t column = decl_columns_[key_field_];
    if (status == csv::Reader::Status::Record) return column == kNoColumn || column >= r.size() ? std::string_view{} : r.field(column);
    if (column < r.fieldsBeforeError().size()) return r.fieldsBeforeError()[column];
    return std::nullopt;
  }

  void setLayout(const CsvLayout& layout) {
    layout_ = layout;
    decl_columns_ = layout.decl_columns;
    item_columns_ = layout.item_columns;
    width_ = layout.width;
    prefix_columns_ = layout.prefix_columns;
  }

  std::optional<std::string_view> rowKey() const { return keyOf(*reader_, status_); }

  std::string_view fieldAt(size_t column) const {
    if (column == kNoColumn || column >= reader_->size()) return {};
    return reader_->field(column);
  }

  Error failure() const {
    if (reader_->limitExceeded())
      return Error{fmt::format("{}:{}: {}; --max-record-bytes raises the limit", path_, reader_->line(),
                               reader_->error()),
                   true};
    return Error{reader_->error()};
  }

  Expected<bool> reject(const LoadError& error, uint64_t rows) {
    stats_.rows_rejected += rows;
    ++stats_.declarations_rejected;
    if (options_.on_error == OnError::Fail) return Error{error.format(), true};
    if (options_.report) options_.report(error);
    return true;
  }

  void markBad(LoadError error) {
    if (bad_) return;  // the first fault is the one reported
    bad_ = true;
    bad_error_ = std::move(error);
  }

  void beginDeclaration(Batch& batch, std::string_view key) {
    open_ = true;
    bad_ = false;
    open_rows_ = 0;
    open_key_ = key;
    open_check_ = false;
    fault_before_key_ = false;
    builder_.beginDeclaration(batch, reader_->line());
    if (pending_) {
      // The unreadable row just before may have been this declaration's first.
      open_rows_ += pending_->rows;
      markBad(LoadError{path_, reader_->line(), "",
                        fmt::format("the row at line {} before it could not be read ({}) and may have been part of "
                                    "this declaration",
                                    pending_->error.line, pending_->error.reason)});
      pending_.reset();
      fault_before_key_ = true;
    }
    if (key.empty()) return;  // a missing key is reported as such below
    // Whether the key came before is looked up when the declaration closes: its slot is
    // a cache miss, fetched meanwhile. The fault counts as found here (see checkKey).
    open_hash_ = SeenKeys::hashOf(key);
    open_line_ = reader_->line();
    open_check_ = true;
    seen_->prefetch(open_hash_);
    if (keys_) keys_->emplace_back(open_hash_, open_line_);
  }

  // The open declaration's key against the keys before it: a key that came back rejects
  // the declaration, with this fault first unless the row before it was already one.
  void checkKey() {
    if (!open_check_) return;
    open_check_ = false;
    uint64_t first = seen_->insertHash(open_hash_, open_line_);
    // Found at its own line: put there by whoever read this block before (a block read
    // again in order), so it is this declaration's own key.
    if (first == open_line_) first = 0;
    if (first == 0 || (bad_ && fault_before_key_)) return;
    std::string where = first == UINT64_MAX ? "on an earlier line" : fmt::format("at line {}", first);
    bad_ = true;
    bad_error_ = LoadError{path_, open_line_, builder_.declFields()[key_field_].column,
                           fmt::format("declaration {} already appeared {}: the rows of one declaration must be "
                                       "consecutive, and it gets one decision. These rows are rejected; the decision "
                                       "made {} did not see them",
                                       text::quoted(open_key_), where, where)};
  }

  // Starts a declaration with this row, or adds the row as one more item of it.
  Expected<bool> addRow(Batch& batch, bool same, std::string_view key) {
    if (!same) {
      beginDeclaration(batch, key);
      // The header fields, kept to compare the declaration's further rows with: as the
      // raw text before the first item column, and each field as a view into that copy
      // when the row has no quoted fields (raw text and field text are then the same),
      // else as copies of their own (strings keep their capacity: no allocation per row).
      if (prefix_columns_ > 0 && reader_->size() > prefix_columns_) header_prefix_.assign(reader_->rawPrefix(prefix_columns_));
      else header_prefix_.clear();
      bool views = reader_->plain() && !header_prefix_.empty();
      decl_texts_.resize(decl_columns_.size());
      header_text_.resize(decl_columns_.size());
      header_views_.resize(decl_columns_.size());
      for (size_t f = 0; f < decl_columns_.size(); ++f) {
        std::string_view text = fieldAt(decl_columns_[f]);
        decl_texts_[f] = text;
        if (views && !text.empty()) {
          header_views_[f] = std::string_view(header_prefix_).substr(reader_->column(decl_columns_[f]) - 1, text.size());
        } else {
          header_text_[f].assign(text);
          header_views_[f] = header_text_[f];
        }
      }
      if (!bad_)
        if (size_t f = builder_.setDeclFields(batch, decl_texts_.data()); f != SIZE_MAX)
          fail(f, true, builder_.setDeclField(batch, f, decl_texts_[f]));
    }
    ++open_rows_;
    if (same) pending_.reset();  // an unreadable row before this one was inside the declaration
    if (!bad_ && open_rows_ > options_.max_items)
      markBad(LoadError{path_, reader_->line(), "",
                        fmt::format("the declaration has more than {} goods items, the most one may have "
                                    "(--max-items raises the limit)",
                                    options_.max_items)});
    if (bad_) return true;  // the declaration is already rejected; count its rows
    if (reader_->size() != width_) {
      markBad(LoadError{path_, reader_->line(), "",
                        fmt::format("row has {} fields, the header has {}", reader_->size(), width_)});
      return true;
    }
    bool same_prefix = same && !header_prefix_.empty() && reader_->rawPrefix(prefix_columns_) == header_prefix_;
    if (same && !same_prefix) {
      for (size_t f = 0; f < decl_columns_.size(); ++f) {
        if (fieldAt(decl_columns_[f]) == header_views_[f]) continue;
        markBad(LoadError{path_, reader_->line(), builder_.declFields()[f].column,
                          fmt::format("differs from the declaration's first row (line {})", batch.decl_line.back())});
        return true;
      }
    }
    builder_.beginItem(batch);
    item_texts_.resize(item_columns_.size());
    reader_->gather(item_columns_.data(), item_columns_.size(), item_texts_.data());
    if (size_t f = builder_.setItemFields(batch, item_texts_.data()); f != SIZE_MAX)
      fail(f, false, builder_.setItemField(batch, f, item_texts_[f]));
    return true;
  }

  void fail(size_t field, bool header, const std::string& reason) {
    const auto& spec = header ? builder_.declFields()[field] : builder_.itemFields()[field];
    markBad(LoadError{path_, reader_->line(), spec.column, reason});
  }

  Expected<bool> closeDeclaration(Batch& batch) {
    if (!open_) return true;
    open_ = false;
    checkKey();
    if (bad_) {
      builder_.abandonDeclaration(batch);
      LoadError e = bad_error_;
      if (open_rows_ > 1)
        e.reason += fmt::format(" (all {} rows of declaration {} rejected)", open_rows_, text::quoted(open_key_));
      return reject(e, open_rows_);
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
  const sema::Program& program_;
  const PersonIndex* persons_;
  size_t key_field_ = 0;
  size_t width_ = 0;
  std::vector<size_t> decl_columns_, item_columns_;
  CsvLayout layout_;
  SeenKeys own_seen_;
  SeenKeys* seen_;  // own_seen_, or the one a block reader is given
  std::vector<std::pair<uint64_t, uint64_t>>* keys_ = nullptr;  // a block reader's keys begun
  bool splittable_ = false;
  std::unique_ptr<csv::BlockCutter> cutter_;  // once split() is called: reader_ is its
  uint64_t cut_bytes_ = 0, cut_newlines_ = 0;  // of the blocks cut so far

  bool have_row_ = false;
  csv::Reader::Status status_ = csv::Reader::Status::End;
  bool open_ = false;
  bool bad_ = false;
  std::optional<Pending> pending_;
  uint64_t open_rows_ = 0;
  std::string open_key_;
  uint64_t open_hash_ = 0, open_line_ = 0;  // its key's, checked when it closes (checkKey)
  bool open_check_ = false;
  bool fault_before_key_ = false;  // the open declaration's fault came before its key was checked
  std::vector<std::string> header_text_;
  std::vector<std::string_view> header_views_;  // the header fields, into header_prefix_ or header_text_
  std::vector<std::string_view> decl_texts_, item_texts_;  // the row's fields, by schema field
  size_t prefix_columns_ = 0;
  std::string header_prefix_;
  LoadError bad_error_;
};

}  // namespace

Expected<std::unique_ptr<DeclarationSource>> openCsv(std::unique_ptr<io::ByteSource> input,
                                                     const sema::Program& program, const PersonIndex* persons,
                                                     const LoadOptions& options) {
  auto reader = csv::Reader::fromSource(std::move(input), options.max_record_bytes);
  auto source = std::make_unique<CsvSource>(std::move(reader), program, persons, options, true);
  if (auto ok = source->readHeader(); !ok) return ok.error();
  return std::unique_ptr<DeclarationSource>(std::move(source));
}

}  // namespace tauekel::runtime
