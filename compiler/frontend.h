#pragma once
// The front end in one call: find the .risk files, read them, parse, resolve imports
// (the standard library is built in), check. What `tauekel check` runs, and what
// every later stage starts from.

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/sema/program.h"
#include "compiler/syntax/ast.h"
#include "compiler/syntax/parser.h"
#include "support/expected.h"

namespace tauekel {

// A file with this name marks the root of a profile repository: checking one file
// inside it still resolves names declared in the repository's other files.
inline constexpr const char* kProjectMarker = "tauekel.project";

struct CompileOptions {
  std::vector<std::string> inputs;  // .risk files and directories (searched recursively)
  syntax::ParseLimits limits;
  uint64_t max_data_bytes = uint64_t{1} << 30;  // one list or table file
};

struct Compilation {
  source::SourceManager sources;
  diag::Sink diagnostics;
  std::vector<std::unique_ptr<syntax::File>> files;
  std::unique_ptr<sema::Program> program;  // the first program; `tauekel run` takes one
  std::vector<std::unique_ptr<sema::Program>> other_programs;  // one per further repository
  size_t target_files = 0;     // files the caller asked about (not context or stdlib)
  size_t target_profiles = 0;  // checked profiles in those files
  // Errors in the repository's other files: not shown, but the program is unusable.
  size_t context_errors = 0;
  // Every file read from disk: repository markers, the .risk files, then the list and
  // table files (an output must not overwrite any of them).
  std::vector<std::string> files_read() const;
  std::vector<std::string> risk_files_read;  // markers and .risk files (or the package)
  // Read from a compiled package (governance/package.h) rather than sources: its path,
  // the hash of its content, and its approvals' text by profile id.
  std::string package_path;
  std::string package_hash;
  std::map<std::string, std::string> package_approvals;

  bool ok() const { return !diagnostics.hasErrors() && context_errors == 0 && program != nullptr; }
};

// Source text already in memory (an editor buffer, a test). Its list and table files
// must be inside the file's own folder.
struct SourceText {
  std::string path;  // for messages, and the base of relative data-file paths
  std::string text;
  bool target = true;  // false: context only, diagnostics not reported
};
std::unique_ptr<Compilation> compileTexts(std::vector<SourceText> texts, const syntax::ParseLimits& limits = {});

// Fails (an I/O or usage error, not a diagnostic) when an input does not exist or a
// directory holds no .risk file.
Expected<std::unique_ptr<Compilation>> compile(const CompileOptions& options);

}  // namespace tauekel
