#pragma once
// The digests and times governance writes: SHA-256 as lowercase hex (libsodium), and
// UTC times in ISO 8601. One place, so meanings, audit records and packages agree.

#include <ctime>
#include <string>
#include <string_view>

namespace tauekel::governance {

std::string hexOf(const unsigned char* bytes, size_t n);
std::string sha256Hex(std::string_view bytes);

// UTC, ISO 8601 to the second: "2026-12-03T19:40:00Z".
std::string utcTime(std::time_t t);
std::string utcNow();

}  // namespace tauekel::governance
