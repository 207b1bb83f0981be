#include "support/csv.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace tauekel::csv {

namespace {
constexpr size_t kChunk = size_t{1} << 20;

// The first of `,`, `\n` or `"` in [p, end), or end. Sixteen bytes at a time where
// SSE2 is there (every x86-64): most fields are shorter, so one step finds the end.
const char* fieldEnd(const char* p, const char* end) {
#if defined(__SSE2__)
  const __m128i comma = _mm_set1_epi8(','), newline = _mm_set1_epi8('\n'), quote = _mm_set1_epi8('"');
  for (; end - p >= 16; p += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, newline)), _mm_cmpeq_epi8(v, quote));
    if (int mask = _mm_movemask_epi8(hit)) return p + __builtin_ctz(static_cast<unsigned>(mask));
  }
#endif
  while (p < end && *p != ',' && *p != '\n' && *p != '"') ++p;
  return p;
}
}  // namespace

Expected<std::unique_ptr<Reader>> Reader::open(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return Error{fmt::format("cannot open {}: {}", path, std::strerror(errno))};
  std::unique_ptr<Reader> reader(new Reader());
  reader->file_ = f;
  reader->buffer_.resize(kChunk);
  return reader;
}

std::unique_ptr<Reader> Reader::fromString(std::string text) {
  std::unique_ptr<Reader> reader(new Reader());
  reader->buffer_ = std::move(text);
  reader->size_ = reader->buffer_.size();
  reader->eof_ = true;
  return reader;
}

Reader::~Reader() {
  if (file_) std::fclose(file_);
}

bool Reader::fill() {
  if (eof_) return false;
  // Keep the current record's bytes: move them to the front.
  size_t keep_from = record_start_;
  if (keep_from > 0) {
    std::memmove(buffer_.data(), buffer_.data() + keep_from, size_ - keep_from);
    size_ -= keep_from;
    pos_ -= keep_from;
    consumed_ += keep_from;
    for (size_t i = 0; i < span_count_; ++i)
      if (!spans_[i].scratch) spans_[i].offset -= keep_from;
    record_start_ = 0;
  }
  if (size_ == buffer_.size()) buffer_.resize(buffer_.size() * 2);  // a record longer than the buffer
  size_t got = std::fread(buffer_.data() + size_, 1, buffer_.size() - size_, file_);
  if (got == 0) {
    eof_ = true;
    return false;
  }
  size_ += got;
  return true;
}

void Reader::skipLine() {
  while (true) {
    while (pos_ < size_) {
      char c = buffer_[pos_++];
      if (c == '\n') {
        ++line_;
        return;
      }
    }
    if (!fill()) {
      return;
    }
  }
}

Reader::Status Reader::next() {
  span_count_ = 0;
  scratch_.clear();
  error_.clear();
  // Skip blank lines.
  while (true) {
    if (pos_ >= size_ && !fill()) return Status::End;
    char c = buffer_[pos_];
    if (c == '\n') { ++pos_; ++line_; continue; }
    if (c == '\r' && (pos_ + 1 < size_ || fill()) && pos_ + 1 < size_ && buffer_[pos_ + 1] == '\n') {
      pos_ += 2;
      ++line_;
      continue;
    }
    break;
  }
  record_start_ = pos_;
  record_line_ = line_;

  while (true) {
    Span span;
    span.column = pos_ - record_start_ + 1;  // exact on the record's first line
    if (pos_ >= size_) fill();
    if (pos_ < size_ && buffer_[pos_] == '"') {
      // Quoted field: "" is a quote, anything else (commas, line breaks) is literal.
      ++pos_;
      span.scratch = true;
      span.offset = scratch_.size();
      while (true) {
        if (pos_ >= size_ && !fill()) {
          error_ = fmt::format("quoted field starting at line {} is never closed", record_line_);
          return Status::Error;
        }
        char c = buffer_[pos_++];
        if (c == '"') {
          if (pos_ >= size_) fill();
          if (pos_ < size_ && buffer_[pos_] == '"') {
            scratch_.push_back('"');
            ++pos_;
            continue;
          }
          break;
        }
        if (c == '\n') ++line_;
        scratch_.push_back(c);
      }
      span.length = scratch_.size() - span.offset;
      addSpan(span);
      if (pos_ >= size_) fill();
      if (pos_ >= size_) { return Status::Record; }
      char c = buffer_[pos_];
      if (c == ',') { ++pos_; continue; }
      if (c == '\n') { ++pos_; ++line_; return Status::Record; }
      if (c == '\r' && (pos_ + 1 < size_ || fill()) && pos_ + 1 < size_ && buffer_[pos_ + 1] == '\n') {
        pos_ += 2;
        ++line_;
        return Status::Record;
      }
      error_ = fmt::format("unexpected `{}` after the closing quote of field {}", c, span_count_);
      skipLine();
      return Status::Error;
    }
    // Unquoted field: up to a comma or the end of the line.
    span.offset = pos_;
    while (true) {
      // Scan what is in the buffer in a tight loop; refill only at its end.
      const char* p = fieldEnd(buffer_.data() + pos_, buffer_.data() + size_);
      pos_ = static_cast<size_t>(p - buffer_.data());
      if (pos_ >= size_) {
        size_t before = pos_;
        if (!fill()) break;
        span.offset -= before - pos_;
        continue;
      }
      if (*p == '"') {
        error_ = fmt::format("quote inside unquoted field {} (quote the whole field and double the quote)",
                             span_count_ + 1);
        skipLine();
        return Status::Error;
      }
      break;
    }
    span.length = pos_ - span.offset;
    bool end_of_record = pos_ >= size_ || buffer_[pos_] == '\n';
    if (end_of_record && span.length > 0 && buffer_[span.offset + span.length - 1] == '\r') --span.length;
    addSpan(span);
    if (pos_ >= size_) { return Status::Record; }
    if (buffer_[pos_] == ',') { ++pos_; continue; }
    ++pos_;  // '\n'
    ++line_;
    return Status::Record;
  }
}

}  // namespace tauekel::csv
