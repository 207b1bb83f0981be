#pragma once
// Finds the .risk files of a repository, and says what it could not look into: a
// folder that cannot be read, a symbolic link to a folder (never followed, so a
// repository cannot pull in files from elsewhere or loop), a dangling or looping link,
// a link that leads out of the repository, a .risk name that is not a regular file.
// Nothing is skipped without a word: each of these becomes an error (TK007).

#include <string>
#include <vector>

namespace tauekel::source {

struct PathProblem {
  std::string path;
  std::string what;  // "cannot be read: Permission denied", ...
};

struct FoundFiles {
  std::vector<std::string> files;  // sorted
  std::vector<PathProblem> problems;
};

// Walks `dir` without recursion (deep trees cost no stack). A link to a file is
// followed only when its target lies inside `root`.
FoundFiles findRiskFiles(const std::string& dir, const std::string& root);

// True when `path`, with every symbolic link resolved, lies inside `root` (also resolved).
bool isInside(const std::string& path, const std::string& root);

}  // namespace tauekel::source
