#include "compiler/sema/types.h"

namespace tauekel::sema {

int EnumInfo::find(const std::string& member) const {
  for (size_t i = 0; i < members.size(); ++i)
    if (members[i] == member) return static_cast<int>(i);
  return -1;
}

std::string toString(const Type& type) {
  std::string out;
  switch (type.kind) {
    case TypeKind::Error: out = "<error>"; break;
    case TypeKind::Bool: out = "bool"; break;
    case TypeKind::Int: out = "int"; break;
    case TypeKind::Decimal: out = "decimal"; break;
    case TypeKind::String: out = "string"; break;
    case TypeKind::Date: out = "date"; break;
    case TypeKind::Hs: out = "hs"; break;
    case TypeKind::Country: out = "country"; break;
    case TypeKind::Enum: out = type.enumeration ? type.enumeration->name : "enum"; break;
    case TypeKind::Set: out = "set<" + toString(*type.element) + ">"; break;
    case TypeKind::Map: out = "map<" + toString(*type.element) + ", " + toString(*type.value) + ">"; break;
    case TypeKind::Pair: out = toString(*type.element) + ", " + toString(*type.value); break;
    case TypeKind::Person: out = "person"; break;
    case TypeKind::Declaration: out = "declaration"; break;
    case TypeKind::Item: out = "item"; break;
  }
  if (type.optional) out += "?";
  return out;
}

const Type* TypeContext::get(TypeKind kind, bool optional, const EnumInfo* enumeration, const Type* element,
                             const Type* value) {
  for (const auto& t : types_)
    if (t.kind == kind && t.optional == optional && t.enumeration == enumeration && t.element == element &&
        t.value == value)
      return &t;
  types_.push_back(Type{kind, optional, enumeration, element, value});
  return &types_.back();
}

const Type* TypeContext::withOptional(const Type* type, bool optional) {
  if (type->optional == optional) return type;
  return get(type->kind, optional, type->enumeration, type->element, type->value);
}

}  // namespace tauekel::sema
