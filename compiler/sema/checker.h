#pragma once
// Resolution and type checking across files and packages: syntax trees in, a checked
// Program out, diagnostics in the sink. Checking goes on past errors; a declaration
// with an error is left out of the Program, so what remains is consistent.

#include <memory>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/sema/program.h"
#include "compiler/syntax/ast.h"

namespace tauekel::sema {

struct CheckOptions {
  // Packages whose unused declarations are not worth a warning (the standard library).
  std::vector<std::string> quiet_package_prefixes = {"std."};
};

// `sources` gains the text of data files that a diagnostic points into.
std::unique_ptr<Program> check(const std::vector<const syntax::File*>& files, source::SourceManager& sources,
                               diag::Sink& sink, const CheckOptions& options = {});

}  // namespace tauekel::sema
