#pragma once
// Effectiveness figures from declarations screened and what control found: per profile,
// risk area, month and any declaration field asked for; overlaps between profiles;
// profiles whose recent selections found nothing; corridor shares; and precision,
// recall and revenue when the declarations ranked riskiest first are inspected.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "effectiveness/result_index.h"
#include "tauekel/decision.h"

namespace tauekel::effectiveness {

// Counts over a set of declarations.
struct Tally {
  uint64_t declarations = 0;
  uint64_t controlled = 0;   // with a counted control result
  uint64_t violations = 0;   // controlled, and a violation found
  int64_t revenue = 0;       // additional payments found, scaled by 10^6
  void add(bool controlled, bool violation, int64_t payments) {
    ++declarations;
    this->controlled += controlled;
    violations += violation;
    revenue += payments;
  }
  // Violations per declaration controlled; none when nothing was controlled.
  std::optional<double> hitRate() const {
    if (controlled == 0) return std::nullopt;
    return static_cast<double>(violations) / static_cast<double>(controlled);
  }
};

// One declaration as screened, with its outcome.
struct ScreenedDeclaration {
  int32_t date = 0;
  std::vector<uint32_t> values;    // per dimension: the value's number
  std::vector<uint16_t> profiles;  // numbers of the profiles that selected it (ProfileTable)
  bool selected = false;
  RiskLevel level = RiskLevel::Low;  // when selected
  Corridor corridor = Corridor::Green;
  bool controlled = false;
  bool violation = false;
  int64_t payments = 0;
  int64_t score = 0;                 // the ranking score (scaled by 10^6), when ranking by one
  std::vector<uint16_t> indicators;  // numbers of the indicators that hold (Screening::indicators)
};

struct ProfileEntry {
  std::string id, area;
  RiskLevel level = RiskLevel::Low;
};

// What the figures are computed over.
struct Screening {
  std::vector<ProfileEntry> profiles;                     // as numbered in ScreenedDeclaration
  std::vector<std::string> dimensions;                    // declaration fields by which figures are split
  std::vector<std::vector<std::string>> dimension_values; // per dimension, by value number
  std::vector<ScreenedDeclaration> declarations;          // in input order
  std::vector<ProfileEntry> indicators;                   // id: the name; area: what it is about
};

struct MetricsOptions {
  bool revenue_known = true;         // the result schema has `payments`
  std::string rank_by;               // a score's name: rank by it; "": by level
  uint32_t stale_after = 20;         // controlled selections without a violation that flag a profile
  double overlap_at = 0.5;           // Jaccard similarity from which a pair is listed
};

struct ProfileFigures {
  ProfileEntry profile;
  Tally tally;
  std::optional<double> lift;        // hit rate over the base rate
  std::optional<double> recall;      // share of all violations found it found
  std::optional<int32_t> last_hit;   // date of the last violation it found
  uint64_t since_last_hit = 0;       // controlled selections since then (or ever)
  bool stale = false;                // since_last_hit >= stale_after
};

struct Split {                       // one value of a dimension, a month or an area
  std::string value;
  Tally all;                         // declarations with this value
  Tally selected;                    // of them, those selected
};

struct Overlap {
  std::string first, second;         // profile ids, the first in profile order
  uint64_t first_count = 0, second_count = 0, both = 0;
  double jaccard = 0;
};

struct AtRate {                      // the riskiest `share` of declarations inspected
  double share = 0;
  uint64_t inspected = 0;
  Tally found;                       // among them
  std::optional<double> precision, recall;
};

struct Metrics {
  Tally all, selected;
  std::optional<double> base_rate;   // violations per controlled declaration, over all
  std::optional<double> selected_lift, selected_recall;
  std::vector<ProfileFigures> profiles;
  std::vector<Split> areas, months;
  std::vector<Split> indicators;     // value: the name; all: where it holds; selected: of those, selected
  std::vector<std::pair<std::string, std::vector<Split>>> by;  // per dimension
  std::vector<Overlap> overlaps;     // most similar first
  std::array<uint64_t, 4> corridors{};  // declarations by corridor (green, blue, yellow, red)
  std::array<std::optional<int64_t>, 4> corridor_targets;  // the repository's shares, millionths
  std::vector<AtRate> at_rates;      // 1, 2, 5 and 10%
  std::string ranking;               // what the ranking for at_rates goes by
  bool revenue_known = true;         // the results give payments (else every revenue is 0)
};

Metrics computeMetrics(const Screening& screening, const MetricsOptions& options = {});

}  // namespace tauekel::effectiveness
