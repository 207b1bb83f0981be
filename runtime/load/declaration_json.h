#pragma once
// One declaration given as a JSON object, appended to a batch: the header fields as
// members, and an "items" array of objects with the item fields. A missing member or
// null is a missing value; numbers keep their text, so decimals stay exact. What the
// JSON Lines reader and the server both read.

#include <optional>
#include <set>
#include <string>

#include "runtime/load/batch_builder.h"
#include "support/json.h"

namespace tauekel::runtime {

// What is wrong, and where: a JSON path from the declaration object, such as
// "items[3].net_kg" (items counted from 0, as in JSON), or "" for the object as a whole.
struct FieldError {
  std::string path;
  std::string reason;
};

// Appends the declaration whole, or nothing and the first thing wrong with it.
// `line` is noted as the declaration's input line.
std::optional<FieldError> appendJsonDeclaration(BatchBuilder& builder, Batch& batch, const json::Value& object,
                                                uint64_t line, uint64_t max_items);

// The declaration's key as text, when the object has one that reads as a value ("" else).
std::string jsonDeclarationKey(const BatchBuilder& builder, size_t key_field, const json::Value& object);

// The member names a declaration or item object may have (every field's, and "items").
std::set<std::string, std::less<>> knownJsonMembers(const BatchBuilder& builder);

}  // namespace tauekel::runtime
