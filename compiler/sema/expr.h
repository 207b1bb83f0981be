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
struct Score;

// Which record a field or a record reference belongs to.
enum class Level : uint8_t { Declaration, Item, Person };

enum class Op : uint8_t {
  Literal,        // literal
  Record,         // the current record of `level` (an indicator argument)
  Field,          // field `field` of the current record of `level`
  Call,           // indicator, args[0] is its argument
  // Those the IR has too, by the same names:
#define OP(name) name,
#include "compiler/sema/ops.def"
#undef OP
  ScoreRef,       // a declaration's risk score (decimal, never missing), by its name
  Last = ScoreRef,
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
  const Score* score = nullptr;            // ScoreRef
};
using ExprPtr = std::unique_ptr<Expr>;

}  // namespace tauekel::sema
