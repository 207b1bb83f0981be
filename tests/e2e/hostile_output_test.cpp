// Hostile and careless use of the outputs of `tauekel run` and `check`: an output that
// names an input, a full disk, a closed or broken standard output, a run that fails or
// is stopped by a signal. Inputs must never change; an existing output is replaced only
// by a complete result; nothing partial is left behind.

#include <doctest/doctest.h>

#include <filesystem>
#include <set>

#include "cli_runner.h"

using namespace tauekel;
using e2e::run;
using e2e::sh;

namespace {
namespace fs = std::filesystem;

std::set<std::string> listing(const fs::path& dir) {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.insert(entry.path().filename().string());
  return names;
}

// A scratch folder with the example's declarations and persons.
struct Workspace {
  e2e::Scratch scratch;
  std::string declarations, persons;
  explicit Workspace(size_t extra = 0) {
    declarations = scratch.write("d.csv", e2e::exampleDeclarations(extra));
    persons = scratch.write("p.csv", e2e::readAll(std::string(TAUEKEL_SOURCE_DIR) + "/examples/eaeu/data/persons.csv"));
  }
  std::string path(const std::string& name) const { return (scratch.path() / name).string(); }
  std::string args() const { return "run -q --profiles examples/eaeu --declarations " + declarations + " --persons " + persons; }
};
}  // namespace

TEST_CASE("hostile output: --out naming an input is refused by every route, and the input is left as it was") {
  Workspace w;
  std::string before = e2e::readAll(w.declarations);
  fs::create_symlink(w.declarations, w.path("link.csv"));
  fs::create_hard_link(w.declarations, w.path("hard.csv"));
  std::string list = std::string(TAUEKEL_SOURCE_DIR) + "/examples/eaeu/lists/eaeu_members.csv";
  std::string list_before = e2e::readAll(list);
  std::string profile = std::string(TAUEKEL_SOURCE_DIR) + "/examples/eaeu/profiles/value.risk";
  std::string profile_before = e2e::readAll(profile);
  std::string marker = std::string(TAUEKEL_SOURCE_DIR) + "/examples/eaeu/tauekel.project";
  for (const std::string& target :
       {w.declarations, w.path("link.csv"), w.path("hard.csv"), w.persons, list, profile, marker}) {
    auto r = run(w.args() + " --out " + target);
    INFO(target, r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("names an input of this run") != std::string::npos);
    CHECK(r.out.empty());
  }
  // By a relative path from another working folder.
  auto relative = run("run -q --profiles " + std::string(TAUEKEL_SOURCE_DIR) +
                          "/examples/eaeu --declarations d.csv --persons p.csv --out ./d.csv",
                      w.scratch.path().string());
  CHECK(relative.exit_code == 2);
  // Standard output appended to an input: refused too (it would read its own output).
  auto appended = sh("$TAUEKEL " + w.args() + " >> " + w.declarations);
  CHECK(appended.exit_code == 2);
  CHECK(appended.err.find("standard output is " + w.declarations) != std::string::npos);
  CHECK(e2e::readAll(w.declarations) == before);
  CHECK(e2e::readAll(w.persons).size() > 100);
  CHECK(e2e::readAll(list) == list_before);
  CHECK(e2e::readAll(profile) == profile_before);
}

TEST_CASE("hostile output: a failed run leaves an existing --out file as it was and nothing else behind") {
  Workspace w;
  std::string bad = w.scratch.write("bad.csv", e2e::exampleDeclarations() + "broken,row\n");
  std::string out = w.scratch.write("out.jsonl", "earlier results\n");
  auto before = listing(w.scratch.path());
  auto r = run("run -q --profiles examples/eaeu --declarations " + bad + " --out " + out);
  CHECK(r.exit_code == 3);
  CHECK(r.err.find(out + " is left as it was") != std::string::npos);
  CHECK(e2e::readAll(out) == "earlier results\n");
  CHECK(listing(w.scratch.path()) == before);
  // A new file that would not be complete is not created at all.
  auto fresh = run("run -q --profiles examples/eaeu --declarations " + bad + " --out " + w.path("new.jsonl"));
  CHECK(fresh.exit_code == 3);
  CHECK_FALSE(fs::exists(w.path("new.jsonl")));
  CHECK(listing(w.scratch.path()) == before);
  // A run that succeeds replaces it, keeping its permissions, and leaves no temporary.
  fs::permissions(out, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  auto ok = run(w.args() + " --out " + out);
  CHECK(ok.exit_code == 0);
  CHECK(e2e::readAll(out).find("{\"declaration\":") == 0);
  CHECK(fs::status(out).permissions() == (fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read));
  CHECK(listing(w.scratch.path()) == before);
  // Through a symbolic link: the file it points to is replaced, the link stays a link.
  fs::create_symlink(out, w.path("latest.jsonl"));
  CHECK(run(w.args() + " --out " + w.path("latest.jsonl")).exit_code == 0);
  CHECK(fs::is_symlink(w.path("latest.jsonl")));
  // A folder is not a file to write.
  auto folder = run(w.args() + " --out " + w.scratch.path().string());
  CHECK(folder.exit_code == 4);
  CHECK(folder.err.find("is a directory") != std::string::npos);
}

TEST_CASE("hostile output: SIGTERM and SIGINT stop a run cleanly: exit 143/130, a message, the old file intact") {
  Workspace w;
  std::string out = w.scratch.write("out.jsonl", "earlier results\n");
  auto before = listing(w.scratch.path());
  // The declarations arrive on standard input and then stall: the signal comes mid-run.
  for (auto [signal, code] : {std::pair<const char*, int>{"TERM", 143}, {"INT", 130}}) {
    auto r = sh("(cat " + w.declarations + "; sleep 3) | timeout --preserve-status -s " + signal +
                " 1.5 $TAUEKEL run -q --profiles examples/eaeu --persons " + w.persons +
                " --declarations - --out " + out);
    INFO(signal, r.err);
    CHECK(r.exit_code == code);
    CHECK(r.err.find(std::string("stopped by SIG") + signal) != std::string::npos);
    CHECK(r.err.find(out + " is left as it was") != std::string::npos);
    CHECK(e2e::readAll(out) == "earlier results\n");
    CHECK(listing(w.scratch.path()) == before);
  }
  // Killed outright: no handler runs, and still nothing partial is left behind.
  auto killed = sh("(cat " + w.declarations + "; sleep 3) | timeout -s KILL 1.5 $TAUEKEL run -q --profiles "
                   "examples/eaeu --persons " + w.persons + " --declarations - --out " + out);
  CHECK(killed.exit_code == 137);
  CHECK(e2e::readAll(out) == "earlier results\n");
  CHECK(listing(w.scratch.path()) == before);
}

TEST_CASE("hostile output: a full disk, a closed or broken standard output: exit 4 with a message, never 0") {
  Workspace w(20000);  // about 5 MB of decisions: more than a pipe holds
  auto full = run(w.args() + " --out /dev/full");
  CHECK(full.exit_code == 4);
  CHECK(full.err.find("No space left on device") != std::string::npos);
  auto full_stdout = sh("$TAUEKEL " + w.args() + " > /dev/full");
  CHECK(full_stdout.exit_code == 4);
  CHECK(full_stdout.err.find("No space left on device") != std::string::npos);
  auto closed = sh("$TAUEKEL " + w.args() + " >&-");
  CHECK(closed.exit_code == 4);
  CHECK(closed.err.find("standard output is closed") != std::string::npos);
  auto broken = sh("$TAUEKEL " + w.args() + " | head -c 100 > /dev/null; exit ${PIPESTATUS[0]}");
  CHECK(broken.exit_code == 4);
  CHECK(broken.err.find("broken pipe") != std::string::npos);
  // The summary never counts decisions that were not written.
  CHECK(full.err.find("declarations:") == std::string::npos);
  // check writes its diagnostics to standard output: the same rules.
  auto check_full = sh("$TAUEKEL check --format json examples/eaeu > /dev/full");
  CHECK(check_full.exit_code == 4);
  auto check_closed = sh("$TAUEKEL check --format sarif examples/eaeu >&-");
  CHECK(check_closed.exit_code == 4);
  CHECK(check_closed.err.find("standard output is closed") != std::string::npos);
}

TEST_CASE("hostile output: a closed standard error or input does not let a file take its place") {
  Workspace w;
  std::string out = w.path("out.jsonl");
  std::string loud = w.args().replace(0, 6, "run ");  // with the summary, which goes to standard error
  auto r = sh("$TAUEKEL " + loud + " --out " + out + " 2>&- <&-; echo $?");
  CHECK(r.out == "0\n");
  std::string written = e2e::readAll(out);
  CHECK(written.find("{\"declaration\":") == 0);
  CHECK(written.find("profiles:") == std::string::npos);  // no summary inside the results
}
