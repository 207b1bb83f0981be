#pragma once
// Builds a batch from typed values, field by field and by name: for programs that hold
// declarations as data (a service, a test) rather than as CSV or JSON text. Each value
// is checked against its field's type as the file readers check text, and a bad one is
// reported with the field's JSON path ("items[3].net_kg"); a declaration goes into the
// batch whole or not at all.
//
//   ValueBatchBuilder b(program, persons);
//   b.beginDeclaration();
//   b.set("number", "D1");  b.set("date", Date{2026, 5, 1});  ...
//   b.beginItem();  b.set("hs", "6403990000");  b.set("net_kg", Decimal{55, 1});
//   if (auto error = b.endDeclaration()) ...   // the declaration was left out
//   screener.screen(b.batch());

#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "runtime/load/batch_builder.h"
#include "runtime/load/declaration_json.h"
#include "tauekel/value.h"

namespace tauekel::runtime {

class ValueBatchBuilder {
 public:
  ValueBatchBuilder(const sema::Program& program, const PersonIndex* persons);

  // Starts a declaration (the one open before, if any, is abandoned).
  void beginDeclaration();
  // Starts a goods item of the open declaration; later set() calls name item fields.
  void beginItem();
  // Sets a field of the open declaration, or of its newest item once there is one. An
  // unknown field or a value the field cannot hold is an error; the declaration is then
  // left out when it ends. Fields never set are missing.
  std::optional<FieldError> set(std::string_view field, const FieldValue& value);
  // Ends the open declaration: in the batch, or left out with the first error (also a
  // required field never set, or a key already in the batch).
  std::optional<FieldError> endDeclaration();

  // A member of the object, or of one of its goods items, that no field reads: for
  // callers that refuse them (a service's clients mean every member they send).
  std::optional<FieldError> unknownMember(const json::Value& object) const;

  // Appends one declaration given as a JSON object (the JSON Lines form).
  std::optional<FieldError> addJson(const json::Value& object, uint64_t max_items = kDefaultMaxItems);

  // The declarations ended so far; not to be screened while one is open.
  const Batch& batch() const { return batch_; }
  bool declarationOpen() const { return open_; }
  Batch& batch() { return batch_; }
  // Empties the batch for the next declarations, keeping its storage.
  void clear();
  // Takes back every declaration after the first `declarations` (an open one too).
  void truncate(size_t declarations);

 private:
  std::optional<FieldError> fail(std::string path, std::string reason);
  bool keySeen(size_t row);

  BatchBuilder builder_;
  DeclarationMembers members_{builder_};  // addJson's, kept for their storage
  Batch batch_;
  size_t key_field_;
  bool open_ = false;
  bool in_item_ = false;
  size_t items_ = 0;                  // of the open declaration
  std::optional<FieldError> error_;   // the open declaration's first
  std::vector<uint8_t> decl_set_;     // by field: set in the open declaration
  std::vector<uint8_t> item_set_;     // by field: set in the open item
  std::unordered_set<std::string> keys_;  // of the batch's declarations
  std::vector<std::string> decl_members_, item_members_;  // the names fields read
};

// The text the file readers would read for `value` ("" for a missing one), or nullopt
// and the reason it is no value at all (a decimal of scale 19, a date of month 13).
std::optional<std::string> valueText(const FieldValue& value, std::string& reason);

}  // namespace tauekel::runtime
