#pragma once
// Types of the profile language. Types are interned by TypeContext, so two types are
// equal exactly when their pointers are.

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "compiler/source/source_manager.h"

namespace tauekel::sema {

enum class TypeKind : uint8_t {
  Error,        // after a diagnostic; silences follow-on errors
  Bool,
  Int,
  Decimal,
  String,
  Date,
  Hs,           // commodity code
  Country,
  Enum,
  Set,
  Map,
  Person,       // a trader, through the person register
  Declaration,  // the declaration record (only as an indicator argument)
  Item,         // the goods-item record (only as an indicator argument)
  Pair,         // the two keys of a table keyed by two values: element, then value
};

struct EnumInfo {
  std::string name;
  std::vector<std::string> members;
  source::Range range;
  std::string package;
  bool used = false;
  int find(const std::string& member) const;
};

struct Type {
  TypeKind kind = TypeKind::Error;
  bool optional = false;
  const EnumInfo* enumeration = nullptr;  // Enum
  const Type* element = nullptr;          // Set element, Map key
  const Type* value = nullptr;            // Map value

  bool isNumeric() const { return kind == TypeKind::Int || kind == TypeKind::Decimal; }
  bool isScalar() const { return kind >= TypeKind::Bool && kind <= TypeKind::Enum; }
  bool isError() const { return kind == TypeKind::Error; }
};

std::string toString(const Type& type);

class TypeContext {
 public:
  const Type* get(TypeKind kind, bool optional = false, const EnumInfo* enumeration = nullptr,
                  const Type* element = nullptr, const Type* value = nullptr);
  const Type* error() { return get(TypeKind::Error); }
  const Type* boolean(bool optional = false) { return get(TypeKind::Bool, optional); }
  const Type* integer(bool optional = false) { return get(TypeKind::Int, optional); }
  const Type* decimal(bool optional = false) { return get(TypeKind::Decimal, optional); }
  const Type* withOptional(const Type* type, bool optional);
  const Type* setOf(const Type* element) { return get(TypeKind::Set, false, nullptr, element); }
  const Type* mapOf(const Type* key, const Type* value) { return get(TypeKind::Map, false, nullptr, key, value); }
  const Type* pairOf(const Type* first, const Type* second) { return get(TypeKind::Pair, false, nullptr, first, second); }

 private:
  std::deque<Type> types_;
};

}  // namespace tauekel::sema
