#pragma once
// Declarations from a source through a screener to decision lines on an output, on one
// thread or several: reading and parsing on the calling thread (or, for a source that
// splits its input into blocks, only splitting there and parsing on the workers),
// screening and turning decisions into text on the workers, writing in input order on
// a light writer thread.
// Batches circulate through a fixed pool, so memory stays flat whatever the input's
// size; the text written is the same byte for byte whatever the number of threads.

#include <cstdint>
#include <functional>
#include <optional>

#include "engine/decision_json.h"
#include "engine/screener.h"
#include "runtime/load/declaration_source.h"
#include "support/output_file.h"

namespace tauekel::engine {

class DecisionFormat;

struct StreamResult {
  DecisionCounts decisions;
  std::optional<Error> read_error;   // the source stopped (the decisions before it were written)
  std::optional<Error> write_error;  // the output refused a write
};

// `threads` in all, the calling one included (1: everything on it, as simply as possible).
// `format`: how decisions are written (audience, explanations); null: the analyst's
// decisions without explanations.
// A source that splits its input is read on the workers in blocks of about `block_rows`
// rows; the calling thread then only cuts the blocks.
StreamResult screenStream(runtime::DeclarationSource& source, const Screener& screener, const sema::Program& program,
                          io::OutputFile& out, size_t threads, size_t block_rows,
                          const std::function<void(uint64_t bytes_done, uint64_t bytes_total)>& progress,
                          const DecisionFormat* format = nullptr);

}  // namespace tauekel::engine
