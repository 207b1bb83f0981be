#include "cli/checked_repository.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

#include "cli/exit_codes.h"
#include "compiler/diag/render.h"
#include "governance/package.h"
#include "support/utf8.h"

namespace tauekel::cli {

void printDiagnostics(const Compilation& compilation) {
  diag::RenderOptions render;
  render.color = isatty(STDERR_FILENO);
  std::string text = diag::renderText(compilation.diagnostics, compilation.sources, render);
  std::fwrite(text.data(), 1, text.size(), stderr);
}

std::unique_ptr<Compilation> checkedRepository(const std::string& path, const char* command, int& exit_code) {
  CompileOptions options;
  options.inputs = {path};
  auto compiled = governance::compileOrRead(options);
  if (!compiled) {
    fmt::print(stderr, "tauekel {}: {}\n", command, utf8::sanitize(compiled.error().message, /*controls=*/true));
    exit_code = kExitUsage;
    return nullptr;
  }
  if (!(*compiled)->ok()) {
    printDiagnostics(**compiled);
    fmt::print(stderr, "tauekel {}: the profiles have errors; fix them first\n", command);
    exit_code = kExitProfileErrors;
    return nullptr;
  }
  return compiled.take();
}

}  // namespace tauekel::cli
