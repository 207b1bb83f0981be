#pragma once
// Decoding literal tokens into values. Each returns an error text for a diagnostic, or
// an empty string on success.

#include <cstdint>
#include <string>
#include <string_view>

namespace tauekel::syntax {

std::string decodeInt(std::string_view text, int64_t& out);
std::string decodeDecimal(std::string_view text, int64_t& scaled);
// "12.5%" -> 125000 (millionths of one). `out_of_range` (if given) tells a value too
// large for a decimal apart from one written with too many digits.
std::string decodePercent(std::string_view text, int64_t& share, bool* out_of_range = nullptr);
// The token with its quotes; handles \" \\ \n \t \r and \uXXXX.
std::string decodeString(std::string_view token, std::string& out);
std::string decodeDate(std::string_view text, int32_t& days);

}  // namespace tauekel::syntax
