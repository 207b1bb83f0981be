// `tauekel worker` through a real broker (nats-server with JetStream on loopback, started
// here): declarations per second with 1 and 2 workers, and the latency from publishing
// a declaration to its decision being delivered from the results stream (p50, p99) at a
// steady rate. Beside them in the same run: the same JSON messages parsed and screened
// in process on one thread (the worker's own work without the broker), and the
// broker's ingest rate (declarations stored per second by one publisher).
//
//   worker_bench [profiles] [declarations] [latency rate per second]
//   defaults: 1000 20000 500

#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include "bench/generator.h"
#include "bench/json_lines.h"
#include "bench/timing.h"
#include "engine/decision_json.h"
#include "engine/json_input.h"
#include "engine/screener.h"
#include "tests/common/child_process.h"
#include "tests/common/nats_broker.h"
#include "worker/declaration_publisher.h"
#include "worker/nats_client.h"

using namespace tauekel;
namespace fs = std::filesystem;

namespace {

double percentile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[std::min(v.size() - 1, static_cast<size_t>(q * static_cast<double>(v.size())))];
}

uint64_t streamCount(jsCtx* js, const std::string& stream) {
  jsStreamInfo* info = nullptr;
  if (js_GetStreamInfo(&info, js, stream.c_str(), nullptr, nullptr) != NATS_OK) return 0;
  uint64_t n = info->State.Msgs;
  jsStreamInfo_Destroy(info);
  return n;
}

// The text of a string member (keys hold no quotes or escapes here).
std::string member(std::string_view json, std::string_view name) {
  std::string pattern = fmt::format("\"{}\":\"", name);
  size_t at = json.find(pattern);
  if (at == std::string_view::npos) return "";
  at += pattern.size();
  return std::string(json.substr(at, json.find('"', at) - at));
}

// A process's peak resident memory (VmHWM), in KiB.
uint64_t peakRssKb(pid_t pid) {
  std::ifstream status(fmt::format("/proc/{}/status", pid));
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stoull(line.substr(6));
  return 0;
}

struct Round {
  std::vector<std::unique_ptr<test::ChildProcess>> workers;
  std::string input_stream, input_subject, results_stream, results_subject;
};

// `count` workers on streams of their own (named by `tag`), started and ready.
Round startWorkers(const test::NatsBroker& broker, const fs::path& dir, const std::string& tag, size_t count) {
  Round r{{}, "IN_" + tag, "in." + tag, "OUT_" + tag, "out." + tag};
  for (size_t w = 0; w < count; ++w) {
    r.workers.push_back(std::make_unique<test::ChildProcess>(
        std::vector<std::string>{TAUEKEL_BINARY, "worker", "--nats", broker.url(), "--profiles",
                                 (dir / "profiles").string(), "--persons", (dir / "persons.csv").string(),
                                 "--input-stream", r.input_stream, "--input-subject", r.input_subject,
                                 "--results-stream", r.results_stream, "--results-subject", r.results_subject,
                                 "--consumer", "bench-" + tag, "--cache-dir", (dir / "cache").string()},
        (dir / fmt::format("worker-{}-{}.log", tag, w)).string()));
  }
  for (auto& w : r.workers)
    if (!w->waitFor("consuming", 300)) {
      fmt::print(stderr, "worker did not start:\n{}\n", w->log());
      std::exit(1);
    }
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  size_t profiles = argc > 1 ? std::stoul(argv[1]) : 1000;
  size_t declarations = argc > 2 ? std::stoul(argv[2]) : 20000;
  double rate = argc > 3 ? std::stod(argv[3]) : 500;

  fs::path dir = fs::temp_directory_path() / fmt::format("tauekel-worker-bench-{}", getpid());
  auto made = bench::generatedScreener(dir.string(), profiles, declarations * 6);
  if (!made) return 1;
  const engine::Screener& screener = *made;
  auto lines = bench::declarationsAsJsonLines((dir / "declarations.csv").string(), screener.program(), declarations);
  declarations = lines.size();
  uint64_t items = 0, bytes = 0;
  {
    std::ofstream out(dir / "declarations.jsonl", std::ios::binary);
    for (const auto& l : lines) {
      out << l << '\n';
      bytes += l.size();
      for (size_t at = l.find("\"item_number\""); at != std::string::npos; at = l.find("\"item_number\"", at + 1))
        ++items;
    }
  }
  fmt::print("worker_bench: {} profiles, {} declarations ({} goods items), {} cores\n", profiles, declarations, items,
             std::thread::hardware_concurrency());

  // In process: what one worker does per batch of 256 messages, without the broker.
  double in_process = 0;
  uint64_t decision_bytes = 0;
  {
    runtime::ValueBatchBuilder builder(screener.program(), screener.personIndex());
    auto context = screener.newContext();
    std::vector<Decision> out;
    std::string body;
    double start = bench::nowSeconds();
    for (size_t first = 0; first < lines.size(); first += 256) {
      builder.clear();
      for (size_t i = first; i < std::min(lines.size(), first + 256); ++i)
        if (auto added = engine::appendJsonDeclarations(builder, lines[i]); !added) {
          fmt::print(stderr, "generated declaration {} cannot be read: {}\n", i, added.error().message);
          return 1;
        }
      screener.screen(builder.batch(), out, *context);
      for (const auto& d : out) {
        body.clear();
        engine::appendJson(body, d);
        decision_bytes += body.size();
      }
    }
    in_process = static_cast<double>(declarations) / (bench::nowSeconds() - start);
  }

  test::NatsBroker broker(dir.string());
  if (!broker.ready()) {
    fmt::print(stderr, "nats-server did not start:\n{}\n", broker.log());
    return 1;
  }
  std::atomic<bool> once{true};
  worker::nats::ConnectOptions cop;
  cop.servers = broker.url();
  auto connection = worker::nats::Connection::connect(cop, once);
  if (!connection) return 1;
  jsCtx* js = (*connection)->js();

  // The broker's ingest: one publisher storing every declaration.
  double ingest = 0;
  {
    worker::nats::StreamSpec spec{"INGEST", "ingest", 0};
    if (!worker::nats::ensureStream(js, spec)) return 1;
    double start = bench::nowSeconds();
    auto n = worker::publishJsonLines(**connection, (dir / "declarations.jsonl").string(), "ingest", 1 << 24);
    if (!n) return 1;
    ingest = static_cast<double>(n->lines) / (bench::nowSeconds() - start);
    js_DeleteStream(js, "INGEST", nullptr, nullptr);
  }

  // Throughput: workers ready and idle, then every declaration published at once; from
  // the first publish to the last decision stored.
  std::map<size_t, double> throughput;
  uint64_t peak_rss_kb = 0;
  for (size_t count : {1, 2}) {
    std::string tag = fmt::format("t{}", count);
    Round round = startWorkers(broker, dir, tag, count);
    double start = bench::nowSeconds();
    auto n = worker::publishJsonLines(**connection, (dir / "declarations.jsonl").string(), round.input_subject,
                                      1 << 24);
    if (!n) return 1;
    while (streamCount(js, round.results_stream) < declarations) {
      if (bench::nowSeconds() - start > 600) return 1;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    throughput[count] = static_cast<double>(declarations) / (bench::nowSeconds() - start);
    if (count == 1) peak_rss_kb = peakRssKb(round.workers[0]->pid());
    for (auto& w : round.workers) w->stop();
  }

  // Latency at a steady rate: publish time to the decision's delivery to a subscriber.
  std::vector<double> latencies;
  size_t sent = 0;
  {
    Round round = startWorkers(broker, dir, "lat", 1);
    std::mutex mutex;
    std::map<std::string, double> published;
    struct Closure {
      std::mutex* mutex;
      std::map<std::string, double>* published;
      std::vector<double>* latencies;
    } closure{&mutex, &published, &latencies};
    natsSubscription* sub = nullptr;
    natsConnection_Subscribe(
        &sub, (*connection)->get(), round.results_subject.c_str(),
        [](natsConnection*, natsSubscription*, natsMsg* msg, void* raw) {
          double now = bench::nowSeconds();
          auto* c = static_cast<Closure*>(raw);
          std::string key = member(std::string_view(natsMsg_GetData(msg), natsMsg_GetDataLength(msg)), "declaration");
          std::lock_guard lock(*c->mutex);
          auto it = c->published->find(key);
          if (it != c->published->end()) c->latencies->push_back(now - it->second);
          natsMsg_Destroy(msg);
        },
        &closure);
    natsConnection_Flush((*connection)->get());
    size_t total = std::min(lines.size(), static_cast<size_t>(rate * 6));
    double start = bench::nowSeconds();
    for (; sent < total; ++sent) {
      double due = start + static_cast<double>(sent) / rate;
      while (bench::nowSeconds() < due) std::this_thread::sleep_for(std::chrono::microseconds(100));
      {
        std::lock_guard lock(mutex);
        published[member(lines[sent], "number")] = bench::nowSeconds();
      }
      jsPubAck* ack = nullptr;
      js_Publish(&ack, js, round.input_subject.c_str(), lines[sent].data(), static_cast<int>(lines[sent].size()),
                 nullptr, nullptr);
      jsPubAck_Destroy(ack);
    }
    double deadline = bench::nowSeconds() + 30;
    while (bench::nowSeconds() < deadline) {
      {
        std::lock_guard lock(mutex);
        if (latencies.size() >= sent) break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    natsSubscription_Unsubscribe(sub);
    natsSubscription_Destroy(sub);
    for (auto& w : round.workers) w->stop();
  }

  fmt::print("\n{:<58} {:>14}\n", "", "declarations/s");
  fmt::print("{:<58} {:>14.0f}\n", "in process: parse JSON, screen, write (1 thread)", in_process);
  fmt::print("{:<58} {:>14.0f}\n", "broker ingest: one publisher, stored and acknowledged", ingest);
  for (auto [count, value] : throughput)
    fmt::print("{:<58} {:>14.0f}  ({:.2f}x one worker; {:.0f}% of in process)\n",
               fmt::format("{} worker{} through the broker", count, count > 1 ? "s" : ""), value,
               value / throughput[1], 100.0 * value / in_process);
  fmt::print("\nlatency at {:.0f} declarations/s, publish to decision delivered ({} of {} seen): p50 {:.2f} ms, "
             "p99 {:.2f} ms, max {:.2f} ms\n",
             rate, latencies.size(), sent, percentile(latencies, 0.5) * 1e3, percentile(latencies, 0.99) * 1e3,
             percentile(latencies, 1.0) * 1e3);
  fmt::print("a declaration message {:.0f} bytes on average, its decision {:.0f}; one worker's peak memory {:.0f} MiB\n",
             static_cast<double>(bytes) / static_cast<double>(declarations),
             static_cast<double>(decision_bytes) / static_cast<double>(declarations),
             static_cast<double>(peak_rss_kb) / 1024.0);
  std::error_code ec;
  fs::remove_all(dir, ec);
  return 0;
}
