#include "runtime/load/field_parser.h"

#include <fmt/format.h>

#include "support/codes.h"
#include "support/date.h"
#include "support/decimal.h"
#include "support/integer.h"
#include "support/text.h"
#include "support/utf8.h"

namespace tauekel::runtime {

namespace {
ir::Type irType(const sema::Type& t) {
  switch (t.kind) {
    case sema::TypeKind::Bool: return ir::Type::Bool;
    case sema::TypeKind::Int: return ir::Type::Int;
    case sema::TypeKind::Decimal: return ir::Type::Decimal;
    case sema::TypeKind::Date: return ir::Type::Date;
    case sema::TypeKind::Hs: return ir::Type::Hs;
    case sema::TypeKind::Country: return ir::Type::Country;
    case sema::TypeKind::Enum: return ir::Type::Enum;
    case sema::TypeKind::Person: return ir::Type::Person;
    default: return ir::Type::String;
  }
}

std::string quoted(std::string_view text) { return text::quoted(text); }
}  // namespace

std::vector<FieldSpec> fieldSpecs(const sema::Schema& schema) {
  std::vector<FieldSpec> out;
  for (const auto& f : schema.fields) {
    FieldSpec spec;
    spec.name = f.name;
    spec.column = f.column;
    spec.type = irType(*f.type);
    spec.nullable = f.type->optional;
    spec.enumeration = f.type->enumeration;
    spec.round = f.round;
    out.push_back(std::move(spec));
  }
  return out;
}

std::string parseField(const FieldSpec& spec, std::string_view text, Column& column, size_t row, StringPool& strings,
                       const PersonIndex* persons) {
  if (text.empty()) {
    if (!spec.nullable) return "a value is required";
    column.setMissing(row);
    return {};
  }
  switch (spec.type) {
    case ir::Type::Bool:
      if (text == "1" || text == "true" || text == "TRUE" || text == "True") { column.set(row, 1); return {}; }
      if (text == "0" || text == "false" || text == "FALSE" || text == "False") { column.set(row, 0); return {}; }
      return fmt::format("{} is not a bool (true, false, 1 or 0)", quoted(text));
    case ir::Type::Int:
      if (auto v = integer::parse(text)) { column.set(row, *v); return {}; }
      return fmt::format("{} is not an integer", quoted(text));
    case ir::Type::Decimal: {
      auto parsed = spec.round >= 0 ? decimal::parseRounded(text, spec.round) : decimal::parse(text);
      if (parsed.status == decimal::ParseStatus::Ok) { column.set(row, parsed.scaled); return {}; }
      return fmt::format("{}: {}", quoted(text), decimal::describe(parsed.status));
    }
    case ir::Type::Date:
      if (auto d = date::parse(text)) { column.set(row, *d); return {}; }
      return fmt::format("{} is not a date (YYYY-MM-DD)", quoted(text));
    case ir::Type::Hs:
      if (auto hs = codes::parseHs(text); hs && hs->length >= 6) { column.set(row, hs->padded); return {}; }
      return fmt::format("{} is not a commodity code (6, 8 or 10 digits)", quoted(text));
    case ir::Type::Country:
      if (auto c = codes::parseCountry(text)) { column.set(row, *c); return {}; }
      return fmt::format("{} is not a country code (two capital letters)", quoted(text));
    case ir::Type::Enum: {
      int index = spec.enumeration ? spec.enumeration->find(std::string(text)) : -1;
      if (index >= 0) { column.set(row, index); return {}; }
      std::string members;
      if (spec.enumeration)
        for (const auto& m : spec.enumeration->members) members += (members.empty() ? "" : ", ") + m;
      return fmt::format("{} is not one of {}", quoted(text), members);
    }
    case ir::Type::String:
      if (auto problem = utf8::findProblem(text); problem.kind != utf8::Problem::None) {
        if (problem.kind == utf8::Problem::NulByte)
          return fmt::format("text holds a NUL byte (byte {} of the value)", problem.offset + 1);
        return fmt::format("text is not valid UTF-8 (byte {} of the value is 0x{:02X})", problem.offset + 1,
                           static_cast<unsigned char>(text[problem.offset]));
      }
      column.set(row, strings.intern(text));
      return {};
    case ir::Type::Person: {
      int32_t person = -1;
      if (persons) {
        auto it = persons->find(text);
        if (it != persons->end()) person = it->second;
      }
      column.set(row, person);
      return {};
    }
  }
  return "unsupported type";
}

}  // namespace tauekel::runtime
