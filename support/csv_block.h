#pragma once
// CSV records copied out of a Reader to be read again elsewhere: the reading thread
// splits a file into blocks of records, and other threads read each block back through
// BlockReader, which answers as the Reader did (fields, lines, malformed records and
// their errors), so one loader serves both.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "support/csv.h"

namespace tauekel::csv {

class RecordBlock {
 public:
  void clear();
  // Copies the reader's current record (Record or Error); keeps the raw text before
  // field `prefix_fields` too (for BlockReader::rawPrefix), when it has that many.
  void add(const Reader& reader, Reader::Status status, size_t prefix_fields);
  size_t records() const { return records_.size(); }

 private:
  friend class BlockReader;
  struct Record {
    uint64_t line = 0;
    Reader::Status status = Reader::Status::Record;
    size_t first_field = 0, field_count = 0;  // in fields_ (for Error: the fields before the fault)
    size_t prefix_at = 0, prefix_length = 0;  // in text_
    size_t prefix_fields = 0;
    size_t error_at = 0, error_length = 0;    // in text_
  };
  size_t keep(std::string_view text);
  std::string text_;
  std::vector<std::pair<size_t, size_t>> fields_;  // offset and length in text_
  std::vector<Record> records_;
};

class BlockReader {
 public:
  BlockReader(const RecordBlock& block, std::string name) : block_(block), name_(std::move(name)) {}

  Reader::Status next();
  size_t size() const { return current_ && current_->status == Reader::Status::Record ? current_->field_count : 0; }
  std::string_view field(size_t i) const {
    const auto& [at, length] = block_.fields_[current_->first_field + i];
    return std::string_view(block_.text_).substr(at, length);
  }
  uint64_t line() const { return current_ ? current_->line : 0; }
  const std::string& error() const { return error_; }
  const std::vector<std::string>& fieldsBeforeError() const { return partial_; }
  // Only for the prefix the block kept (RecordBlock::add's `prefix_fields`).
  std::string_view rawPrefix(size_t i) const;
  bool limitExceeded() const { return false; }
  uint64_t bytesConsumed() const { return 0; }
  uint64_t sizeHint() const { return 0; }
  const std::string& name() const { return name_; }

 private:
  const RecordBlock& block_;
  std::string name_;
  size_t next_ = 0;
  const RecordBlock::Record* current_ = nullptr;
  std::string error_;
  std::vector<std::string> partial_;
};

}  // namespace tauekel::csv
