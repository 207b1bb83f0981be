#include "support/csv_block.h"

#include <cassert>

namespace tauekel::csv {

void RecordBlock::clear() {
  text_.clear();
  fields_.clear();
  records_.clear();
}

size_t RecordBlock::keep(std::string_view text) {
  size_t at = text_.size();
  text_.append(text);
  return at;
}

void RecordBlock::add(const Reader& reader, Reader::Status status, size_t prefix_fields) {
  assert(status == Reader::Status::Record || status == Reader::Status::Error);
  Record r;
  r.line = reader.line();
  r.status = status;
  r.first_field = fields_.size();
  if (status == Reader::Status::Record) {
    // The record's text once; unquoted fields (most) point into it, quoted ones are kept
    // after it as the reader unescaped them.
    std::string_view raw = reader.rawRecord();
    size_t base = keep(raw);
    r.field_count = reader.size();
    for (size_t i = 0; i < reader.size(); ++i) {
      std::string_view f = reader.field(i);
      if (f.data() >= raw.data() && f.data() + f.size() <= raw.data() + raw.size())
        fields_.emplace_back(base + static_cast<size_t>(f.data() - raw.data()), f.size());
      else
        fields_.emplace_back(keep(f), f.size());
    }
    if (prefix_fields > 0 && reader.size() > prefix_fields) {
      r.prefix_at = base;  // the text before a field is the record's start
      r.prefix_length = reader.rawPrefix(prefix_fields).size();
      r.prefix_fields = prefix_fields;
    }
  } else {
    r.field_count = reader.fieldsBeforeError().size();
    for (const auto& f : reader.fieldsBeforeError()) fields_.emplace_back(keep(f), f.size());
    r.error_at = keep(reader.error());
    r.error_length = reader.error().size();
  }
  records_.push_back(r);
}

Reader::Status BlockReader::next() {
  error_.clear();
  partial_.clear();
  if (next_ >= block_.records_.size()) {
    current_ = nullptr;
    return Reader::Status::End;
  }
  current_ = &block_.records_[next_++];
  if (current_->status == Reader::Status::Error) {
    error_ = block_.text_.substr(current_->error_at, current_->error_length);
    for (size_t i = 0; i < current_->field_count; ++i) partial_.emplace_back(field(i));
  }
  return current_->status;
}

std::string_view BlockReader::rawPrefix(size_t i) const {
  assert(current_ && current_->prefix_fields == i);
  (void)i;
  return std::string_view(block_.text_).substr(current_->prefix_at, current_->prefix_length);
}

}  // namespace tauekel::csv
