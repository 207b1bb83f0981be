#include "runtime/load/declaration_members.h"

#include <fmt/format.h>

#include <algorithm>

#include "support/text.h"

namespace tauekel::runtime {

bool memberText(const MemberValue& value, std::string_view& text, std::string& reason) {
  text = {};
  switch (value.kind) {
    case MemberValue::Absent:
    case MemberValue::Null:
      return true;
    case MemberValue::String:
      if (value.text.empty()) {
        reason = "an empty string; leave the member out or write null for a missing value";
        return false;
      }
      text = value.text;
      return true;
    case MemberValue::Number:
      if (value.text.find_first_of("eE") != std::string_view::npos) {
        reason = fmt::format("{}: a number with an exponent; write its digits (numbers are read exactly, never "
                             "through floating point)",
                             text::quoted(value.text));
        return false;
      }
      text = value.text;
      return true;
    case MemberValue::Bool:
      text = value.text;
      return true;
    case MemberValue::Object:
    case MemberValue::Array:
      reason = "an object or array where a single value is expected";
      return false;
  }
  return false;
}

DeclarationMembers::DeclarationMembers(const BatchBuilder& builder)
    : decl_fields_(builder.declFields().size()), item_fields_(builder.itemFields().size()) {
  for (size_t f = 0; f < decl_fields_; ++f) decl_index_.emplace(builder.declFields()[f].column, f);
  for (size_t f = 0; f < item_fields_; ++f) item_index_.emplace(builder.itemFields()[f].column, f);
  clear(0);
}

void DeclarationMembers::clear(uint64_t max_items) {
  max_items_ = max_items;
  slots_.assign(decl_fields_, MemberValue{});
  item_is_object_.clear();
  items_ = {};
  item_count_ = 0;
  others_.clear();
  large_.clear();
}

bool DeclarationMembers::beginItem(bool is_object) {
  if (++item_count_ > max_items_) return false;
  item_is_object_.push_back(is_object);
  slots_.resize(slots_.size() + item_fields_);
  return true;
}

bool DeclarationMembers::otherName(size_t object, std::string_view name) {
  // Linear while few (the usual case: none), then a set, so that many is not quadratic.
  if (others_.size() < kFewOthers) {
    if (has(object, name)) return false;
  } else {
    if (large_.empty())
      for (const auto& other : others_) large_.emplace(other.object, other.name);
    if (!large_.emplace(object, name).second) return false;
  }
  others_.push_back({object, name});
  return true;
}

bool DeclarationMembers::has(size_t object, std::string_view name) const {
  if (object == 0) {
    if (size_t f = declField(name); f != kNone) return slots_[f].kind != MemberValue::Absent;
    if (name == "items") return items_.kind != MemberValue::Absent;
  } else if (size_t f = itemField(name); f != kNone) {
    if (object > item_is_object_.size()) return false;  // an item past the limit
    return slots_[decl_fields_ + (object - 1) * item_fields_ + f].kind != MemberValue::Absent;
  }
  if (others_.size() >= kFewOthers && !large_.empty()) return large_.count({object, name}) > 0;
  return std::any_of(others_.begin(), others_.end(),
                     [&](const OtherName& other) { return other.object == object && other.name == name; });
}

std::string DeclarationMembers::key(size_t key_field) const {
  std::string_view text;
  std::string reason;
  if (!memberText(slots_[key_field], text, reason)) return "";
  return std::string(text);
}

std::optional<FieldError> DeclarationMembers::append(BatchBuilder& builder, Batch& batch, uint64_t line) const {
  const auto& decl_fields = builder.declFields();
  std::string_view text;
  std::string reason;
  builder.beginDeclaration(batch, line);
  auto fail = [&](std::string path, std::string why) {
    builder.abandonDeclaration(batch);
    return FieldError{std::move(path), std::move(why)};
  };
  for (size_t f = 0; f < decl_fields.size(); ++f) {
    if (!memberText(slots_[f], text, reason) || !(reason = builder.setDeclField(batch, f, text)).empty())
      return fail(decl_fields[f].column, reason);
  }
  if (items_.kind != MemberValue::Array) return fail("items", "a declaration needs an \"items\" array");
  if (item_count_ > max_items_)
    return fail("items", fmt::format("{} goods items, more than the {} one declaration may have", item_count_,
                                     max_items_));
  const auto& item_fields = builder.itemFields();
  for (size_t index = 0; index < item_count_; ++index) {
    if (!item_is_object_[index]) return fail(fmt::format("items[{}]", index), "a goods item must be a JSON object");
    builder.beginItem(batch);
    const MemberValue* slots = &slots_[decl_fields_ + index * item_fields_];
    for (size_t f = 0; f < item_fields.size(); ++f) {
      if (!memberText(slots[f], text, reason) || !(reason = builder.setItemField(batch, f, text)).empty())
        return fail(fmt::format("items[{}].{}", index, item_fields[f].column), reason);
    }
  }
  builder.endDeclaration(batch);
  return std::nullopt;
}

}  // namespace tauekel::runtime
