#include "engine/screening_job.h"

namespace tauekel::engine {

void screenInto(const Screener& screener, Screener::Context& context, DecisionWriter* writer, ScreeningJob& job) {
  job.text.clear();
  job.counts = DecisionCounts{};
  uint32_t row = 0;
  if (writer && writer->writesDrafts()) {
    // The analyst's plain decisions: text straight from the drafts, no values between.
    screener.screenDrafts(job.batch, context, [&](const DecisionDraft& draft) {
      writer->appendJson(job.text, draft);
      job.text.push_back('\n');
      job.counts.add(draft.selected, draft.corridor);
      job.counts.outside_window += screener.outsideWindow(job.batch, row);
      ++row;
    });
    screener.takeRandomCounts(context, job.counts);
    return;
  }
  screener.screen(job.batch, context, [&](const Decision& decision) {
    if (writer) writer->appendJson(job.text, job.batch, row, decision);
    else appendJson(job.text, decision);
    job.text.push_back('\n');
    job.counts.add(decision);
    job.counts.outside_window += screener.outsideWindow(job.batch, row);
    ++row;
  });
  screener.takeRandomCounts(context, job.counts);
}

std::unique_ptr<DecisionWriter> writerFor(const DecisionFormat* format) {
  return format ? std::make_unique<DecisionWriter>(*format) : nullptr;
}

void addCounts(DecisionCounts& total, const DecisionCounts& part) {
  total.declarations += part.declarations;
  total.selected += part.selected;
  for (size_t c = 0; c < 4; ++c) total.corridor[c] += part.corridor[c];
  total.outside_window += part.outside_window;
  for (const auto& [id, n] : part.random) {
    total.random[id].first += n.first;
    total.random[id].second += n.second;
  }
}

}  // namespace tauekel::engine
