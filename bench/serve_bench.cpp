// `tauekel serve` on loopback under a load generator of our own: C connections (1, 16,
// 64), each sending one declaration per request as fast as answers come, bounded in
// count and time; declarations per second and p50/p99 latency per request. Beside it in
// the same run: in-process Screener::screen() of the same declaration on the same cores
// (as many threads as the server has), the ceiling the server is compared with.
//
//   serve_bench [profiles] [items per declaration] [requests per level] [declarations per request]
//   defaults: 1000 5 20000 1

#include <fmt/format.h>
#include <httplib.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "bench/generator.h"
#include "bench/one_declaration.h"
#include "bench/timing.h"
#include "engine/screener.h"
#include "runtime/load/value_batch_builder.h"
#include "tests/common/serve_process.h"

using namespace tauekel;
namespace fs = std::filesystem;

namespace {

double percentile(std::vector<double>& v, double q) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[std::min(v.size() - 1, static_cast<size_t>(q * static_cast<double>(v.size())))];
}

}  // namespace

int main(int argc, char** argv) {
  size_t profiles = argc > 1 ? std::stoul(argv[1]) : 1000;
  size_t items = argc > 2 ? std::stoul(argv[2]) : 5;
  size_t requests = argc > 3 ? std::stoul(argv[3]) : 20000;
  size_t per_request = argc > 4 ? std::stoul(argv[4]) : 1;
  size_t threads = std::max(1u, std::thread::hardware_concurrency());

  fs::path dir = fs::temp_directory_path() / fmt::format("tauekel-serve-bench-{}", getpid());
  // The in-process ceiling, and the request body.
  auto screener = bench::generatedScreener(dir.string(), profiles, 2000);
  if (!screener) return 1;
  // The request: `per_request` copies of one declaration under their own keys, as JSON Lines.
  std::string body;
  runtime::ValueBatchBuilder builder(screener->program(), screener->personIndex());
  for (size_t k = 0; k < per_request; ++k) {
    std::string one = bench::oneDeclaration((dir / "declarations.csv").string(), screener->program(), items,
                                            fmt::format("BENCH/{:06}", k));
    if (builder.addJson(*json::parse(one))) return 1;
    body += one + "\n";
  }
  double in_process = 0;
  {
    std::vector<std::thread> pool;
    size_t per_thread = requests;
    double start = bench::nowSeconds();
    for (size_t t = 0; t < threads; ++t)
      pool.emplace_back([&] {
        auto context = screener->newContext();
        std::vector<Decision> out;
        for (size_t i = 0; i < per_thread; i += per_request) screener->screen(builder.batch(), out, *context);
      });
    for (auto& t : pool) t.join();
    in_process = static_cast<double>(per_thread * threads) / (bench::nowSeconds() - start);
  }

  // The server, on a free loopback port.
  test::ServeProcess server(TAUEKEL_BINARY,
                            {"--profiles", (dir / "profiles").string(), "--persons", (dir / "persons.csv").string(),
                             "--threads", std::to_string(threads), "--connections", "80"},
                            (dir / "serve.log").string());
  int port = server.port();
  if (port == 0) {
    fmt::print(stderr, "the server did not start:\n{}\n", server.log());
    return 1;
  }

  fmt::print("tauekel serve on loopback, {} profiles, {} declaration(s) of {} goods items per request, {} server "
             "threads on {} cores (the load generator shares them)\n",
             profiles, per_request, items, threads, std::thread::hardware_concurrency());
  fmt::print("in-process Screener::screen(), {} threads: {:.0f} declarations/s\n", threads, in_process);
  fmt::print("{:>12} {:>10} {:>16} {:>10} {:>10} {:>12} {:>8}\n", "connections", "requests", "declarations/s",
             "p50 ms", "p99 ms", "of in-proc.", "failed");
  for (size_t connections : {1, 16, 64}) {
    std::atomic<size_t> next{0}, failed{0};
    std::vector<std::vector<double>> latencies(connections);
    std::vector<std::thread> pool;
    double start = bench::nowSeconds();
    double deadline = start + 30;
    for (size_t k = 0; k < connections; ++k)
      pool.emplace_back([&, k] {
        httplib::Client client("127.0.0.1", port);
        client.set_keep_alive(true);
        client.set_tcp_nodelay(true);
        client.set_read_timeout(30, 0);
        while (next.fetch_add(1) < requests && bench::nowSeconds() < deadline) {
          double t = bench::nowSeconds();
          auto r = client.Post("/v1/screen", body, "application/json");
          latencies[k].push_back(bench::nowSeconds() - t);
          if (!r || r->status != 200) {
            if (failed++ == 0)
              fmt::print(stderr, "first failure: {}\n", r ? fmt::format("HTTP {}: {}", r->status, r->body)
                                                           : httplib::to_string(r.error()));
          }
        }
      });
    for (auto& t : pool) t.join();
    double seconds = bench::nowSeconds() - start;
    std::vector<double> all;
    for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
    double rate = static_cast<double>(all.size() * per_request) / seconds;
    double p50 = percentile(all, 0.5), p99 = percentile(all, 0.99);
    fmt::print("{:>12} {:>10} {:>16.0f} {:>10.2f} {:>10.2f} {:>11.0f}% {:>8}\n", connections, all.size(), rate,
               p50 * 1e3, p99 * 1e3, 100 * rate / in_process, failed.load());
  }
  server.stop();
  std::error_code ec;
  fs::remove_all(dir, ec);
  return 0;
}
