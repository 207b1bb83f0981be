#include "support/utf8.h"

#include <cstdint>
#include <cstring>

namespace tauekel::utf8 {

Problem findProblem(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
  // ASCII without NUL, eight bytes at a time: no high bit, and no zero byte.
  while (i + 8 <= n) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    bool high = (w & 0x8080808080808080ull) != 0;
    bool zero = ((w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull) != 0;
    if (high || zero) break;
    i += 8;
  }
  while (i < n) {
    unsigned char c = p[i];
    if (c < 0x80) {
      if (c == 0) return {Problem::NulByte, i};
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; }
    else return {Problem::InvalidSequence, i};
    if (i + len > n) return {Problem::InvalidSequence, i};
    for (size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return {Problem::InvalidSequence, i};
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    const bool overlong = (len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
    if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return {Problem::InvalidSequence, i};
    i += len;
  }
  return {};
}

namespace {
// U+2400 + c for C0 controls, U+2421 for DEL: each shows as one visible column.
void appendControlPicture(std::string& out, unsigned char c) {
  uint32_t cp = c == 0x7F ? 0x2421 : 0x2400 + c;
  out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
  out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
  out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
}
}  // namespace

std::string sanitize(std::string_view text, bool controls) {
  static const char kReplacement[] = "\xEF\xBF\xBD";
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    Problem p = findProblem(text);
    size_t good = p.kind == Problem::None ? text.size() : p.offset;
    for (size_t i = 0; i < good; ++i) {
      auto c = static_cast<unsigned char>(text[i]);
      if (controls && (c < 0x20 || c == 0x7F) && c != '\t') {
        appendControlPicture(out, c);
      } else if (controls && c == 0xC2 && i + 1 < good && static_cast<unsigned char>(text[i + 1]) < 0xA0) {
        out += kReplacement;  // a C1 control (U+0080-U+009F): CSI and friends
        ++i;
      } else {
        out.push_back(static_cast<char>(c));
      }
    }
    if (p.kind == Problem::None) break;
    if (controls && p.kind == Problem::NulByte) appendControlPicture(out, 0);
    else out += kReplacement;
    text.remove_prefix(p.offset + 1);
  }
  return out;
}

size_t countCodePoints(std::string_view text) {
  size_t count = 0;
  for (unsigned char c : text) count += (c & 0xC0) != 0x80;
  return count;
}

}  // namespace tauekel::utf8
