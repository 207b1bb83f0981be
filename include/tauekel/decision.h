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

struct Decision {
  std::string declaration;              // the declaration's key
  bool selected = false;                // at least one profile selected it
  std::optional<RiskLevel> level;       // the strongest selecting profile's level
  Corridor corridor = Corridor::Green;  // the strictest corridor among the applying measures
  std::vector<std::string> measures;    // every applying measure once, strongest first
  std::vector<ProfileSelection> profiles;  // in the profile set's order
  bool operator==(const Decision&) const = default;
};

}  // namespace tauekel
