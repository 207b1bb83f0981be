#pragma once
// Byte-level checks done before any text reaches the lexer or a loader.

#include <cstddef>
#include <string>
#include <string_view>

namespace tauekel::utf8 {

struct Problem {
  enum Kind { None, NulByte, InvalidSequence } kind = None;
  size_t offset = 0;  // byte offset of the first bad byte
};

// The first NUL byte or malformed UTF-8 sequence (overlong, surrogate, > U+10FFFF).
Problem findProblem(std::string_view text);
// Valid UTF-8 with every malformed sequence replaced by U+FFFD. When `controls` is set
// (for text from input files shown on a terminal), control characters other than tab
// become their visible pictures (ESC shows as U+241B), and C1 controls U+FFFD: no
// escape sequence from a data file reaches a terminal, and each keeps one column.
std::string sanitize(std::string_view text, bool controls = false);
// Number of code points in a valid UTF-8 prefix; used for 1-based columns.
size_t countCodePoints(std::string_view text);

}  // namespace tauekel::utf8
