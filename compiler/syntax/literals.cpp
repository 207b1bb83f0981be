#include "compiler/syntax/literals.h"

#include <fmt/format.h>

#include "support/date.h"
#include "support/decimal.h"

namespace tauekel::syntax {

std::string decodeInt(std::string_view text, int64_t& out) {
  uint64_t value = 0;
  for (char c : text) {
    if (c == '_') continue;
    value = value * 10 + static_cast<uint64_t>(c - '0');
    if (value > static_cast<uint64_t>(INT64_MAX)) return fmt::format("integer {} is out of range", text);
  }
  out = static_cast<int64_t>(value);
  return {};
}

std::string decodeDecimal(std::string_view text, int64_t& scaled) {
  auto parsed = decimal::parse(text, /*allow_underscores=*/true);
  if (parsed.status != decimal::ParseStatus::Ok)
    return fmt::format("decimal {}: {}", text, decimal::describe(parsed.status));
  scaled = parsed.scaled;
  return {};
}

std::string decodePercent(std::string_view text, int64_t& share, bool* out_of_range) {
  text.remove_suffix(1);  // '%'
  auto parsed = decimal::parse(text, /*allow_underscores=*/true);
  if (parsed.status == decimal::ParseStatus::OutOfRange) {
    if (out_of_range) *out_of_range = true;
    return fmt::format("percentage {}% is out of range: a percentage is at most about 9.2 * 10^12 %", text);
  }
  if (parsed.status != decimal::ParseStatus::Ok || parsed.scaled % 100 != 0)
    return fmt::format("percentage {}% must have at most 4 digits after the decimal point", text);
  share = parsed.scaled / 100;
  return {};
}

namespace {
void appendUtf8(std::string& s, uint32_t cp) {
  if (cp < 0x80) {
    s.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    s.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    s.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    s.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}
}  // namespace

std::string decodeString(std::string_view token, std::string& out) {
  out.clear();
  std::string_view body = token.substr(1, token.size() >= 2 ? token.size() - 2 : 0);
  for (size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    if (c != '\\') {
      out.push_back(c);
      continue;
    }
    if (++i >= body.size()) return "a string cannot end with a backslash";
    switch (body[i]) {
      case '"': out.push_back('"'); break;
      case '\\': out.push_back('\\'); break;
      case 'n': out.push_back('\n'); break;
      case 't': out.push_back('\t'); break;
      case 'r': out.push_back('\r'); break;
      case 'u': {
        if (i + 4 >= body.size()) return "\\u needs four hex digits";
        uint32_t cp = 0;
        for (int k = 1; k <= 4; ++k) {
          char h = body[i + static_cast<size_t>(k)];
          cp <<= 4;
          if (h >= '0' && h <= '9') cp |= static_cast<uint32_t>(h - '0');
          else if (h >= 'a' && h <= 'f') cp |= static_cast<uint32_t>(h - 'a' + 10);
          else if (h >= 'A' && h <= 'F') cp |= static_cast<uint32_t>(h - 'A' + 10);
          else return "\\u needs four hex digits";
        }
        if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) return fmt::format("\\u{:04X} is not allowed in a string", cp);
        appendUtf8(out, cp);
        i += 4;
        break;
      }
      default:
        return fmt::format("unknown escape \\{} (use \\\" \\\\ \\n \\t \\r or \\uXXXX)", body[i]);
    }
  }
  return {};
}

std::string decodeDate(std::string_view text, int32_t& days) {
  auto parsed = date::parse(text);
  if (!parsed) return fmt::format("{} is not a calendar date", text);
  days = *parsed;
  return {};
}

}  // namespace tauekel::syntax
