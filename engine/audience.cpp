#include "engine/audience.h"

namespace tauekel::engine {

const char* name(Audience audience) {
  switch (audience) {
    case Audience::Analyst: return "analyst";
    case Audience::Officer: return "officer";
    case Audience::Declarant: return "declarant";
  }
  return "?";
}

std::optional<Audience> parseAudience(std::string_view word) {
  if (word == "analyst") return Audience::Analyst;
  if (word == "officer") return Audience::Officer;
  if (word == "declarant") return Audience::Declarant;
  return std::nullopt;
}

}  // namespace tauekel::engine
