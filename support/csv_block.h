#pragma once
// CSV records copied out of a Reader to be read again elsewhere: the reading thread
// splits a file into blocks of records, and other threads read each block back through
// BlockReader, which answers as the Reader did (fields, lines, malformed records and
// their errors), so one loader serves both.
//
// A well-formed record is kept as its raw text, and BlockReader splits it into fields
// again with a Reader of its own (on the worker's thread: the reading thread only finds
// where records end). A malformed one is kept as the Reader reported it.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "support/csv.h"

namespace tauekel::csv {

class RecordBlock {
 public:
  void clear();
  // Copies the reader's current record (Record or Error).
  void add(const Reader& reader, Reader::Status status);
  size_t records() const { return records_.size(); }

 private:
  friend class BlockReader;
  struct Record {
    uint64_t line = 0;
    Reader::Status status = Reader::Status::Record;
    size_t first_field = 0, field_count = 0;  // Error: the fields before the fault, in fields_
    size_t error_at = 0, error_length = 0;    // Error: in errors_
  };
  std::string raw_;     // the well-formed records' text, one after another
  std::string errors_;  // malformed records' errors and fields
  std::vector<std::pair<size_t, size_t>> fields_;  // offset and length in errors_
  std::vector<Record> records_;
};

class BlockReader {
 public:
  BlockReader(const RecordBlock& block, std::string name, uint64_t max_record_bytes);

  Reader::Status next();
  size_t size() const { return record_ && !malformed_ ? records_->size() : 0; }
  std::string_view field(size_t i) const { return records_->field(i); }
  uint64_t line() const { return line_; }
  const std::string& error() const { return error_; }
  const std::vector<std::string>& fieldsBeforeError() const { return partial_; }
  std::string_view rawPrefix(size_t i) const { return records_->rawPrefix(i); }
  bool plain() const { return record_ && !malformed_ && records_->plain(); }
  uint64_t column(size_t i) const { return records_->column(i); }
  bool limitExceeded() const { return false; }
  uint64_t bytesConsumed() const { return 0; }
  uint64_t sizeHint() const { return 0; }
  const std::string& name() const { return name_; }

 private:
  const RecordBlock& block_;
  std::string name_;
  std::unique_ptr<Reader> records_;  // over block_.raw_
  size_t next_ = 0;
  bool record_ = false, malformed_ = false;
  uint64_t line_ = 0;
  std::string error_;
  std::vector<std::string> partial_;
};

}  // namespace tauekel::csv
