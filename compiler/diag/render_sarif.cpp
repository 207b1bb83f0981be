#include <fmt/format.h>

#include "compiler/diag/render.h"
#include "support/json.h"

namespace tauekel::diag {

namespace {

// SARIF artifact locations are URI references: keep the path relative (code scanning
// resolves it against the repository root) and percent-encode what a URI cannot hold.
std::string toUriReference(const std::string& path) {
  std::string out;
  for (unsigned char c : path) {
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '/' || c == '-' || c == '_' || c == '.' || c == '~';
    if (plain)
      out.push_back(static_cast<char>(c));
    else
      out += fmt::format("%{:02X}", c);
  }
  while (out.rfind("./", 0) == 0) out.erase(0, 2);
  return out;
}

const char* sarifLevel(Severity severity) {
  switch (severity) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Note: return "note";
  }
  return "none";
}

// A location; a related location also has an id and a message of its own.
void writeLocation(json::Writer& w, const source::SourceManager& sources, const source::Range& range,
                   const std::string* message = nullptr, int64_t id = 0) {
  w.beginObject();
  if (message) {
    w.key("id").value(id);
    w.key("message").beginObject().key("text").value(*message).endObject();
  }
  w.key("physicalLocation").beginObject();
  w.key("artifactLocation").beginObject().key("uri").value(toUriReference(sources.file(range.file).path()));
  w.endObject();
  if (range.valid()) {
    w.key("region").beginObject();
    w.key("startLine").value(static_cast<int64_t>(range.begin.line));
    w.key("startColumn").value(static_cast<int64_t>(range.begin.column));
    if (range.end.line >= range.begin.line && range.end.line != 0) {
      w.key("endLine").value(static_cast<int64_t>(range.end.line));
      w.key("endColumn").value(static_cast<int64_t>(range.end.column));
    }
    w.endObject();
  }
  w.endObject().endObject();
}

}  // namespace

std::string renderSarif(const Sink& sink, const source::SourceManager& sources, const RenderOptions& options) {
  std::string out;
  json::Writer w(out);
  w.beginObject();
  w.key("$schema").value("https://json.schemastore.org/sarif-2.1.0.json");
  w.key("version").value("2.1.0");
  w.key("runs").beginArray().beginObject();

  w.key("tool").beginObject().key("driver").beginObject();
  w.key("name").value("tauekel");
  w.key("version").value(options.tool_version);
  w.key("informationUri").value("https://github.com/tauekel/tauekel/blob/main/docs/language.md");
  w.key("rules").beginArray();
  for (const auto& code : allCodes()) {
    w.beginObject();
    w.key("id").value(code.id);
    w.key("name").value(code.name);
    w.key("shortDescription").beginObject().key("text").value(code.summary).endObject();
    w.key("defaultConfiguration").beginObject().key("level").value(sarifLevel(code.severity)).endObject();
    w.endObject();
  }
  w.endArray();
  w.endObject().endObject();

  w.key("columnKind").value("unicodeCodePoints");
  w.key("results").beginArray();
  for (const auto& d : sink.diagnostics()) {
    const auto& code = info(d.code);
    w.beginObject();
    w.key("ruleId").value(code.id);
    w.key("ruleIndex").value(static_cast<int64_t>(d.code));
    w.key("level").value(sarifLevel(d.severity));
    w.key("message").beginObject().key("text").value(d.message).endObject();
    if (d.range.file != source::kNoFile) {
      w.key("locations").beginArray();
      writeLocation(w, sources, d.range);
      w.endArray();
    }
    bool has_related = false;
    for (const auto& note : d.notes) has_related |= note.range.file != source::kNoFile;
    if (has_related) {
      w.key("relatedLocations").beginArray();
      int64_t id = 0;
      for (const auto& note : d.notes)
        if (note.range.file != source::kNoFile) writeLocation(w, sources, note.range, &note.message, id++);
      w.endArray();
    }
    w.endObject();
  }
  w.endArray();

  w.endObject().endArray();
  w.endObject();
  out.push_back('\n');
  return out;
}

}  // namespace tauekel::diag
