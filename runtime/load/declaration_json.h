#pragma once
// One declaration given as a json::Value object: its members placed by field (see
// declaration_members.h, which appends them to a batch). The server's reader; the JSON
// Lines reader reads lines with simdjson (declaration_simdjson.h) and comes here only
// for a line simdjson leaves to the strict parser.

#include <set>
#include <string>

#include "runtime/load/declaration_members.h"
#include "support/json.h"

namespace tauekel::runtime {

// Fills `members` (cleared first, keeping at most `max_items` items) from `object`;
// false when it is not a JSON object.
bool readJsonMembers(const json::Value& object, DeclarationMembers& members, uint64_t max_items);

// The member names a declaration or item object may have (every field's, and "items").
std::set<std::string, std::less<>> knownJsonMembers(const BatchBuilder& builder);

}  // namespace tauekel::runtime
