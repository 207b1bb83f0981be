#pragma once
// Runs the tauekel binary the way a user or a CI job does, capturing what it prints.

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "support/json.h"
#include "tests/common/temp_dir.h"

namespace tauekel::e2e {

struct Result {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string readAll(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

using Scratch = test::TempDir;

// One JSON value per line of `text` (what `run` and friends print); a line that is not
// JSON fails the test, naming it.
inline std::vector<json::Value> jsonLines(const std::string& text) {
  std::vector<json::Value> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    auto v = json::parse(line);
    REQUIRE_MESSAGE(v, line);
    out.push_back(*v);
  }
  return out;
}

// Runs a bash script with $TAUEKEL naming the binary, in `cwd`; what the script prints
// to standard output and error is captured. For tests that need redirections, pipes or
// signals around the command.
inline Result sh(const std::string& script, const std::string& cwd = TAUEKEL_SOURCE_DIR) {
  Scratch scratch;
  auto body = scratch.path() / "script.sh", out = scratch.path() / "out", err = scratch.path() / "err";
  std::ofstream(body) << "cd '" << cwd << "' || exit 99\nTAUEKEL='" << TAUEKEL_BINARY << "'\n" << script << "\n";
  std::string command = "bash '" + body.string() + "' > '" + out.string() + "' 2> '" + err.string() + "'";
  int status = std::system(command.c_str());
  Result r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = readAll(out);
  r.err = readAll(err);
  return r;
}

// `args` is appended to the binary's path as shell words; cwd defaults to the source tree.
inline Result run(const std::string& args, const std::string& cwd = TAUEKEL_SOURCE_DIR) {
  return sh("\"$TAUEKEL\" " + args, cwd);
}

// The example declarations and person register, copied into a scratch folder, with
// `extra` generated declarations appended (copies of the first one under new keys),
// so that outputs can be made larger than a pipe's buffer.
inline std::string exampleDeclarations(size_t extra = 0) {
  std::string csv = readAll(std::string(TAUEKEL_SOURCE_DIR) + "/examples/eaeu/data/declarations.csv");
  if (extra == 0) return csv;
  size_t first = csv.find('\n') + 1;
  std::string row = csv.substr(first, csv.find('\n', first) + 1 - first);
  std::string key = row.substr(0, row.find(','));
  std::string more;
  for (size_t i = 0; i < extra; ++i) more += "GEN" + std::to_string(i) + row.substr(key.size());
  return csv + more;
}

// A copy of the example repository (to change or break), as `name` in the scratch folder.
inline std::filesystem::path copyExampleRepository(const Scratch& scratch, const std::string& name = "eaeu") {
  std::filesystem::path repo = scratch.path() / name;
  std::filesystem::copy(std::string(TAUEKEL_SOURCE_DIR) + "/examples/eaeu", repo,
                        std::filesystem::copy_options::recursive);
  return repo;
}

// Replaces the first `from` in the file with `to`; false when the file does not hold it.
inline bool replaceInFile(const std::filesystem::path& file, const std::string& from, const std::string& to) {
  std::string text = readAll(file);
  auto at = text.find(from);
  if (at == std::string::npos) return false;
  text.replace(at, from.size(), to);
  std::ofstream(file, std::ios::binary) << text;
  return true;
}

}  // namespace tauekel::e2e
