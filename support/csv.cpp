#include "support/csv.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#if defined(__x86_64__)
#include <immintrin.h>
#elif defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace tauekel::csv {

namespace {
constexpr size_t kChunk = size_t{1} << 20;

// The first of `,`, `\n`, `\r` or `"` in [p, end), or end. Sixteen bytes at a time
// where SSE2 is there (every x86-64): most fields are shorter, so one step finds the end.
const char* fieldEnd(const char* p, const char* end) {
#if defined(__SSE2__)
  const __m128i comma = _mm_set1_epi8(','), newline = _mm_set1_epi8('\n'), quote = _mm_set1_epi8('"'),
                cr = _mm_set1_epi8('\r');
  for (; end - p >= 16; p += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, newline)),
                               _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, cr)));
    if (int mask = _mm_movemask_epi8(hit)) return p + __builtin_ctz(static_cast<unsigned>(mask));
  }
#endif
  while (p < end && *p != ',' && *p != '\n' && *p != '"' && *p != '\r') ++p;
  return p;
}

// Where the 64 bytes at p hold a comma, a line feed, and a quote or CR: bit i for p[i].
struct Marks {
  uint64_t comma, newline, special;
};

Marks marks64(const char* p) {
#if defined(__SSE2__)
  const __m128i comma = _mm_set1_epi8(','), newline = _mm_set1_epi8('\n'), quote = _mm_set1_epi8('"'),
                cr = _mm_set1_epi8('\r');
  Marks m{0, 0, 0};
  for (int i = 0; i < 4; ++i) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i));
    auto bits = [&](__m128i eq) { return static_cast<uint64_t>(static_cast<uint32_t>(_mm_movemask_epi8(eq))) << (16 * i); };
    m.comma |= bits(_mm_cmpeq_epi8(v, comma));
    m.newline |= bits(_mm_cmpeq_epi8(v, newline));
    m.special |= bits(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, cr)));
  }
  return m;
#else
  Marks m{0, 0, 0};
  for (int i = 0; i < 64; ++i) {
    uint64_t bit = uint64_t{1} << i;
    if (p[i] == ',') m.comma |= bit;
    if (p[i] == '\n') m.newline |= bit;
    if (p[i] == '"' || p[i] == '\r') m.special |= bit;
  }
  return m;
#endif
}
#if defined(__x86_64__)
// The same with AVX2, 32 bytes at a time, for the processors that have it.
[[gnu::target("avx2")]] Marks marks64Avx2(const char* p) {
  const __m256i comma = _mm256_set1_epi8(','), newline = _mm256_set1_epi8('\n'), quote = _mm256_set1_epi8('"'),
                cr = _mm256_set1_epi8('\r');
  Marks m{0, 0, 0};
  for (int i = 0; i < 2; ++i) {
    __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32 * i));
    int shift = 32 * i;
    m.comma |= static_cast<uint64_t>(static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, comma)))) << shift;
    m.newline |= static_cast<uint64_t>(static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, newline))))
                 << shift;
    m.special |= static_cast<uint64_t>(static_cast<uint32_t>(
                     _mm256_movemask_epi8(_mm256_or_si256(_mm256_cmpeq_epi8(v, quote), _mm256_cmpeq_epi8(v, cr)))))
                 << shift;
  }
  return m;
}
#endif

// Splits the plain line at `start` into fields: see Reader::plainLine. Returns the bytes
// it spans with its line break, or 0 when it is not plain (or not whole in [start, end)).
template <Marks (*marks)(const char*)>
[[gnu::always_inline]] inline size_t splitPlainLine(const char* start, const char* end, uint64_t max_record,
                                                     std::vector<uint32_t>& starts, size_t& fields) {
  fields = 0;  // starts[0, fields] are set
  if (starts.size() < 128) starts.resize(128);
  starts[0] = 0;
  for (const char* p = start; end - p >= 64; p += 64) {
    // Too long for this path (the general loop says so, or reads it with wider offsets).
    if (static_cast<uint64_t>(p - start) > std::min<uint64_t>(max_record, uint64_t{1} << 31)) return 0;
    if (fields + 66 > starts.size()) starts.resize(starts.size() * 2);
    uint32_t* out = starts.data();
    Marks m = marks(p);
    uint64_t stop = m.newline | m.special;
    uint64_t commas = m.comma;
    int at = 64;
    size_t skip = 1;  // the line break's length
    if (stop != 0) {
      at = __builtin_ctzll(stop);
      if (!((m.newline >> at) & 1)) {
        // A quote, or a CR: only a CR right before the line feed is plain.
        if (p[at] != '\r' || at == 63 || !((m.newline >> (at + 1)) & 1)) return 0;
        skip = 2;
      }
      commas &= (uint64_t{1} << at) - 1;
    }
    auto base = static_cast<uint32_t>(p - start) + 1;
    for (; commas != 0; commas &= commas - 1) out[++fields] = base + static_cast<uint32_t>(__builtin_ctzll(commas));
    if (at == 64) continue;
    size_t length = static_cast<size_t>(p - start) + static_cast<size_t>(at) + skip;
    if (length > max_record) return 0;
    out[++fields] = base + static_cast<uint32_t>(at);
    return length;
  }
  return 0;
}

size_t splitBaseline(const char* start, const char* end, uint64_t max_record, std::vector<uint32_t>& starts,
                     size_t& fields) {
  return splitPlainLine<marks64>(start, end, max_record, starts, fields);
}

#if defined(__x86_64__)
[[gnu::target("avx2"), gnu::flatten]] size_t splitAvx2(const char* start, const char* end, uint64_t max_record,
                                                        std::vector<uint32_t>& starts, size_t& fields) {
  return splitPlainLine<marks64Avx2>(start, end, max_record, starts, fields);
}
#endif

using SplitLine = size_t (*)(const char*, const char*, uint64_t, std::vector<uint32_t>&, size_t&);

SplitLine chooseSplit() {
#if defined(__x86_64__)
  if (__builtin_cpu_supports("avx2")) return splitAvx2;
#endif
  return splitBaseline;
}

const SplitLine kSplitLine = chooseSplit();  // once per process: what the processor has
}  // namespace

Expected<std::unique_ptr<Reader>> Reader::open(const std::string& path, uint64_t max_record_bytes) {
  auto source = io::openInput(path);
  if (!source) return source.error();
  return fromSource(source.take(), max_record_bytes);
}

std::unique_ptr<Reader> Reader::fromSource(std::unique_ptr<io::ByteSource> source, uint64_t max_record_bytes) {
  std::unique_ptr<Reader> reader(new Reader());
  reader->name_ = source->name();
  reader->source_ = std::move(source);
  reader->max_record_ = max_record_bytes;
  reader->buffer_.resize(kChunk);
  return reader;
}

std::unique_ptr<Reader> Reader::fromString(std::string text, uint64_t max_record_bytes) {
  std::unique_ptr<Reader> reader(new Reader());
  reader->name_ = "text";
  reader->buffer_ = std::move(text);
  reader->size_ = reader->buffer_.size();
  reader->eof_ = true;
  reader->max_record_ = max_record_bytes;
  return reader;
}

Reader::~Reader() = default;

std::string Reader::tooLong() const {
  return fmt::format("a record longer than {}, the most one record may have (is this a CSV file?)",
                     io::describeBytes(max_record_));
}

Reader::Rest Reader::takeRest() {
  Rest rest;
  rest.buffered = buffer_.substr(pos_, size_ - pos_);
  rest.source = std::move(source_);
  rest.line = line_;
  rest.consumed = consumed_ + pos_;
  rest.ended = eof_;
  buffer_.clear();
  size_ = pos_ = record_start_ = 0;
  eof_ = true;
  return rest;
}

bool Reader::fill() {
  if (eof_ || !failure_.empty()) return false;
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
  if (size_ > max_record_) {
    failure_ = tooLong();
    limit_exceeded_ = true;
    return false;
  }
  auto got = io::readMore(*source_, buffer_, size_);  // grows the buffer for a record longer than it
  if (!got) failure_ = got.error().message;
  else if (*got == 0) eof_ = true;
  return got && *got > 0;
}

Reader::Status Reader::failed() {
  error_ = failure_;
  span_count_ = 0;
  return Status::Failed;
}

Reader::Status Reader::malformed(std::string message) {
  error_ = std::move(message);
  partial_.clear();
  for (size_t i = 0; i < span_count_; ++i) partial_.emplace_back(field(i));
  span_count_ = 0;
  // Skip to the end of the line, keeping none of it: a long bad line costs no memory.
  uint64_t line_start = consumed_ + record_start_;
  while (true) {
    const void* nl = std::memchr(buffer_.data() + pos_, '\n', size_ - pos_);
    if (nl != nullptr) {
      pos_ = static_cast<size_t>(static_cast<const char*>(nl) - buffer_.data()) + 1;
      ++line_;
      record_start_ = pos_;
      return Status::Error;
    }
    pos_ = size_;
    record_start_ = pos_;
    if (consumed_ + pos_ - line_start > max_record_) {
      failure_ = tooLong();
      limit_exceeded_ = true;
      return failed();
    }
    if (!fill()) return failure_.empty() ? Status::Error : failed();
  }
}

bool Reader::endOfLine() {
  if (pos_ < size_ && buffer_[pos_] == '\n') {
    ++pos_;
    ++line_;
    return true;
  }
  if (pos_ < size_ && buffer_[pos_] == '\r') {
    if (pos_ + 1 >= size_) fill();
    if (pos_ + 1 < size_ && buffer_[pos_ + 1] == '\n') {
      pos_ += 2;
      ++line_;
      return true;
    }
    if (pos_ + 1 >= size_ && eof_) {  // a CR ending the last line
      ++pos_;
      ++line_;
      return true;
    }
  }
  return false;
}

bool Reader::plainLine() {
  size_t fields;
  size_t length = kSplitLine(buffer_.data() + pos_, buffer_.data() + size_, max_record_, starts_, fields);
  if (length == 0) return false;
  plain_ = true;
  span_count_ = fields;
  pos_ += length;
  ++line_;
  return true;
}

Reader::Status Reader::next() {
  span_count_ = 0;
  plain_ = false;
  scratch_.clear();
  error_.clear();
  partial_.clear();
  // Skip blank lines.
  while (true) {
    record_start_ = pos_;
    record_line_ = line_;
    if (pos_ >= size_ && !fill()) return failure_.empty() ? Status::End : failed();
    if (!endOfLine()) break;
  }
  if (!failure_.empty()) return failed();
  record_start_ = pos_;
  if (plain_lines_ && plainLine()) return Status::Record;
  auto done = [&] {
    if (pos_ - record_start_ > max_record_) {
      failure_ = tooLong();
      limit_exceeded_ = true;
      return failed();
    }
    return Status::Record;
  };

  while (true) {
    Span span;
    span.column = pos_ - record_start_ + 1;  // exact on the record's first line
    if (pos_ >= size_ && !fill() && !failure_.empty()) return failed();
    if (pos_ < size_ && buffer_[pos_] == '"') {
      // Quoted field: "" is a quote, anything else (commas, line breaks) is literal.
      ++pos_;
      span.scratch = true;
      span.offset = scratch_.size();
      while (true) {
        if (pos_ >= size_ && !fill()) {
          if (!failure_.empty()) return failed();
          return malformed(fmt::format("quoted field starting at line {} is never closed", record_line_));
        }
        char c = buffer_[pos_++];
        if (c == '"') {
          if (pos_ >= size_ && !fill() && !failure_.empty()) return failed();
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
      if (pos_ >= size_ && !fill()) return failure_.empty() ? done() : failed();
      if (buffer_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (endOfLine()) return done();
      if (!failure_.empty()) return failed();
      char c = buffer_[pos_];
      if (c == '\r')
        return malformed(fmt::format("a carriage return (CR) without a line feed after field {}: lines must end in "
                                     "LF or CRLF (was the file saved with CR-only line endings?)",
                                     span_count_));
      return malformed(fmt::format("unexpected `{}` after the closing quote of field {}", c, span_count_));
    }
    // Unquoted field: up to a comma or the end of the line.
    span.offset = pos_;
    while (true) {
      // Scan what is in the buffer in a tight loop; refill only at its end.
      const char* p = fieldEnd(buffer_.data() + pos_, buffer_.data() + size_);
      pos_ = static_cast<size_t>(p - buffer_.data());
      if (pos_ >= size_) {
        // fill() may move the record to the front of the buffer even when it then
        // finds the end of the input: follow the move either way.
        size_t before = pos_;
        bool more = fill();
        span.offset -= before - pos_;
        if (!more) {
          if (!failure_.empty()) return failed();
          break;
        }
        continue;
      }
      if (*p == '"')
        return malformed(fmt::format("quote inside unquoted field {} (quote the whole field and double the quote)",
                                     span_count_ + 1));
      if (*p == '\r') {
        if (pos_ + 1 >= size_) {
          size_t before = pos_;
          fill();
          if (!failure_.empty()) return failed();
          span.offset -= before - pos_;
        }
        if (pos_ + 1 < size_ && buffer_[pos_ + 1] != '\n')
          return malformed(fmt::format("a carriage return (CR) without a line feed in field {}: lines must end in LF "
                                       "or CRLF (was the file saved with CR-only line endings?)",
                                       span_count_ + 1));
      }
      break;
    }
    span.length = pos_ - span.offset;
    addSpan(span);
    if (pos_ >= size_) return done();
    if (buffer_[pos_] == ',') {
      ++pos_;
      continue;
    }
    endOfLine();  // "\n" or "\r\n", as the scan above made sure
    return done();
  }
}

}  // namespace tauekel::csv
