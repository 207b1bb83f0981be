// In-process screening latency, as a service embedding the engine sees it: one
// declaration of 50 goods items screened with Screener::screen() (decisions made, not
// written), 100,000 times, against generated sets of 1,000 and 5,000 profiles; p50, p99
// and p99.9 per call. Beside it in the same run: the reference interpreter on the same
// declaration, and a plain scan of the columns the profiles read. Then the same screener
// called from 1 and 2 threads at once: declarations per second and the speed-up.
//
//   screen_bench [calls] [profile counts...]     defaults: 100000  1000 5000

#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "bench/column_scan.h"
#include "bench/generator.h"
#include "bench/one_declaration.h"
#include "bench/timing.h"
#include "engine/screener.h"
#include "runtime/load/value_batch_builder.h"
#include "support/json.h"

using namespace tauekel;
namespace fs = std::filesystem;

namespace {

constexpr size_t kItems = 50;

struct Percentiles {
  double p50, p99, p999, mean;
};

Percentiles percentiles(std::vector<double> samples) {
  std::sort(samples.begin(), samples.end());
  double sum = 0;
  for (double s : samples) sum += s;
  auto at = [&](double q) { return samples[std::min(samples.size() - 1, static_cast<size_t>(q * samples.size()))]; };
  return {at(0.5), at(0.99), at(0.999), sum / static_cast<double>(samples.size())};
}

}  // namespace

int main(int argc, char** argv) {
  size_t calls = argc > 1 ? std::stoul(argv[1]) : 100'000;
  std::vector<size_t> sets;
  for (int i = 2; i < argc; ++i) sets.push_back(std::stoul(argv[i]));
  if (sets.empty()) sets = {1000, 5000};

  fs::path dir = fs::temp_directory_path() / fmt::format("tauekel-screen-bench-{}", getpid());
  fs::create_directories(dir);
  bench::writeDataset(dir.string(), 2000);
  fmt::print("Screener::screen() of one declaration with {} goods items, {} calls; one core unless said\n", kItems,
             calls);
  fmt::print("{:>8} {:>9} {:>9} {:>9} {:>9} {:>12} {:>12} {:>9}\n", "profiles", "p50 us", "p99 us", "p99.9 us",
             "mean us", "interp p50", "scan us", "selected");
  for (size_t profiles : sets) {
    fs::path repo = dir / fmt::format("profiles_{}", profiles);
    bench::ProfileSetOptions po;
    po.profiles = profiles;
    bench::writeProfileRepository(repo.string(), po);
    CompileOptions co;
    co.inputs = {repo.string()};
    auto c = compile(co);
    if (!c || !(*c)->ok()) {
      fmt::print(stderr, "the generated profiles do not check\n");
      return 1;
    }
    std::shared_ptr<const Compilation> compilation = c.take();
    auto make = [&](engine::EngineKind kind) -> std::shared_ptr<const engine::Screener> {
      auto persons = runtime::loadPersons((dir / "persons.csv").string(), *compilation->program, {});
      if (!persons) return nullptr;
      engine::ScreenerOptions so;
      so.engine = kind;
      auto made = engine::Screener::create(compilation, persons.take(), so);
      return made ? made.take() : nullptr;
    };
    auto screener = make(engine::EngineKind::Jit);
    auto reference = make(engine::EngineKind::Interp);
    if (!screener || !reference) return 1;
    std::string text = bench::oneDeclaration((dir / "declarations.csv").string(), screener->program(), kItems);
    runtime::ValueBatchBuilder builder(screener->program(), screener->personIndex());
    auto parsed = json::parse(text);
    if (!parsed) return 1;
    if (auto error = builder.addJson(*parsed)) {
      fmt::print(stderr, "{}: {}\n", error->path, error->reason);
      return 1;
    }
    const runtime::Batch& batch = builder.batch();

    auto context = screener->newContext();
    std::vector<Decision> out;
    for (int i = 0; i < 1000; ++i) screener->screen(batch, out, *context);  // warm
    std::vector<double> samples(calls);
    for (size_t i = 0; i < calls; ++i) {
      double t = bench::nowSeconds();
      screener->screen(batch, out, *context);
      samples[i] = bench::nowSeconds() - t;
    }
    auto p = percentiles(samples);
    size_t selected = out.front().profiles.size();

    auto reference_context = reference->newContext();
    std::vector<double> interp;
    for (int i = 0; i < 200; ++i) {
      double t = bench::nowSeconds();
      reference->screen(batch, out, *reference_context);
      interp.push_back(bench::nowSeconds() - t);
    }
    uint64_t checksum = 0;
    auto columns = bench::columnsRead(screener->lowered());
    std::vector<runtime::Batch> one(1);
    one[0] = batch;
    double s = bench::nowSeconds();
    for (size_t i = 0; i < calls; ++i) checksum += bench::scan(one, columns);
    double scan_us = (bench::nowSeconds() - s) / static_cast<double>(calls) * 1e6;
    fmt::print("{:>8} {:>9.1f} {:>9.1f} {:>9.1f} {:>9.1f} {:>12.1f} {:>12.2f} {:>9}{}\n", profiles, p.p50 * 1e6,
               p.p99 * 1e6, p.p999 * 1e6, p.mean * 1e6, percentiles(interp).p50 * 1e6, scan_us, selected,
               checksum == 42 ? " " : "");

    // Threads sharing the screener, each with its own context.
    double single = 0;
    for (size_t threads : {1, 2}) {
      size_t per_thread = calls / 2;
      std::vector<std::thread> pool;
      double start = bench::nowSeconds();
      for (size_t t = 0; t < threads; ++t)
        pool.emplace_back([&] {
          auto mine = screener->newContext();
          std::vector<Decision> decisions;
          for (size_t i = 0; i < per_thread; ++i) screener->screen(batch, decisions, *mine);
        });
      for (auto& t : pool) t.join();
      double rate = static_cast<double>(per_thread * threads) / (bench::nowSeconds() - start);
      if (threads == 1) single = rate;
      fmt::print("         {} thread{} on one screener: {:.0f} declarations/s{}\n", threads, threads > 1 ? "s" : "",
                 rate, threads > 1 ? fmt::format(" (speed-up {:.2f}x)", rate / single) : "");
    }
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
  return 0;
}
