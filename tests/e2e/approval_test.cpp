// Signed approvals as an approver and an auditor meet them: keygen, approve, verify,
// revoke; production screening that runs approved profiles only and names the others;
// approvals that survive reformatting and are voided by any change of meaning.

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include <httplib.h>

#include "cli_runner.h"
#include "tests/common/serve_process.h"

using namespace tauekel;
namespace fs = std::filesystem;

namespace {

struct Governed {
  e2e::Scratch scratch;
  fs::path repo, key, trusted;
  Governed() {
    repo = e2e::copyExampleRepository(scratch, "repo");
    key = scratch.path() / "alice.key";
    trusted = scratch.path() / "trusted.keys";
    auto made = e2e::run("keygen --out " + key.string() + " --name 'A. Seitkali'");
    REQUIRE_MESSAGE(made.exit_code == 0, made.err);
    std::ofstream(trusted) << "# risk management\n" << made.out;
  }
  e2e::Result tauekel(const std::string& args) { return e2e::run(args); }
  std::string screen(bool production, int expect = 0) {
    auto r = e2e::run("run -q --profiles " + repo.string() + " --persons " + (repo / "data/persons.csv").string() +
                      " --declarations " + (repo / "data/declarations.csv").string() +
                      (production ? " --production --trusted-keys " + trusted.string() : ""));
    CHECK_MESSAGE(r.exit_code == expect, r.err);
    last_err = r.err;
    return r.out;
  }
  e2e::Result approveAll() { return e2e::run("approve --all --profiles " + repo.string() + " --key " + key.string()); }
  e2e::Result verify() { return e2e::run("verify --profiles " + repo.string() + " --trusted-keys " + trusted.string()); }
  std::string last_err;
};

}  // namespace

TEST_CASE("approval: production runs only approved profiles, and names every one it refuses") {
  Governed g;
  std::string unsigned_run = g.screen(false);
  // Nothing approved yet: production screens with no profile, and says why for each.
  std::string none = g.screen(true);
  CHECK(none.find("\"selected\":true") == std::string::npos);
  CHECK(g.last_err.find("production: profile KZ-VAL-001 refused: no approvals file") != std::string::npos);
  auto before = g.verify();
  CHECK(before.exit_code == 6);
  CHECK(before.out.find("30 with `state approved` lack a valid approval") != std::string::npos);

  auto approved = g.approveAll();
  REQUIRE_MESSAGE(approved.exit_code == 0, approved.err);
  CHECK(approved.out.find("KZ-VAL-001: approved by A. Seitkali") != std::string::npos);
  CHECK(fs::exists(g.repo / "approvals/KZ-VAL-001.approvals"));
  auto verified = g.verify();
  CHECK(verified.exit_code == 0);
  CHECK(verified.out.find("KZ-VAL-001  approved by A. Seitkali at ") != std::string::npos);
  // All approved: production decides exactly as before.
  CHECK(g.screen(true) == unsigned_run);
  CHECK(g.last_err.empty());
  // Approving again adds nothing.
  std::string file = e2e::readAll(g.repo / "approvals/KZ-VAL-001.approvals");
  auto again = g.tauekel("approve --profiles " + g.repo.string() + " --key " + g.key.string() + " KZ-VAL-001");
  CHECK(again.out.find("already approved by A. Seitkali") != std::string::npos);
  CHECK(e2e::readAll(g.repo / "approvals/KZ-VAL-001.approvals") == file);
}

TEST_CASE("approval: a changed row of a table voids the approvals of exactly the profiles that read it") {
  Governed g;
  REQUIRE(g.approveAll().exit_code == 0);
  REQUIRE(e2e::replaceInFile(g.repo / "tables/ref_price.csv", "6403,16000", "6403,16500"));
  std::string out = g.screen(true);
  for (const char* id : {"KZ-IPR-001", "KZ-VAL-001", "KZ-VAL-002"})
    CHECK(g.last_err.find(std::string("production: profile ") + id + " refused: the approval by A. Seitkali at ") !=
          std::string::npos);
  CHECK(g.last_err.find("is void: table ref_price changed") != std::string::npos);
  CHECK(std::count(g.last_err.begin(), g.last_err.end(), '\n') == 3);
  CHECK(out.find("KZ-VAL-001") == std::string::npos);
  CHECK(out.find("KZ-PAY-001") != std::string::npos);  // the others still run
  auto verified = g.verify();
  CHECK(verified.exit_code == 6);
  CHECK(verified.out.find("KZ-VAL-001  voided: ") != std::string::npos);
  // Approving the new meaning brings them back.
  REQUIRE(g.approveAll().exit_code == 0);
  g.screen(true);
  CHECK(g.last_err.empty());
}

TEST_CASE("approval: reformatting keeps an approval, a changed threshold or measure voids it") {
  Governed g;
  REQUIRE(g.approveAll().exit_code == 0);
  fs::path value = g.repo / "profiles/value.risk";
  fs::path indicators = g.repo / "indicators.risk";
  // Layout, comments, parentheses that change nothing, a local name (the goods item's).
  std::string text = e2e::readAll(value);
  text = std::regex_replace(text, std::regex("\n  "), "\n\t\t");
  text = std::regex_replace(text, std::regex("// "), "//   reworded: ");
  std::ofstream(value, std::ios::binary) << text;
  REQUIRE(e2e::replaceInFile(value, "when   any item: item.hs in \"64\" and below_reference(item)",
                             "when   any good: (good.hs in \"64\")\n   and below_reference(good)"));
  std::ofstream(value, std::ios::app) << "\n// a comment at the end\n";
  g.screen(true);
  CHECK_MESSAGE(g.last_err.empty(), g.last_err);
  CHECK(g.verify().exit_code == 0);

  // A threshold in an indicator voids every profile reaching it, naming the indicator.
  REQUIRE(e2e::replaceInFile(indicators, "< 0.3 * ref_price[item.hs]", "< 0.25 * ref_price[item.hs]"));
  // A measure's corridor in the catalogue voids the profiles applying it.
  fs::path value2 = value;
  REQUIRE(e2e::replaceInFile(value2, "apply  DOC_CHECK sample 25%", "apply  DOC_CHECK sample 30%"));
  auto verified = g.verify();
  CHECK(verified.exit_code == 6);
  CHECK(verified.out.find("KZ-VAL-002  voided: the approval by A. Seitkali at ") != std::string::npos);
  CHECK(verified.out.find("indicator far_below_reference changed") != std::string::npos);
  CHECK(verified.out.find("KZ-VAL-006  voided:") != std::string::npos);
  CHECK(verified.out.find("measures changed") != std::string::npos);
}

TEST_CASE("approval: revoked, untrusted, edited and misfiled approvals do not count") {
  Governed g;
  REQUIRE(g.approveAll().exit_code == 0);
  auto revoked = g.tauekel("revoke --profiles " + g.repo.string() + " --key " + g.key.string() + " KZ-PAY-001");
  CHECK(revoked.exit_code == 0);
  g.screen(true);
  CHECK(g.last_err.find("profile KZ-PAY-001 refused: approval revoked by A. Seitkali at ") != std::string::npos);

  // A key nobody trusts: its approvals are listed, not counted.
  fs::path mallory = g.scratch.path() / "mallory.key";
  REQUIRE(g.tauekel("keygen --out " + mallory.string() + " --name Mallory").exit_code == 0);
  auto signed_by_mallory = g.tauekel("approve --profiles " + g.repo.string() + " --key " + mallory.string() + " KZ-PAY-001");
  CHECK(signed_by_mallory.exit_code == 0);
  g.screen(true);
  CHECK(g.last_err.find("profile KZ-PAY-001 refused: approval revoked") != std::string::npos);

  // An approval line edited by hand (another profile's meaning pasted in): broken, refused.
  fs::path file = g.repo / "approvals/KZ-VAL-001.approvals";
  std::string text = e2e::readAll(file);
  std::string other = e2e::readAll(g.repo / "approvals/KZ-VAL-002.approvals");
  std::ofstream(file, std::ios::binary) << other;  // KZ-VAL-002's signed line filed as KZ-VAL-001's
  g.screen(true);
  CHECK(g.last_err.find("profile KZ-VAL-001 refused: ") != std::string::npos);
  CHECK(g.last_err.find("KZ-VAL-001.approvals:1: the signature does not verify") != std::string::npos);
  std::string flipped = text;
  size_t at = flipped.find("\"time\":\"") + 9;
  flipped[at] = flipped[at] == '1' ? '2' : '1';
  std::ofstream(file, std::ios::binary) << flipped;
  g.screen(true);
  CHECK(g.last_err.find("KZ-VAL-001.approvals:1: the signature does not verify") != std::string::npos);
  std::ofstream(file, std::ios::binary) << "not json\n";
  g.screen(true);
  CHECK(g.last_err.find("KZ-VAL-001.approvals:1: not a JSON object") != std::string::npos);
}

TEST_CASE("approval: keys and options that cannot be right are refused with the reason") {
  Governed g;
  // A key is never overwritten, and never written inside the repository.
  auto twice = g.tauekel("keygen --out " + g.key.string() + " --name Again");
  CHECK(twice.exit_code == 2);
  CHECK(twice.err.find("a key is never overwritten") != std::string::npos);
  auto inside = g.tauekel("keygen --out " + (g.repo / "secret.key").string() + " --name Oops");
  CHECK(inside.exit_code == 2);
  CHECK(inside.err.find("is inside the profile repository") != std::string::npos);
  CHECK(!fs::exists(g.repo / "secret.key"));
  CHECK((fs::status(g.key).permissions() & (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none);
  // A key file that is not one, a trusted-keys line that is not a key, an unknown profile.
  std::ofstream(g.scratch.path() / "bad.key") << "{}";
  auto bad_key = g.tauekel("approve --all --profiles " + g.repo.string() + " --key " +
                           (g.scratch.path() / "bad.key").string());
  CHECK(bad_key.exit_code == 2);
  CHECK(bad_key.err.find("is not a key file made by `tauekel keygen`") != std::string::npos);
  std::ofstream(g.scratch.path() / "bad.keys") << "# ok\nnot-a-key Somebody\n";
  auto bad_trust = g.tauekel("run -q --profiles " + g.repo.string() + " --declarations " +
                             (g.repo / "data/declarations.csv").string() + " --production --trusted-keys " +
                             (g.scratch.path() / "bad.keys").string());
  CHECK(bad_trust.exit_code == 2);
  CHECK(bad_trust.err.find("bad.keys:2: not a public key") != std::string::npos);
  auto unknown = g.tauekel("approve --profiles " + g.repo.string() + " --key " + g.key.string() + " KZ-VAL-01");
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err.find("no profile \"KZ-VAL-01\"") != std::string::npos);
  auto stray = g.tauekel("run -q --profiles " + g.repo.string() + " --declarations " +
                         (g.repo / "data/declarations.csv").string() + " --trusted-keys " + g.trusted.string());
  CHECK(stray.exit_code == 2);
  CHECK(stray.err.find("--trusted-keys is for --production") != std::string::npos);
  auto two_lines = g.tauekel("keygen --out " + (g.scratch.path() / "n.key").string() + " --name $'A\\nB'");
  CHECK(two_lines.exit_code == 2);
  CHECK(two_lines.err.find("on one line") != std::string::npos);
  CHECK(!fs::exists(g.scratch.path() / "n.key"));
  // A key file whose halves do not belong together (its public key replaced).
  std::string text = e2e::readAll(g.key);
  size_t pub = text.find("\"public\":\"") + 10;
  std::string swapped = text;
  swapped[pub] = swapped[pub] == 'A' ? 'B' : 'A';
  std::ofstream(g.scratch.path() / "swapped.key") << swapped;
  auto damaged = g.tauekel("approve --all --profiles " + g.repo.string() + " --key " +
                           (g.scratch.path() / "swapped.key").string());
  CHECK(damaged.exit_code == 2);
  CHECK(damaged.err.find("the key pair is damaged") != std::string::npos);
  auto lonely = g.tauekel("run -q --profiles " + g.repo.string() + " --declarations " +
                          (g.repo / "data/declarations.csv").string() + " --production");
  CHECK(lonely.exit_code == 2);
  CHECK(lonely.err.find("--production needs --trusted-keys") != std::string::npos);
  // The decisions may not be written over an approvals file production reads.
  REQUIRE(g.approveAll().exit_code == 0);
  std::string approvals = (g.repo / "approvals/KZ-VAL-001.approvals").string();
  std::string before = e2e::readAll(approvals);
  auto over = g.tauekel("run -q --profiles " + g.repo.string() + " --declarations " +
                        (g.repo / "data/declarations.csv").string() + " --production --trusted-keys " +
                        g.trusted.string() + " --out " + approvals);
  CHECK(over.exit_code == 2);
  CHECK(e2e::readAll(approvals) == before);
}

TEST_CASE("approval: a profile id cannot steer its approvals file out of the folder") {
  e2e::Scratch scratch;
  fs::path repo = e2e::copyExampleRepository(scratch, "repo");
  REQUIRE(e2e::replaceInFile(repo / "profiles/value.risk", "profile \"KZ-VAL-003\"", "profile \"../../escape/x\""));
  fs::path key = scratch.path() / "k.key";
  REQUIRE(e2e::run("keygen --out " + key.string() + " --name K").exit_code == 0);
  auto r = e2e::run("approve --profiles " + repo.string() + " --key " + key.string() + " ../../escape/x");
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(fs::exists(repo / "approvals/%2E.%2F..%2Fescape%2Fx.approvals"));
  CHECK(!fs::exists(scratch.path() / "escape"));
  CHECK(!fs::exists(repo / "escape"));
}

TEST_CASE("approval: serve in production answers with approved profiles only and logs the refused") {
  Governed g;
  REQUIRE(e2e::run("approve --profiles " + g.repo.string() + " --key " + g.key.string() + " KZ-PAY-001").exit_code ==
          0);
  test::ServeProcess server(TAUEKEL_BINARY,
                            {"--profiles", g.repo.string(), "--persons", (g.repo / "data/persons.csv").string(),
                             "--production", "--trusted-keys", g.trusted.string()},
                            (g.scratch.path() / "serve.log").string());
  REQUIRE_MESSAGE(server.port() > 0, server.log());
  CHECK(server.log().find("production: profile KZ-VAL-001 refused: no approvals file") != std::string::npos);
  httplib::Client c("127.0.0.1", server.port());
  c.set_read_timeout(60, 0);
  auto answer = c.Post("/v1/screen", e2e::readAll(g.repo / "data/declarations.jsonl"), "application/x-ndjson");
  REQUIRE(answer);
  CHECK(answer->status == 200);
  CHECK(answer->body.find("KZ-PAY-001") != std::string::npos);
  CHECK(answer->body.find("KZ-VAL-001") == std::string::npos);
}
