#pragma once
// Compiled packages (`tauekel compile DIR -o FILE.tkp`): one file holding a repository's
// checked program (no source text: no comments, no layout, only what was checked), its
// lists and tables, its approvals and metadata, sealed by hashes. `run`, `explain`,
// `serve` and `worker` read one in place of a folder.
//
// The file is a header line and a body:
//
//   {"format":"tauekel-package/1","bytes":N,"sha256":"…","block_bytes":4096,"blocks":["…",…]}\n
//   <N bytes of JSON: {"compiler":…,"compiled":…,"source_version":…,"program":{…},"approvals":{…}}>
//
// Each 4 KiB block of the body has its own SHA-256, so a changed byte is refused with the
// place it is in. The body is written in one deterministic order: the same repository
// (and the same SOURCE_DATE_EPOCH, else the same newest file time) gives the same bytes.
// Expressions are stored as flat lists of nodes (operands before the node that uses
// them), so a condition thousands of operators deep loads without recursion.

#include <memory>
#include <string>

#include "compiler/frontend.h"
#include "support/expected.h"

namespace tauekel::governance {

inline constexpr const char* kPackageExtension = ".tkp";

struct PackageInfo {
  std::string compiler;        // "tauekel X.Y.Z"
  std::string compiled;        // UTC time, ISO 8601
  std::string source_version;  // the hash of the repository's sources it was made from
  std::string sha256;          // of the body: names the package
  size_t profiles = 0;
  size_t approvals_files = 0;
};

// Writes the package of a checked compilation (free of errors) to `path`: written to a
// temporary name and renamed. `approvals_folder` holds the approvals taken along.
Expected<PackageInfo> writePackage(const Compilation& compilation, const std::string& approvals_folder,
                                   const std::string& path, const std::string& compiler_version);

// Reads a package into a compilation (its program, and the approvals' text by profile
// in `package_approvals`), after checking every hash. Errors name the file and place.
Expected<std::unique_ptr<Compilation>> readPackage(const std::string& path, PackageInfo* info = nullptr);

bool isPackagePath(const std::string& path);

// A repository or a package, whichever `options.inputs` (one input) names.
Expected<std::unique_ptr<Compilation>> compileOrRead(const CompileOptions& options);

}  // namespace tauekel::governance
