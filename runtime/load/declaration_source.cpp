#include "runtime/load/declaration_source.h"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <filesystem>

#include "runtime/load/sources.h"

namespace tauekel::runtime {

Expected<bool> DeclarationSource::split(InputBlock&, size_t) {
  assert(false && "split() of a source that does not split");
  return false;
}

void DeclarationSource::read(InputBlock&, Batch&, BlockOutcome&, SeenKeys*) const {
  assert(false && "read() of a source that does not split");
}

void DeclarationSource::absorb(const BlockOutcome&) { assert(false && "absorb() of a source that does not split"); }

std::unique_ptr<DeclarationSource> DeclarationSource::readRest(InputBlock&, SeenKeys&) {
  assert(false && "readRest() of a source that does not split");
  return nullptr;
}

void DeclarationSource::absorbRest(const DeclarationSource&) {
  assert(false && "absorbRest() of a source that does not split");
}

std::string LoadError::format() const {
  if (field.empty()) return fmt::format("{}:{}: {}", file, line, reason);
  return fmt::format("{}:{}: {}: {}", file, line, field, reason);
}

Expected<InputFormat> formatByName(const std::string& path) {
  if (path == io::kStdin) return InputFormat::Csv;
  std::string ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ext == ".jsonl" || ext == ".ndjson") return InputFormat::JsonLines;
  if (ext == ".json")
    return Error{fmt::format("{}: a .json file holds one JSON document, not declarations: write one declaration per "
                             "line to a .jsonl file (JSON Lines), or, if this file already is JSON Lines, say so with "
                             "--input-format jsonl",
                             path)};
  return InputFormat::Csv;
}

Expected<std::unique_ptr<DeclarationSource>> openDeclarations(std::unique_ptr<io::ByteSource> input,
                                                              InputFormat format, const sema::Program& program,
                                                              const PersonIndex* persons, const LoadOptions& options) {
  if (format == InputFormat::JsonLines) return openJsonLines(std::move(input), program, persons, options);
  return openCsv(std::move(input), program, persons, options);
}

Expected<std::unique_ptr<DeclarationSource>> openDeclarations(const std::string& path, const sema::Program& program,
                                                              const PersonIndex* persons, const LoadOptions& options) {
  InputFormat format = options.format;
  if (format == InputFormat::ByName) {
    auto byName = formatByName(path);
    if (!byName) return byName.error();
    format = *byName;
  }
  auto input = io::openInput(path);
  if (!input) return input.error();
  return openDeclarations(input.take(), format, program, persons, options);
}

}  // namespace tauekel::runtime
