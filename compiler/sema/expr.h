#pragma once
// Checked expressions: typed, with every name resolved to what it denotes. The IR
// (compiler/ir) is lowered from these; nothing after the checker sees the syntax tree.

#include <memory>
#include <vector>

#include "compiler/sema/types.h"
#include "compiler/sema/value.h"

namespace tauekel::sema {

struct DataSet;
struct Indicator;

// Which record a field or a record reference belongs to.
enum class Level : uint8_t { Declaration, Item, Person };

enum class Op : uint8_t {
  Literal,        // literal
  Record,         // the current record of `level` (an indicator argument)
  Field,          // field `field` of the current record of `level`
  PersonField,    // field `field` of the person args[0] (missing when unregistered)
  PersonCategory, // the category of the person args[0]
  PersonRegistered,  // whether the person args[0] is in the register
  ToDecimal,      // int -> decimal
  Negate,
  Not,
  Add, Sub, Mul, Div,
  Eq, Ne, Lt, Le, Gt, Ge,
  And, Or,        // Kleene logic over missing values
  Coalesce,       // args[0] ?? args[1]
  IsMissing,
  IsPresent,
  InValues,       // args[0] in [args[1..]] (commodity codes match by prefix)
  InData,         // args[0] in list `data` (commodity codes match by prefix)
  InTableKeys,    // args[0] is a key of table `data`
  Lookup,         // table `data` [args[0]]  (commodity codes: longest prefix)
  HsPrefix,       // args[0] cut to `number` digits (chapter 2, heading 4, subheading 6)
  DatePart,       // year (number 0), month (1) or day (2) of args[0]
  Call,           // indicator, args[0] is its argument
  Any, All,       // over goods items, args[0] the condition
  Count,          // items where args[0] holds
  Sum, Min, Max,  // over items of args[0], args[1] the optional filter
  If,             // args[0] ? args[1] : args[2]
  Abs,
  Len,
  StartsWith, EndsWith, Contains,
  MinOf, MaxOf,   // min(a, b), max(a, b)
};

struct Expr {
  Expr() = default;
  Expr(const Expr&) = delete;
  Expr& operator=(const Expr&) = delete;
  // Frees the operands from a work list: a chain `a + a + ... + a` is as deep as it is
  // long, too deep for destructors that recurse.
  ~Expr();

  Op op = Op::Literal;
  const Type* type = nullptr;
  source::Range range;
  std::vector<std::unique_ptr<Expr>> args;

  Value literal;          // Literal
  Level level = Level::Declaration;  // Record, Field
  int field = -1;         // Field, PersonField
  int64_t number = 0;     // HsPrefix digits, DatePart selector
  const DataSet* data = nullptr;           // InData, InTableKeys, Lookup
  const Indicator* indicator = nullptr;    // Call
};
using ExprPtr = std::unique_ptr<Expr>;

}  // namespace tauekel::sema
