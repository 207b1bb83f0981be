#pragma once
// A CSV input cut into blocks of whole records, for other threads to read: the reading
// thread only finds where records end and copies bytes, and each block is read again
// from its bytes by a Reader of its own, which reads them as one Reader over the whole
// input would have (its fields, lines, malformed records and their errors).
//
// Where the bytes before a point hold no quote, every line break is a record's end, and
// finding one is a memchr; past a quote, a Reader over the bytes finds them. A cut falls
// only between two records whose keys (the caller's) can be told and differ, so a block
// holds whole declarations. Where no cut falls within a bound (one key on row after row,
// or rows too broken to tell a key), the cutter stops: the rest of the input is read on
// one thread, as it comes, so memory stays bounded whatever the input.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "support/csv.h"
#include "support/expected.h"

namespace tauekel::csv {

// Whole records of a CSV input, as bytes, and the line they start on.
struct ByteBlock {
  std::string bytes;
  uint64_t first_line = 1;
  // The input could not be cut past here: `bytes` begin the rest of the input, which
  // BlockCutter::restReader reads on. No block follows.
  bool rest = false;
  uint64_t newlines = 0;  // in `bytes`
};

class BlockCutter {
 public:
  // The key a cut is decided by, of the record a reader has just read with `status`;
  // none when the record is too broken to tell it.
  using RecordKey = std::function<std::optional<std::string_view>(const Reader&, Reader::Status)>;

  // Goes on where `reader` stopped (after the header): takes over its input.
  BlockCutter(Reader& reader, RecordKey key);

  // The next block: whole records, at least `target` bytes of them where the input has
  // that many. False at the end of the input; an Error when the input cannot be read.
  Expected<bool> next(ByteBlock& block, size_t target);
  // After a block marked `rest`: a Reader over it and the input after it, counting lines
  // from the block's first. (The block's bytes are moved into it.)
  std::unique_ptr<Reader> restReader(ByteBlock& block);
  uint64_t bytesConsumed() const { return consumed_; }

 private:
  Expected<bool> readMore();  // false at the end of the input
  // Where the first cut at or after `from` falls; SIZE_MAX when the bytes read so far end
  // first (read more and ask again). At the end of the input: the input's end.
  size_t findCut(size_t from);

  std::unique_ptr<io::ByteSource> source_;
  std::string name_;
  uint64_t max_record_;
  RecordKey key_;
  std::string pending_;        // pending_[0, have_): read, not yet in a block
  size_t have_ = 0;
  // Where findCut goes on when the bytes ran out: a record's end in pending_, and
  // whether the key of the record there is known, and which.
  struct Resume {
    size_t at = SIZE_MAX;
    bool known = false;
    std::optional<std::string> key;
  };
  Resume resume_;
  bool ended_ = false;         // nothing to read after pending_
  bool stopped_ = false;       // a block marked rest was given
  uint64_t line_ = 1;          // of pending_[0]
  uint64_t consumed_ = 0;      // bytes given in blocks
};

// A Reader over a block's bytes (moved into it: Reader::takeText gives them back), counting
// lines from the block's first.
std::unique_ptr<Reader> readBlock(ByteBlock& block, std::string name, uint64_t max_record_bytes);

// Line feeds in [p, p + n).
uint64_t countNewlines(const char* p, size_t n);

}  // namespace tauekel::csv
