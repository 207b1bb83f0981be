#pragma once
// Exact decimals: a 64-bit integer counting millionths. Thresholds written in a profile
// compare exactly as written, with no binary floating point anywhere. Arithmetic
// saturates at the ends of the range instead of wrapping, so evaluation stays total.

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace tauekel::decimal {

inline constexpr int kScaleDigits = 6;
inline constexpr int64_t kScale = 1'000'000;
inline constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
inline constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

enum class ParseStatus { Ok, BadFormat, TooManyDigits, OutOfRange };

struct Parsed {
  ParseStatus status = ParseStatus::BadFormat;
  int64_t scaled = 0;
};

// Accepts [-]digits[.digits], '_' between digits allowed when allow_underscores.
Parsed parse(std::string_view text, bool allow_underscores = false);
// Like parse, but any number of fractional digits is accepted and rounded (half to
// even) to `digits` (0-6): for source data written by floating point (0.30000000000000004).
Parsed parseRounded(std::string_view text, int digits);
std::string format(int64_t scaled);
const char* describe(ParseStatus status);

inline int64_t clamp128(__int128 v) {
  if (v > kMax) return kMax;
  if (v < kMin) return kMin;
  return static_cast<int64_t>(v);
}
// An overflow has the sign of b (add) or of -b (sub): saturate that way.
inline int64_t add(int64_t a, int64_t b) {
  int64_t sum;
  if (__builtin_add_overflow(a, b, &sum)) return b > 0 ? kMax : kMin;
  return sum;
}
inline int64_t sub(int64_t a, int64_t b) {
  int64_t difference;
  if (__builtin_sub_overflow(a, b, &difference)) return b < 0 ? kMax : kMin;
  return difference;
}
// Integer multiply (int * int); also decimal * int.
inline int64_t mulInt(int64_t a, int64_t b) { return clamp128(static_cast<__int128>(a) * b); }
inline int64_t neg(int64_t a) { return a == kMin ? kMax : -a; }
// Decimal * decimal, truncated toward zero.
inline int64_t mul(int64_t a, int64_t b) {
  int64_t product;
  // Most products fit 64 bits, where dividing by the scale is a multiply and a shift;
  // 128-bit division is a library call.
  if (!__builtin_mul_overflow(a, b, &product)) return product / kScale;
  return clamp128(static_cast<__int128>(a) * b / kScale);
}
// Decimal / decimal, truncated toward zero; the caller handles b == 0 (missing).
// a * 10^6 / b computed as q * 10^6 + r * 10^6 / b (a = q * b + r): exact, since q and
// the fraction have the same sign, and in 64 bits whenever r * 10^6 fits.
inline int64_t div(int64_t a, int64_t b) {
  constexpr int64_t kLimit = kMax / kScale;
  if (a != kMin && b != kMin && b != -1 && (b < kLimit && b > -kLimit)) {
    int64_t q = a / b, r = a % b;
    if (q < kLimit && q > -kLimit) return q * kScale + r * kScale / b;
  }
  return clamp128(static_cast<__int128>(a) * kScale / b);
}
// Integer division truncated toward zero; INT64_MIN / -1 saturates.
inline int64_t divInt(int64_t a, int64_t b) { return clamp128(static_cast<__int128>(a) / b); }
inline int64_t fromInt(int64_t v) { return mulInt(v, kScale); }

}  // namespace tauekel::decimal
