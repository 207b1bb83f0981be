#pragma once
// What screening decides about one declaration, as values: whether any risk profile
// selected it, the strongest level among those that did, the control corridor, the
// risk-minimisation measures that apply, and per selecting profile what it found.
//
// Part of Tauekel's public interface: it includes nothing of the engine's internals.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tauekel {

// In order of strength: a comparison says which is stronger.
enum class RiskLevel : uint8_t { Low, Medium, High };
enum class Corridor : uint8_t { Green, Blue, Yellow, Red };

// "low", "medium", "high"; "green", "blue", "yellow", "red": the words of the output.
std::string_view name(RiskLevel level);
std::string_view name(Corridor corridor);

// One profile that selected the declaration.
struct ProfileSelection {
  std::string id;                   // the profile's id
  std::string area;                 // its risk area
  RiskLevel level = RiskLevel::Low;
  std::vector<uint32_t> items;      // the goods items that triggered it, numbered from 1 in
                                    // the declaration's order; empty for a profile on the
                                    // declaration as a whole
  std::vector<std::string> measures;  // the profile's measures that apply, in its order
  bool random = false;              // a random selection (`random N%`), not a risk found
  bool operator==(const ProfileSelection&) const = default;
};

// One term of a risk score and the points it gave (a decimal scaled by 10^6: 1500000 is
// 1.5 points).
struct ScorePart {
  std::string term;                 // as written in the profiles ("2 when cheap(declaration)")
  int64_t points = 0;
  bool operator==(const ScorePart&) const = default;
};

// A declaration's risk score, and what made it up.
struct RiskScore {
  std::string name;                 // the score's
  int64_t points = 0;               // the sum of the parts, scaled by 10^6
  std::vector<ScorePart> parts;     // the terms that gave points (not 0), in the score's order
  bool operator==(const RiskScore&) const = default;
};

struct Decision {
  std::string declaration;              // the declaration's key
  bool selected = false;                // at least one profile selected it
  std::optional<RiskLevel> level;       // the strongest selecting profile's level
  Corridor corridor = Corridor::Green;  // the strictest corridor among the applying measures
  std::vector<std::string> measures;    // every applying measure once, strongest first
  std::vector<ProfileSelection> profiles;  // in the profile set's order
  std::vector<RiskScore> scores;           // every score the profiles declare, in their order
  bool operator==(const Decision&) const = default;
};

}  // namespace tauekel
