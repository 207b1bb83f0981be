#pragma once
// Helpers for tests that compile profile text held in memory.

#include <algorithm>
#include <string>
#include <vector>


#include "compiler/frontend.h"
#include "tests/common/temp_dir.h"

namespace tauekel::test {

inline std::unique_ptr<Compilation> compileText(const std::string& text, const std::string& path = "test.risk") {
  return compileTexts({SourceText{path, text, true}});
}

// The same, with `package t` and `import std.eaeu` put in front.
inline std::unique_ptr<Compilation> compileWithStd(const std::string& body, const std::string& path = "test.risk") {
  return compileText("package t\nimport std.eaeu\n" + body, path);
}

inline std::vector<std::string> codes(const Compilation& c) {
  std::vector<std::string> out;
  for (const auto& d : c.diagnostics.diagnostics()) out.push_back(diag::info(d.code).id);
  return out;
}

inline bool has(const Compilation& c, const std::string& code) {
  auto all = codes(c);
  return std::find(all.begin(), all.end(), code) != all.end();
}

inline std::string messages(const Compilation& c) {
  std::string out;
  for (const auto& d : c.diagnostics.diagnostics())
    out += std::string(diag::info(d.code).id) + " " + std::to_string(d.range.begin.line) + ":" +
           std::to_string(d.range.begin.column) + " " + d.message + "\n";
  return out;
}

// A declaration-level profile around a condition, for checking expressions.
inline std::string profileWhen(const std::string& condition, const std::string& extra = "") {
  return extra + "\nprofile \"P\" {\n  title \"t\"\n  area VALUE\n  valid 2026-01-01 ..\n  level high\n  when " +
         condition + "\n  apply DOC_CHECK\n}\n";
}

}  // namespace tauekel::test
