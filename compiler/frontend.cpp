#include "compiler/frontend.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "compiler/sema/checker.h"
#include "compiler/source/file_finder.h"
#include "stdlib/embedded.h"
#include "support/big_stack.h"
#include "support/input_file.h"

namespace tauekel {

namespace fs = std::filesystem;

namespace {

std::optional<fs::path> projectRootOf(const fs::path& start) {
  std::error_code ec;
  fs::path dir = fs::absolute(start, ec);
  if (ec) return std::nullopt;
  if (!fs::is_directory(dir, ec)) dir = dir.parent_path();
  for (; !dir.empty(); dir = dir.parent_path()) {
    if (fs::exists(dir / kProjectMarker, ec)) return dir;
    if (dir == dir.root_path()) break;
  }
  return std::nullopt;
}

// Shows context files relative to where the user pointed, so paths stay short.
std::string displayPath(const fs::path& file) {
  std::error_code ec;
  fs::path rel = fs::relative(file, fs::current_path(ec), ec);
  if (ec || rel.empty() || rel.string().rfind("..", 0) == 0) return file.lexically_normal().string();
  return rel.string();
}

std::string stdlibPackageOf(std::string_view path) {
  // std/eaeu/schema.risk -> std.eaeu
  std::string dir(path.substr(0, path.rfind('/')));
  std::replace(dir.begin(), dir.end(), '/', '.');
  return dir;
}

}  // namespace

namespace {

// Parses and checks one program (a repository, or loose files) into `c`.
// `roots[i]` is the folder the data files of texts[i] must stay inside ("" or absent:
// the file's own folder).
void compileGroup(Compilation& c, std::vector<SourceText> texts, const std::vector<std::string>& roots,
                  const syntax::ParseLimits& limits, uint64_t max_data_bytes) {
  std::set<source::FileId> target_ids;
  std::vector<source::FileId> to_parse;
  sema::CheckOptions check_options;
  check_options.max_data_bytes = max_data_bytes;
  for (size_t i = 0; i < texts.size(); ++i) {
    SourceText& t = texts[i];
    source::FileId id = c.sources.add(std::move(t.path), std::move(t.text));
    if (t.target) target_ids.insert(id);
    if (i < roots.size() && !roots[i].empty()) check_options.data_roots[id] = roots[i];
    to_parse.push_back(id);
  }

  runOnLargeStack(kFrontEndStackBytes, [&] {
    // Parse, then pull in the standard-library packages that are imported.
    diag::Sink context_sink;
    std::vector<std::unique_ptr<syntax::File>> files;
    for (auto id : to_parse) {
      auto& sink = target_ids.count(id) ? c.diagnostics : context_sink;
      files.push_back(syntax::parseFile(id, c.sources, sink, limits));
    }
    std::set<std::string> loaded_std;
    for (size_t i = 0; i < files.size(); ++i) {
      std::vector<std::string> imports;
      for (const auto& imp : files[i]->imports) imports.push_back(imp.name);
      for (const auto& name : imports) {
        if (name.rfind("std.", 0) != 0 || !loaded_std.insert(name).second) continue;
        for (const auto& embedded : stdlib::files()) {
          if (stdlibPackageOf(embedded.path) != name) continue;
          auto id = c.sources.add("stdlib/" + std::string(embedded.path), std::string(embedded.text));
          files.push_back(syntax::parseFile(id, c.sources, c.diagnostics, limits));
        }
      }
    }

    // Check everything together; report only on what was asked about.
    std::vector<const syntax::File*> parsed;
    for (const auto& f : files)
      if (f->parsed) parsed.push_back(f.get());
    diag::Sink all;
    auto program = sema::check(parsed, c.sources, all, check_options);
    size_t context_errors = context_sink.errorCount();
    for (const auto& d : all.diagnostics()) {
      bool context = d.range.file != source::kNoFile && !target_ids.count(d.range.file) &&
                     std::find(to_parse.begin(), to_parse.end(), d.range.file) != to_parse.end();
      if (context) {
        context_errors += d.severity == diag::Severity::Error;
        continue;
      }
      auto& copy = c.diagnostics.report(d.code, d.range, d.message);
      copy.notes = d.notes;
    }
    if (context_errors > 0) {
      // The checked files may use what those errors broke; say so rather than pass quietly.
      source::Range none;
      c.diagnostics.report(diag::Code::TK006, none,
                           fmt::format("{} error{} in other files of this repository; declarations there that have "
                                       "errors are left out, and so is whatever uses them: check the whole "
                                       "repository",
                                       context_errors, context_errors == 1 ? "" : "s"));
    }
    c.context_errors += context_errors;
    // A profile of the checked files that what those errors broke takes down (it is not
    // in the program): an error, so that a check of changed files does not pass while
    // their profiles are dropped.
    if (context_errors > 0) {
      std::set<std::string> checked;
      for (const auto& p : program->profiles) checked.insert(p.id);
      for (const auto& f : files) {
        if (!f->parsed || !target_ids.count(f->id)) continue;
        for (const auto& decl : f->profiles) {
          // Dropped for an error of its own, already reported: nothing to add.
          bool own_error = std::any_of(all.diagnostics().begin(), all.diagnostics().end(), [&](const auto& d) {
            return d.severity == diag::Severity::Error && d.range.file == f->id &&
                   d.range.begin.line >= decl.range.begin.line && d.range.begin.line <= decl.range.end.line;
          });
          if (!checked.count(decl.id) && !own_error)
            c.diagnostics.report(diag::Code::TK008, decl.id_range,
                                 fmt::format("profile {} is left out: it uses declarations that have errors in other "
                                             "files of this repository (see TK006); fix those first",
                                             decl.id));
        }
      }
    }
    for (const auto& p : program->profiles)
      if (target_ids.count(p.range.file)) ++c.target_profiles;
    c.target_files += target_ids.size();
    for (auto& f : files) c.files.push_back(std::move(f));
    if (!c.program) c.program = std::move(program);
    else c.other_programs.push_back(std::move(program));
  });
}

// Reports what the search for .risk files could not look into.
void reportPathProblems(Compilation& c, const std::vector<source::PathProblem>& problems) {
  for (const auto& problem : problems) {
    source::Range r;
    r.file = c.sources.add(problem.path, "");
    c.diagnostics.report(diag::Code::TK007, r, problem.what);
  }
}

}  // namespace

Expected<std::unique_ptr<Compilation>> compile(const CompileOptions& options) {
  // 1. Which files, in groups: each repository is a program of its own, with the rest of
  //    its files read as context; loose files outside any repository form one more.
  //    Data files stay inside the repository root; for loose files, inside the folder
  //    named on the command line, or the file's own folder.
  struct Group {
    std::vector<std::string> targets;
    std::vector<std::string> context;
  };
  std::map<std::string, Group> groups;  // by repository root, "" for none
  std::map<std::string, std::string> data_root;  // of loose files
  std::set<std::string> seen;
  std::map<std::string, std::string> problems;  // path -> what, once each
  std::vector<std::string> c_files_read;         // repository markers, then sources
  auto note = [&](const std::vector<source::PathProblem>& found) {
    for (const auto& p : found) problems.emplace(p.path, p.what);
  };
  for (const auto& input : options.inputs) {
    std::error_code ec;
    fs::path p(input);
    auto status = fs::status(p, ec);
    if (ec || !fs::exists(status)) {
      if (fs::is_symlink(fs::symlink_status(p, ec)))
        return Error{fmt::format("cannot read {}: it is a symbolic link to nothing", input)};
      return Error{fmt::format("cannot read {}: no such file or directory", input)};
    }
    std::vector<std::string> found;
    std::string loose_root;
    if (fs::is_directory(status)) {
      auto root = projectRootOf(p);
      auto walk = source::findRiskFiles(input, root ? root->string() : input);
      note(walk.problems);
      found = std::move(walk.files);
      if (found.empty() && walk.problems.empty()) return Error{fmt::format("{} holds no .risk files", input)};
      loose_root = p.lexically_normal().string();
    } else if (fs::is_regular_file(status)) {
      found.push_back(p.lexically_normal().string());
    } else {
      return Error{fmt::format("cannot read {}: it is not a regular file or a folder", input)};
    }
    // Each file belongs to the repository around it: a folder holding several
    // repositories checks each as the program it is.
    std::map<fs::path, std::string> root_of_dir;
    for (auto& f : found) {
      fs::path dir = fs::path(f).parent_path();
      auto it = root_of_dir.find(dir);
      if (it == root_of_dir.end()) {
        auto root = projectRootOf(dir.empty() ? fs::path(".") : dir);
        it = root_of_dir.emplace(dir, root ? root->string() : std::string()).first;
      }
      std::string key = fs::weakly_canonical(f, ec).string();
      if (!seen.insert(key).second) continue;
      groups[it->second].targets.push_back(f);
      if (it->second.empty()) data_root[f] = loose_root.empty() ? (dir.empty() ? "." : dir.string()) : loose_root;
    }
  }
  for (auto& [root, group] : groups) {
    if (root.empty()) continue;
    c_files_read.push_back((fs::path(root) / kProjectMarker).string());
    auto walk = source::findRiskFiles(root, root);
    note(walk.problems);
    for (auto& f : walk.files) {
      std::error_code ec;
      std::string key = fs::weakly_canonical(f, ec).string();
      if (seen.insert(key).second) group.context.push_back(displayPath(f));
    }
  }

  // 2. Read them. A file we cannot read is an I/O error, not a profile error; a file of
  //    the repository read only for its names becomes a TK007 error.
  auto c = std::make_unique<Compilation>();
  c->risk_files_read = std::move(c_files_read);
  for (auto& [root, group] : groups) {
    std::vector<SourceText> texts;
    std::vector<std::string> roots;
    std::vector<std::pair<std::string, uintmax_t>> too_large;
    auto load = [&](const std::string& path, bool is_target) -> Expected<bool> {
      std::error_code ec;
      auto size = fs::file_size(path, ec);
      if (!ec && size > options.limits.max_file_bytes) {
        // Do not read a huge file just to refuse it.
        if (is_target) too_large.emplace_back(path, size);
        else
          problems.emplace(path, fmt::format("is {} bytes; a source file may have at most {} bytes: split it", size,
                                             options.limits.max_file_bytes));
        return true;
      }
      auto text = io::readWhole(path, options.limits.max_file_bytes);
      if (!text) return text.error();
      c->risk_files_read.push_back(path);
      texts.push_back(SourceText{path, text.take(), is_target});
      roots.push_back(root.empty() ? data_root[path] : root);
      return true;
    };
    for (const auto& path : group.targets)
      if (auto loaded = load(path, true); !loaded) return loaded.error();
    for (const auto& path : group.context)
      if (auto loaded = load(path, false); !loaded) problems.emplace(path, "cannot be read: " + loaded.error().message);
    compileGroup(*c, std::move(texts), roots, options.limits, options.max_data_bytes);
    for (const auto& [path, size] : too_large) {
      source::Range r;
      r.file = c->sources.add(path, "");
      c->diagnostics.report(diag::Code::TK004, r,
                            fmt::format("file is {} bytes; a source file may have at most {} bytes: split it", size,
                                        options.limits.max_file_bytes));
      ++c->target_files;
    }
  }
  std::vector<source::PathProblem> listed;
  for (auto& [path, what] : problems) listed.push_back({path, what});
  reportPathProblems(*c, listed);
  c->diagnostics.sort(c->sources);
  return c;
}

std::vector<std::string> Compilation::files_read() const {
  std::vector<std::string> out = risk_files_read;
  auto add = [&](const sema::Program* program) {
    if (program == nullptr) return;
    for (const auto& data : program->data)
      if (!data.path.empty()) out.push_back(data.path);
  };
  add(program.get());
  for (const auto& p : other_programs) add(p.get());
  return out;
}

std::unique_ptr<Compilation> compileTexts(std::vector<SourceText> texts, const syntax::ParseLimits& limits) {
  auto c = std::make_unique<Compilation>();
  compileGroup(*c, std::move(texts), {}, limits, io::kDefaultMaxDataBytes);
  c->diagnostics.sort(c->sources);
  return c;
}

}  // namespace tauekel
