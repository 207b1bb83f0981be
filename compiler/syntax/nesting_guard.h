#pragma once
// Bounds how deeply the parser will recurse, before it runs. Internal to the syntax stage.
//
// ANTLR's parser recurses once per open bracket and once per prefix operator whose
// operand is still being read (`not`, unary `-`, `if`, `any`, `all`, and the right side
// of the right-associative `??`); chains of left-associative operators (`a or b or ...`)
// are loops and cost nothing. This counts exactly those levels, token by token, with the
// operators' precedences, so the limit the message states is the one that applies.

#include <vector>

#include "antlr4-runtime.h"
#include "compiler/diag/diagnostic.h"

namespace tauekel::syntax {

// False, with a TK005 diagnostic at the first token past the limit, when the tokens
// nest deeper than `max_nesting` levels.
bool guardNesting(source::FileId id, const std::vector<antlr4::Token*>& tokens, diag::Sink& sink, int max_nesting);

}  // namespace tauekel::syntax
