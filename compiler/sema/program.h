#pragma once
// The checked program: every declaration of every loaded package, resolved and typed,
// with reference data read. This is the front end's product; the IR is built from it.

#include <array>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compiler/sema/expr.h"
#include "compiler/sema/types.h"
#include "compiler/sema/value.h"

namespace tauekel::sema {

using source::Range;

struct Field {
  std::string name;
  const Type* type = nullptr;
  std::string column;  // the column or JSON member it is read from
  bool key = false;
  int round = -1;      // decimal input rounded (half to even) to this many digits; -1: exact
  Range range;
};

struct Schema {
  bool defined = false;
  Level level = Level::Declaration;
  std::vector<Field> fields;
  int key_field = -1;
  Range range;
  std::string package;

  int find(const std::string& name) const;
};

struct DataSet {
  std::string name;
  bool is_table = false;
  const Type* type = nullptr;  // set<T> or map<K, V>
  std::string path;            // as resolved on disk
  std::string key_column;
  std::string key2_column;     // a table with two keys (map<K1, K2, V>): the second's column
  std::string value_column;
  std::vector<Value> keys;     // list elements, or table keys
  std::vector<Value> keys2;    // a table with two keys: the second keys, parallel to keys
  std::vector<Value> values;   // table values, parallel to keys
  Range range;
  std::string package;
  bool used = false;
};

struct Area {
  std::string name;
  std::string title;
  bool recommended = false;  // recommended_by commission
  Range range;
  std::string package;
  bool used = false;
};

enum class MeasureKind : uint8_t { Documentary, Physical, PostRelease, Other };
enum class Corridor : uint8_t { Green, Blue, Yellow, Red };  // in order of severity
enum class RiskLevel : uint8_t { Low, Medium, High };
enum class Stage : uint8_t { BeforeRelease, AtRelease, AfterRelease };
enum class LifeState : uint8_t { Draft, Approved, Revoked };
enum class StatutoryKind : uint8_t { None, Liability, Arrears };

const char* name(MeasureKind kind);
const char* name(Corridor corridor);
const char* name(RiskLevel level);
const char* name(Stage stage);
const char* name(LifeState state);
const char* name(StatutoryKind kind);

struct Measure {
  std::string name;
  std::string title;
  MeasureKind kind = MeasureKind::Other;
  int64_t strength = 0;
  Corridor corridor = Corridor::Green;
  bool confidential = false;  // applied without telling the declarant (surveillance, say)
  Range range;
  std::string package;
  bool used = false;
};

struct Indicator {
  std::string name;
  Level level = Level::Declaration;
  bool is_public = false;
  StatutoryKind statutory = StatutoryKind::None;
  ExprPtr body;
  const Type* type = nullptr;
  Range range;
  std::string package;
  bool used = false;
};

// A declaration's risk score: the sum, over its terms, of the points of those whose
// condition holds. Each term's points are a number that is never missing.
struct ScoreTerm {
  ExprPtr points;                 // int or decimal, at the declaration level
  ExprPtr condition;              // a bool never missing; null: always
  std::string text;               // the term as written, for explanations ("2 when cheap(declaration)")
  Range range;
};

struct Score {
  std::string name;
  std::string title;              // "" when none
  std::vector<ScoreTerm> terms;
  Range range;
  std::string package;
  bool used = false;
};

// What `tauekel learn` learns weights for: each key one value (or a pair) per goods item,
// read in the goods-item context (declaration fields are visible there too).
struct LearnKey {
  std::vector<ExprPtr> parts;     // one or two scalars, never text when two
  std::string text;               // as printed: "item.hs.subheading, item.price"
  Range range;
};

struct Learn {
  std::string name;
  std::string title;
  std::vector<LearnKey> keys;
  Range range;
  std::string package;
};

struct CategoryRule {
  enum Kind { When, Unregistered, Otherwise } kind = When;
  RiskLevel category = RiskLevel::Medium;
  ExprPtr condition;  // When: a person-level bool
  Range range;
};

// First matching rule wins. A person missing from the register takes the Unregistered
// rule's category if there is one, else the Otherwise category.
struct CategoryRules {
  bool defined = false;
  std::vector<CategoryRule> rules;
  Range range;
};

// A profile applies only to declarations whose scope fields hold one of the listed
// values (direction, procedure, office), and only at the listed stages.
struct ScopeFilter {
  std::string key;            // as written: direction, procedure or office
  int field = -1;             // the declaration field it reads
  std::vector<Value> values;  // of that field's type
};

struct ProfileScope {
  std::vector<ScopeFilter> filters;
  std::vector<Stage> stages;  // empty: every stage
};

struct MeasureApplication {
  const Measure* measure = nullptr;
  ExprPtr condition;                      // null: always
  std::optional<int64_t> sample;          // millionths; with a condition: the else branch
  Range range;
  Range sample_range;
};

struct Profile {
  std::string id;
  std::string title;
  const Area* area = nullptr;
  int32_t valid_from = 0;
  std::optional<int32_t> valid_to;        // inclusive
  bool has_validity = false;
  ProfileScope scope;
  RiskLevel level = RiskLevel::Medium;
  // `level high if C1 else medium if C2 else low`: the first band whose condition holds
  // gives the level of a declaration it selects; `level` when none holds.
  struct LevelBand {
    RiskLevel level = RiskLevel::Medium;
    ExprPtr condition;                    // declaration-level bool, never missing
  };
  std::vector<LevelBand> level_bands;
  LifeState state = LifeState::Draft;
  ExprPtr condition;                      // declaration-level bool
  std::vector<MeasureApplication> measures;
  std::string instructions;               // to the examining officer; "" when none
  // A random selection (`random 2%`): it selects this share of the declarations in its
  // scope and validity, chosen by the sampling hash; its condition is `true`. No area
  // is needed (area is null when none is given).
  std::optional<int64_t> random_share;
  Range range;
  std::string package;
};

// How long after release a declaration stays open to after-release control, counted
// back from the as-of date: `window after_release 3 years`.
struct AfterReleaseWindow {
  bool defined = false;
  int64_t amount = 0;
  enum class Unit : uint8_t { Days, Months, Years } unit = Unit::Years;
  Range range;
  std::string package;
  // The first day inside the window that ends on `reference` (inclusive).
  int32_t firstDay(int32_t reference) const;
};

// The fields of the result schema the effectiveness commands give a meaning to, by
// index into Program::result.fields (-1: not declared).
struct ResultFields {
  int declaration = -1;  // string: the key of the declaration controlled (required)
  int date = -1;         // date: when the control was done (required)
  int violation = -1;    // bool: whether a violation was found (required)
  int item = -1;         // int?: the goods item controlled, numbered from 1; missing: the whole declaration
  int kind = -1;         // string?: the kind of violation
  int payments = -1;     // decimal?: additional customs payments assessed
  int measures = -1;     // string?: the measures applied, codes separated by `;`
};

struct Program {
  TypeContext types;
  std::deque<EnumInfo> enums;
  const EnumInfo* category_enum = nullptr;  // built in: low, medium, high
  Schema declaration;
  Schema item;
  Schema person;
  // Control results, one row per declaration or goods item controlled: read by the
  // effectiveness commands only, never by a condition (see ResultFields).
  Schema result;
  int date_field = -1;                       // declaration field giving the validity date
  ResultFields result_fields;                // when result.defined
  // `corridor targets { red 5% ... }`: the share of declarations each corridor should
  // take, in millionths, by corridor (green, blue, yellow, red); none: no target.
  std::array<std::optional<int64_t>, 4> corridor_targets;
  Range corridor_targets_range;
  std::deque<DataSet> data;
  std::deque<Area> areas;
  std::deque<Measure> measures;
  std::deque<Indicator> indicators;
  std::deque<Score> scores;
  std::deque<Learn> learns;
  CategoryRules categories;
  std::vector<Profile> profiles;
  AfterReleaseWindow after_release_window;

  Program();
  Program(const Program&) = delete;
  Program& operator=(const Program&) = delete;
};

}  // namespace tauekel::sema
