#include "support/csv_block.h"

#include <algorithm>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace tauekel::csv {

namespace {

constexpr size_t kRead = size_t{256} << 10;     // bytes asked of the input at a time
constexpr size_t kLookahead = size_t{64} << 10;  // read past a block's target, for the records around its cut
constexpr size_t kFirstWindow = 4096;           // bytes a Reader looks at around a cut, at first

// The bytes of a block, then the input after it: what a Reader reads on from a block
// past which no cut fell.
class ChainedSource : public io::ByteSource {
 public:
  ChainedSource(std::string first, std::unique_ptr<io::ByteSource> then, std::string name)
      : io::ByteSource(std::move(name)), first_(std::move(first)), then_(std::move(then)) {}
  Expected<size_t> read(char* buffer, size_t n) override {
    if (at_ < first_.size()) {
      size_t k = std::min(n, first_.size() - at_);
      std::memcpy(buffer, first_.data() + at_, k);
      at_ += k;
      return k;
    }
    if (!then_) return size_t{0};
    return then_->read(buffer, n);
  }

 private:
  std::string first_;
  size_t at_ = 0;
  std::unique_ptr<io::ByteSource> then_;
};

}  // namespace

uint64_t countNewlines(const char* p, size_t n) {
  uint64_t count = 0;
  size_t i = 0;
#if defined(__SSE2__)
  // Per 16 bytes, 1 in each byte that is a line feed; summed by psadbw, 255 steps at a
  // time so that no byte's sum overflows.
  const __m128i newline = _mm_set1_epi8('\n'), one = _mm_set1_epi8(1), zero = _mm_setzero_si128();
  while (i + 16 <= n) {
    __m128i sums = zero;
    for (int step = 0; step < 255 && i + 16 <= n; ++step, i += 16) {
      __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
      sums = _mm_add_epi8(sums, _mm_and_si128(_mm_cmpeq_epi8(v, newline), one));
    }
    __m128i total = _mm_sad_epu8(sums, zero);
    count += static_cast<uint64_t>(_mm_cvtsi128_si32(total)) + static_cast<uint64_t>(_mm_extract_epi16(total, 4));
  }
#endif
  for (; i < n; ++i) count += p[i] == '\n';
  return count;
}

BlockCutter::BlockCutter(Reader& reader, RecordKey key)
    : name_(reader.name()), max_record_(reader.maxRecordBytes()), key_(std::move(key)) {
  Reader::Rest rest = reader.takeRest();
  pending_ = std::move(rest.buffered);
  have_ = pending_.size();
  source_ = std::move(rest.source);
  line_ = rest.line;
  consumed_ = rest.consumed;
  ended_ = rest.ended || !source_;
}

Expected<bool> BlockCutter::readMore() {
  if (ended_) return false;
  if (pending_.size() < have_ + kRead) pending_.resize(have_ + kRead);
  auto got = source_->read(pending_.data() + have_, kRead);
  if (!got) return got.error();
  have_ += *got;
  if (*got == 0) ended_ = true;
  return *got > 0;
}

size_t BlockCutter::findCut(size_t from) {
  const char* data = pending_.data();
  size_t start;
  std::optional<std::string> before_key;  // of the record before the next
  bool any_before = false;
  if (resume_.at != SIZE_MAX) {
    // Where the last call stopped: the end of a whole record, and that record's key.
    start = resume_.at;
    before_key = resume_.key;
    any_before = resume_.known;
  } else {
    // Records are read from the start of a line no quote comes before: the line of the
    // first quote, or else the line of the byte before `from`. Every line break before
    // it then ends a record, so the line starts one.
    const void* quote = std::memchr(data, '"', from);
    size_t anchor = quote ? static_cast<size_t>(static_cast<const char*>(quote) - data) : from - 1;
    start = anchor;
    while (start > 0 && data[start - 1] != '\n') --start;
  }
  size_t window = std::min(have_ - start, std::max(kFirstWindow, from > start ? 2 * (from - start) : 0));
  while (true) {
    const bool to_end = start + window == have_;
    const bool final = to_end && ended_;  // the window holds the input's last byte
    auto reader = Reader::fromString(std::string(data + start, window), max_record_);
    size_t whole = 0;  // the end of the last record known whole, from start
    bool short_window = false;
    while (true) {
      size_t before = reader->bytesConsumed();  // the end of the record before
      Reader::Status status = reader->next();
      size_t end = reader->bytesConsumed();
      if (status == Reader::Status::Failed) return have_;  // a record past the limit: the block's reader says so
      if (status == Reader::Status::End || (end == window && !final)) {
        short_window = true;  // the next record may go on past the window
        break;
      }
      auto key = key_(*reader, status);
      if (any_before && start + before >= from && before_key && key && *before_key != *key) return start + before;
      any_before = true;
      if (key) before_key.emplace(*key);
      else before_key.reset();
      whole = end;
    }
    if (short_window && final) return have_;
    // Go on after the last whole record (its key known), in a window as large again.
    if (whole > 0) {
      start += whole;
      resume_ = Resume{start, any_before, before_key};
    }
    if (start == have_ || (to_end && whole == 0)) return SIZE_MAX;  // read more, then go on from here
    window = std::min(have_ - start, whole > 0 ? std::max(window, kFirstWindow) : window * 2);
  }
}

Expected<bool> BlockCutter::next(ByteBlock& block, size_t target) {
  block.bytes.clear();
  block.rest = false;
  block.newlines = 0;
  block.first_line = line_;
  if (stopped_) return false;
  target = std::max<size_t>(target, 1);
  while (have_ < target + kLookahead && !ended_)
    if (auto got = readMore(); !got) return got.error();
  if (have_ == 0) return false;
  size_t cut = have_;
  if (!ended_ || have_ > target) {
    // Past this many bytes without a cut, the rest is read on one thread.
    const size_t bound = std::max(target * 16, size_t{1} << 20);
    while (true) {
      cut = findCut(std::min(target, have_));
      if (cut != SIZE_MAX) break;
      if (have_ > bound) {
        block.bytes.assign(pending_, 0, have_);
        have_ = 0;
        block.rest = true;
        stopped_ = true;
        return true;
      }
      if (auto got = readMore(); !got) return got.error();
    }
  }
  // The block takes the buffer whole; what follows the cut goes to the block's old one.
  size_t left = have_ - cut;
  block.bytes.swap(pending_);
  if (pending_.size() < left + kRead) pending_.resize(left + kRead);
  std::memcpy(pending_.data(), block.bytes.data() + cut, left);
  have_ = left;
  block.bytes.resize(cut);
  resume_ = Resume{};
  block.newlines = countNewlines(block.bytes.data(), block.bytes.size());
  line_ += block.newlines;
  consumed_ += cut;
  return true;
}

std::unique_ptr<Reader> BlockCutter::restReader(ByteBlock& block) {
  auto reader = Reader::fromSource(std::make_unique<ChainedSource>(std::move(block.bytes), std::move(source_), name_),
                                   max_record_);
  reader->setFirstLine(block.first_line);
  return reader;
}

std::unique_ptr<Reader> readBlock(ByteBlock& block, std::string name, uint64_t max_record_bytes) {
  auto reader = Reader::fromString(std::move(block.bytes), max_record_bytes);
  reader->setName(std::move(name));
  reader->setFirstLine(block.first_line);
  return reader;
}

}  // namespace tauekel::csv
