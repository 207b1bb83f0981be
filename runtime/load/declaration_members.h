#pragma once
// One declaration object's members, placed by the fields that read them: what a JSON
// reader fills (json_declaration from a json::Value, declaration_simdjson straight from
// the text), and what appends the declaration to a batch. Whichever reader filled it,
// the checks, their order and their messages are the ones here.
//
// A reader calls clear(max_items), then for the declaration object decl(f) / items(), and for
// each goods item beginItem() and item(f); a member no field of its object reads goes
// to otherName(). Strings and numbers are views: they must outlive the append.

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "runtime/load/batch_builder.h"

namespace tauekel::runtime {

// What is wrong, and where: a JSON path from the declaration object, such as
// "items[3].net_kg" (items counted from 0, as in JSON), or "" for the object as a whole.
struct FieldError {
  std::string path;
  std::string reason;
};

struct MemberValue {
  enum Kind : uint8_t { Absent, Null, String, Number, Bool, Object, Array };
  Kind kind = Absent;
  std::string_view text;  // a string's unescaped text, a number's source text, "true" or "false"
};

class DeclarationMembers {
 public:
  static constexpr size_t kNone = SIZE_MAX;

  explicit DeclarationMembers(const BatchBuilder& builder);

  // The field of a declaration (or goods item) that reads member `name`, or kNone.
  size_t declField(std::string_view name) const { return lookup(decl_index_, name); }
  size_t itemField(std::string_view name) const { return lookup(item_index_, name); }

  // Filling. Items past `max_items` are counted, not kept: such a declaration is refused.
  void clear(uint64_t max_items);
  MemberValue& decl(size_t field) { return slots_[field]; }
  MemberValue& items() { return items_; }
  // A new goods item of the "items" array; item(f) then names its fields. Returns
  // false for an item past the limit: its members are then not kept.
  bool beginItem(bool is_object);
  MemberValue& item(size_t field) { return slots_[slots_.size() - item_fields_ + field]; }
  // A member no field of its object reads; `object` is 0 for the declaration, i + 1 for
  // goods item i. Returns false when the object already has a member of that name.
  bool otherName(size_t object, std::string_view name);

  // Reading.
  const MemberValue& decl(size_t field) const { return slots_[field]; }
  const MemberValue& items() const { return items_; }
  uint64_t itemCount() const { return item_count_; }
  // The declaration's key as text, when it has one that reads as a value ("" else).
  std::string key(size_t key_field) const;
  // The members no field of their object reads, in the order the object gives them.
  struct OtherName {
    size_t object;
    std::string_view name;
  };
  const std::vector<OtherName>& otherNames() const { return others_; }
  // Whether object `object` (as in otherName) has a member `name`, null or not.
  bool has(size_t object, std::string_view name) const;

  // Appends the declaration whole, or nothing and the first thing wrong with it: the
  // declaration's fields in schema order, then its items in order, each item's fields
  // in schema order. `line` is noted as the declaration's input line.
  std::optional<FieldError> append(BatchBuilder& builder, Batch& batch, uint64_t line) const;

 private:
  using Index = std::unordered_map<std::string, size_t, StringHash, std::equal_to<>>;
  static size_t lookup(const Index& index, std::string_view name) {
    auto it = index.find(name);
    return it == index.end() ? kNone : it->second;
  }

  Index decl_index_, item_index_;
  size_t decl_fields_, item_fields_;
  uint64_t max_items_ = 0;
  std::vector<MemberValue> slots_;  // the declaration's fields, then each kept item's
  std::vector<uint8_t> item_is_object_;
  MemberValue items_;
  uint64_t item_count_ = 0;
  std::vector<OtherName> others_;
  static constexpr size_t kFewOthers = 32;
  std::set<std::pair<size_t, std::string_view>> large_;  // others_, once there are many
};

// The text a member holds, or false and the reason it holds none; a missing member or
// null is the empty text (a missing value). A number must be written with its digits:
// one with an exponent (1e5) is refused, as JSON has no NaN or Infinity.
bool memberText(const MemberValue& value, std::string_view& text, std::string& reason);

}  // namespace tauekel::runtime
