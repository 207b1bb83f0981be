#pragma once
// Lines of a byte stream (JSON Lines), each whole whatever bytes it holds (a NUL is a
// byte like any other), in a buffer that holds one line beyond a fixed chunk: a line
// longer than the limit stops reading instead of growing. A UTF-8 byte-order mark at
// the start is dropped.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "support/input_file.h"

namespace tauekel::io {

class LineReader {
 public:
  // Line: line() holds the next line. End: the input is over. Failed: reading cannot go
  // on (a read error, or a line longer than the limit); error() says why.
  enum class Status { Line, End, Failed };

  LineReader(std::unique_ptr<ByteSource> source, uint64_t max_line_bytes = kDefaultMaxRecordBytes);
  Status next();
  // The line without its "\n" (or "\r\n"); valid until the next call.
  std::string_view line() const { return line_; }
  // Bytes that may be read from the start of line(): the line, and what follows it in
  // the buffer (for a parser that reads a little past the end, such as simdjson).
  size_t readableFromLine() const { return buffer_.size() - static_cast<size_t>(line_.data() - buffer_.data()); }
  uint64_t lineNumber() const { return number_; }  // 1-based; after Failed, the line that failed
  uint64_t bytesConsumed() const { return consumed_ + pos_; }
  uint64_t sizeHint() const { return source_->sizeHint(); }
  const std::string& name() const { return source_->name(); }
  const std::string& error() const { return error_; }
  bool limitExceeded() const { return limit_exceeded_; }

 private:
  bool fill();

  std::unique_ptr<ByteSource> source_;
  uint64_t max_line_;
  std::string buffer_;
  size_t size_ = 0;
  size_t pos_ = 0;
  uint64_t consumed_ = 0;
  uint64_t number_ = 0;
  bool eof_ = false;
  bool started_ = false;
  bool limit_exceeded_ = false;
  std::string_view line_;
  std::string error_;
};

}  // namespace tauekel::io
