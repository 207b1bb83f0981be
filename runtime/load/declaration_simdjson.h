#pragma once
// One line of JSON Lines read with simdjson (On Demand) straight into a declaration's
// members, with no tree of values in between. Numbers are taken as their source text
// (raw_json_token), never as a double, so decimals stay exact.
//
// simdjson is the fast path, not the judge: a line it does not read as one plain JSON
// object (a syntax error, a member named twice, nesting deeper than json::parse
// allows, a NUL written as \u0000, a root that is no object) is Unsure, and the caller
// hands it to json::parse, whose messages (with a column) stay the ones users see. So a
// line is accepted or refused, and worded, exactly as json::parse would; only NaN and
// Infinity, which no JSON parser reads, get a message naming their JSON path.

#include <memory>
#include <string_view>

#include "runtime/load/declaration_members.h"

namespace tauekel::runtime {

class SimdjsonDeclarationReader {
 public:
  SimdjsonDeclarationReader();
  ~SimdjsonDeclarationReader();

  enum class Result {
    Declaration,  // `members` holds the line's declaration object
    BadValue,     // NaN or Infinity as a field's value: `bad` says where
    Unsure,       // not read: ask json::parse
  };
  // Reads `line`, of which `readable` bytes from its start may be read (the line and
  // what follows it in its buffer): with SIMDJSON_PADDING (64) bytes past the line the
  // text is parsed where it is, else from a copy. The members' texts point into the
  // line and into this reader, until the next read().
  Result read(std::string_view line, size_t readable, DeclarationMembers& members, uint64_t max_items,
              FieldError& bad);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tauekel::runtime
