#pragma once
// Runs the tauekel binary the way a user or a CI job does, capturing what it prints.

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

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

// A scratch directory, removed with the object.
class Scratch {
 public:
  Scratch() {
    auto base = std::filesystem::temp_directory_path();
    for (int i = 0;; ++i) {
      path_ = base / ("tauekel-e2e-" + std::to_string(::getpid()) + "-" + std::to_string(i));
      if (std::filesystem::create_directory(path_)) break;
    }
  }
  ~Scratch() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }
  std::string write(const std::string& name, const std::string& text) const {
    auto p = path_ / name;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }

 private:
  std::filesystem::path path_;
};

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
