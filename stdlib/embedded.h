#pragma once
// The standard library's .risk files, compiled into the binary (see CMakeLists.txt).

#include <string_view>
#include <vector>

namespace tauekel::stdlib {

struct EmbeddedFile {
  std::string_view path;  // relative to stdlib/, e.g. "std/eaeu/schema.risk"
  std::string_view text;
};

const std::vector<EmbeddedFile>& files();

}  // namespace tauekel::stdlib
