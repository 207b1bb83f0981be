#include "runtime/load/declaration_source.h"

#include <fmt/format.h>

#include <filesystem>

#include "runtime/load/sources.h"

namespace tauekel::runtime {

std::string LoadError::format() const {
  if (field.empty()) return fmt::format("{}:{}: {}", file, line, reason);
  return fmt::format("{}:{}: {}: {}", file, line, field, reason);
}

Expected<std::unique_ptr<DeclarationSource>> openDeclarations(const std::string& path, const sema::Program& program,
                                                              const PersonIndex* persons, const LoadOptions& options) {
  auto ext = std::filesystem::path(path).extension().string();
  if (ext == ".jsonl" || ext == ".ndjson") return openJsonLines(path, program, persons, options);
  return openCsv(path, program, persons, options);
}

}  // namespace tauekel::runtime
