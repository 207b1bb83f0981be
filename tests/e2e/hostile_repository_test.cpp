// A profile repository from an untrusted branch: data files that point out of the
// repository, links, pipes and unreadable folders under it, and data cells that carry
// terminal escape sequences. Nothing outside the repository is read, nothing in it is
// skipped without a word, nothing from a data file reaches the terminal raw.

#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "cli_runner.h"

using namespace tauekel;
using e2e::run;
using e2e::sh;

namespace {
namespace fs = std::filesystem;

// A copy of the example repository to break.
fs::path copyExample(const e2e::Scratch& scratch) { return e2e::copyExampleRepository(scratch); }

void replaceIn(const fs::path& file, const std::string& from, const std::string& to) {
  REQUIRE(e2e::replaceInFile(file, from, to));
}

std::string runArgs(const fs::path& repo) {
  return "run -q --profiles " + repo.string() + " --declarations examples/eaeu/data/declarations.csv";
}
}  // namespace

TEST_CASE("hostile repository: data files stay inside the repository, by path and by link") {
  e2e::Scratch scratch;
  fs::path repo = copyExample(scratch);
  fs::path reference = repo / "reference.risk";
  scratch.write("secret.csv", "country\nCN\n");  // beside the repository, not in it

  replaceIn(reference, "csv(\"lists/eaeu_members.csv\"", "csv(\"/etc/passwd\"");
  auto absolute = run("check " + repo.string());
  CHECK(absolute.exit_code == 1);
  CHECK(absolute.out.find("error[TK505]: list file \"/etc/passwd\" is an absolute path") != std::string::npos);
  CHECK(run(runArgs(repo)).exit_code == 1);

  replaceIn(reference, "csv(\"/etc/passwd\"", "csv(\"lists/../../secret.csv\"");
  auto climbs = run("check " + repo.string());
  CHECK(climbs.exit_code == 1);
  CHECK(climbs.out.find("error[TK505]: list file \"lists/../../secret.csv\" leads out of the repository") !=
        std::string::npos);

  // A link inside the repository to a file outside it.
  replaceIn(reference, "csv(\"lists/../../secret.csv\"", "csv(\"lists/members_link.csv\"");
  fs::create_symlink(scratch.path() / "secret.csv", repo / "lists" / "members_link.csv");
  auto linked = run("check " + repo.string());
  CHECK(linked.exit_code == 1);
  CHECK(linked.out.find("error[TK505]: list file \"lists/members_link.csv\" leads out of the repository") !=
        std::string::npos);

  // A link that stays inside is fine.
  fs::remove(repo / "lists" / "members_link.csv");
  fs::create_symlink(repo / "lists" / "eaeu_members.csv", repo / "lists" / "members_link.csv");
  CHECK(run("check " + repo.string()).exit_code == 0);
}

TEST_CASE("hostile repository: data files that are folders, pipes or too large are errors, not hangs") {
  e2e::Scratch scratch;
  fs::path repo = copyExample(scratch);
  fs::path list = repo / "lists" / "eaeu_members.csv";
  fs::remove(list);
  fs::create_directory(list);
  auto folder = run("check " + repo.string());
  CHECK(folder.exit_code == 1);
  CHECK(folder.out.find("error[TK501]: cannot read list file " + list.string() + ": it is a directory") !=
        std::string::npos);
  fs::remove(list);
  REQUIRE(mkfifo(list.c_str(), 0600) == 0);
  auto fifo = sh("timeout 20 $TAUEKEL check " + repo.string());
  CHECK(fifo.exit_code == 1);
  CHECK(fifo.out.find("is a named pipe (FIFO)") != std::string::npos);
  fs::remove(list);
  fs::copy(std::string(TAUEKEL_SOURCE_DIR) + "/examples/eaeu/lists/eaeu_members.csv", list);
  std::ofstream(list, std::ios::binary) << "country,country\nKZ,KZ\n";
  auto twice = run("check " + repo.string());
  CHECK(twice.exit_code == 1);
  CHECK(twice.out.find("column \"country\" appears twice in the header (columns 1 and 2)") != std::string::npos);
  fs::remove(list);
  fs::copy(std::string(TAUEKEL_SOURCE_DIR) + "/examples/eaeu/lists/eaeu_members.csv", list);
  auto big = run("check --max-data-bytes 10 " + repo.string());
  CHECK(big.exit_code == 1);
  CHECK(big.out.find("a file read whole may have at most 10 bytes") != std::string::npos);
  // A source that never ends, named directly.
  auto zero = sh("timeout 20 $TAUEKEL check /dev/zero");
  CHECK(zero.exit_code == 2);
  CHECK(zero.err.find("not a regular file") != std::string::npos);
}

TEST_CASE("hostile repository: terminal escape sequences in data cells are shown, not obeyed") {
  e2e::Scratch scratch;
  fs::path repo = copyExample(scratch);
  std::ofstream(repo / "lists" / "eaeu_members.csv", std::ios::binary | std::ios::app)
      << "\x1b]0;pwned\x07\x1b[2J\x1b[31mZZZ\n";
  auto r = run("check --color never " + repo.string());
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("TK503") != std::string::npos);
  CHECK(r.out.find('\x1b') == std::string::npos);
  CHECK(r.out.find('\x07') == std::string::npos);
  CHECK(r.out.find("\xE2\x90\x9B[2J") != std::string::npos);  // ESC shown as its picture

  // The same in the messages of `run` about declarations and their header.
  e2e::Scratch data;
  std::string csv = e2e::exampleDeclarations();
  csv.insert(csv.find('\n'), ",\x1b[31mred");       // a column that matches nothing: warned
  csv.insert(csv.find('\n', csv.find('\n') + 1), ",\"x\"\x1b[2J");  // a quote then ESC: a bad row
  auto screened = run("run -q --on-error skip --profiles examples/eaeu --declarations " + data.write("d.csv", csv));
  CHECK(screened.exit_code == 3);
  CHECK(screened.err.find("after the closing quote") != std::string::npos);
  CHECK(screened.err.find('\x1b') == std::string::npos);
}

TEST_CASE("hostile repository: links, pipes and unreadable folders under a repository are each reported") {
  e2e::Scratch scratch;
  fs::path repo = copyExample(scratch);
  fs::create_directory_symlink("/etc", repo / "etc_link");
  fs::create_symlink("nowhere.risk", repo / "dangling.risk");
  fs::create_symlink("loop.risk", repo / "loop.risk");
  scratch.write("outside.risk", "package elsewhere\n");
  fs::create_symlink(scratch.path() / "outside.risk", repo / "outside.risk");
  REQUIRE(mkfifo((repo / "pipe.risk").c_str(), 0600) == 0);
  auto r = sh("timeout 20 $TAUEKEL check " + repo.string());
  INFO(r.out);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find(repo.string() + "/etc_link: error[TK007]: is a symbolic link to a folder, which is not followed") !=
        std::string::npos);
  CHECK(r.out.find(repo.string() + "/dangling.risk: error[TK007]: is a symbolic link to nothing") != std::string::npos);
  CHECK(r.out.find(repo.string() + "/loop.risk: error[TK007]: is a symbolic link that loops") != std::string::npos);
  CHECK(r.out.find(repo.string() + "/outside.risk: error[TK007]: is a symbolic link that leads out of the repository") !=
        std::string::npos);
  CHECK(r.out.find(repo.string() + "/pipe.risk: error[TK007]: is not a regular file") != std::string::npos);
  // run refuses such a repository: a profile could be missing from it.
  auto screened = sh("timeout 20 $TAUEKEL " + runArgs(repo));
  CHECK(screened.exit_code == 1);
  CHECK(screened.err.find("TK007") != std::string::npos);
  // The same errors when one file of the repository is checked.
  CHECK(run("check " + (repo / "profiles" / "value.risk").string()).exit_code == 1);
}

TEST_CASE("hostile repository: a folder the user cannot read is reported, not skipped") {
  if (geteuid() != 0 || std::system("command -v setpriv > /dev/null") != 0) {
    MESSAGE("skipped: needs root (to run the check as another user) and setpriv");
    return;
  }
  e2e::Scratch scratch;
  fs::path repo = copyExample(scratch);
  fs::create_directory(repo / "closed");
  fs::copy(repo / "profiles" / "value.risk", repo / "closed" / "more.risk");
  fs::permissions(scratch.path(), fs::perms::all);
  for (const auto& entry : fs::recursive_directory_iterator(repo))
    fs::permissions(entry.path(), fs::perms::others_read | (entry.is_directory() ? fs::perms::others_exec : fs::perms::none),
                    fs::perm_options::add);
  fs::permissions(repo, fs::perms::others_read | fs::perms::others_exec, fs::perm_options::add);
  fs::permissions(repo / "closed", fs::perms::owner_all);  // nobody else may look in
  auto r = sh("setpriv --reuid=nobody --regid=nogroup --clear-groups $TAUEKEL check " + repo.string());
  INFO(r.out, r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find(repo.string() + "/closed: error[TK007]: folder cannot be read: Permission denied") !=
        std::string::npos);
}
