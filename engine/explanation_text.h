#pragma once
// A decision and its explanations as text for a person at a terminal (`tauekel explain`):
//
//   declaration D-0001: selected, level high, corridor red
//     measures: INSPECTION, VALUE_CHECK
//     profile KZ-VAL-001 (area VALUE, level high), goods items 3
//       measures: VALUE_CHECK, INSPECTION
//       any item: item.hs in "64" and below_reference(item)
//         item 3:
//           item.hs in "64"
//             item.hs = 6403990000
//           indicator below_reference(item):
//             item.customs_value / item.net_kg < 0.6 * ref_price[item.hs] ?? false
//               item.customs_value = 410.00, item.net_kg = 12.5, ref_price[6403] = 58.00

#include <string>
#include <vector>

#include "engine/explanation.h"
#include "tauekel/decision.h"

namespace tauekel::engine {

std::string renderText(const Decision& decision, const std::vector<ProfileExplanation>& explanations,
                       const std::vector<CategoryExplanation>& persons = {});
// "area VALUE", or "random selection": what kind of selection a profile made.
std::string profileKind(const ProfileSelection& profile);
// One person's category and why, `indent` spaces in.
std::string renderText(const CategoryExplanation& category, size_t indent);

// Names and values come from input files: shown so that no control character of theirs
// reaches the terminal; a list of them "A, B, C".
std::string shown(std::string_view text);
std::string joined(const std::vector<std::string>& words);

}  // namespace tauekel::engine
