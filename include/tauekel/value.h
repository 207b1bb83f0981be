#pragma once
// A value of one declaration or goods-item field, as a program holds it, for building
// declarations without writing CSV or JSON text. The field's type in the profiles'
// schema decides what is accepted: a code or a country as text, a decimal exactly, a
// date as a date or as ISO text.
//
// Part of Tauekel's public interface: it includes nothing of the engine's internals.

#include <cstdint>
#include <string_view>
#include <variant>

namespace tauekel {

struct Date {
  int year = 0;
  int month = 0;  // 1..12
  int day = 0;    // 1..31
};

// units × 10^-scale, exactly: {12345, 2} is 123.45.
struct Decimal {
  int64_t units = 0;
  int scale = 0;  // 0..18
};

// std::monostate: the field is missing (as a null or an absent JSON member). Text is
// borrowed for the call only.
using FieldValue = std::variant<std::monostate, bool, int64_t, Decimal, Date, std::string_view>;

}  // namespace tauekel
