#pragma once
// Declarations from a source through a screener to decision lines on an output, on one
// thread or several. A source that cuts its input into blocks (CSV) is read by every
// thread in turn: each cuts the next block, reads and screens it, and writes what is
// next in input order (engine/block_pipeline.h). Otherwise (JSON Lines) the calling
// thread reads and parses, workers screen and turn decisions into text, and a light
// writer thread writes them in input order.
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
// A source that splits its input is read in blocks of about `block_rows` rows.
StreamResult screenStream(runtime::DeclarationSource& source, const Screener& screener, const sema::Program& program,
                          io::OutputFile& out, size_t threads, size_t block_rows,
                          const std::function<void(uint64_t bytes_done, uint64_t bytes_total)>& progress,
                          const DecisionFormat* format = nullptr);

}  // namespace tauekel::engine
