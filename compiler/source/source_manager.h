#pragma once
// Owns the text of every source file of a compilation, so diagnostics can quote lines.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace tauekel::source {

using FileId = uint32_t;
inline constexpr FileId kNoFile = 0;

// 1-based line and column; columns count Unicode code points. line == 0: no position.
struct Position {
  uint32_t line = 0;
  uint32_t column = 0;
};

struct Range {
  FileId file = kNoFile;
  Position begin;
  Position end;  // exclusive column on the end line

  bool valid() const { return file != kNoFile && begin.line != 0; }
};

class SourceFile {
 public:
  SourceFile(std::string path, std::string text);
  const std::string& path() const { return path_; }
  const std::string& text() const { return text_; }
  // The text of a 1-based line without its line terminator.
  std::string_view line(uint32_t line) const;
  // The position of a byte offset (columns in code points).
  Position positionOf(size_t byte_offset) const;

 private:
  std::string path_;
  std::string text_;
  std::vector<size_t> line_starts_;
};

class SourceManager {
 public:
  SourceManager();
  FileId add(std::string path, std::string text);
  const SourceFile& file(FileId id) const { return *files_.at(id); }
  size_t size() const { return files_.size() - 1; }

 private:
  std::vector<std::unique_ptr<SourceFile>> files_;  // [0] is the null file
};

}  // namespace tauekel::source
