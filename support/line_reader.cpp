#include "support/line_reader.h"

#include <fmt/format.h>

#include <cstring>

namespace tauekel::io {

namespace {
constexpr size_t kChunk = size_t{1} << 20;
}

LineReader::LineReader(std::unique_ptr<ByteSource> source, uint64_t max_line_bytes)
    : source_(std::move(source)), max_line_(max_line_bytes) {
  buffer_.resize(kChunk);
}

// Drops the lines already returned, then reads more after what is kept.
bool LineReader::fill() {
  if (eof_ || !error_.empty()) return false;
  if (pos_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + pos_, size_ - pos_);
    size_ -= pos_;
    consumed_ += pos_;
    pos_ = 0;
  }
  auto got = readMore(*source_, buffer_, size_);
  if (!got) error_ = got.error().message;
  else if (*got == 0) eof_ = true;
  return got && *got > 0;
}

LineReader::Status LineReader::next() {
  if (!error_.empty()) return Status::Failed;
  if (!started_) {
    started_ = true;
    while (size_ < 3 && fill()) {
    }
    if (!error_.empty()) return Status::Failed;
    if (size_ >= 3 && std::memcmp(buffer_.data(), "\xEF\xBB\xBF", 3) == 0) pos_ = 3;
  }
  size_t scanned = 0;  // bytes of the current line known to hold no line break
  while (true) {
    const char* begin = buffer_.data() + pos_;
    const void* nl = std::memchr(begin + scanned, '\n', size_ - pos_ - scanned);
    size_t length = nl ? static_cast<size_t>(static_cast<const char*>(nl) - begin) : size_ - pos_;
    if (length > max_line_) {
      limit_exceeded_ = true;
      ++number_;
      error_ = fmt::format("a line longer than {}, the most one line may have", describeBytes(max_line_));
      return Status::Failed;
    }
    if (nl == nullptr) {
      scanned = size_ - pos_;
      if (fill()) continue;
      if (!error_.empty()) return Status::Failed;
      if (size_ == pos_) return Status::End;
      // The last line has no line break.
      line_ = std::string_view(buffer_.data() + pos_, size_ - pos_);
      pos_ = size_;
      ++number_;
      return Status::Line;
    }
    line_ = std::string_view(begin, length);
    if (!line_.empty() && line_.back() == '\r') line_.remove_suffix(1);
    pos_ += length + 1;
    ++number_;
    return Status::Line;
  }
}

}  // namespace tauekel::io
