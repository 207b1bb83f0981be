// libFuzzer target: arbitrary bytes through the whole front end (guards, lexer, parser,
// checker). Any crash, sanitizer report or hang is a bug: bad input must only ever
// produce diagnostics.

#include <cstddef>
#include <cstdint>
#include <string>

#include "compiler/frontend.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto compilation = tauekel::compileTexts({tauekel::SourceText{"fuzz.risk", std::move(text), true}});
  // Every diagnostic must carry a registered code and, when it has a position, a sane one.
  for (const auto& d : compilation->diagnostics.diagnostics()) {
    (void)tauekel::diag::info(d.code);
    if (d.range.valid() && d.range.begin.line == 0) __builtin_trap();
  }
  return 0;
}
