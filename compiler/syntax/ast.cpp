#include "compiler/syntax/ast.h"

namespace tauekel::syntax {

void ExprDeleter::operator()(Expr* e) const {
  std::vector<Expr*> pending = {e};
  while (!pending.empty()) {
    Expr* next = pending.back();
    pending.pop_back();
    if (next == nullptr) continue;
    next->forEachChild([&](ExprPtr& child) { pending.push_back(child.release()); });
    delete next;  // its children are released: nothing recurses
  }
}

const char* spelling(BinaryOp op) {
  switch (op) {
    case BinaryOp::Mul: return "*";
    case BinaryOp::Div: return "/";
    case BinaryOp::Add: return "+";
    case BinaryOp::Sub: return "-";
    case BinaryOp::Eq: return "==";
    case BinaryOp::Ne: return "!=";
    case BinaryOp::Lt: return "<";
    case BinaryOp::Le: return "<=";
    case BinaryOp::Gt: return ">";
    case BinaryOp::Ge: return ">=";
    case BinaryOp::And: return "and";
    case BinaryOp::Or: return "or";
  }
  return "?";
}

}  // namespace tauekel::syntax
