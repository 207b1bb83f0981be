#include "compiler/diag/render.h"
#include "support/json.h"

namespace tauekel::diag {

namespace {

void writeRange(json::Writer& w, const source::SourceManager& sources, const source::Range& range) {
  if (range.file != source::kNoFile) w.key("file").value(sources.file(range.file).path());
  if (!range.valid()) return;
  w.key("line").value(static_cast<int64_t>(range.begin.line));
  w.key("column").value(static_cast<int64_t>(range.begin.column));
  w.key("endLine").value(static_cast<int64_t>(range.end.line));
  w.key("endColumn").value(static_cast<int64_t>(range.end.column));
}

}  // namespace

std::string renderJson(const Sink& sink, const source::SourceManager& sources, const RenderOptions&) {
  std::string out;
  json::Writer w(out);
  w.beginObject();
  w.key("diagnostics").beginArray();
  for (const auto& d : sink.diagnostics()) {
    const auto& code = info(d.code);
    w.beginObject();
    writeRange(w, sources, d.range);
    w.key("severity").value(severityName(d.severity));
    w.key("code").value(code.id);
    w.key("name").value(code.name);
    w.key("message").value(d.message);
    if (!d.notes.empty()) {
      w.key("notes").beginArray();
      for (const auto& note : d.notes) {
        w.beginObject();
        writeRange(w, sources, note.range);
        w.key("message").value(note.message);
        w.endObject();
      }
      w.endArray();
    }
    w.endObject();
  }
  w.endArray();
  w.key("errors").value(static_cast<uint64_t>(sink.errorCount()));
  w.key("warnings").value(static_cast<uint64_t>(sink.warningCount()));
  w.endObject();
  out.push_back('\n');
  return out;
}

}  // namespace tauekel::diag
