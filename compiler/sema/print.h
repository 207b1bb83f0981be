#pragma once
// A checked expression written back in the language, from the checked tree alone (no
// source text is needed, so a compiled package can be explained too). Names are the
// resolved ones: declaration fields bare, goods items as `item.`, a person indicator's
// own record as `person.`; parentheses only where precedence needs them. Past 100
// levels or 2,000 characters the rest is shown as "...".

#include <string>

#include "compiler/sema/expr.h"

namespace tauekel::sema {

struct Program;

// `person`: what a person indicator's own record is called, `person` where it is
// defined; `declarant` (say) where it is explained for the declaration's declarant.
std::string print(const Expr& expr, const Program& program, const std::string& person = "person");

}  // namespace tauekel::sema
