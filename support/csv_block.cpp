#include "support/csv_block.h"

#include <cassert>

namespace tauekel::csv {

void RecordBlock::clear() {
  raw_.clear();
  errors_.clear();
  fields_.clear();
  records_.clear();
}

void RecordBlock::add(const Reader& reader, Reader::Status status) {
  assert(status == Reader::Status::Record || status == Reader::Status::Error);
  Record r;
  r.line = reader.line();
  r.status = status;
  if (status == Reader::Status::Record) {
    raw_.append(reader.rawRecord());
  } else {
    r.first_field = fields_.size();
    r.field_count = reader.fieldsBeforeError().size();
    for (const auto& f : reader.fieldsBeforeError()) {
      fields_.emplace_back(errors_.size(), f.size());
      errors_.append(f);
    }
    r.error_at = errors_.size();
    r.error_length = reader.error().size();
    errors_.append(reader.error());
  }
  records_.push_back(r);
}

BlockReader::BlockReader(const RecordBlock& block, std::string name, uint64_t max_record_bytes)
    : block_(block), name_(std::move(name)), records_(Reader::fromString(block.raw_, max_record_bytes)) {}

Reader::Status BlockReader::next() {
  error_.clear();
  partial_.clear();
  record_ = malformed_ = false;
  if (next_ >= block_.records_.size()) return Reader::Status::End;
  const RecordBlock::Record& r = block_.records_[next_++];
  line_ = r.line;
  record_ = true;
  if (r.status == Reader::Status::Error) {
    malformed_ = true;
    error_ = block_.errors_.substr(r.error_at, r.error_length);
    for (size_t i = 0; i < r.field_count; ++i) {
      const auto& [at, length] = block_.fields_[r.first_field + i];
      partial_.emplace_back(block_.errors_.substr(at, length));
    }
    return Reader::Status::Error;
  }
  // The same bytes the file's reader read as this record: they read the same again.
  [[maybe_unused]] Reader::Status again = records_->next();
  assert(again == Reader::Status::Record);
  return Reader::Status::Record;
}

}  // namespace tauekel::csv
