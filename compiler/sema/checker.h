#pragma once
// Resolution and type checking across files and packages: syntax trees in, a checked
// Program out, diagnostics in the sink. Checking goes on past errors; a declaration
// with an error is left out of the Program, so what remains is consistent.

#include <map>
#include <memory>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/sema/program.h"
#include "compiler/syntax/ast.h"

namespace tauekel::sema {

struct CheckOptions {
  // Packages whose unused declarations are not worth a warning (the standard library).
  std::vector<std::string> quiet_package_prefixes = {"std."};
  // The folder each file's list and table files must stay inside (its repository);
  // a file not listed keeps to its own folder.
  std::map<source::FileId, std::string> data_roots;
  uint64_t max_data_bytes = uint64_t{1} << 30;  // one list or table file, read whole
};

// `sources` gains the text of data files that a diagnostic points into.
std::unique_ptr<Program> check(const std::vector<const syntax::File*>& files, source::SourceManager& sources,
                               diag::Sink& sink, const CheckOptions& options = {});

}  // namespace tauekel::sema
