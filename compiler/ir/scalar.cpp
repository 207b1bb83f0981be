#include "compiler/ir/scalar.h"

#include <cassert>
#include <limits>

#include "support/codes.h"
#include "support/date.h"
#include "support/decimal.h"
#include "support/utf8.h"

namespace tauekel::ir::scalar {

namespace {
int64_t clampDays(int64_t days) {
  constexpr int64_t lo = std::numeric_limits<int32_t>::min(), hi = std::numeric_limits<int32_t>::max();
  return days < lo ? lo : days > hi ? hi : days;
}
}  // namespace

int compare(Type type, const Datum& a, const Datum& b) {
  if (type == Type::String) {
    int c = a.s.compare(b.s);
    return c < 0 ? -1 : c > 0 ? 1 : 0;
  }
  return a.i < b.i ? -1 : a.i > b.i ? 1 : 0;
}

bool matches(Type type, const Datum& value, const Datum& constant) {
  if (type == Type::Hs) {
    int64_t d = codes::hsDivisor(constant.digits);
    return value.i / d == constant.i / d;
  }
  if (type == Type::String) return value.s == constant.s;
  return value.i == constant.i;
}

Datum andOf(const Datum& a, const Datum& b) {
  if ((a.valid && !a.i) || (b.valid && !b.i)) return Datum::ofBool(false);
  if (a.valid && b.valid) return Datum::ofBool(true);
  return Datum::missing();
}

Datum orOf(const Datum& a, const Datum& b) {
  if ((a.valid && a.i) || (b.valid && b.i)) return Datum::ofBool(true);
  if (a.valid && b.valid) return Datum::ofBool(false);
  return Datum::missing();
}

Datum unary(Op op, Type type, Type arg_type, const Datum& a, int64_t aux) {
  (void)type;
  (void)arg_type;
  switch (op) {
    case Op::IsMissing: return Datum::ofBool(!a.valid);
    case Op::IsPresent: return Datum::ofBool(a.valid);
    default: break;
  }
  if (!a.valid) return Datum::missing();
  switch (op) {
    case Op::ToDecimal: return Datum::of(decimal::fromInt(a.i));
    case Op::Negate: return Datum::of(decimal::neg(a.i));
    case Op::Not: return Datum::ofBool(!a.i);
    case Op::Abs: return Datum::of(a.i < 0 ? decimal::neg(a.i) : a.i);
    case Op::HsPrefix: {
      int64_t d = codes::hsDivisor(static_cast<int>(aux));
      return Datum::of(a.i / d * d);
    }
    case Op::DatePart: {
      int y;
      unsigned m, d;
      date::toCivil(static_cast<int32_t>(a.i), y, m, d);
      return Datum::of(aux == 0 ? y : aux == 1 ? static_cast<int64_t>(m) : static_cast<int64_t>(d));
    }
    case Op::Len: return Datum::of(static_cast<int64_t>(utf8::countCodePoints(a.s)));
    default: assert(false && "not a unary operation"); return Datum::missing();
  }
}

Datum binary(Op op, Type type, Type arg_type, const Datum& a, const Datum& b) {
  if (op == Op::And) return andOf(a, b);
  if (op == Op::Or) return orOf(a, b);
  if (op == Op::Coalesce) return a.valid ? a : b;
  if (!a.valid || !b.valid) return Datum::missing();
  switch (op) {
    case Op::Add:
      if (type == Type::Date) return Datum::of(clampDays(decimal::add(a.i, b.i)));
      return Datum::of(decimal::add(a.i, b.i));
    case Op::Sub:
      if (type == Type::Date) return Datum::of(clampDays(decimal::sub(a.i, b.i)));
      return Datum::of(decimal::sub(a.i, b.i));  // also date - date (days)
    case Op::Mul:
      return Datum::of(type == Type::Decimal ? decimal::mul(a.i, b.i) : decimal::mulInt(a.i, b.i));
    case Op::Div:
      if (b.i == 0) return Datum::missing();
      return Datum::of(decimal::div(a.i, b.i));
    case Op::Eq: return Datum::ofBool(compare(arg_type, a, b) == 0);
    case Op::Ne: return Datum::ofBool(compare(arg_type, a, b) != 0);
    case Op::Lt: return Datum::ofBool(compare(arg_type, a, b) < 0);
    case Op::Le: return Datum::ofBool(compare(arg_type, a, b) <= 0);
    case Op::Gt: return Datum::ofBool(compare(arg_type, a, b) > 0);
    case Op::Ge: return Datum::ofBool(compare(arg_type, a, b) >= 0);
    case Op::MinOf: return compare(arg_type, a, b) <= 0 ? a : b;
    case Op::MaxOf: return compare(arg_type, a, b) >= 0 ? a : b;
    case Op::StartsWith: return Datum::ofBool(a.s.substr(0, b.s.size()) == b.s);
    case Op::EndsWith:
      return Datum::ofBool(a.s.size() >= b.s.size() && a.s.substr(a.s.size() - b.s.size()) == b.s);
    case Op::Contains: return Datum::ofBool(a.s.find(b.s) != std::string_view::npos);
    default: assert(false && "not a binary operation"); return Datum::missing();
  }
}

}  // namespace tauekel::ir::scalar
