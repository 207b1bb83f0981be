#pragma once
// Screening a source that cuts its input into blocks (CSV) on several threads, each of
// which in turn cuts the next block (one at a time, in input order), reads and screens
// it, and writes whatever blocks are next in input order (one writer at a time). No
// thread only waits on another's work, so two cores stay busy with two threads. Internal
// to screenStream.

#include <cstdint>
#include <functional>

#include "engine/screening_stream.h"

namespace tauekel::engine {

StreamResult screenBlocks(runtime::DeclarationSource& source, const Screener& screener, const sema::Program& program,
                          io::OutputFile& out, size_t threads, size_t block_rows,
                          const std::function<void(uint64_t, uint64_t)>& progress, const DecisionFormat* format);

}  // namespace tauekel::engine
