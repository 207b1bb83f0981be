#pragma once
// Diagnostics: what the front end tells an analyst. Each has a stable code from
// codes.def, a severity, a message and (nearly always) a source range.

#include <string>
#include <string_view>
#include <vector>

#include "compiler/source/source_manager.h"

namespace tauekel::diag {

enum class Severity { Error, Warning, Note };

enum class Code {
#define DIAG(code, name, severity, summary) code,
#include "compiler/diag/codes.def"
#undef DIAG
};

struct CodeInfo {
  Code code;
  const char* id;       // "TK201"
  const char* name;     // "unknown-name"
  Severity severity;
  const char* summary;
};

const CodeInfo& info(Code code);
const std::vector<CodeInfo>& allCodes();
const char* severityName(Severity severity);

struct Note {
  source::Range range;
  std::string message;
};

struct Diagnostic {
  Code code;
  Severity severity;
  source::Range range;
  std::string message;
  std::vector<Note> notes;
};

// Collects diagnostics from every stage; many per run.
class Sink {
 public:
  Diagnostic& report(Code code, source::Range range, std::string message);
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }
  size_t errorCount() const { return errors_; }
  size_t warningCount() const { return warnings_; }
  bool hasErrors() const { return errors_ > 0; }
  // Orders by file, then position, keeping report order for ties.
  void sort(const source::SourceManager& sources);

 private:
  std::vector<Diagnostic> diagnostics_;
  size_t errors_ = 0;
  size_t warnings_ = 0;
};

}  // namespace tauekel::diag
