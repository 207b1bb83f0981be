#include "runtime/load/field_parser.h"

#include <fmt/format.h>

#include <cstring>

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

// [-]digits[.digits] with at most 13 whole and 6 fractional digits, the form nearly every
// amount takes; false for anything else ('+', 1e5, 20 digits, 7 decimals), which the
// general parser then decides. The value is the one decimal::parse gives.
bool plainDecimal(std::string_view text, int64_t& out) {
  const char* p = text.data();
  const char* end = p + text.size();
  bool negative = p < end && *p == '-';
  p += negative;
  const char* whole_start = p;
  uint64_t whole = 0;
  for (; p < end && static_cast<unsigned char>(*p - '0') < 10; ++p) whole = whole * 10 + static_cast<uint64_t>(*p - '0');
  auto whole_digits = p - whole_start;
  if (whole_digits == 0 || whole_digits > 13) return false;
  uint64_t frac = 0;
  if (p < end) {
    if (*p != '.') return false;
    const char* frac_start = ++p;
    for (; p < end && static_cast<unsigned char>(*p - '0') < 10; ++p) frac = frac * 10 + static_cast<uint64_t>(*p - '0');
    auto frac_digits = p - frac_start;
    if (p != end || frac_digits == 0 || frac_digits > decimal::kScaleDigits) return false;
    static constexpr uint64_t kPow10[] = {1, 10, 100, 1000, 10000, 100000, 1000000};
    frac *= kPow10[decimal::kScaleDigits - frac_digits];
  }
  uint64_t value = whole * static_cast<uint64_t>(decimal::kScale) + frac;  // < 10^19: no overflow
  if (value > static_cast<uint64_t>(decimal::kMax)) return false;
  out = negative ? -static_cast<int64_t>(value) : static_cast<int64_t>(value);
  return true;
}

// Whether plainDecimal would take `text`, without adding up its digits (a chain of
// multiplies); a 13-digit whole part may be out of range, so it says "look closer".
bool plainDecimalForm(std::string_view text) {
  const char* p = text.data();
  const char* end = p + text.size();
  p += p < end && *p == '-';
  const char* whole_start = p;
  while (p < end && static_cast<unsigned char>(*p - '0') < 10) ++p;
  auto whole_digits = p - whole_start;
  if (whole_digits == 0 || whole_digits > 12) return false;
  if (p == end) return true;
  if (*p != '.') return false;
  const char* frac_start = ++p;
  while (p < end && static_cast<unsigned char>(*p - '0') < 10) ++p;
  auto frac_digits = p - frac_start;
  return p == end && frac_digits > 0 && frac_digits <= decimal::kScaleDigits;
}

// ASCII without NUL, eight bytes at a time; false means "look closer" (utf8::findProblem).
bool plainAscii(std::string_view text) {
  const char* p = text.data();
  size_t n = text.size(), i = 0;
  uint64_t any_high = 0, any_zero = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    any_high |= w;
    any_zero |= (w - 0x0101010101010101ull) & ~w;
  }
  for (; i < n; ++i) {
    auto c = static_cast<uint64_t>(static_cast<unsigned char>(p[i]));
    any_high |= c;
    any_zero |= c == 0 ? 0x80 : 0;
  }
  return ((any_high | any_zero) & 0x8080808080808080ull) == 0;
}

// One field's text into its column: false when it is no value of the type.
// A field whose value is not kept: checked, and a placeholder stored.
inline bool checkOnly(const FieldSpec& spec, std::string_view text, Column& column, size_t row, FieldStore& store) {
  switch (spec.type) {
    case ir::Type::Decimal:
      if (spec.round >= 0 || !plainDecimalForm(text)) break;
      column.setWide(row, 0);
      return true;
    case ir::Type::String:
      if (!plainAscii(text) && utf8::findProblem(text).kind != utf8::Problem::None) return false;
      if (store.blank_epoch != store.strings.epoch()) {
        store.blank_id = store.strings.intern("");
        store.blank_epoch = store.strings.epoch();
      }
      column.setNarrow(row, store.blank_id);
      return true;
    default:
      break;
  }
  // The other kinds cost little to keep: checked and kept alike.
  return parseField(spec, text, column, row, store.strings, store.persons).empty();
}

inline bool storeOne(const FieldSpec& spec, std::string_view text, Column& column, size_t row, FieldStore& store,
                     bool read) {
  if (text.empty()) {
    if (!spec.nullable) return false;
    column.setMissing(row);
    return true;
  }
  StringPool& strings = store.strings;
  if (!read && spec.type != ir::Type::Person) return checkOnly(spec, text, column, row, store);
  switch (spec.type) {
    case ir::Type::Decimal: {
      int64_t v;
      if (spec.round < 0 && plainDecimal(text, v)) {
        column.setWide(row, v);
        return true;
      }
      auto parsed = spec.round >= 0 ? decimal::parseRounded(text, spec.round) : decimal::parse(text);
      if (parsed.status != decimal::ParseStatus::Ok) return false;
      column.setWide(row, parsed.scaled);
      return true;
    }
    case ir::Type::String:
      if (!plainAscii(text) && utf8::findProblem(text).kind != utf8::Problem::None) return false;
      column.setNarrow(row, strings.intern(text));
      return true;
    case ir::Type::Hs: {
      auto hs = codes::parseHs(text);
      if (!hs || hs->length < 6) return false;
      column.setWide(row, hs->padded);
      return true;
    }
    case ir::Type::Country: {
      auto c = codes::parseCountry(text);
      if (!c) return false;
      column.setNarrow(row, *c);
      return true;
    }
    case ir::Type::Int: {
      auto v = integer::parse(text);
      if (!v) return false;
      column.setWide(row, *v);
      return true;
    }
    case ir::Type::Date: {
      auto d = date::parse(text);
      if (!d) return false;
      column.setNarrow(row, *d);
      return true;
    }
    case ir::Type::Enum: {
      if (!spec.enumeration) return false;
      const auto& members = spec.enumeration->members;
      for (size_t i = 0; i < members.size(); ++i)
        if (members[i] == text) {
          column.setNarrow(row, static_cast<int32_t>(i));
          return true;
        }
      return false;
    }
    case ir::Type::Person: {
      int32_t person = store.persons ? store.persons->find(text) : -1;
      if (person < 0) store.unregistered.push_back(std::hash<std::string_view>{}(text));
      column.setNarrow(row, person);
      return true;
    }
    case ir::Type::Bool:
      return parseField(spec, text, column, row, strings, store.persons).empty();
  }
  return false;
}
}  // namespace

size_t storeFields(const std::vector<FieldSpec>& specs, const std::string_view* texts, std::vector<Column>& columns,
                   size_t row, FieldStore& store) {
  for (size_t f = 0; f < specs.size(); ++f)
    if (!storeOne(specs[f], texts[f], columns[f], row, store, !store.read || store.read[f])) return f;
  return SIZE_MAX;
}

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
      column.set(row, persons ? persons->find(text) : -1);
      return {};
    }
  }
  return "unsupported type";
}

}  // namespace tauekel::runtime
