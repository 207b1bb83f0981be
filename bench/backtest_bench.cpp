// Effectiveness over generated history: `tauekel backtest` (screening, matching the
// control results, the figures, indicators evaluated by the interpreter) and `tauekel
// learn`, beside the baseline of screening the same declarations with `tauekel run`.
//
//   backtest_bench [items] [profiles]     defaults: 200000 100

#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "bench/generator.h"
#include "bench/timing.h"
#include "effectiveness/backtest.h"
#include "effectiveness/learn.h"
#include "engine/run.h"
#include "support/csv.h"

using namespace tauekel;
namespace fs = std::filesystem;

int main(int argc, char** argv) {
  uint64_t items = argc > 1 ? std::stoull(argv[1]) : 200'000;
  size_t profiles = argc > 2 ? std::stoul(argv[2]) : 100;
  fs::path dir = fs::temp_directory_path() / fmt::format("tauekel-backtest-bench-{}", getpid());
  fs::create_directories(dir);
  fs::path repo = dir / "profiles";
  bench::ProfileSetOptions po;
  po.profiles = profiles;
  bench::writeProfileRepository(repo.string(), po);
  bench::writeDataset(dir.string(), items);
  // A result schema and what to learn, beside the generated profiles.
  std::ofstream(repo / "results.risk") << "package bench\n"
                                          "schema result {\n  declaration: string\n  date: date\n  violation: bool\n"
                                          "  payments: decimal?\n}\n"
                                          "learn fraud {\n  key item.hs.heading\n  key item.hs.subheading\n"
                                          "  key item.hs.subheading, item.origin\n  key office\n}\n";
  // One result per declaration, a violation in about one of five (a hash of the key).
  fs::path csv_path = dir / "declarations.csv";
  fs::path results = dir / "results.csv";
  uint64_t declarations = 0;
  {
    auto reader = csv::Reader::open(csv_path.string());
    std::ofstream out(results);
    out << "declaration,date,violation,payments\n";
    (*reader)->next();
    size_t key = 0, date = 0;
    for (size_t i = 0; i < (*reader)->size(); ++i) {
      if ((*reader)->field(i) == "number") key = i;
      if ((*reader)->field(i) == "date") date = i;
    }
    std::string last;
    while ((*reader)->next() == csv::Reader::Status::Record) {
      std::string k((*reader)->field(key));
      if (k == last) continue;
      last = k;
      ++declarations;
      bool violation = std::hash<std::string>{}(k) % 5 == 0;
      out << k << "," << (*reader)->field(date) << "," << (violation ? "true" : "false") << ","
          << (violation ? "1250.50" : "") << "\n";
    }
  }
  fmt::print("backtest: {} goods items, {} declarations with a result each, {} profiles\n", items, declarations, profiles);

  std::vector<double> runs, backtests, learns;
  uint64_t screened = 0;
  for (int rep = 0; rep < 3; ++rep) {
    engine::RunOptions ro;
    ro.profiles = repo.string();
    ro.declarations = csv_path.string();
    ro.persons = (dir / "persons.csv").string();
    ro.out = "/dev/null";
    double t = bench::nowSeconds();
    auto run = engine::run(ro);
    runs.push_back(bench::nowSeconds() - t);
    if (std::holds_alternative<engine::RunError>(run)) {
      fmt::print(stderr, "run failed: {}\n", std::get<engine::RunError>(run).message);
      return 1;
    }
    effectiveness::BacktestOptions bo;
    bo.profiles = repo.string();
    bo.declarations = csv_path.string();
    bo.results = results.string();
    bo.persons = (dir / "persons.csv").string();
    t = bench::nowSeconds();
    auto bt = effectiveness::backtest(bo);
    backtests.push_back(bench::nowSeconds() - t);
    if (auto* error = std::get_if<effectiveness::BacktestError>(&bt)) {
      fmt::print(stderr, "backtest failed: {}\n", error->message);
      return 1;
    }
    screened = std::get<effectiveness::BacktestReport>(bt).metrics.all.declarations;
    effectiveness::LearnOptions lo;
    lo.profiles = repo.string();
    lo.declarations = csv_path.string();
    lo.results = results.string();
    lo.cutoff = 1'000'000;  // every result
    lo.out = (dir / "learned").string();
    t = bench::nowSeconds();
    auto learned = effectiveness::learn(lo);
    learns.push_back(bench::nowSeconds() - t);
    if (auto* error = std::get_if<effectiveness::LearnError>(&learned)) {
      fmt::print(stderr, "learn failed: {}\n", error->message);
      return 1;
    }
  }
  double run = bench::summarize(runs).min, bt = bench::summarize(backtests).min, ln = bench::summarize(learns).min;
  fmt::print("  tauekel run, whole (baseline)      {:>8.3f} s  {:>10.0f} declarations/s\n", run, declarations / run);
  fmt::print("  tauekel backtest, whole            {:>8.3f} s  {:>10.0f} declarations/s  ({:.1f}x the run)\n", bt,
             screened / bt, bt / run);
  fmt::print("  tauekel learn, whole (4 keys)      {:>8.3f} s  {:>10.0f} declarations/s  ({:.1f}x the run)\n", ln,
             declarations / ln, ln / run);
  std::error_code ec;
  fs::remove_all(dir, ec);
  return 0;
}
