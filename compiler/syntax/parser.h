#pragma once
// Source text -> syntax tree. Refuses input that could hurt the parser (too large, not
// UTF-8, NUL bytes, nesting deeper than the limit) with a diagnostic instead.

#include <memory>

#include "compiler/diag/diagnostic.h"
#include "compiler/syntax/ast.h"

namespace tauekel::syntax {

struct ParseLimits {
  size_t max_file_bytes = 16u << 20;
  int max_nesting = 256;
};

// Always returns a File; on refused input File::parsed is false. Parsing recurses once
// per nesting level, so call this on a thread with a roomy stack (support/big_stack.h).
std::unique_ptr<File> parseFile(source::FileId id, const source::SourceManager& sources, diag::Sink& sink,
                                const ParseLimits& limits = {});

}  // namespace tauekel::syntax
