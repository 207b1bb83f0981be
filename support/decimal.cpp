#include "support/decimal.h"

namespace tauekel::decimal {

Parsed parse(std::string_view text, bool allow_underscores) {
  Parsed out;
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
    negative = text[i] == '-';
    ++i;
  }
  __int128 whole = 0;
  int whole_digits = 0;
  bool last_was_digit = false;
  for (; i < text.size() && text[i] != '.'; ++i) {
    char c = text[i];
    if (c == '_' && allow_underscores && last_was_digit && i + 1 < text.size() &&
        text[i + 1] >= '0' && text[i + 1] <= '9') {
      last_was_digit = false;
      continue;
    }
    if (c < '0' || c > '9') return out;
    whole = whole * 10 + (c - '0');
    if (whole > static_cast<__int128>(kMax)) {
      out.status = ParseStatus::OutOfRange;
      return out;
    }
    ++whole_digits;
    last_was_digit = true;
  }
  int64_t frac = 0;
  int frac_digits = 0;
  if (i < text.size()) {  // at '.'
    ++i;
    if (i == text.size()) return out;
    for (; i < text.size(); ++i) {
      char c = text[i];
      if (c == '_' && allow_underscores && last_was_digit && i + 1 < text.size() &&
          text[i + 1] >= '0' && text[i + 1] <= '9') {
        last_was_digit = false;
        continue;
      }
      if (c < '0' || c > '9') return out;
      last_was_digit = true;
      if (frac_digits == kScaleDigits) {
        // Trailing zeros beyond the scale lose nothing; anything else would.
        if (c != '0') {
          out.status = ParseStatus::TooManyDigits;
          return out;
        }
        continue;
      }
      frac = frac * 10 + (c - '0');
      ++frac_digits;
    }
  }
  if (whole_digits == 0) return out;
  for (int d = frac_digits; d < kScaleDigits; ++d) frac *= 10;
  __int128 value = whole * kScale + frac;
  if (negative) value = -value;
  if (value > kMax || value < -static_cast<__int128>(kMax)) {
    out.status = ParseStatus::OutOfRange;
    return out;
  }
  out.status = ParseStatus::Ok;
  out.scaled = static_cast<int64_t>(value);
  return out;
}

std::string format(int64_t scaled) {
  std::string out;
  unsigned __int128 magnitude;
  if (scaled < 0) {
    out.push_back('-');
    magnitude = static_cast<unsigned __int128>(-static_cast<__int128>(scaled));
  } else {
    magnitude = static_cast<unsigned __int128>(scaled);
  }
  auto whole = static_cast<uint64_t>(magnitude / kScale);
  auto frac = static_cast<uint64_t>(magnitude % kScale);
  out += std::to_string(whole);
  if (frac != 0) {
    std::string digits = std::to_string(frac);
    digits.insert(0, kScaleDigits - digits.size(), '0');
    while (!digits.empty() && digits.back() == '0') digits.pop_back();
    out.push_back('.');
    out += digits;
  }
  return out;
}

const char* describe(ParseStatus status) {
  switch (status) {
    case ParseStatus::Ok: return "ok";
    case ParseStatus::BadFormat: return "not a decimal number";
    case ParseStatus::TooManyDigits: return "more than 6 digits after the decimal point";
    case ParseStatus::OutOfRange: return "number out of range";
  }
  return "?";
}

}  // namespace tauekel::decimal
