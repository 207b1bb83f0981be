#pragma once
// Who reads a decision, and so what of it they may see. Risk profiles are confidential
// (only two kinds of indicator are public), so one decision has three views:
//   analyst    everything: profiles, areas, levels, triggering items, explanations;
//   officer    what to do: the measures, the corridor, the profile ids, the goods items
//              and each profile's instructions; no condition, indicator, list, threshold
//              or profile title (titles often name a threshold);
//   declarant  the outcome: the corridor and measures of the measures they are told of
//              (not the confidential ones), and of the reasons only the public indicator
//              kinds (liability for customs offences, arrears), by the person's role.

#include <optional>
#include <string_view>

namespace tauekel::engine {

enum class Audience : uint8_t { Analyst, Officer, Declarant };

const char* name(Audience audience);
std::optional<Audience> parseAudience(std::string_view word);

}  // namespace tauekel::engine
