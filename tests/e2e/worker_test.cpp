// `tauekel worker` over a real broker (nats-server with JetStream, started by each test
// on a free loopback port): a fleet of three workers that loses nothing and decides
// nothing twice while one is killed and the broker restarts; poison messages in dead
// letters without harm to the rest; reloads from a folder and from a key-value bucket;
// metrics; a drain on SIGTERM; and the errors a user meets first.

#include <doctest/doctest.h>

#include <fstream>
#include <httplib.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "tests/common/child_process.h"
#include "tests/common/nats_broker.h"
#include "support/json.h"
#include "tests/e2e/cli_runner.h"
#include "worker/nats_client.h"
#include "worker/stream_reader.h"

using namespace tauekel;
namespace fs = std::filesystem;

namespace {

const std::string kSource = TAUEKEL_SOURCE_DIR;
const std::string kDeclarations = kSource + "/examples/eaeu/data/declarations.jsonl";
const std::string kPersons = kSource + "/examples/eaeu/data/persons.csv";

struct StoredMessage {
  std::string data;
  std::map<std::string, std::string> headers;
};

// A client of the test's own, to publish raw messages and read streams back.
class Client {
 public:
  explicit Client(const std::string& url) {
    std::atomic<bool> once{true};
    worker::nats::ConnectOptions options;
    options.servers = url;
    auto c = worker::nats::Connection::connect(options, once);
    REQUIRE_MESSAGE(c.ok(), (c.ok() ? "" : c.error().message));
    connection_ = c.take();
  }
  jsCtx* js() const { return connection_->js(); }

  void publish(const std::string& subject, const std::string& body) {
    jsPubAck* ack = nullptr;
    REQUIRE(js_Publish(&ack, js(), subject.c_str(), body.data(), static_cast<int>(body.size()), nullptr,
                       nullptr) == NATS_OK);
    jsPubAck_Destroy(ack);
  }
  void ensureStream(const std::string& name, const std::string& subject) {
    worker::nats::StreamSpec spec{name, subject, 0};
    REQUIRE(worker::nats::ensureStream(js(), spec).ok());
  }
  uint64_t count(const std::string& stream) {
    jsStreamInfo* info = nullptr;
    if (js_GetStreamInfo(&info, js(), stream.c_str(), nullptr, nullptr) != NATS_OK) return 0;
    uint64_t n = info->State.Msgs;
    jsStreamInfo_Destroy(info);
    return n;
  }
  // Messages not yet delivered, and delivered but not acknowledged.
  std::pair<uint64_t, uint64_t> backlog(const std::string& stream, const std::string& consumer) {
    jsConsumerInfo* info = nullptr;
    if (js_GetConsumerInfo(&info, js(), stream.c_str(), consumer.c_str(), nullptr, nullptr) != NATS_OK)
      return {UINT64_MAX, UINT64_MAX};
    std::pair<uint64_t, uint64_t> out{info->NumPending, static_cast<uint64_t>(info->NumAckPending)};
    jsConsumerInfo_Destroy(info);
    return out;
  }
  // Every message the stream holds, in order.
  std::vector<StoredMessage> read(const std::string& stream) {
    std::vector<StoredMessage> out;
    std::atomic<bool> never{false};
    auto read = worker::readStream(*connection_, stream, false, never, [&](natsMsg* msg) {
      StoredMessage m;
      m.data.assign(natsMsg_GetData(msg), static_cast<size_t>(natsMsg_GetDataLength(msg)));
      for (const char* name : {"Nats-Msg-Id", "Tauekel-Version", "Tauekel-Error", "Tauekel-Sequence"})
        m.headers[name] = worker::nats::header(msg, name);
      out.push_back(std::move(m));
    });
    REQUIRE_MESSAGE(read.ok(), (read.ok() ? "" : read.error().message));
    return out;
  }

 private:
  std::unique_ptr<worker::nats::Connection> connection_;
};

std::string memberOf(const std::string& json, const std::string& name) {
  std::smatch m;
  if (!std::regex_search(json, m, std::regex("\"" + name + "\": ?\"([^\"]*)\""))) return "";
  return m[1];
}

// A decision from the results stream without its version: what `tauekel run` writes.
std::string withoutVersion(const std::string& data) {
  static const std::regex version("^\\{\"version\":\"[0-9a-f]{16}\",");
  return std::regex_replace(data, version, "{");
}

// `tauekel run` over a JSON Lines file: the decision line per declaration key.
std::map<std::string, std::string> runDecisions(const std::string& profiles, const std::string& declarations) {
  auto r = e2e::run("run --quiet --profiles '" + profiles + "' --persons '" + kPersons + "' --declarations '" +
                    declarations + "'");
  REQUIRE(r.exit_code == 0);
  std::map<std::string, std::string> out;
  std::istringstream lines(r.out);
  std::string line;
  while (std::getline(lines, line)) out[memberOf(line, "declaration")] = line;
  return out;
}

// The example declarations `copies` times, each copy's keys suffixed "-N".
std::string exampleCopies(size_t copies) {
  std::vector<std::string> lines;
  std::istringstream in(e2e::readAll(kDeclarations));
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  std::string out;
  for (size_t c = 0; c < copies; ++c)
    for (const auto& line : lines) {
      std::string key = memberOf(line, "number");
      std::string copy = line;
      copy.replace(copy.find(key), key.size(), key + "-" + std::to_string(c));
      out += copy + "\n";
    }
  return out;
}

std::vector<std::string> workerArgs(const test::NatsBroker& broker, const std::vector<std::string>& more) {
  std::vector<std::string> argv = {TAUEKEL_BINARY, "worker", "--nats", broker.url()};
  argv.insert(argv.end(), more.begin(), more.end());
  return argv;
}

std::vector<std::string> exampleWorker(const test::NatsBroker& broker, const std::string& profiles,
                                       std::vector<std::string> more = {}) {
  std::vector<std::string> args = {"--profiles", profiles, "--persons", kPersons};
  args.insert(args.end(), more.begin(), more.end());
  return workerArgs(broker, args);
}

// Waits until `done` or `seconds` pass; whether it came.
template <class F>
bool waitUntil(F done, int seconds) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return done();
}

}  // namespace

TEST_CASE("worker: three workers, one killed and the broker restarted, leave exactly one decision each") {
  e2e::Scratch dir;
  test::NatsBroker broker(dir.path().string());
  REQUIRE_MESSAGE(broker.ready(), broker.log());
#ifdef TAUEKEL_SANITIZED_BUILD
  const size_t copies = 308;  // 20,020 declarations: the sanitizers look for faults, not scale
#else
  const size_t copies = 1539;  // 65 declarations each: 100,035 in all
#endif
  std::string input = dir.write("declarations.jsonl", exampleCopies(copies));
  auto expected = runDecisions(kSource + "/examples/eaeu", input);
  REQUIRE(expected.size() == copies * 65);

  auto published = e2e::run("publish --nats " + broker.url() + " --declarations '" + input + "'");
  REQUIRE_MESSAGE(published.exit_code == 0, published.err);
  CHECK(published.err.find(std::to_string(copies * 65) + " declarations stored") != std::string::npos);

  // Short ack wait: the killed worker's messages come back within the test's time.
  std::vector<std::string> options = {"--ack-wait", "3", "--batch", "128", "--max-inflight", "512"};
  auto log = [&](const std::string& name) { return (dir.path() / (name + ".log")).string(); };
  std::vector<std::unique_ptr<test::ChildProcess>> workers;
  for (int w = 0; w < 3; ++w) {
    workers.push_back(std::make_unique<test::ChildProcess>(
        exampleWorker(broker, kSource + "/examples/eaeu", options), log("worker" + std::to_string(w))));
  }
  for (auto& w : workers) REQUIRE_MESSAGE(w->waitFor("consuming", 120), w->log());

  Client client(broker.url());
  REQUIRE(waitUntil([&] { return client.count("TAUEKEL_DECISIONS") >= copies * 65 / 4; }, 300));
  workers[0]->kill(SIGKILL);  // mid-batch, with messages in flight
  workers[0] = std::make_unique<test::ChildProcess>(exampleWorker(broker, kSource + "/examples/eaeu", options),
                                                    log("worker0-again"));
  REQUIRE(waitUntil([&] { return client.count("TAUEKEL_DECISIONS") >= copies * 65 * 11 / 20; }, 300));
  broker.restart();
  REQUIRE_MESSAGE(broker.ready(), broker.log());

  Client after(broker.url());
  bool finished = waitUntil(
      [&] {
        auto [pending, unacknowledged] = after.backlog("TAUEKEL_DECLARATIONS", "tauekel-worker");
        return pending == 0 && unacknowledged == 0;
      },
      600);
  for (auto& w : workers) CHECK_MESSAGE(w->stop() == 0, w->log());
  REQUIRE_MESSAGE(finished, workers[1]->log());

  auto results = after.read("TAUEKEL_DECISIONS");
  std::map<std::string, int> seen;
  size_t differing = 0;
  for (const auto& m : results) {
    std::string decision = withoutVersion(m.data);
    std::string key = memberOf(decision, "declaration");
    ++seen[key];
    if (expected[key] != decision && ++differing <= 3) CHECK(expected[key] == decision);
    CHECK(m.headers.at("Nats-Msg-Id") == key + "@" + m.headers.at("Tauekel-Version"));
  }
  CHECK(differing == 0);
  CHECK(results.size() == expected.size());
  CHECK(seen.size() == expected.size());
  size_t twice = 0;
  for (const auto& [key, n] : seen) twice += n > 1;
  CHECK(twice == 0);
  CHECK(after.count("TAUEKEL_DEAD_LETTERS") == 0);
  // The fleet was really tested: the killed worker's messages came back to another.
  std::string logs = workers[0]->log() + workers[1]->log() + workers[2]->log();
  CHECK(logs.find("reconnected") != std::string::npos);
  uint64_t redelivered = 0;
  std::regex stopped("([0-9]+) messages were redelivered");
  for (auto it = std::sregex_iterator(logs.begin(), logs.end(), stopped); it != std::sregex_iterator(); ++it)
    redelivered += std::stoull((*it)[1]);
  CHECK(redelivered > 0);
  MESSAGE("messages redelivered to the surviving workers: ", redelivered);
}

TEST_CASE("worker: poison messages go to dead letters with the reason, the others are screened") {
  e2e::Scratch dir;
  test::NatsBroker broker(dir.path().string());
  REQUIRE_MESSAGE(broker.ready(), broker.log());
  Client client(broker.url());
  client.ensureStream("TAUEKEL_DECLARATIONS", "tauekel.declarations");
  std::string first_line = e2e::readAll(kDeclarations).substr(0, e2e::readAll(kDeclarations).find('\n'));
  auto rekey = [&](const std::string& suffix) {
    std::string key = memberOf(first_line, "number"), line = first_line;
    return line.replace(line.find(key), key.size(), key + suffix);
  };
  // Poison, each with what its dead letter's reason must name.
  std::vector<std::pair<std::string, std::string>> poison = {
      {"this is not JSON", "column 1"},
      {std::regex_replace(first_line, std::regex("\"date\": ?\"[0-9-]+\""), "\"date\": \"2026-13-45\""), "date"},
      {std::regex_replace(first_line, std::regex("\"net_kg\": ?[0-9.]+"), "\"net_kg\": \"heavy\""),
       "items[0].net_kg"},
      {"[]", "no declaration"},
      {std::regex_replace(first_line, std::regex("\"office\""), "\"ofice\""), "ofice"},
      {std::regex_replace(first_line, std::regex("\"net_kg\": ?[0-9.]+"), "\"net_kg\": 1e5"), "items[0].net_kg"},
      {std::regex_replace(first_line, std::regex("LCD MONITORS"), "LCD \xff MONITORS"), "UTF-8"},
      {"[" + first_line + "," + rekey("-b") + "," + rekey("-c") + "]", "more than 2 declarations in one message"},
  };
  std::istringstream good(e2e::readAll(kDeclarations));
  size_t goods = 0;
  size_t p = 0;
  for (std::string line; std::getline(good, line);) {
    if (line.empty()) continue;
    client.publish("tauekel.declarations", line);
    ++goods;
    if (p < poison.size()) client.publish("tauekel.declarations", poison[p++].first);
  }
  // The first declaration again: its decision is the same message id, stored once.
  client.publish("tauekel.declarations", first_line);

  test::ChildProcess worker(exampleWorker(broker, kSource + "/examples/eaeu", {"--batch", "16", "--max-inflight", "64", "--max-declarations", "2"}),
                            (dir.path() / "worker.log").string());
  REQUIRE_MESSAGE(worker.waitFor("consuming", 120), worker.log());
  REQUIRE(waitUntil([&] { return client.backlog("TAUEKEL_DECLARATIONS", "tauekel-worker") ==
                                 std::pair<uint64_t, uint64_t>{0, 0}; }, 120));
  CHECK(worker.stop() == 0);

  auto expected = runDecisions(kSource + "/examples/eaeu", kDeclarations);
  auto results = client.read("TAUEKEL_DECISIONS");
  CHECK(results.size() == goods);
  for (const auto& m : results) {
    std::string decision = withoutVersion(m.data);
    CHECK(expected[memberOf(decision, "declaration")] == decision);
  }
  auto dead = client.read("TAUEKEL_DEAD_LETTERS");
  REQUIRE(dead.size() == poison.size());
  for (size_t i = 0; i < poison.size(); ++i) {
    CAPTURE(i);
    CHECK(dead[i].data == poison[i].first);  // the message as it came, to resend when fixed
    CHECK_MESSAGE(dead[i].headers["Tauekel-Error"].find(poison[i].second) != std::string::npos,
                  dead[i].headers["Tauekel-Error"]);
    CHECK(!dead[i].headers["Tauekel-Sequence"].empty());
  }

  // The same, as a person reads them: one JSON line each.
  auto decisions = e2e::run("decisions --nats " + broker.url());
  CHECK(decisions.exit_code == 0);
  std::string all;
  for (const auto& m : results) all += m.data + "\n";
  CHECK(decisions.out == all);
  auto letters = e2e::run("decisions --dead-letters --nats " + broker.url());
  CHECK(letters.exit_code == 0);
  std::istringstream lines(letters.out);
  size_t n = 0;
  for (std::string line; std::getline(lines, line); ++n) {
    REQUIRE(n < poison.size());
    CAPTURE(line);
    auto parsed = json::parse(line);
    REQUIRE(parsed.ok());
    CHECK(parsed->find("sequence")->isNumber());
    CHECK(parsed->find("error")->asString().find(poison[n].second) != std::string::npos);
    CHECK(parsed->find("subject")->asString() == "tauekel.declarations");
  }
  CHECK(n == poison.size());
  auto missing = e2e::run("decisions --stream NOWHERE --nats " + broker.url());
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("stream NOWHERE does not exist") != std::string::npos);
}

TEST_CASE("worker: a changed profile set is loaded between messages, from a folder and from a bucket") {
  e2e::Scratch dir;
  test::NatsBroker broker(dir.path().string());
  REQUIRE_MESSAGE(broker.ready(), broker.log());
  Client client(broker.url());
  client.ensureStream("TAUEKEL_DECLARATIONS", "tauekel.declarations");
  auto repo = e2e::copyExampleRepository(dir, "repo");
  std::vector<std::string> lines;
  std::istringstream in(exampleCopies(3));
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  auto versionsOfResults = [&] {
    std::set<std::string> versions;
    for (const auto& m : client.read("TAUEKEL_DECISIONS"))
      versions.insert(m.headers.at("Tauekel-Version"));
    return versions;
  };
  auto publishCopy = [&](size_t c) {
    for (size_t i = c * 65; i < (c + 1) * 65; ++i) client.publish("tauekel.declarations", lines[i]);
    REQUIRE(waitUntil([&] { return client.count("TAUEKEL_DECISIONS") >= (c + 1) * 65; }, 60));
  };

  SUBCASE("a folder") {
    test::ChildProcess worker(exampleWorker(broker, repo.string(), {"--reload-check", "0.1"}),
                              (dir.path() / "worker.log").string());
    REQUIRE_MESSAGE(worker.waitFor("consuming", 120), worker.log());
    publishCopy(0);
    REQUIRE(e2e::replaceInFile(repo / "profiles/value.risk", "level  high", "level  medium"));
    REQUIRE_MESSAGE(worker.waitFor("reloaded: version", 60), worker.log());
    publishCopy(1);
    CHECK(versionsOfResults().size() == 2);
    // A broken set is refused; the one in force goes on deciding.
    REQUIRE(e2e::replaceInFile(repo / "profiles/value.risk", "level  medium", "level  extreme"));
    REQUIRE_MESSAGE(worker.waitFor("is refused", 60), worker.log());
    publishCopy(2);
    CHECK(versionsOfResults().size() == 2);
    CHECK(worker.stop() == 0);
  }
  SUBCASE("a key-value bucket") {
    auto push = e2e::run("push-profiles --nats " + broker.url() + " --profiles '" + repo.string() +
                         "' --persons '" + kPersons + "' --bucket sets");
    REQUIRE_MESSAGE(push.exit_code == 0, push.err);
    CHECK(push.out.find("as revision 1 of bucket sets") != std::string::npos);
    test::ChildProcess worker(workerArgs(broker, {"--profiles-bucket", "sets", "--reload-check", "0.1"}),
                              (dir.path() / "worker.log").string());
    REQUIRE_MESSAGE(worker.waitFor("consuming", 120), worker.log());
    publishCopy(0);
    // The decisions are run's with the same files and register.
    std::string copy0;
    for (size_t i = 0; i < 65; ++i) copy0 += lines[i] + "\n";
    auto expected = runDecisions(repo.string(), dir.write("copy0.jsonl", copy0));
    for (const auto& m : client.read("TAUEKEL_DECISIONS")) {
      std::string decision = withoutVersion(m.data);
      CHECK(expected[memberOf(decision, "declaration")] == decision);
    }
    REQUIRE(e2e::replaceInFile(repo / "profiles/value.risk", "level  high", "level  medium"));
    push = e2e::run("push-profiles --nats " + broker.url() + " --profiles '" + repo.string() + "' --persons '" +
                    kPersons + "' --bucket sets");
    REQUIRE(push.exit_code == 0);
    REQUIRE_MESSAGE(worker.waitFor("reloaded: version", 60), worker.log());
    CHECK(worker.log().find("bucket sets key profile-set revision 2") != std::string::npos);
    publishCopy(1);
    CHECK(versionsOfResults().size() == 2);
    // A set with errors is never pushed.
    REQUIRE(e2e::replaceInFile(repo / "profiles/value.risk", "level  medium", "level  extreme"));
    push = e2e::run("push-profiles --nats " + broker.url() + " --profiles '" + repo.string() + "' --bucket sets");
    CHECK(push.exit_code == 1);
    CHECK(push.err.find("nothing pushed") != std::string::npos);
    CHECK(worker.stop() == 0);
  }
}

TEST_CASE("worker: metrics in Prometheus text, and a drain on SIGTERM that leaves nothing unacknowledged") {
  e2e::Scratch dir;
  test::NatsBroker broker(dir.path().string());
  REQUIRE_MESSAGE(broker.ready(), broker.log());
  auto published = e2e::run("publish --nats " + broker.url() + " --declarations '" + kDeclarations + "'");
  REQUIRE(published.exit_code == 0);
  // The same file again adds nothing: its lines' message ids are in the stream.
  published = e2e::run("publish --nats " + broker.url() + " --declarations '" + kDeclarations + "'");
  REQUIRE(published.exit_code == 0);
  Client client(broker.url());
  CHECK(client.count("TAUEKEL_DECLARATIONS") == 65);

  // Someone following the decisions as they come (the results stream made by a worker).
  client.ensureStream("TAUEKEL_DECISIONS", "tauekel.decisions");
  test::ChildProcess follow({TAUEKEL_BINARY, "decisions", "--follow", "--nats", broker.url()},
                            (dir.path() / "follow.log").string(), true);
  test::ChildProcess worker(exampleWorker(broker, kSource + "/examples/eaeu", {"--metrics", "127.0.0.1:0"}),
                            (dir.path() / "worker.log").string());
  REQUIRE_MESSAGE(worker.waitFor("consuming", 120), worker.log());
  std::smatch m;
  std::string log = worker.log();
  REQUIRE(std::regex_search(log, m, std::regex("metrics on http://127\\.0\\.0\\.1:([0-9]+)/metrics")));
  httplib::Client http("127.0.0.1", std::stoi(m[1]));
  REQUIRE(waitUntil([&] { return client.count("TAUEKEL_DECISIONS") == 65; }, 60));
  // The last declaration's decision reaches the follower; it stops on SIGINT as a command does.
  std::string text = e2e::readAll(kDeclarations);
  std::string last_key = memberOf(text.substr(text.rfind('\n', text.size() - 2) + 1), "number");
  CHECK_MESSAGE(follow.waitFor("\"declaration\":\"" + last_key + "\"", 30), follow.log());
  CHECK(follow.kill(SIGINT) == 130);
  std::string metrics;
  REQUIRE(waitUntil(
      [&] {
        auto res = http.Get("/metrics");
        metrics = res ? res->body : "";
        return metrics.find("tauekel_worker_messages_total 65\n") != std::string::npos;
      },
      30));
  CHECK(metrics.find("tauekel_worker_declarations_total 65\n") != std::string::npos);
  CHECK(metrics.find("tauekel_worker_dead_lettered_total 0\n") != std::string::npos);
  CHECK(metrics.find("tauekel_worker_lag_messages 0\n") != std::string::npos);
  CHECK(metrics.find("# TYPE tauekel_worker_redelivered_total counter") != std::string::npos);
  CHECK(std::regex_search(metrics, std::regex("tauekel_worker_profile_set_info\\{version=\"[0-9a-f]{16}\"\\} 1")));

  CHECK(worker.stop() == 0);
  CHECK(worker.log().find("stopped: 65 messages, 65 decisions, 0 dead letters; 0 messages were redelivered") !=
        std::string::npos);
  CHECK(client.backlog("TAUEKEL_DECLARATIONS", "tauekel-worker") == std::pair<uint64_t, uint64_t>{0, 0});
}

TEST_CASE("worker: a results stream that refuses writes loses nothing, once it has room, all is decided once") {
  e2e::Scratch dir;
  test::NatsBroker broker(dir.path().string());
  REQUIRE_MESSAGE(broker.ready(), broker.log());
  Client client(broker.url());
  // A full results stream: 20 messages at most, and it refuses new ones beyond.
  jsStreamConfig config;
  jsStreamConfig_Init(&config);
  config.Name = "TAUEKEL_DECISIONS";
  const char* subjects[] = {"tauekel.decisions"};
  config.Subjects = subjects;
  config.SubjectsLen = 1;
  config.MaxMsgs = 20;
  config.Discard = js_DiscardNew;
  config.Duplicates = int64_t{600} * 1'000'000'000;
  jsStreamInfo* info = nullptr;
  REQUIRE(js_AddStream(&info, client.js(), &config, nullptr, nullptr) == NATS_OK);
  jsStreamInfo_Destroy(info);
  REQUIRE(e2e::run("publish --nats " + broker.url() + " --declarations '" + kDeclarations + "'").exit_code == 0);

  test::ChildProcess worker(exampleWorker(broker, kSource + "/examples/eaeu", {"--metrics", "127.0.0.1:0"}),
                            (dir.path() / "worker.log").string());
  REQUIRE_MESSAGE(worker.waitFor("metrics on", 120), worker.log());
  std::smatch m;
  std::string log = worker.log();
  REQUIRE(std::regex_search(log, m, std::regex("metrics on http://127\\.0\\.0\\.1:([0-9]+)/metrics")));
  httplib::Client http("127.0.0.1", std::stoi(m[1]));
  auto metric = [&](const std::string& name) -> uint64_t {
    auto res = http.Get("/metrics");
    if (!res) return 0;
    size_t at = res->body.find("\n" + name + " ");
    return at == std::string::npos ? 0 : std::stoull(res->body.substr(at + name.size() + 2));
  };
  REQUIRE(waitUntil([&] { return metric("tauekel_worker_publish_failures_total") >= 45; }, 60));
  CHECK(client.count("TAUEKEL_DECISIONS") == 20);
  auto [pending, unacknowledged] = client.backlog("TAUEKEL_DECLARATIONS", "tauekel-worker");
  CHECK(pending + unacknowledged == 45);  // given back, not acknowledged: nothing lost

  config.MaxMsgs = -1;  // room again
  REQUIRE(js_UpdateStream(&info, client.js(), &config, nullptr, nullptr) == NATS_OK);
  jsStreamInfo_Destroy(info);
  REQUIRE(waitUntil([&] { return client.backlog("TAUEKEL_DECLARATIONS", "tauekel-worker") ==
                                 std::pair<uint64_t, uint64_t>{0, 0}; }, 60));
  CHECK(worker.stop() == 0);
  auto expected = runDecisions(kSource + "/examples/eaeu", kDeclarations);
  auto results = client.read("TAUEKEL_DECISIONS");
  CHECK(results.size() == 65);
  std::set<std::string> keys;
  for (const auto& r : results) {
    std::string decision = withoutVersion(r.data);
    keys.insert(memberOf(decision, "declaration"));
    CHECK(expected[memberOf(decision, "declaration")] == decision);
  }
  CHECK(keys.size() == 65);
}

TEST_CASE("worker: the errors a user meets first") {
  e2e::Scratch dir;
  auto r = e2e::run("worker --nats nats://127.0.0.1:1");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--profiles DIR or --profiles-bucket BUCKET") != std::string::npos);
  r = e2e::run("worker --profiles examples/eaeu --batch 100 --max-inflight 10");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--max-inflight (10) must be at least --batch (100)") != std::string::npos);
  r = e2e::run("worker --profiles examples/eaeu --metrics nowhere");
  CHECK(r.exit_code == 2);

  // No broker yet: it waits, saying so, and a SIGTERM ends the wait.
  int port = test::freeLoopbackPort();
  test::ChildProcess waiting({TAUEKEL_BINARY, "worker", "--profiles", kSource + "/examples/eaeu", "--nats",
                              "nats://127.0.0.1:" + std::to_string(port)},
                             (dir.path() / "waiting.log").string());
  CHECK(waiting.waitFor("retrying", 30));
  CHECK(waiting.stop() == 2);
  CHECK(waiting.log().find("not started") != std::string::npos);

  // A broker without JetStream: said so, not "no responders".
  {
    e2e::Scratch plain_dir;
    test::NatsBroker plain(plain_dir.path().string(), false);
    REQUIRE_MESSAGE(plain.ready(), plain.log());
    auto refused = e2e::run("worker --profiles examples/eaeu --nats " + plain.url());
    CHECK(refused.exit_code == 2);
    CHECK(refused.err.find("the broker has no JetStream (start nats-server with -js") != std::string::npos);
    refused = e2e::run("publish --declarations examples/eaeu/data/declarations.jsonl --nats " + plain.url());
    CHECK(refused.exit_code == 2);
    CHECK(refused.err.find("no JetStream") != std::string::npos);
  }

  // Profiles with errors: exit 1 with the diagnostics, as run and serve.
  test::NatsBroker broker(dir.path().string());
  REQUIRE_MESSAGE(broker.ready(), broker.log());
  auto repo = e2e::copyExampleRepository(dir, "repo");
  REQUIRE(e2e::replaceInFile(repo / "profiles/value.risk", "level  high", "level  extreme"));
  test::ChildProcess broken(workerArgs(broker, {"--profiles", repo.string()}), (dir.path() / "broken.log").string());
  CHECK(broken.waitFor("not started", 60));
  CHECK(broken.kill(SIGTERM, 10) == 1);
  CHECK(broken.log().find("extreme") != std::string::npos);

  // A metrics address already taken: a usage error, not a worker without metrics.
  {
    int taken = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(taken, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(::listen(taken, 1) == 0);
    socklen_t length = sizeof address;
    ::getsockname(taken, reinterpret_cast<sockaddr*>(&address), &length);
    std::string port = std::to_string(ntohs(address.sin_port));
    auto busy = e2e::run("worker --profiles examples/eaeu --nats " + broker.url() + " --metrics 127.0.0.1:" + port);
    ::close(taken);
    CHECK(busy.exit_code == 2);
    CHECK(busy.err.find("--metrics 127.0.0.1:" + port + ": cannot listen there") != std::string::npos);
  }

  // A file to publish that is not there: named, nothing published.
  auto absent = e2e::run("publish --declarations no-such.jsonl --nats " + broker.url());
  CHECK(absent.exit_code == 2);
  CHECK(absent.err.find("no-such.jsonl") != std::string::npos);

  // A bucket with no profile set in it.
  Client client(broker.url());
  REQUIRE(worker::nats::keyValue(client.js(), "empty", true).ok());
  test::ChildProcess nothing(workerArgs(broker, {"--profiles-bucket", "empty"}), (dir.path() / "nothing.log").string());
  CHECK(nothing.waitFor("not started", 60));
  CHECK(nothing.kill(SIGTERM, 10) == 2);
  CHECK(nothing.log().find("push a profile set first") != std::string::npos);
}

TEST_CASE("worker: an officer's results in production from a package, its start in the audit log") {
  e2e::Scratch dir;
  test::NatsBroker broker(dir.path().string());
  REQUIRE_MESSAGE(broker.ready(), broker.log());
  auto repo = e2e::copyExampleRepository(dir, "repo");
  auto key = dir.path() / "k.key";
  auto made = e2e::run("keygen --out " + key.string() + " --name K");
  REQUIRE(made.exit_code == 0);
  std::ofstream(dir.path() / "trusted.keys") << made.out;
  REQUIRE(e2e::run("approve --profiles " + repo.string() + " --key " + key.string() + " KZ-PAY-001").exit_code == 0);
  std::string package = (dir.path() / "p.tkp").string();
  REQUIRE(e2e::run("compile " + repo.string() + " -o " + package).exit_code == 0);
  REQUIRE(e2e::run("publish --nats " + broker.url() + " --declarations '" + kDeclarations + "'").exit_code == 0);
  std::string audit = (dir.path() / "audit.log").string();
  test::ChildProcess worker(workerArgs(broker, {"--profiles", package, "--persons", kPersons, "--audience", "officer",
                                                "--production", "--trusted-keys",
                                                (dir.path() / "trusted.keys").string(), "--audit-log", audit,
                                                "--operator", "night shift"}),
                            (dir.path() / "worker.log").string());
  REQUIRE_MESSAGE(worker.waitFor("consuming", 120), worker.log());
  Client client(broker.url());
  REQUIRE(waitUntil([&] { return client.backlog("TAUEKEL_DECLARATIONS", "tauekel-worker") ==
                                 std::pair<uint64_t, uint64_t>{0, 0}; }, 120));
  CHECK(worker.stop() == 0);
  CHECK(worker.log().find("production: profile KZ-VAL-001 refused: no approvals file") != std::string::npos);
  auto results = client.read("TAUEKEL_DECISIONS");
  CHECK(results.size() == 65);
  size_t paying = 0;
  for (const auto& m : results) {
    // The officer's form: each selecting profile with its instructions.
    if (m.data.find("\"profiles\":[{") != std::string::npos) CHECK(m.data.find("\"instructions\":") != std::string::npos);
    CHECK(m.data.find("KZ-VAL-001") == std::string::npos);         // not approved: not run
    CHECK(m.data.find("explanation") == std::string::npos);
    paying += m.data.find("\"id\":\"KZ-PAY-001\"") != std::string::npos;
  }
  CHECK(paying == 2);
  std::string log = e2e::readAll(audit);
  CHECK(log.find("\"operator\":\"night shift\",\"event\":\"worker-start\"") != std::string::npos);
  CHECK(log.find("refused KZ-VAL-001: no approvals file") != std::string::npos);
  CHECK(e2e::run("audit verify " + audit).exit_code == 0);
}
