// The public Profiles: the front end's compilation, with its diagnostics as values.
#include "tauekel/profiles.h"

#include "compiler/diag/render.h"
#include "compiler/frontend.h"

namespace tauekel {

Profiles::Profiles(std::shared_ptr<const Compilation> compilation) : compilation_(std::move(compilation)) {
  const auto& sources = compilation_->sources;
  for (const auto& d : compilation_->diagnostics.diagnostics()) {
    const auto& info = diag::info(d.code);
    Diagnostic out;
    if (d.range.file != source::kNoFile) out.file = sources.file(d.range.file).path();
    out.line = d.range.begin.line;
    out.column = d.range.begin.column;
    out.severity = diag::severityName(d.severity);
    out.code = info.id;
    out.name = info.name;
    out.message = d.message;
    diagnostics_.push_back(std::move(out));
  }
}

Expected<Profiles> Profiles::compileDirectory(const std::string& path) {
  CompileOptions options;
  options.inputs = {path};
  auto compiled = compile(options);
  if (!compiled) return compiled.error();
  return Profiles(std::shared_ptr<const Compilation>(compiled.take()));
}

Profiles Profiles::compileTexts(const std::vector<ProfileSource>& sources) {
  std::vector<SourceText> texts;
  for (const auto& s : sources) texts.push_back(SourceText{s.path, s.text, true});
  return Profiles(std::shared_ptr<const Compilation>(tauekel::compileTexts(std::move(texts))));
}

bool Profiles::ok() const { return compilation_->ok(); }

size_t Profiles::profileCount() const { return compilation_->target_profiles; }

std::string Profiles::diagnosticsText() const {
  return diag::renderText(compilation_->diagnostics, compilation_->sources, {});
}

std::string Profiles::diagnosticsJson() const {
  return diag::renderJson(compilation_->diagnostics, compilation_->sources, {});
}

}  // namespace tauekel
