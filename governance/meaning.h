#pragma once
// What an approval signs: a profile's meaning, not its text. The meaning is the checked
// profile in a canonical form: its condition, scope, validity, level, area, measures
// and instructions, and everything they reach: the indicators (to the bottom), the
// lists and tables (their rows), the measures of the catalogue, the person-category
// rules. Names of what is reached stay in it (an indicator renamed is a change), the
// layout of the source does not (spacing, comments, line breaks, the order of files,
// an indicator's parameter name, parentheses that change nothing).
//
// The meaning is kept in parts, each hashed on its own ("condition", "list risky_hs",
// "indicator below_reference", ...), so that a voided approval can say which part
// changed. The meaning's hash is SHA-256 over the parts' names and hashes.

#include <string>
#include <vector>

#include "compiler/sema/program.h"

namespace tauekel::governance {

struct MeaningPart {
  std::string name;  // "profile", "condition", "measures", "indicator NAME", "list NAME", ...
  std::string hash;  // hex SHA-256 of its canonical form
  bool operator==(const MeaningPart&) const = default;
};

struct ProfileMeaning {
  std::string hash;                // "sha256:" + hex, over the parts
  std::vector<MeaningPart> parts;  // sorted by name
};

ProfileMeaning profileMeaning(const sema::Program& program, const sema::Profile& profile);

// The meaning's hash of stored parts (to check that an approval's parts are the ones
// it signed).
std::string meaningHash(const std::vector<MeaningPart>& parts);

// What differs between an approved meaning and the current one, in words:
// "list risky_hs changed", "indicator newcomer added", "condition changed".
std::vector<std::string> meaningChanges(const std::vector<MeaningPart>& approved, const std::vector<MeaningPart>& now);

}  // namespace tauekel::governance
