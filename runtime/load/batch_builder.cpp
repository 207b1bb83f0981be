#include "runtime/load/batch_builder.h"

namespace tauekel::runtime {

void initBatch(Batch& batch, const sema::Program& program) {
  batch.decl_columns.clear();
  batch.item_columns.clear();
  for (const auto& spec : fieldSpecs(program.declaration)) {
    batch.decl_columns.emplace_back();
    batch.decl_columns.back().init(spec.type, spec.nullable);
  }
  for (const auto& spec : fieldSpecs(program.item)) {
    batch.item_columns.emplace_back();
    batch.item_columns.back().init(spec.type, spec.nullable);
  }
  clearBatch(batch);
}

void clearBatch(Batch& batch) {
  batch.decl_count = 0;
  batch.item_count = 0;
  for (auto& c : batch.decl_columns) c.resize(0);
  for (auto& c : batch.item_columns) c.resize(0);
  batch.item_decl.clear();
  batch.item_begin.assign(1, 0);
  batch.decl_line.clear();
  batch.strings.clear();
}

BatchBuilder::BatchBuilder(const sema::Program& program, const PersonIndex* persons)
    : decl_fields_(fieldSpecs(program.declaration)), item_fields_(fieldSpecs(program.item)), persons_(persons) {}

void BatchBuilder::beginDeclaration(Batch& b, uint64_t line) {
  ++b.decl_count;
  for (auto& c : b.decl_columns) c.resize(b.decl_count);
  b.decl_line.push_back(line);
  pending_persons_.clear();
}

// Out of line, so the common path above stays a plain call to parseField.
std::string BatchBuilder::setPerson(const FieldSpec& spec, std::string_view text, Column& column, size_t row,
                                    StringPool& strings) {
  std::string reason = parseField(spec, text, column, row, strings, persons_);
  if (reason.empty() && !text.empty() && column.get(row) < 0)
    pending_persons_.push_back(std::hash<std::string_view>{}(text));  // counted when the declaration ends
  return reason;
}

void BatchBuilder::beginItem(Batch& b) {
  ++b.item_count;
  for (auto& c : b.item_columns) c.resize(b.item_count);
  b.item_decl.push_back(static_cast<uint32_t>(b.decl_count - 1));
}

std::string BatchBuilder::setDeclField(Batch& b, size_t field, std::string_view text) {
  const FieldSpec& spec = decl_fields_[field];
  if (spec.type == ir::Type::Person) return setPerson(spec, text, b.decl_columns[field], b.decl_count - 1, b.strings);
  return parseField(spec, text, b.decl_columns[field], b.decl_count - 1, b.strings, persons_);
}

std::string BatchBuilder::setItemField(Batch& b, size_t field, std::string_view text) {
  const FieldSpec& spec = item_fields_[field];
  if (spec.type == ir::Type::Person) return setPerson(spec, text, b.item_columns[field], b.item_count - 1, b.strings);
  return parseField(spec, text, b.item_columns[field], b.item_count - 1, b.strings, persons_);
}

void BatchBuilder::readOnly(const FieldsRead& read) {
  decl_read_ = read.decl;
  item_read_ = read.item;
  if (!decl_read_.empty()) decl_read_.resize(decl_fields_.size(), 1);
  if (!item_read_.empty()) item_read_.resize(item_fields_.size(), 1);
}

size_t BatchBuilder::store(Batch& b, const std::vector<FieldSpec>& fields, const std::vector<uint8_t>& read,
                           std::vector<Column>& columns, size_t row, const std::string_view* texts) {
  FieldStore store{b.strings, persons_, pending_persons_, read.empty() ? nullptr : read.data(), blank_epoch_, blank_id_};
  size_t failed = storeFields(fields, texts, columns, row, store);
  blank_epoch_ = store.blank_epoch;
  blank_id_ = store.blank_id;
  return failed;
}

size_t BatchBuilder::setDeclFields(Batch& b, const std::string_view* texts) {
  return store(b, decl_fields_, decl_read_, b.decl_columns, b.decl_count - 1, texts);
}

size_t BatchBuilder::setItemFields(Batch& b, const std::string_view* texts) {
  return store(b, item_fields_, item_read_, b.item_columns, b.item_count - 1, texts);
}

void BatchBuilder::endDeclaration(Batch& b) {
  b.item_begin.push_back(static_cast<uint32_t>(b.item_count));
  unregistered_.insert(pending_persons_.begin(), pending_persons_.end());
  pending_persons_.clear();
}

void BatchBuilder::abandonDeclaration(Batch& b) {
  // Items of the abandoned declaration are the ones after the last closed declaration.
  size_t first_item = b.item_begin.back();
  b.item_count = first_item;
  b.item_decl.resize(first_item);
  for (auto& c : b.item_columns) c.resize(first_item);
  --b.decl_count;
  for (auto& c : b.decl_columns) c.resize(b.decl_count);
  b.decl_line.pop_back();
}

}  // namespace tauekel::runtime
