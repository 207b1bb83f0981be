#include "effectiveness/ranking.h"

#include <fmt/format.h>

#include <algorithm>
#include <queue>

#include "support/decimal.h"
#include "support/input_file.h"
#include "support/json.h"
#include "support/line_reader.h"
#include "support/output_file.h"

namespace tauekel::effectiveness {

namespace {
struct Ranked {
  int64_t points;
  uint64_t order;  // input line: ties keep input order
  std::string line;
};
// Riskier first; of two as risky, the earlier.
bool riskier(const Ranked& a, const Ranked& b) { return a.points != b.points ? a.points > b.points : a.order < b.order; }
}  // namespace

Expected<uint64_t> rankDecisions(const std::string& from, const std::string& to, const std::string& score,
                                 std::optional<uint64_t> top, const std::vector<std::string>& inputs) {
  auto input = io::openInput(from);
  if (!input) return input.error();
  io::LineReader lines(input.take());
  // With `top`, a heap of the riskiest so far (its root the least risky kept).
  auto lessRisky = [](const Ranked& a, const Ranked& b) { return riskier(a, b); };
  std::priority_queue<Ranked, std::vector<Ranked>, decltype(lessRisky)> kept(lessRisky);
  std::vector<Ranked> all;
  uint64_t order = 0;
  while (true) {
    auto status = lines.next();
    if (status == io::LineReader::Status::End) break;
    if (status == io::LineReader::Status::Failed) return Error{lines.error()};
    std::string line(lines.line());
    auto parsed = json::parse(line);
    if (!parsed || !parsed->isObject()) return Error{fmt::format("decision {} is not a JSON object", order + 1)};
    const json::Value* scores = parsed->find("scores");
    const json::Value* found = scores ? scores->find(score) : nullptr;
    const json::Value* points = found ? found->find("points") : nullptr;
    if (!points || !points->isNumber())
      return Error{fmt::format("--rank-by {}: the decisions carry no score `{}`{}", score, score,
                               scores ? " (the profiles declare other scores)" : " (the profiles declare no score)")};
    auto value = decimal::parse(points->numberText());
    Ranked r{value.status == decimal::ParseStatus::Ok ? value.scaled : 0, order++, std::move(line)};
    if (!top) {
      all.push_back(std::move(r));
    } else if (kept.size() < *top) {
      kept.push(std::move(r));
    } else if (*top > 0 && riskier(r, kept.top())) {
      kept.pop();
      kept.push(std::move(r));
    }
  }
  if (top) {
    while (!kept.empty()) {
      all.push_back(kept.top());
      kept.pop();
    }
  }
  std::sort(all.begin(), all.end(), riskier);
  auto out = io::OutputFile::open(to, inputs);
  if (!out) return out.error();
  for (const auto& r : all) {
    if (auto w = (*out)->write(r.line); !w) return w.error();
    if (auto w = (*out)->write("\n"); !w) return w.error();
  }
  if (auto c = (*out)->commit(); !c) return c.error();
  return static_cast<uint64_t>(all.size());
}

}  // namespace tauekel::effectiveness
