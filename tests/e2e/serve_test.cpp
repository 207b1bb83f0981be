// `tauekel serve` as its clients see it: decisions equal to `tauekel run`, the version in
// every answer, clear 4xx answers to hostile requests (and serving on after them), a
// reload under load where every answer is wholly one version's, a broken set refused
// with the old one serving, SIGHUP, metrics, and a clean stop on SIGTERM.

#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <regex>
#include <sstream>
#include <thread>

#include "tests/e2e/cli_runner.h"
#include "tests/common/serve_process.h"

using namespace tauekel;
namespace fs = std::filesystem;

namespace {

const std::string kSource = TAUEKEL_SOURCE_DIR;
const std::string kDeclarations = kSource + "/examples/eaeu/data/declarations.jsonl";
const std::string kPersons = kSource + "/examples/eaeu/data/persons.csv";

// What `tauekel run` decides for the example declarations with the profiles in `repo`,
// as the body the server should answer for them.
std::string expectedBody(const std::string& repo, const std::string& version) {
  auto r = e2e::run("run --quiet --profiles '" + repo + "' --declarations '" + kDeclarations + "' --persons '" +
                     kPersons + "'");
  REQUIRE(r.exit_code == 0);
  std::string body = "{\"version\":\"" + version + "\",\"decisions\":[";
  std::istringstream lines(r.out);
  std::string line;
  bool first = true;
  while (std::getline(lines, line)) {
    if (!first) body += ",";
    body += line;
    first = false;
  }
  return body + "]}";
}

std::string versionOf(const std::string& body) {
  std::smatch m;
  REQUIRE(std::regex_search(body, m, std::regex("\"version\":\"([0-9a-f]{16})\"")));
  return m[1];
}

httplib::Client client(int port) {
  httplib::Client c("127.0.0.1", port);
  c.set_connection_timeout(10, 0);
  c.set_read_timeout(60, 0);
  c.set_write_timeout(60, 0);
  return c;
}

// A copy of the example repository that the test may change.
std::string copyRepository(const e2e::Scratch& dir) { return e2e::copyExampleRepository(dir, "repo").string(); }

void replaceIn(const std::string& path, const std::string& from, const std::string& to) {
  REQUIRE(e2e::replaceInFile(path, from, to));
}

}  // namespace

TEST_CASE("serve: decisions as run makes them, hostile requests answered 4xx, and it serves on") {
  e2e::Scratch dir;
  test::ServeProcess server(TAUEKEL_BINARY,
                            {"--profiles", kSource + "/examples/eaeu", "--persons", kPersons, "--threads", "2",
                             "--max-items", "1000", "--max-body-bytes", "8M"},
                            (dir.path() / "serve.log").string());
  REQUIRE_MESSAGE(server.port() > 0, server.log());
  auto c = client(server.port());

  auto ready = c.Get("/readyz");
  REQUIRE(ready);
  CHECK(ready->status == 200);
  std::string version = versionOf(ready->body);
  std::string expected = expectedBody(kSource + "/examples/eaeu", version);

  // JSON Lines, an array, and one object: the same decisions.
  std::string jsonl = e2e::readAll(kDeclarations);
  auto lines = c.Post("/v1/screen", jsonl, "application/x-ndjson");
  REQUIRE(lines);
  CHECK(lines->status == 200);
  CHECK(lines->body == expected);
  std::string array = "[" + std::regex_replace(jsonl.substr(0, jsonl.size() - 1), std::regex("\n"), ",") + "]";
  auto as_array = c.Post("/v1/screen", array, "application/json");
  REQUIRE(as_array);
  CHECK(as_array->body == expected);
  std::string first = jsonl.substr(0, jsonl.find('\n'));
  auto one = c.Post("/v1/screen", first, "application/json");
  REQUIRE(one);
  CHECK(one->status == 200);
  CHECK(one->body.find("\"decisions\":[{\"declaration\":\"55204001/080126/0001826\"") != std::string::npos);

  struct Hostile {
    const char* what;
    std::string body;
    int status;
    const char* words;
  };
  std::string many_items = first.substr(0, first.find("\"items\": [") + 10);
  std::string item = first.substr(first.find("\"items\": [") + 10);
  item = item.substr(0, item.rfind(']'));
  for (int i = 0; i < 1001; ++i) many_items += (i ? "," : "") + item;
  many_items += "]}";
  std::string unknown = first;
  unknown.replace(unknown.find("\"net_kg\""), 8, "\"net_kgs\"");
  std::string wrong_type = first;
  wrong_type.replace(wrong_type.find("\"date\": \"2026-01-08\""), 20, "\"date\": [2026, 1, 8]");
  std::string bad_value = std::regex_replace(first, std::regex("\"net_kg\": [0-9.]+"), "\"net_kg\": \"12,5\"",
                                             std::regex_constants::format_first_only);
  const Hostile hostile[] = {
      {"truncated JSON", first.substr(0, first.size() / 2), 400, "line 1, column"},
      {"a body past the limit", std::string(9 << 20, ' '), 413, "larger than"},
      {"too many goods items", many_items, 413, "more than 1000 goods items"},
      {"a wrong type", wrong_type, 400, "date: an object or array"},
      {"an unknown member", unknown, 400, "items[0].net_kgs: no field has this name; is it \\\"net_kg\\\"?"},
      {"a bad value", bad_value, 400, "items[0].net_kg: \\\"12,5\\\""},
      {"not a declaration", "[1, 2, 3]", 400, "[0]"},
      {"an empty body", "", 400, "empty"},
      {"the same declaration twice", first + "\n" + first + "\n", 400, "already in the batch"},
      {"a NUL byte", std::string("{\"number\":\"A\0B\"}", 16), 400, "line 1"},
  };
  for (const auto& h : hostile) {
    CAPTURE(h.what);
    auto r = c.Post("/v1/screen", h.body, "application/json");
    REQUIRE(r);
    CHECK(r->status == h.status);
    CHECK(r->get_header_value("Content-Type") == "application/json");
    CHECK_MESSAGE(r->body.find(h.words) != std::string::npos, r->body);
    // The server keeps serving, with the same set.
    auto again = c.Post("/v1/screen", first, "application/json");
    REQUIRE(again);
    CHECK(again->status == 200);
  }
  // A client that sends the declarations as a form (curl -d) is told what to send.
  auto as_form = c.Post("/v1/screen", jsonl, "application/x-www-form-urlencoded");
  REQUIRE(as_form);
  CHECK(as_form->status == 413);
  CHECK(as_form->body.find("application/x-ndjson") != std::string::npos);
  auto wrong_path = c.Get("/v1/screen");
  REQUIRE(wrong_path);
  CHECK(wrong_path->status == 404);
  CHECK(wrong_path->body.find("POST /v1/screen") != std::string::npos);

  // Metrics: requests by status, declarations, selections per profile, the version.
  auto metrics = c.Get("/metrics");
  REQUIRE(metrics);
  CHECK(metrics->status == 200);
  const std::string& m = metrics->body;
  CHECK(m.find("tauekel_http_requests_total{path=\"/v1/screen\",status=\"200\"}") != std::string::npos);
  CHECK(m.find("tauekel_http_requests_total{path=\"/v1/screen\",status=\"413\"} 3") != std::string::npos);
  CHECK(m.find("tauekel_declarations_screened_total 141") != std::string::npos);  // 65 + 65 + 1 + 10 retries
  CHECK(m.find("tauekel_profile_selections_total{profile=\"KZ-VAL-001\"}") != std::string::npos);
  CHECK(m.find("tauekel_profile_set_info{version=\"" + version + "\"} 1") != std::string::npos);
  CHECK(m.find("tauekel_screen_duration_seconds_bucket{le=\"+Inf\"}") != std::string::npos);

  CHECK(server.stop() == 0);
  CHECK(server.log().find("stopped") != std::string::npos);
}

TEST_CASE("serve: a reload under load answers every request wholly by one version, a broken set is refused") {
  e2e::Scratch dir;
  std::string repo = copyRepository(dir);
  test::ServeProcess server(TAUEKEL_BINARY,
                            {"--profiles", repo, "--persons", kPersons, "--threads", "2"},
                            (dir.path() / "serve.log").string());
  REQUIRE_MESSAGE(server.port() > 0, server.log());
  auto c = client(server.port());
  std::string v1 = versionOf(c.Get("/readyz")->body);
  std::map<std::string, std::string> expected;
  expected[v1] = expectedBody(repo, v1);

  // Clients screening the example declarations while the profiles change under them:
  // bounded in count and time.
  std::string jsonl = e2e::readAll(kDeclarations);
  std::atomic<bool> done{false};
  std::vector<std::vector<std::pair<int, std::string>>> answers(3);
  // Joined however the test ends: a failed check must not leave threads running.
  struct Joiner {
    std::atomic<bool>& done;
    std::vector<std::thread> threads;
    ~Joiner() {
      done = true;
      for (auto& t : threads)
        if (t.joinable()) t.join();
    }
  } joiner{done, {}};
  auto& clients = joiner.threads;
  for (size_t t = 0; t < answers.size(); ++t)
    clients.emplace_back([&, t] {
      auto mine = client(server.port());
      auto start = std::chrono::steady_clock::now();
      while (!done && answers[t].size() < 2000 && std::chrono::steady_clock::now() - start < std::chrono::seconds(60)) {
        auto r = mine.Post("/v1/screen", jsonl, "application/x-ndjson");
        answers[t].emplace_back(r ? r->status : -1, r ? r->body : "");
      }
    });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));

  // A changed set: a different version, in force for the requests after the swap.
  replaceIn(repo + "/profiles/value.risk", "level  high", "level  medium");  // KZ-VAL-001's
  auto reload = c.Post("/v1/reload", "", "application/json");
  REQUIRE(reload);
  CHECK(reload->status == 200);
  std::string v2 = versionOf(reload->body);
  CHECK(v2 != v1);
  CHECK(reload->body.find("\"previous\":\"" + v1 + "\"") != std::string::npos);
  expected[v2] = expectedBody(repo, v2);
  CHECK(expected[v2] != std::regex_replace(expected[v1], std::regex(v1), v2));  // the change changes decisions
  std::this_thread::sleep_for(std::chrono::milliseconds(300));

  // A broken set: refused with its diagnostics; the version in force keeps serving.
  replaceIn(repo + "/profiles/value.risk", "level  high", "level  extreme");
  auto refused = c.Post("/v1/reload", "", "application/json");
  REQUIRE(refused);
  CHECK(refused->status == 422);
  CHECK(refused->body.find("\"reloaded\":false") != std::string::npos);
  CHECK(refused->body.find("\"version\":\"" + v2 + "\"") != std::string::npos);
  CHECK(refused->body.find("\"diagnostics\"") != std::string::npos);
  CHECK(refused->body.find("extreme") != std::string::npos);
  CHECK(server.log().find("reload refused") != std::string::npos);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  done = true;
  for (auto& t : clients) t.join();

  size_t by_v1 = 0, by_v2 = 0, total = 0;
  for (const auto& mine : answers)
    for (const auto& [status, body] : mine) {
      ++total;
      REQUIRE(status == 200);
      std::string v = versionOf(body);
      REQUIRE_MESSAGE(expected.count(v), v);
      CHECK(body == expected[v]);  // wholly one version's decisions
      by_v1 += v == v1;
      by_v2 += v == v2;
    }
  MESSAGE(total, " answers under load: ", by_v1, " by the first version, ", by_v2, " by the second");
  CHECK(by_v1 > 0);
  CHECK(by_v2 > 0);

  // SIGHUP reloads as well: the set repaired, a third version.
  replaceIn(repo + "/profiles/value.risk", "level  extreme", "level  medium");
  server.signal(SIGHUP);
  std::string v3;
  for (int i = 0; i < 300 && (v3.empty() || v3 == v2); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    v3 = versionOf(c.Get("/readyz")->body);
  }
  CHECK(v3 != v2);
  CHECK(c.Post("/v1/screen", jsonl, "application/x-ndjson")->body == expectedBody(repo, v3));
  auto metrics = c.Get("/metrics")->body;
  CHECK(metrics.find("tauekel_reloads_total{result=\"accepted\"} 2") != std::string::npos);
  CHECK(metrics.find("tauekel_reloads_total{result=\"refused\"} 1") != std::string::npos);
  CHECK(server.stop() == 0);
}

TEST_CASE("serve: profiles with errors do not start, a bad address is a usage error") {
  e2e::Scratch dir;
  std::string repo = copyRepository(dir);
  replaceIn(repo + "/profiles/value.risk", "level  high", "level  extreme");
  test::ServeProcess broken(TAUEKEL_BINARY, {"--profiles", repo}, (dir.path() / "broken.log").string());
  CHECK(broken.port() == 0);
  CHECK(broken.exitCode() == 1);
  CHECK(broken.log().find("extreme") != std::string::npos);

  auto r = e2e::run("serve --profiles examples/eaeu --listen nowhere");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("HOST:PORT") != std::string::npos);
  r = e2e::run("serve --profiles examples/eaeu --listen 127.0.0.1:99999");
  CHECK(r.exit_code == 2);
  r = e2e::run("serve --profiles examples/eaeu --threads 0");
  CHECK(r.exit_code == 2);
}

namespace {

// The example declarations `copies` times over, under new keys: a body that takes a
// while to screen.
std::string manyDeclarations(int copies) {
  std::string jsonl = e2e::readAll(kDeclarations), out;
  for (int i = 0; i < copies; ++i)
    out += std::regex_replace(jsonl, std::regex("\"number\": \""), "\"number\": \"R" + std::to_string(i) + "-");
  return out;
}

// A raw HTTP connection to the server, for sending a request in pieces.
struct RawConnection {
  int fd = -1;
  explicit RawConnection(int port) {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      ::close(fd);
      fd = -1;
    }
  }
  ~RawConnection() {
    if (fd >= 0) ::close(fd);
  }
  bool send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::write(fd, data.data(), data.size());
      if (n <= 0) return false;
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }
  std::string receiveAll() {
    std::string out;
    char buffer[65536];
    timeval timeout{30, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ssize_t n;
    while ((n = ::read(fd, buffer, sizeof buffer)) > 0) out.append(buffer, static_cast<size_t>(n));
    return out;
  }
};

}  // namespace

TEST_CASE("serve: SIGTERM answers the request in flight before it stops") {
  e2e::Scratch dir;
  test::ServeProcess server(TAUEKEL_BINARY,
                            {"--profiles", kSource + "/examples/eaeu", "--persons", kPersons},
                           (dir.path() / "serve.log").string());
  REQUIRE_MESSAGE(server.port() > 0, server.log());
  std::string body = e2e::readAll(kDeclarations);
  RawConnection connection(server.port());
  REQUIRE(connection.fd >= 0);
  // Half the request, then the signal, then the rest: the request is in flight when the
  // server is told to stop.
  std::string head = "POST /v1/screen HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: "
                     "application/x-ndjson\r\nContent-Length: " +
                     std::to_string(body.size()) + "\r\n\r\n";
  REQUIRE(connection.send(head + body.substr(0, body.size() / 2)));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  server.signal(SIGTERM);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  REQUIRE(connection.send(body.substr(body.size() / 2)));
  std::string answer = connection.receiveAll();
  CHECK(answer.rfind("HTTP/1.1 200", 0) == 0);
  CHECK(answer.find(expectedBody(kSource + "/examples/eaeu", versionOf(answer))) != std::string::npos);
  CHECK(server.stop() == 0);
  CHECK(server.log().find("SIGTERM: stopping after the requests in flight") != std::string::npos);
  // And it no longer accepts connections.
  RawConnection after(server.port());
  CHECK(after.fd < 0);
}

TEST_CASE("serve: past the waiting bound a request is answered 503 at once, and the server serves on") {
  e2e::Scratch dir;
  test::ServeProcess server(TAUEKEL_BINARY,
                            {"--profiles", kSource + "/examples/eaeu", "--persons", kPersons, "--threads", "1",
                            "--max-waiting", "1", "--connections", "16", "--max-declarations", "20000",
                            "--max-items", "1000000"},
                           (dir.path() / "serve.log").string());
  REQUIRE_MESSAGE(server.port() > 0, server.log());
  std::string body = manyDeclarations(150);  // 9,750 declarations
  size_t overloaded = 0, answered = 0, rounds = 0;
  // Bounded: at most three rounds of eight concurrent requests.
  while (overloaded == 0 && rounds++ < 3) {
    std::vector<int> statuses(8, 0);
    std::vector<std::thread> clients;
    for (size_t k = 0; k < statuses.size(); ++k)
      clients.emplace_back([&, k] {
        auto c = client(server.port());
        auto r = c.Post("/v1/screen", body, "application/x-ndjson");
        statuses[k] = r ? r->status : -1;
      });
    for (auto& t : clients) t.join();
    for (int s : statuses) {
      CHECK((s == 200 || s == 503));
      overloaded += s == 503;
      answered += s == 200;
    }
  }
  MESSAGE(answered, " answered, ", overloaded, " refused as overloaded in ", rounds, " rounds");
  CHECK(overloaded > 0);
  CHECK(answered > 0);
  auto c = client(server.port());
  auto after = c.Post("/v1/screen", e2e::readAll(kDeclarations), "application/x-ndjson");
  REQUIRE(after);
  CHECK(after->status == 200);
  CHECK(c.Get("/metrics")->body.find("status=\"503\"") != std::string::npos);
  CHECK(server.stop() == 0);
}
