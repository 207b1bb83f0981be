#pragma once
// RFC 4180 CSV, read record by record from a file or from memory, in a buffer that
// holds at most one record beyond a fixed chunk: memory stays flat however large the
// file, and a record longer than the limit (a file without line breaks, /dev/zero)
// stops reading instead of growing. Fields are views valid until the next call to next().

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "support/expected.h"
#include "support/input_file.h"

namespace tauekel::csv {

class Reader {
 public:
  // Record: a record was read. End: the input is over. Error: this record is malformed;
  // the reader has skipped to the end of its line, so reading can go on. Failed:
  // reading cannot go on (a read error, or a record longer than the limit).
  enum class Status { Record, End, Error, Failed };

  static Expected<std::unique_ptr<Reader>> open(const std::string& path,
                                                uint64_t max_record_bytes = io::kDefaultMaxRecordBytes);
  static std::unique_ptr<Reader> fromSource(std::unique_ptr<io::ByteSource> source,
                                            uint64_t max_record_bytes = io::kDefaultMaxRecordBytes);
  static std::unique_ptr<Reader> fromString(std::string text, uint64_t max_record_bytes = io::kDefaultMaxRecordBytes);
  ~Reader();

  // Before the first next(): the name messages give the input, and the line its first
  // byte is on (a piece of a larger input).
  void setName(std::string name) { name_ = std::move(name); }
  void setFirstLine(uint64_t line) { line_ = line; }
  // After the last next() of a reader made by fromString: its text, unchanged (to reuse it).
  std::string takeText() { return std::move(buffer_); }
  // What has not been read yet, for a reader that goes on from here (see BlockCutter):
  // the bytes already buffered, the input after them, the line they start on and the
  // bytes read before them. This reader is not to be used after.
  struct Rest {
    std::string buffered;
    std::unique_ptr<io::ByteSource> source;  // null: the input was all in memory
    uint64_t line = 1;
    uint64_t consumed = 0;
    bool ended = false;  // the input has nothing after `buffered`
  };
  Rest takeRest();
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  // Reads the next record. Blank lines are skipped.
  Status next();
  // Whether plain lines (no quotes, one line) are read at once, the default; off, every
  // record goes through the general loop. The two read alike: tests compare them.
  void setPlainLines(bool on) { plain_lines_ = on; }
  size_t size() const { return span_count_; }
  std::string_view field(size_t i) const {
    if (plain_) return std::string_view(buffer_.data() + record_start_ + starts_[i], starts_[i + 1] - starts_[i] - 1);
    const Span& s = spans_[i];
    const std::string& from = s.scratch ? scratch_ : buffer_;
    return std::string_view(from.data() + s.offset, s.length);
  }
  // fields(columns[k]) for each k into out[k]; a column past the record's last (or
  // SIZE_MAX) gives an empty text.
  void gather(const size_t* columns, size_t n, std::string_view* out) const {
    if (plain_) {
      const char* base = buffer_.data() + record_start_;
      const uint32_t* starts = starts_.data();
      for (size_t k = 0; k < n; ++k) {
        size_t c = columns[k];
        out[k] = c < span_count_ ? std::string_view(base + starts[c], starts[c + 1] - starts[c] - 1) : std::string_view{};
      }
      return;
    }
    for (size_t k = 0; k < n; ++k) out[k] = columns[k] < span_count_ ? field(columns[k]) : std::string_view{};
  }
  // The record has no quoted field: each field is its raw text (rawPrefix holds them as they are).
  bool plain() const { return plain_; }
  uint64_t line() const { return record_line_; }  // 1-based line the record starts on
  // 1-based column (in bytes) where field i starts, for messages
  uint64_t column(size_t i) const { return plain_ ? starts_[i] + 1 : spans_[i].column; }
  const std::string& error() const { return error_; }
  // After Failed: the record was longer than the limit (else a read error).
  bool limitExceeded() const { return limit_exceeded_; }
  // After Error: the fields of the bad record that were read before the fault (so the
  // caller can still tell which declaration the record belonged to).
  const std::vector<std::string>& fieldsBeforeError() const { return partial_; }
  uint64_t bytesConsumed() const { return consumed_ + pos_; }
  uint64_t sizeHint() const { return source_ ? source_->sizeHint() : size_; }
  const std::string& name() const { return name_; }
  uint64_t maxRecordBytes() const { return max_record_; }
  // The raw text of the current record before field i (i < size()), separators included.
  std::string_view rawPrefix(size_t i) const {
    return std::string_view(buffer_).substr(record_start_, static_cast<size_t>(column(i) - 1));
  }
  // The raw text of the current record (after Record), its line break included. Unquoted
  // fields are views into it.
  std::string_view rawRecord() const { return std::string_view(buffer_).substr(record_start_, pos_ - record_start_); }

 private:
  Reader() = default;
  bool fill();                  // loads more bytes; false at end of input or on failure
  std::string tooLong() const;  // the message for a record past max_record_
  Status malformed(std::string message);  // Error after skipping the rest of the line
  Status failed();              // Failed, with the reason fill() left
  bool endOfLine();             // at "\n" or "\r\n": consumes it
  // The common record, read at once: a whole line in the buffer without quotes or a
  // bare CR. False (nothing consumed) for anything else, which the general loop reads.
  bool plainLine();

  struct Span {
    bool scratch = false;  // text lives in scratch_ (a quoted field with "" inside)
    size_t offset = 0;
    size_t length = 0;
    uint64_t column = 0;
  };

  std::unique_ptr<io::ByteSource> source_;
  std::string name_;
  uint64_t max_record_ = io::kDefaultMaxRecordBytes;
  std::string buffer_;
  size_t size_ = 0;     // valid bytes in buffer_
  size_t pos_ = 0;      // parse position
  size_t record_start_ = 0;
  bool eof_ = false;
  std::string failure_;    // why fill() cannot go on, when it cannot
  bool limit_exceeded_ = false;
  uint64_t consumed_ = 0;  // bytes dropped from the front of buffer_ so far
  uint64_t line_ = 1;      // line at pos_
  uint64_t record_line_ = 0;
  std::vector<Span> spans_;  // the first span_count_ are the current record's
  size_t span_count_ = 0;
  // A record plainLine() read: field i is [starts_[i], starts_[i + 1] - 1) from
  // record_start_ (its fields need no spans: no quotes, one line).
  bool plain_ = false;
  bool plain_lines_ = true;
  std::vector<uint32_t> starts_;
  void addSpan(const Span& span) {
    if (span_count_ == spans_.size()) spans_.resize(spans_.size() * 2 + 16);
    spans_[span_count_++] = span;
  }
  std::string scratch_;
  std::string error_;
  std::vector<std::string> partial_;
};

}  // namespace tauekel::csv
