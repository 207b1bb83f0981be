#pragma once
// One batch's way from the input to decision text, and what the ways of running it
// (one thread, a reader with screening workers, threads that each cut, read, screen and
// write in turn) share. Internal to screenStream.

#include <cstdint>
#include <memory>
#include <string>

#include "engine/decision_json.h"
#include "engine/decision_writer.h"
#include "engine/screener.h"
#include "runtime/load/declaration_source.h"

namespace tauekel::engine {

// Read into `batch` (or cut off into `block` and read from it), screened into `text`.
struct ScreeningJob {
  uint64_t sequence = 0;  // its place in the input
  runtime::InputBlock block;
  runtime::BlockOutcome outcome;
  runtime::Batch batch;
  std::string text;
  DecisionCounts counts;
};

// Screens the job's batch into its text and counts. `writer`: null for the analyst's
// plain decisions, else the thread's own.
void screenInto(const Screener& screener, Screener::Context& context, DecisionWriter* writer, ScreeningJob& job);

// A thread's decision writer for `format` (null: none needed).
std::unique_ptr<DecisionWriter> writerFor(const DecisionFormat* format);

void addCounts(DecisionCounts& total, const DecisionCounts& part);

}  // namespace tauekel::engine
