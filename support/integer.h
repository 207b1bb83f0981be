#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace tauekel::integer {

// [+-]digits within the signed 64-bit range; nothing else.
inline std::optional<int64_t> parse(std::string_view text) {
  size_t i = 0;
  bool negative = false;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    negative = text[0] == '-';
    i = 1;
  }
  if (i == text.size()) return std::nullopt;
  uint64_t value = 0;
  for (; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    uint64_t digit = static_cast<uint64_t>(text[i] - '0');
    if (value > (static_cast<uint64_t>(INT64_MAX) - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  auto magnitude = static_cast<int64_t>(value);
  return negative ? -magnitude : magnitude;
}

}  // namespace tauekel::integer
