#pragma once
// A profile set, read and checked: from a repository folder (or one .risk file), or
// from texts in memory. Checking never fails as a call: a profile set with errors is a
// value that holds its diagnostics. Only input that cannot be read at all (a missing
// folder) is an Error.
//
// Part of Tauekel's public interface.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tauekel/expected.h"

namespace tauekel {

struct Compilation;  // the engine's, opaque here

struct Diagnostic {
  std::string file;       // "" when the diagnostic is about no file
  uint32_t line = 0;      // 1-based; 0: no position
  uint32_t column = 0;    // 1-based, in characters
  std::string severity;   // "error", "warning" or "note"
  std::string code;       // "TK301"
  std::string name;       // "type-mismatch"
  std::string message;
};

struct ProfileSource {
  std::string path;  // for messages, and where relative list and table paths start
  std::string text;
};

class Profiles {
 public:
  // A repository folder (searched for .risk files) or a single .risk file.
  static Expected<Profiles> compileDirectory(const std::string& path);
  static Profiles compileTexts(const std::vector<ProfileSource>& sources);

  // No errors: the set can screen.
  bool ok() const;
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }
  // The diagnostics as `tauekel check` prints them, and as its JSON output.
  std::string diagnosticsText() const;
  std::string diagnosticsJson() const;
  // Checked profiles in the files asked about.
  size_t profileCount() const;

  const std::shared_ptr<const Compilation>& compilation() const { return compilation_; }

 private:
  explicit Profiles(std::shared_ptr<const Compilation> compilation);
  std::shared_ptr<const Compilation> compilation_;
  std::vector<Diagnostic> diagnostics_;
};

}  // namespace tauekel
