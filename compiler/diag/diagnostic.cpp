#include "compiler/diag/diagnostic.h"

#include <algorithm>
#include <cassert>
#include <tuple>

namespace tauekel::diag {

const std::vector<CodeInfo>& allCodes() {
  static const std::vector<CodeInfo> kCodes = {
#define DIAG(code, name, severity, summary) {Code::code, #code, name, Severity::severity, summary},
#include "compiler/diag/codes.def"
#undef DIAG
  };
  return kCodes;
}

const CodeInfo& info(Code code) {
  const auto& codes = allCodes();
  auto index = static_cast<size_t>(code);
  assert(index < codes.size());
  return codes[index];
}

const char* severityName(Severity severity) {
  switch (severity) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Note: return "note";
  }
  return "?";
}

Diagnostic& Sink::report(Code code, source::Range range, std::string message) {
  Severity severity = info(code).severity;
  (severity == Severity::Error ? errors_ : warnings_)++;
  diagnostics_.push_back(Diagnostic{code, severity, range, std::move(message), {}});
  return diagnostics_.back();
}

void Sink::sort(const source::SourceManager& sources) {
  auto key = [&](const Diagnostic& d) {
    std::string_view path = d.range.file == source::kNoFile ? std::string_view{} : sources.file(d.range.file).path();
    return std::tuple(path, d.range.begin.line, d.range.begin.column);
  };
  std::stable_sort(diagnostics_.begin(), diagnostics_.end(),
                   [&](const Diagnostic& a, const Diagnostic& b) { return key(a) < key(b); });
}

}  // namespace tauekel::diag
