// Compiled packages: one sealed file in place of the repository, deciding exactly as
// the repository does, reproducible, refused when altered, carrying the approvals.

#include <doctest/doctest.h>
#include <httplib.h>

#include <filesystem>
#include <fstream>

#include "cli_runner.h"
#include "tests/common/serve_process.h"

using namespace tauekel;
namespace fs = std::filesystem;

namespace {
const std::string kInputs = " --persons examples/eaeu/data/persons.csv --declarations examples/eaeu/data/declarations.csv";
}

TEST_CASE("package: decides, explains and verifies as its repository does, and holds no source text") {
  e2e::Scratch scratch;
  std::string package = (scratch.path() / "eaeu.tkp").string();
  auto made = e2e::run("compile examples/eaeu -o " + package);
  INFO(made.err);
  REQUIRE(made.exit_code == 0);
  CHECK(made.out.find("33 profiles, 0 approvals files, sha256:") != std::string::npos);
  for (const char* extra : {"", " --explain", " --audience officer", " --audience declarant", " --engine interp",
                            " --stage after_release --as-of 2029-01-10"}) {
    CAPTURE(extra);
    auto from_repo = e2e::run(std::string("run -q --profiles examples/eaeu") + kInputs + extra);
    auto from_package = e2e::run("run -q --profiles " + package + kInputs + extra);
    REQUIRE(from_repo.exit_code == 0);
    CHECK(from_package.exit_code == 0);
    CHECK(from_package.out == from_repo.out);
  }
  auto explained = e2e::run("explain --profiles " + package + kInputs + " --declaration 55215031/120126/0001911");
  CHECK(explained.out.find("ref_price[6403] = 16000") != std::string::npos);
  // No comments and no layout of the sources: what was checked, not what was written.
  std::string bytes = e2e::readAll(package);
  CHECK(bytes.find("// ") == std::string::npos);
  CHECK(bytes.find("Footwear is the most frequent undervaluation case") == std::string::npos);
  CHECK(bytes.find("below_reference") != std::string::npos);  // names stay: explanations use them
  auto coverage = e2e::run("coverage --profiles " + package + " --as-of 2026-06-01");
  CHECK(coverage.out.find("10 covered, 2 without a profile in force") != std::string::npos);
}

TEST_CASE("package: the same repository gives the same bytes, an altered byte is refused with its place") {
  e2e::Scratch scratch;
  std::string a = (scratch.path() / "a.tkp").string(), b = (scratch.path() / "b.tkp").string();
  REQUIRE(e2e::run("compile examples/eaeu -o " + a).exit_code == 0);
  REQUIRE(e2e::run("compile examples/eaeu -o " + b).exit_code == 0);
  CHECK(e2e::readAll(a) == e2e::readAll(b));
  auto epoch = e2e::sh("SOURCE_DATE_EPOCH=1767225600 \"$TAUEKEL\" compile examples/eaeu -o " + b);
  CHECK(epoch.out.find("(2026-01-01T00:00:00Z)") != std::string::npos);

  std::string bytes = e2e::readAll(a);
  std::string flipped = bytes;
  size_t at = bytes.size() / 2;
  flipped[at] = static_cast<char>(flipped[at] ^ 0x20);
  std::ofstream(b, std::ios::binary | std::ios::trunc) << flipped;
  auto r = e2e::run("run -q --profiles " + b + kInputs);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("do not match their hash: the file was altered there; the package is refused") != std::string::npos);
  CHECK(r.out.empty());
  std::ofstream(b, std::ios::binary | std::ios::trunc) << bytes.substr(0, bytes.size() - 10);
  CHECK(e2e::run("run -q --profiles " + b + kInputs).err.find("the file was cut or extended") != std::string::npos);
  std::string other = bytes;
  other.replace(other.find("tauekel-package/1"), 17, "tauekel-package/9");
  std::ofstream(b, std::ios::binary | std::ios::trunc) << other;
  CHECK(e2e::run("run -q --profiles " + b + kInputs).err.find("a package of format \"tauekel-package/9\"") !=
        std::string::npos);
  auto again = e2e::run("compile " + a + " -o " + b);
  CHECK(again.exit_code == 2);
  CHECK(again.err.find("is a package already") != std::string::npos);
  std::ofstream(b, std::ios::binary | std::ios::trunc) << "not a package\n";
  CHECK(e2e::run("run -q --profiles " + b + kInputs).err.find("not a Tauekel package") != std::string::npos);
  // A package's name says it is one (so it can never be one of the repository's files).
  auto named = e2e::run("compile examples/eaeu -o " + (scratch.path() / "x.zip").string());
  CHECK(named.exit_code == 2);
  CHECK(named.err.find("ends in .tkp") != std::string::npos);
}

TEST_CASE("package: approvals travel inside it and production verifies them there") {
  e2e::Scratch scratch;
  auto repo = e2e::copyExampleRepository(scratch, "repo");
  auto key = scratch.path() / "k.key";
  auto made = e2e::run("keygen --out " + key.string() + " --name K");
  REQUIRE(made.exit_code == 0);
  std::ofstream(scratch.path() / "trusted.keys") << made.out;
  REQUIRE(e2e::run("approve --profiles " + repo.string() + " --key " + key.string() + " KZ-PAY-001").exit_code == 0);
  std::string package = (scratch.path() / "p.tkp").string();
  auto compiled = e2e::run("compile " + repo.string() + " -o " + package);
  CHECK(compiled.out.find("1 approvals files") != std::string::npos);
  // The folder's approvals no longer matter: the package holds its own.
  fs::remove_all(repo / "approvals");
  std::string trusted = " --production --trusted-keys " + (scratch.path() / "trusted.keys").string();
  auto r = e2e::run("run -q --profiles " + package + " --persons " + (repo / "data/persons.csv").string() +
                    " --declarations " + (repo / "data/declarations.csv").string() + trusted);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("KZ-PAY-001") != std::string::npos);
  CHECK(r.out.find("KZ-VAL-001") == std::string::npos);
  CHECK(r.err.find("profile KZ-VAL-001 refused: no approvals file") != std::string::npos);
  auto sealed = e2e::run("approve --all --profiles " + package + " --key " + key.string());
  CHECK(sealed.exit_code == 2);
  CHECK(sealed.err.find("is a package, sealed") != std::string::npos);
  auto verified = e2e::run("verify --profiles " + package + " --trusted-keys " + (scratch.path() / "trusted.keys").string());
  CHECK(verified.out.find("KZ-PAY-001  approved by K at ") != std::string::npos);

  // A server takes it too.
  test::ServeProcess server(TAUEKEL_BINARY, {"--profiles", package}, (scratch.path() / "serve.log").string());
  REQUIRE_MESSAGE(server.port() > 0, server.log());
  httplib::Client c("127.0.0.1", server.port());
  c.set_read_timeout(60, 0);
  auto answer = c.Post("/v1/screen", e2e::readAll(repo / "data/declarations.jsonl"), "application/x-ndjson");
  REQUIRE(answer);
  CHECK(answer->status == 200);
  CHECK(answer->body.find("KZ-VAL-001") != std::string::npos);
}
