#pragma once
// Turns ANTLR's syntax errors into our diagnostics, in words an analyst reads.

#include <unordered_set>
#include <vector>

#include "antlr4-runtime.h"
#include "compiler/diag/diagnostic.h"

namespace tauekel::syntax {

class SyntaxErrorListener : public antlr4::BaseErrorListener {
 public:
  SyntaxErrorListener(source::FileId file, diag::Sink& sink) : file_(file), sink_(sink) {}

  void syntaxError(antlr4::Recognizer* recognizer, antlr4::Token* offending, size_t line, size_t column,
                   const std::string& message, std::exception_ptr error) override;

  // Token indices where errors were reported, for dropping broken declarations.
  const std::vector<size_t>& errorTokenIndices() const { return error_tokens_; }

 private:
  source::FileId file_;
  diag::Sink& sink_;
  std::vector<size_t> error_tokens_;
  std::unordered_set<size_t> reported_;  // the same, to look up
};

}  // namespace tauekel::syntax
