#pragma once
// RFC 4180 CSV, read record by record from a file or from memory, in a fixed-size
// buffer: memory stays flat however large the file. Fields are views valid until the
// next call to next().

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "support/expected.h"

namespace tauekel::csv {

class Reader {
 public:
  enum class Status { Record, End, Error };

  static Expected<std::unique_ptr<Reader>> open(const std::string& path);
  static std::unique_ptr<Reader> fromString(std::string text);
  ~Reader();
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  // Reads the next record. Blank lines are skipped. After Error the reader has skipped
  // to the end of the bad record's line, so reading can go on.
  Status next();
  size_t size() const { return span_count_; }
  std::string_view field(size_t i) const {
    const Span& s = spans_[i];
    const std::string& from = s.scratch ? scratch_ : buffer_;
    return std::string_view(from.data() + s.offset, s.length);
  }
  uint64_t line() const { return record_line_; }  // 1-based line the record starts on
  // 1-based column (in bytes) where field i starts, for messages
  uint64_t column(size_t i) const { return spans_[i].column; }
  const std::string& error() const { return error_; }
  uint64_t bytesConsumed() const { return consumed_ + pos_; }
  // The raw text of the current record before field i (i < size()), separators included.
  std::string_view rawPrefix(size_t i) const {
    return std::string_view(buffer_).substr(record_start_, static_cast<size_t>(spans_[i].column - 1));
  }

 private:
  Reader() = default;
  bool fill();                  // loads more bytes; false at end of input
  bool atEnd() const { return pos_ >= size_ && eof_; }
  void skipLine();

  struct Span {
    bool scratch = false;  // text lives in scratch_ (a quoted field with "" inside)
    size_t offset = 0;
    size_t length = 0;
    uint64_t column = 0;
  };

  std::FILE* file_ = nullptr;
  std::string buffer_;
  size_t size_ = 0;     // valid bytes in buffer_
  size_t pos_ = 0;      // parse position
  size_t record_start_ = 0;
  bool eof_ = false;
  uint64_t consumed_ = 0;  // bytes dropped from the front of buffer_ so far
  uint64_t line_ = 1;      // line at pos_
  uint64_t record_line_ = 0;
  std::vector<Span> spans_;  // the first span_count_ are the current record's
  size_t span_count_ = 0;
  void addSpan(const Span& span) {
    if (span_count_ == spans_.size()) spans_.resize(spans_.size() * 2 + 16);
    spans_[span_count_++] = span;
  }
  std::string scratch_;
  std::string error_;
};

}  // namespace tauekel::csv
