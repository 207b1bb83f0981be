// The profile-set bundle a key-value bucket holds (what push-profiles writes and workers
// write out to disk): files round-trip, and no path in a hostile bundle leaves the
// folder it is written to. And decision message ids: one per key and version, with the
// bytes a header cannot hold escaped so that two keys never share an id.

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/json.h"
#include "tests/common/temp_dir.h"
#include "worker/profile_source.h"
#include "worker/screening_worker.h"

using namespace tauekel;
namespace fs = std::filesystem;

namespace {

std::string readFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string bundleWith(const std::string& path, const std::string& text) {
  std::string out;
  json::Writer w(out);
  w.beginObject().key("format").value("tauekel-profile-set/1").key("files").beginObject();
  w.key(path).value(text).endObject().endObject();
  return out;
}

}  // namespace

TEST_CASE("bundle: the files and the register round-trip, byte for byte") {
  test::TempDir dir;
  std::string risk = dir.write("repo/profiles/a.risk", "profile \"A\" {\n  title \"ü — quoted \\\"x\\\"\"\n}\n");
  std::string list = dir.write("repo/lists/codes.csv", "code\n6403\n\n");
  std::string bundle = worker::encodeBundle((dir.path() / "repo").string(), {risk, list}, std::string("id,category\nT1,high\n"));
  auto written = worker::writeBundle(bundle, (dir.path() / "out").string());
  REQUIRE(written.ok());
  CHECK(readFile(fs::path(written->profiles) / "profiles/a.risk") == readFile(risk));
  CHECK(readFile(fs::path(written->profiles) / "lists/codes.csv") == readFile(list));
  REQUIRE(written->persons.has_value());
  CHECK(readFile(*written->persons) == "id,category\nT1,high\n");
}

TEST_CASE("bundle: a hostile or foreign bundle is refused before anything leaves its folder") {
  test::TempDir dir;
  std::string out = (dir.path() / "out").string();
  for (std::string path : {"../escape.risk", "/etc/evil.risk", "a/../../escape.risk", "a//b.risk", "./a.risk", "a/.",
                           "", "a\\..\\b.risk"}) {
    CAPTURE(path);
    auto written = worker::writeBundle(bundleWith(path, "x"), out);
    REQUIRE_FALSE(written.ok());
    CHECK(written.error().message.find("would leave its folder") != std::string::npos);
  }
  CHECK_FALSE(fs::exists(dir.path() / "escape.risk"));
  CHECK_FALSE(fs::exists("/etc/evil.risk"));
  CHECK(worker::writeBundle("not json", out).error().message.find("not a profile-set bundle") != std::string::npos);
  CHECK(worker::writeBundle("{\"format\":\"tauekel-profile-set/9\",\"files\":{}}", out).error().message.find(
            "format tauekel-profile-set/1") != std::string::npos);
  CHECK(worker::writeBundle("{\"format\":\"tauekel-profile-set/1\",\"files\":{}}", out).error().message.find(
            "no files") != std::string::npos);
  CHECK(worker::writeBundle("{\"format\":\"tauekel-profile-set/1\",\"files\":{\"a.risk\":7}}", out)
            .error()
            .message.find("not text") != std::string::npos);
}

TEST_CASE("decision message ids: key and version, header-unsafe bytes escaped, distinct keys distinct ids") {
  CHECK(worker::decisionMessageId("55204001/080126/0001826", "15ca3d7a11cf8fab") ==
        "55204001/080126/0001826@15ca3d7a11cf8fab");
  CHECK(worker::decisionMessageId("a\r\nb", "v") == "a%0D%0Ab@v");
  // Escaping is unambiguous: the escape character and the separator are escaped too.
  CHECK(worker::decisionMessageId("a@b", "v") != worker::decisionMessageId("a", "b@v"));
  CHECK(worker::decisionMessageId("%0A", "v") != worker::decisionMessageId("\n", "v"));
}
