#pragma once
// The meaning of every operation on single values, missing values included. Constant
// folding and the reference interpreter both use these functions, so the two cannot
// disagree; the vectorised kernels are tested against them.

#include <cstdint>
#include <string_view>

#include "compiler/ir/ir.h"

namespace tauekel::ir::scalar {

struct Datum {
  bool valid = false;      // false: missing
  int64_t i = 0;           // every type but String
  std::string_view s;      // String
  int32_t digits = 10;     // Hs constants: digits written

  static Datum missing() { return {}; }
  static Datum of(int64_t v) { return Datum{true, v, {}, 10}; }
  static Datum ofBool(bool b) { return Datum{true, b ? 1 : 0, {}, 10}; }
  static Datum ofString(std::string_view v) { return Datum{true, 0, v, 10}; }
};

// Unary and binary operations that need no context. `type` is the node's result type;
// `arg_type` the type of the (first) argument.
Datum unary(Op op, Type type, Type arg_type, const Datum& a, int64_t aux);
Datum binary(Op op, Type type, Type arg_type, const Datum& a, const Datum& b);
Datum andOf(const Datum& a, const Datum& b);
Datum orOf(const Datum& a, const Datum& b);
// Equality for membership tests; Hs values match by the constant's prefix.
bool matches(Type type, const Datum& value, const Datum& constant);
// Total order used by comparisons and min/max of one type.
int compare(Type type, const Datum& a, const Datum& b);

}  // namespace tauekel::ir::scalar
