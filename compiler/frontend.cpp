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
#include "stdlib/embedded.h"
#include "support/big_stack.h"

namespace tauekel {

namespace fs = std::filesystem;

namespace {

bool isRiskFile(const fs::path& p) { return p.extension() == ".risk"; }

std::vector<std::string> riskFilesUnder(const fs::path& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file(ec) && isRiskFile(it->path())) out.push_back(it->path().lexically_normal().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

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
void compileGroup(Compilation& c, std::vector<SourceText> texts, const syntax::ParseLimits& limits) {
  std::set<source::FileId> target_ids;
  std::vector<source::FileId> to_parse;
  for (auto& t : texts) {
    source::FileId id = c.sources.add(std::move(t.path), std::move(t.text));
    if (t.target) target_ids.insert(id);
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
    auto program = sema::check(parsed, c.sources, all);
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
    for (const auto& p : program->profiles)
      if (target_ids.count(p.range.file)) ++c.target_profiles;
    c.target_files += target_ids.size();
    for (auto& f : files) c.files.push_back(std::move(f));
    if (!c.program) c.program = std::move(program);
    else c.other_programs.push_back(std::move(program));
  });
}

}  // namespace

Expected<std::unique_ptr<Compilation>> compile(const CompileOptions& options) {
  // 1. Which files, in groups: each repository is a program of its own, with the rest of
  //    its files read as context; loose files outside any repository form one more.
  struct Group {
    std::vector<std::string> targets;
    std::vector<std::string> context;
  };
  std::map<std::string, Group> groups;  // by repository root, "" for none
  std::set<std::string> seen;
  for (const auto& input : options.inputs) {
    std::error_code ec;
    fs::path p(input);
    if (!fs::exists(p, ec)) return Error{fmt::format("cannot read {}: no such file or directory", input)};
    std::vector<std::string> found;
    if (fs::is_directory(p, ec)) {
      found = riskFilesUnder(p);
      if (found.empty()) return Error{fmt::format("{} holds no .risk files", input)};
    } else {
      found.push_back(p.lexically_normal().string());
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
      if (seen.insert(key).second) groups[it->second].targets.push_back(f);
    }
  }
  for (auto& [root, group] : groups) {
    if (root.empty()) continue;
    for (auto& f : riskFilesUnder(root)) {
      std::error_code ec;
      std::string key = fs::weakly_canonical(f, ec).string();
      if (seen.insert(key).second) group.context.push_back(displayPath(f));
    }
  }

  // 2. Read them. A file we cannot read is an I/O error, not a profile error.
  auto c = std::make_unique<Compilation>();
  for (auto& [root, group] : groups) {
    std::vector<SourceText> texts;
    std::vector<std::pair<std::string, uintmax_t>> too_large;
    auto load = [&](const std::string& path, bool is_target) -> Expected<bool> {
      std::error_code ec;
      auto size = fs::file_size(path, ec);
      if (!ec && size > options.limits.max_file_bytes) {
        // Do not read a huge file just to refuse it.
        if (is_target) too_large.emplace_back(path, size);
        return true;
      }
      std::ifstream in(path, std::ios::binary);
      if (!in) return Error{fmt::format("cannot read {}: {}", path, std::strerror(errno))};
      std::ostringstream text;
      text << in.rdbuf();
      texts.push_back(SourceText{path, text.str(), is_target});
      return true;
    };
    for (const auto& path : group.targets)
      if (auto loaded = load(path, true); !loaded) return loaded.error();
    for (const auto& path : group.context) (void)load(path, false);
    compileGroup(*c, std::move(texts), options.limits);
    for (const auto& [path, size] : too_large) {
      source::Range r;
      r.file = c->sources.add(path, "");
      c->diagnostics.report(diag::Code::TK004, r,
                            fmt::format("file is {} bytes; a source file may have at most {} bytes: split it", size,
                                        options.limits.max_file_bytes));
      ++c->target_files;
    }
  }
  c->diagnostics.sort(c->sources);
  return c;
}

std::unique_ptr<Compilation> compileTexts(std::vector<SourceText> texts, const syntax::ParseLimits& limits) {
  auto c = std::make_unique<Compilation>();
  compileGroup(*c, std::move(texts), limits);
  c->diagnostics.sort(c->sources);
  return c;
}

}  // namespace tauekel
