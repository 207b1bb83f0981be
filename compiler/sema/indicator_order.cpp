// The order indicators are checked in: the ones called before their callers.
//
// A call is typed from the callee's checked body, so checking an indicator whose callee
// is unchecked recurses into it. With callees first that never happens, however long a
// chain of indicators calling each other is; only inside a cycle (an error) does the
// check recurse, from the indicator the cycle is entered by, as it always has, so the
// cycle is reported where it closes.

#include <algorithm>
#include <optional>

#include "compiler/sema/checker_impl.h"

namespace tauekel::sema {

namespace {

// The indicators `body` calls, in the order the checker meets the calls. Names that the
// checker resolves otherwise (a field written as a call) only add an ordering constraint.
template <class Resolve>
std::vector<size_t> calleesOf(const syntax::Expr& body, const Resolve& resolve) {
  std::vector<size_t> out;
  std::vector<const syntax::Expr*> pending = {&body};
  while (!pending.empty()) {
    const syntax::Expr* e = pending.back();
    pending.pop_back();
    if (e->kind == syntax::ExprKind::Call)
      if (auto callee = resolve(static_cast<const syntax::CallExpr&>(*e).callee)) out.push_back(*callee);
    size_t first = pending.size();
    e->visitChildren([&](const syntax::Expr& child) { pending.push_back(&child); });
    std::reverse(pending.begin() + static_cast<long>(first), pending.end());  // left to right
  }
  return out;
}

}  // namespace

void Checker::checkIndicators() {
  std::vector<Indicator*> all;
  std::unordered_map<const Indicator*, size_t> number;
  for (auto& ind : program_->indicators) {
    number.emplace(&ind, all.size());
    all.push_back(&ind);
  }
  std::vector<std::vector<size_t>> callees(all.size());
  for (size_t i = 0; i < all.size(); ++i) {
    const FileScope& scope = *indicator_scopes_[all[i]];
    auto resolve = [&](const syntax::Ident& name) -> std::optional<size_t> {
      const Symbol* s = lookup(scope, name.name, name.range, /*report_ambiguity=*/false);
      if (s == nullptr || s->kind != SymbolKind::Indicator) return std::nullopt;
      return number.at(static_cast<const Indicator*>(s->target));
    };
    callees[i] = calleesOf(*indicator_decls_[all[i]]->body, resolve);
  }

  // Tarjan's strongly connected components, with a work stack: each component comes out
  // after every component it calls into.
  constexpr size_t kUnseen = SIZE_MAX;
  std::vector<size_t> discovered(all.size(), kUnseen), low(all.size(), 0);
  std::vector<uint8_t> on_stack(all.size(), 0);
  std::vector<size_t> component_stack;
  size_t counter = 0;
  auto check = [&](std::vector<size_t> members) {
    // Entered by the first one the search found: a cycle closes where it always has.
    std::sort(members.begin(), members.end(), [&](size_t a, size_t b) { return discovered[a] < discovered[b]; });
    cycle_too_long_ = false;
    for (size_t m : members) {
      if (indicator_state_[all[m]] != CheckState::Unchecked) continue;
      if (cycle_too_long_) {
        // Reported once for the whole cycle; its other members go unchecked, but are used.
        indicator_state_[all[m]] = CheckState::Failed;
        all[m]->used = true;
        continue;
      }
      checkIndicatorBody(*all[m]);
    }
  };
  for (size_t start = 0; start < all.size(); ++start) {
    if (discovered[start] != kUnseen) continue;
    std::vector<std::pair<size_t, size_t>> frames;  // indicator, next callee
    auto enter = [&](size_t v) {
      discovered[v] = low[v] = counter++;
      component_stack.push_back(v);
      on_stack[v] = 1;
      frames.emplace_back(v, 0);
    };
    enter(start);
    while (!frames.empty()) {
      auto& [v, next] = frames.back();
      if (next < callees[v].size()) {
        size_t w = callees[v][next++];
        if (discovered[w] == kUnseen) enter(w);
        else if (on_stack[w]) low[v] = std::min(low[v], discovered[w]);
        continue;
      }
      size_t done = v;
      frames.pop_back();
      if (!frames.empty()) low[frames.back().first] = std::min(low[frames.back().first], low[done]);
      if (low[done] != discovered[done]) continue;
      std::vector<size_t> members;
      size_t m;
      do {
        m = component_stack.back();
        component_stack.pop_back();
        on_stack[m] = 0;
        members.push_back(m);
      } while (m != done);
      check(std::move(members));
    }
  }
}

}  // namespace tauekel::sema
