#pragma once
// The concrete declaration sources (see declaration_source.h for the interface).

#include "runtime/load/declaration_source.h"

namespace tauekel::runtime {

Expected<std::unique_ptr<DeclarationSource>> openCsv(std::unique_ptr<io::ByteSource> input,
                                                     const sema::Program& program, const PersonIndex* persons,
                                                     const LoadOptions& options);
Expected<std::unique_ptr<DeclarationSource>> openJsonLines(std::unique_ptr<io::ByteSource> input,
                                                           const sema::Program& program, const PersonIndex* persons,
                                                           const LoadOptions& options);

}  // namespace tauekel::runtime
