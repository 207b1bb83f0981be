#pragma once
// The IR's physical value types, apart from the rest of the IR: columns (runtime/vector)
// are laid out by them and need nothing else of it.

#include <cstdint>

namespace tauekel::ir {

// Physical value types. Bool is one byte; Int, Decimal (millionths) and Hs (padded code)
// are 64-bit; Date (days), Country, Enum, String (dictionary id) and Person (register row)
// are 32-bit.
enum class Type : uint8_t { Bool, Int, Decimal, Date, Hs, Country, Enum, String, Person };

}  // namespace tauekel::ir
