#include "compiler/sema/expr.h"

namespace tauekel::sema {

Expr::~Expr() {
  std::vector<std::unique_ptr<Expr>> pending = std::move(args);
  while (!pending.empty()) {
    std::unique_ptr<Expr> e = std::move(pending.back());
    pending.pop_back();
    for (auto& a : e->args) pending.push_back(std::move(a));
    e->args.clear();
  }
}

}  // namespace tauekel::sema
