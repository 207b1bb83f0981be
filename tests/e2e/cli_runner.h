#pragma once
// Runs the tauekel binary the way a user or a CI job does, capturing what it prints.

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

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

// `args` is appended to the binary's path as shell words; cwd defaults to the source tree.
inline Result run(const std::string& args, const std::string& cwd = TAUEKEL_SOURCE_DIR) {
  Scratch scratch;
  auto out = scratch.path() / "out", err = scratch.path() / "err";
  std::string command = "cd '" + cwd + "' && '" + std::string(TAUEKEL_BINARY) + "' " + args + " > '" + out.string() +
                        "' 2> '" + err.string() + "'";
  int status = std::system(command.c_str());
  Result r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = readAll(out);
  r.err = readAll(err);
  return r;
}

}  // namespace tauekel::e2e
