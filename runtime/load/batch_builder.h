#pragma once
// Appends declarations to a batch field by field, and takes back a declaration that
// turned out to be bad. Used by both loaders.

#include <unordered_set>

#include "runtime/load/declaration_source.h"

namespace tauekel::runtime {

class BatchBuilder {
 public:
  BatchBuilder(const sema::Program& program, const PersonIndex* persons);
  const std::vector<FieldSpec>& declFields() const { return decl_fields_; }
  const std::vector<FieldSpec>& itemFields() const { return item_fields_; }

  void beginDeclaration(Batch& b, uint64_t line);
  void beginItem(Batch& b);
  // "" or the reason the text is not a value of the field.
  std::string setDeclField(Batch& b, size_t field, std::string_view text);
  std::string setItemField(Batch& b, size_t field, std::string_view text);
  // Every field at once, texts[f] for field f: SIZE_MAX, or the first field whose text
  // is no value of it (whose setDeclField or setItemField says why).
  size_t setDeclFields(Batch& b, const std::string_view* texts);
  size_t setItemFields(Batch& b, const std::string_view* texts);
  // From now on setDeclFields and setItemFields keep the values of these fields only,
  // and check the others (see FieldsRead).
  void readOnly(const FieldsRead& read);
  void endDeclaration(Batch& b);
  // Drops the declaration begun last, with its items.
  void abandonDeclaration(Batch& b);
  // Distinct person ids named by ended declarations and not in the register.
  uint64_t unregisteredPersons() const { return unregistered_.size(); }
  // Their hashes, to merge what builders on other threads saw.
  const std::unordered_set<uint64_t>& unregisteredIds() const { return unregistered_; }
  void addUnregistered(const std::unordered_set<uint64_t>& ids) { unregistered_.insert(ids.begin(), ids.end()); }

 private:
  // Sets a person field, noting an id the register does not hold.
  [[gnu::noinline]] std::string setPerson(const FieldSpec& spec, std::string_view text, Column& column, size_t row,
                                          StringPool& strings);
  size_t store(Batch& b, const std::vector<FieldSpec>& fields, const std::vector<uint8_t>& read,
               std::vector<Column>& columns, size_t row, const std::string_view* texts);
  std::vector<uint64_t> pending_persons_;     // of the open declaration
  std::vector<uint8_t> decl_read_, item_read_;  // empty: every field is kept
  uint64_t blank_epoch_ = 0;                   // FieldStore's placeholder text, kept across rows
  int32_t blank_id_ = -1;
  std::unordered_set<uint64_t> unregistered_;  // hashes of ids
  std::vector<FieldSpec> decl_fields_;
  std::vector<FieldSpec> item_fields_;
  const PersonIndex* persons_;
};

}  // namespace tauekel::runtime
