#pragma once
// Why a profile selected a declaration: the indicators and conditions of its `when`
// clause that held, with the values that made them hold. A tree, as the condition is:
// an indicator holds because of its body; `any item:` holds because of the goods items
// named under it; a condition (a comparison, a list test) holds with the values it read.

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/sema/program.h"

namespace tauekel::engine {

// A value a condition read: `item.net_kg` = `12.5`, `ref_price[6403]` = `58.00`; or
// what a list held of it: `risky_hs` holds `6403`, `pref_regime` does not hold `CN`.
struct Fact {
  std::string name;
  std::string value;
  std::string relation = "=";  // "=", "holds" or "does not hold"
  bool operator==(const Fact&) const = default;
};

struct Reason {
  enum class Kind : uint8_t {
    Indicator,  // an indicator that held: `text` is the call, `because` its body's reasons
    Condition,  // a condition that held: `text` is the condition, `facts` what it read
    Items,      // `any item: ...` (or `all`): `text` is it, `because` one Item per goods item
    Item,       // one goods item (`item`, from 1) under Items, `because` what held for it
  };
  Kind kind = Kind::Condition;
  std::string text;
  uint32_t item = 0;
  const sema::Indicator* indicator = nullptr;  // Indicator: whose kind the audiences read
  std::vector<Fact> facts;  // Condition: what it read; Indicator: the person it read through
  std::vector<Reason> because;
};

// Why a person has their category: the first category rule that held, and why it held.
struct CategoryExplanation {
  std::string role;        // the declaration's field naming the person (declarant, ...); "" otherwise
  std::string person;      // the person's id; "" when the declaration names none
  bool registered = false;
  sema::RiskLevel category = sema::RiskLevel::Medium;
  size_t rule = 0;         // which rule decided, from 1; 0: none (no rules: the default)
  std::string rule_text;   // "high when offender(person) or in_arrears(person)", "medium otherwise"
  std::vector<Reason> reasons;
};

struct ProfileExplanation {
  std::string profile;           // the profile's id
  std::vector<Reason> reasons;   // what held of its `when` condition
};

// Words of the output for a reason's kind: "indicator", "condition", "items", "item".
const char* name(Reason::Kind kind);

}  // namespace tauekel::engine
