#include "compiler/sema/value.h"

#include <fmt/format.h>

#include "support/codes.h"
#include "support/date.h"
#include "support/decimal.h"
#include "support/integer.h"

namespace tauekel::sema {

namespace {
bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}
}  // namespace

std::optional<Value> parseCell(const Type& type, std::string_view cell, std::string& reason) {
  Value v;
  switch (type.kind) {
    case TypeKind::Bool:
      if (cell == "1" || equalsIgnoreCase(cell, "true")) { v.number = 1; return v; }
      if (cell == "0" || equalsIgnoreCase(cell, "false")) { v.number = 0; return v; }
      reason = fmt::format("`{}` is not a bool (true, false, 1 or 0)", cell);
      return std::nullopt;
    case TypeKind::Int: {
      if (auto parsed = integer::parse(cell)) { v.number = *parsed; return v; }
      reason = fmt::format("`{}` is not an integer", cell);
      return std::nullopt;
    }
    case TypeKind::Decimal: {
      auto parsed = decimal::parse(cell);
      if (parsed.status != decimal::ParseStatus::Ok) {
        reason = parsed.status == decimal::ParseStatus::TooManyDigits
                     ? fmt::format("`{}` has more than 6 digits after the decimal point", cell)
                 : parsed.status == decimal::ParseStatus::OutOfRange ? fmt::format("`{}` is out of range", cell)
                                                                      : fmt::format("`{}` is not a decimal number", cell);
        return std::nullopt;
      }
      v.number = parsed.scaled;
      return v;
    }
    case TypeKind::String:
      v.text = std::string(cell);
      return v;
    case TypeKind::Date:
      if (auto d = date::parse(cell)) { v.number = *d; return v; }
      reason = fmt::format("`{}` is not a date (YYYY-MM-DD)", cell);
      return std::nullopt;
    case TypeKind::Hs:
      if (auto hs = codes::parseHs(cell)) {
        v.number = hs->padded;
        v.digits = hs->length;
        return v;
      }
      reason = fmt::format("`{}` is not a commodity code (2 to 10 digits, even length)", cell);
      return std::nullopt;
    case TypeKind::Country:
      if (auto c = codes::parseCountry(cell)) { v.number = *c; return v; }
      reason = fmt::format("`{}` is not a country code (two capital letters)", cell);
      return std::nullopt;
    case TypeKind::Enum: {
      int index = type.enumeration->find(std::string(cell));
      if (index >= 0) { v.number = index; return v; }
      std::string members;
      for (const auto& m : type.enumeration->members) members += (members.empty() ? "" : ", ") + m;
      reason = fmt::format("`{}` is not a {} (one of {})", cell, type.enumeration->name, members);
      return std::nullopt;
    }
    default:
      reason = fmt::format("values of type {} cannot be read from a file", toString(type));
      return std::nullopt;
  }
}

std::string formatValue(const Type& type, const Value& value) {
  switch (type.kind) {
    case TypeKind::Bool: return value.number ? "true" : "false";
    case TypeKind::Int: return std::to_string(value.number);
    case TypeKind::Decimal: return decimal::format(value.number);
    case TypeKind::String: return value.text;
    case TypeKind::Date: return date::format(static_cast<int32_t>(value.number));
    case TypeKind::Hs: return codes::formatHs(value.number, value.digits ? value.digits : codes::kHsDigits);
    case TypeKind::Country: return codes::formatCountry(static_cast<uint16_t>(value.number));
    case TypeKind::Enum:
      if (type.enumeration && value.number >= 0 && static_cast<size_t>(value.number) < type.enumeration->members.size())
        return type.enumeration->members[static_cast<size_t>(value.number)];
      return std::to_string(value.number);
    default: return "?";
  }
}

}  // namespace tauekel::sema
