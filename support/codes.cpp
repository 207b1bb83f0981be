#include "support/codes.h"

namespace tauekel::codes {

std::optional<HsCode> parseHs(std::string_view text) {
  if (text.size() < 2 || text.size() > kHsDigits || text.size() % 2 != 0) return std::nullopt;
  int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  HsCode code;
  code.length = static_cast<int>(text.size());
  code.padded = value * hsDivisor(code.length);
  return code;
}

std::string formatHs(int64_t padded, int length) {
  std::string digits = std::to_string(padded);
  if (digits.size() < kHsDigits) digits.insert(0, kHsDigits - digits.size(), '0');
  digits.resize(static_cast<size_t>(length));
  return digits;
}

std::string formatCountry(uint16_t packed) {
  return std::string{static_cast<char>(packed >> 8), static_cast<char>(packed & 0xFF)};
}

}  // namespace tauekel::codes
