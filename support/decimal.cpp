#include "support/decimal.h"

namespace tauekel::decimal {

Parsed parse(std::string_view text, bool allow_underscores) {
  Parsed out;
  // The whole part of a representable value has at most 13 digits (kMax / kScale), so
  // 64-bit arithmetic with one range check suffices.
  constexpr uint64_t kMaxWhole = static_cast<uint64_t>(kMax / kScale);
  size_t i = 0;
  const size_t n = text.size();
  bool negative = false;
  if (i < n && (text[i] == '-' || text[i] == '+')) {
    negative = text[i] == '-';
    ++i;
  }
  uint64_t whole = 0;
  int whole_digits = 0;
  bool last_was_digit = false;
  for (; i < n && text[i] != '.'; ++i) {
    char c = text[i];
    if (c == '_' && allow_underscores && last_was_digit && i + 1 < n && text[i + 1] >= '0' && text[i + 1] <= '9') {
      last_was_digit = false;
      continue;
    }
    if (c < '0' || c > '9') return out;
    whole = whole * 10 + static_cast<uint64_t>(c - '0');
    if (whole > kMaxWhole) {
      out.status = ParseStatus::OutOfRange;
      return out;
    }
    ++whole_digits;
    last_was_digit = true;
  }
  int64_t frac = 0;
  int frac_digits = 0;
  if (i < n) {  // at '.'
    ++i;
    if (i == n) return out;
    for (; i < n; ++i) {
      char c = text[i];
      if (c == '_' && allow_underscores && last_was_digit && i + 1 < n && text[i + 1] >= '0' && text[i + 1] <= '9') {
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
  static constexpr int64_t kPow10[] = {1, 10, 100, 1000, 10000, 100000, 1000000};
  frac *= kPow10[kScaleDigits - frac_digits];
  uint64_t value = whole * static_cast<uint64_t>(kScale) + static_cast<uint64_t>(frac);
  if (value > static_cast<uint64_t>(kMax)) {
    out.status = ParseStatus::OutOfRange;
    return out;
  }
  out.status = ParseStatus::Ok;
  out.scaled = negative ? -static_cast<int64_t>(value) : static_cast<int64_t>(value);
  return out;
}

Parsed parseRounded(std::string_view text, int digits) {
  Parsed out;
  size_t dot = text.find('.');
  if (dot == std::string_view::npos || text.size() - dot - 1 <= static_cast<size_t>(digits)) {
    // Nothing to round away: the exact parse, then keep `digits` places.
    out = parse(text);
    if (out.status != ParseStatus::Ok) return out;
    int64_t unit = 1;
    for (int i = digits; i < kScaleDigits; ++i) unit *= 10;
    if (out.scaled % unit != 0) out.status = ParseStatus::TooManyDigits;
    return out;
  }
  std::string_view kept = text.substr(0, dot + 1 + static_cast<size_t>(digits));
  std::string_view rest = text.substr(dot + 1 + static_cast<size_t>(digits));
  for (char c : rest)
    if (c < '0' || c > '9') return out;
  std::string base(kept);
  if (base.back() == '.') base.pop_back();
  out = parse(base);
  if (out.status != ParseStatus::Ok) return out;
  // Half to even on the first dropped digit and whatever follows it.
  bool more = rest.find_first_not_of('0', 1) != std::string_view::npos;
  int first = rest[0] - '0';
  int64_t unit = 1;
  for (int i = digits; i < kScaleDigits; ++i) unit *= 10;
  bool odd = (out.scaled / unit) % 2 != 0;
  bool up = first > 5 || (first == 5 && (more || odd));
  if (up) {
    bool negative = !text.empty() && text[0] == '-';
    out.scaled = negative ? sub(out.scaled, unit) : add(out.scaled, unit);
    if (out.scaled == kMax || out.scaled == kMin) out.status = ParseStatus::OutOfRange;
  }
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
