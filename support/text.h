#pragma once
// Small text helpers for messages.

#include <string>
#include <string_view>
#include <vector>

namespace tauekel::text {

// Levenshtein distance in bytes.
size_t editDistance(std::string_view a, std::string_view b);
// The candidate nearest to `name`, or "" when none is near enough to be a likely typo.
std::string closest(std::string_view name, const std::vector<std::string>& candidates);
// `text` quoted for a message about input data: control characters shown as visible
// pictures, bad UTF-8 repaired, and long text cut (with "...").
std::string quoted(std::string_view text, size_t max_bytes = 60);

}  // namespace tauekel::text
