#include "runtime/load/declaration_json.h"

namespace tauekel::runtime {

namespace {

MemberValue memberValue(const json::Value& v) {
  if (v.isNull()) return {MemberValue::Null, {}};
  if (v.isString()) return {MemberValue::String, v.asString()};
  if (v.isNumber()) return {MemberValue::Number, v.numberText()};
  if (v.isBool()) return {MemberValue::Bool, v.asBool() ? "true" : "false"};
  return {v.isArray() ? MemberValue::Array : MemberValue::Object, {}};
}

}  // namespace

bool readJsonMembers(const json::Value& object, DeclarationMembers& members, uint64_t max_items) {
  members.clear(max_items);
  if (!object.isObject()) return false;
  // The parser refused any object naming a member twice: no member is seen twice here.
  for (const auto& [name, value] : object.asObject()) {
    if (size_t f = members.declField(name); f != DeclarationMembers::kNone) {
      members.decl(f) = memberValue(value);
    } else if (name == "items") {
      members.items() = memberValue(value);
      if (!value.isArray()) continue;
      for (const auto& item : value.asArray()) {
        if (!members.beginItem(item.isObject()) || !item.isObject()) continue;
        size_t object_index = members.itemCount();
        for (const auto& [item_name, item_value] : item.asObject()) {
          if (size_t g = members.itemField(item_name); g != DeclarationMembers::kNone)
            members.item(g) = memberValue(item_value);
          else
            members.otherName(object_index, item_name);
        }
      }
    } else {
      members.otherName(0, name);
    }
  }
  return true;
}

std::set<std::string, std::less<>> knownJsonMembers(const BatchBuilder& builder) {
  std::set<std::string, std::less<>> known;
  for (const auto* fields : {&builder.declFields(), &builder.itemFields()})
    for (const auto& f : *fields) known.insert(f.column);
  known.insert("items");
  return known;
}

}  // namespace tauekel::runtime
