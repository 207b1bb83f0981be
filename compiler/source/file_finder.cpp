#include "compiler/source/file_finder.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace tauekel::source {

namespace fs = std::filesystem;

namespace {
bool isRiskFile(const fs::path& p) { return p.extension() == ".risk"; }

std::string reason(const std::error_code& ec) { return ec.message(); }
}  // namespace

bool isInside(const std::string& path, const std::string& root) {
  std::error_code ec;
  fs::path resolved = fs::canonical(path, ec);
  if (ec) return false;
  fs::path base = fs::canonical(root, ec);
  if (ec) return false;
  auto [mismatch, unused] = std::mismatch(base.begin(), base.end(), resolved.begin(), resolved.end());
  (void)unused;
  return mismatch == base.end();
}

FoundFiles findRiskFiles(const std::string& dir, const std::string& root) {
  FoundFiles found;
  std::vector<fs::path> pending{fs::path(dir)};
  while (!pending.empty()) {
    fs::path folder = std::move(pending.back());
    pending.pop_back();
    std::error_code ec;
    fs::directory_iterator it(folder, ec), end;
    if (ec) {
      found.problems.push_back({folder.lexically_normal().string(), "folder cannot be read: " + reason(ec)});
      continue;
    }
    for (; it != end; it.increment(ec)) {
      if (ec) break;
      const fs::path& path = it->path();
      std::string shown = path.lexically_normal().string();
      std::error_code link_ec;
      fs::file_status own = fs::symlink_status(path, link_ec);
      if (link_ec) {
        found.problems.push_back({shown, "cannot be read: " + reason(link_ec)});
        continue;
      }
      if (fs::is_symlink(own)) {
        std::error_code target_ec;
        fs::file_status target = fs::status(path, target_ec);
        if (target_ec) {
          bool loops = target_ec == std::errc::too_many_symbolic_link_levels;
          found.problems.push_back(
              {shown, loops ? "is a symbolic link that loops" : "is a symbolic link to nothing (" + reason(target_ec) + ")"});
          continue;
        }
        if (fs::is_directory(target)) {
          found.problems.push_back({shown, "is a symbolic link to a folder, which is not followed: move the files "
                                           "into the repository, or link the .risk files one by one"});
          continue;
        }
        if (!isRiskFile(path)) continue;
        if (!isInside(path.string(), root)) {
          found.problems.push_back({shown, "is a symbolic link that leads out of the repository"});
          continue;
        }
        own = target;
      }
      if (fs::is_directory(own)) {
        pending.push_back(path);
        continue;
      }
      if (!isRiskFile(path)) continue;
      if (!fs::is_regular_file(own)) {
        found.problems.push_back({shown, "is not a regular file"});
        continue;
      }
      found.files.push_back(shown);
    }
    if (ec) found.problems.push_back({folder.lexically_normal().string(), "folder cannot be read: " + reason(ec)});
  }
  std::sort(found.files.begin(), found.files.end());
  std::sort(found.problems.begin(), found.problems.end(),
            [](const PathProblem& a, const PathProblem& b) { return a.path < b.path; });
  return found;
}

}  // namespace tauekel::source
