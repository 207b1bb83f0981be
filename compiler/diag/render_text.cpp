#include <fmt/format.h>

#include "compiler/diag/render.h"
#include "support/utf8.h"

namespace tauekel::diag {

namespace {

const char* colorOf(Severity severity) {
  switch (severity) {
    case Severity::Error: return "\033[1;31m";
    case Severity::Warning: return "\033[1;33m";
    case Severity::Note: return "\033[1;36m";
  }
  return "";
}

// The quoted line, then a caret line under the range. Tabs are copied so the caret
// lines up however the terminal expands them.
void appendSnippet(std::string& out, const source::SourceManager& sources, const source::Range& range) {
  if (!range.valid()) return;
  const auto& file = sources.file(range.file);
  // A generated one-line file would drown the message; and copying a 1 MB line for each
  // of its diagnostics would take hours. (Sanitizing never shortens a line.)
  if (file.line(range.begin.line).size() > 400) return;
  std::string quoted = utf8::sanitize(file.line(range.begin.line), /*controls=*/true);
  std::string_view line = quoted;
  if (line.size() > 400) return;
  std::string number = std::to_string(range.begin.line);
  std::string gutter(number.size(), ' ');
  out += fmt::format(" {} | {}\n {} | ", number, line, gutter);
  uint32_t column = 1;
  size_t i = 0;
  for (; i < line.size() && column < range.begin.column; ++i) {
    unsigned char c = static_cast<unsigned char>(line[i]);
    if ((c & 0xC0) == 0x80) continue;
    out.push_back(c == '\t' ? '\t' : ' ');
    ++column;
  }
  uint32_t width = 1;
  if (range.end.line == range.begin.line && range.end.column > range.begin.column)
    width = range.end.column - range.begin.column;
  else if (range.end.line > range.begin.line)
    width = static_cast<uint32_t>(utf8::countCodePoints(line)) + 1 - range.begin.column;
  out.push_back('^');
  for (uint32_t k = 1; k < width && k < 200; ++k) out.push_back('~');
  out.push_back('\n');
}

std::string location(const source::SourceManager& sources, const source::Range& range) {
  if (range.file == source::kNoFile) return "tauekel";
  std::string path = utf8::sanitize(sources.file(range.file).path(), /*controls=*/true);
  if (!range.valid()) return path;
  return fmt::format("{}:{}:{}", path, range.begin.line, range.begin.column);
}

}  // namespace

std::string renderText(const Sink& sink, const source::SourceManager& sources, const RenderOptions& options) {
  std::string out;
  for (const auto& d : sink.diagnostics()) {
    const auto& code = info(d.code);
    // Messages quote names and cells from input files: no control character of theirs
    // reaches the terminal.
    std::string message = utf8::sanitize(d.message, /*controls=*/true);
    if (options.color)
      out += fmt::format("\033[1m{}:\033[0m {}{}[{}]:\033[0m \033[1m{}\033[0m\n", location(sources, d.range),
                         colorOf(d.severity), severityName(d.severity), code.id, message);
    else
      out += fmt::format("{}: {}[{}]: {}\n", location(sources, d.range), severityName(d.severity), code.id, message);
    appendSnippet(out, sources, d.range);
    for (const auto& note : d.notes) {
      out += fmt::format("{}: note: {}\n", location(sources, note.range), utf8::sanitize(note.message, true));
      appendSnippet(out, sources, note.range);
    }
  }
  return out;
}

std::string render(Format format, const Sink& sink, const source::SourceManager& sources,
                   const RenderOptions& options) {
  switch (format) {
    case Format::Text: return renderText(sink, sources, options);
    case Format::Json: return renderJson(sink, sources, options);
    case Format::Sarif: return renderSarif(sink, sources, options);
  }
  return {};
}

}  // namespace tauekel::diag
