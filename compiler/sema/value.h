#pragma once
// A scalar value of the language, as stored in literals, lists and tables.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "compiler/sema/types.h"

namespace tauekel::sema {

// Bool, Int, Decimal (millionths), Date (days), Hs (padded code), Country (packed) and
// Enum (ordinal) live in `number`; String in `text`.
struct Value {
  int64_t number = 0;
  std::string text;
  int digits = 0;  // Hs only: how many digits were written (2..10), for prefix matching
  bool operator==(const Value&) const = default;
};

// Parses one data-file cell as `type` (its non-optional form). On failure returns
// nullopt and sets `reason` to a sentence naming what was expected.
std::optional<Value> parseCell(const Type& type, std::string_view cell, std::string& reason);

// The value as written in our outputs and messages (dates ISO, codes as text).
std::string formatValue(const Type& type, const Value& value);

}  // namespace tauekel::sema
