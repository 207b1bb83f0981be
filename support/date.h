#pragma once
// Calendar dates as days since 1970-01-01 (proleptic Gregorian), ISO 8601 text.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tauekel::date {

// Strict YYYY-MM-DD; rejects impossible days such as 2026-02-30.
std::optional<int32_t> parse(std::string_view text);
std::string format(int32_t days);
int32_t fromCivil(int year, unsigned month, unsigned day);
void toCivil(int32_t days, int& year, unsigned& month, unsigned& day);
// The date now, in UTC.
int32_t today();

}  // namespace tauekel::date
