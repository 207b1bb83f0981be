#pragma once
// The three ways diagnostics leave the front end: text for people, JSON for scripts,
// SARIF 2.1.0 for code-scanning in a profile repository's CI.

#include <string>

#include "compiler/diag/diagnostic.h"

namespace tauekel::diag {

enum class Format { Text, Json, Sarif };

struct RenderOptions {
  bool color = false;
  std::string tool_version;
};

std::string renderText(const Sink& sink, const source::SourceManager& sources, const RenderOptions& options);
std::string renderJson(const Sink& sink, const source::SourceManager& sources, const RenderOptions& options);
std::string renderSarif(const Sink& sink, const source::SourceManager& sources, const RenderOptions& options);
std::string render(Format format, const Sink& sink, const source::SourceManager& sources,
                   const RenderOptions& options);

}  // namespace tauekel::diag
