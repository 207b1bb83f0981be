#pragma once
// Commodity codes (HS / EAEU CN FEA) and ISO 3166-1 alpha-2 country codes.
//
// A commodity code is stored as its digits right-padded with zeros to 10 digits, so a
// prefix test by chapter / heading / subheading is one integer division.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tauekel::codes {

inline constexpr int kHsDigits = 10;

struct HsCode {
  int64_t padded = 0;  // digits right-padded to 10
  int length = 0;      // digits written: 2, 4, 6, 8 or 10
};

// Digits only, an even length from 2 to 10.
std::optional<HsCode> parseHs(std::string_view text);
std::string formatHs(int64_t padded, int length = kHsDigits);
// 10^(10 - length): the divisor that reduces a padded code to its first `length` digits.
inline int64_t hsDivisor(int length) {
  static constexpr int64_t kDivisors[kHsDigits + 1] = {10'000'000'000, 1'000'000'000, 100'000'000, 10'000'000,
                                                       1'000'000,      100'000,       10'000,      1'000,
                                                       100,            10,            1};
  return length >= 0 && length <= kHsDigits ? kDivisors[length] : 1;
}
// A padded code (never negative) cut to its first `length` digits: padded / hsDivisor,
// with each divisor a constant, so a multiply instead of a division on hot paths.
inline int64_t hsCut(int64_t padded, int length) {
  switch (length) {
    case 2: return padded / 100'000'000;
    case 4: return padded / 1'000'000;
    case 6: return padded / 10'000;
    case 8: return padded / 100;
    case 10: return padded;
    default: return padded / hsDivisor(length);
  }
}
inline bool hsHasPrefix(int64_t padded, const HsCode& prefix) {
  int64_t d = hsDivisor(prefix.length);
  return padded / d == prefix.padded / d;
}

// Two ASCII capital letters, packed as (first << 8) | second.
inline std::optional<uint16_t> parseCountry(std::string_view text) {
  if (text.size() != 2) return std::nullopt;
  for (char c : text)
    if (c < 'A' || c > 'Z') return std::nullopt;
  return static_cast<uint16_t>((text[0] << 8) | text[1]);
}
std::string formatCountry(uint16_t packed);

}  // namespace tauekel::codes
