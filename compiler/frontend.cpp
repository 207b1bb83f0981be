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

Expected<std::unique_ptr<Compilation>> compile(const CompileOptions& options) {

  // 1. Which files: the targets, then the rest of their repositories as context.
  std::vector<std::string> targets;
  std::set<std::string> seen;
  std::vector<fs::path> roots;
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
    for (auto& f : found) {
      std::string key = fs::weakly_canonical(f, ec).string();
      if (seen.insert(key).second) targets.push_back(f);
    }
    if (auto root = projectRootOf(p)) roots.push_back(*root);
  }
  std::vector<std::string> context;
  for (const auto& root : roots) {
    for (auto& f : riskFilesUnder(root)) {
      std::error_code ec;
      std::string key = fs::weakly_canonical(f, ec).string();
      if (seen.insert(key).second) context.push_back(displayPath(f));
    }
  }

  // 2. Read them. A file we cannot read is an I/O error, not a profile error.
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
  for (const auto& path : targets)
    if (auto loaded = load(path, true); !loaded) return loaded.error();
  for (const auto& path : context) (void)load(path, false);

  auto c = compileTexts(std::move(texts), options.limits);
  for (const auto& [path, size] : too_large) {
    source::Range r;
    r.file = c->sources.add(path, "");
    c->diagnostics.report(diag::Code::TK004, r,
                          fmt::format("file is {} bytes; a source file may have at most {} bytes: split it", size,
                                      options.limits.max_file_bytes));
  }
  c->target_files = targets.size();
  c->diagnostics.sort(c->sources);
  return c;
}

std::unique_ptr<Compilation> compileTexts(std::vector<SourceText> texts, const syntax::ParseLimits& limits) {
  auto c = std::make_unique<Compilation>();
  std::set<source::FileId> target_ids;
  std::vector<source::FileId> to_parse;
  for (auto& t : texts) {
    source::FileId id = c->sources.add(std::move(t.path), std::move(t.text));
    if (t.target) {
      target_ids.insert(id);
      ++c->target_files;
    }
    to_parse.push_back(id);
  }

  runOnLargeStack(kFrontEndStackBytes, [&] {
    // 3. Parse, then pull in the standard-library packages that are imported.
    diag::Sink context_sink;
    for (auto id : to_parse) {
      auto& sink = target_ids.count(id) ? c->diagnostics : context_sink;
      c->files.push_back(syntax::parseFile(id, c->sources, sink, limits));
    }
    std::set<std::string> loaded_std;
    for (size_t i = 0; i < c->files.size(); ++i) {
      std::vector<std::string> imports;
      for (const auto& imp : c->files[i]->imports) imports.push_back(imp.name);
      for (const auto& name : imports) {
        if (name.rfind("std.", 0) != 0 || !loaded_std.insert(name).second) continue;
        for (const auto& embedded : stdlib::files()) {
          if (stdlibPackageOf(embedded.path) != name) continue;
          auto id = c->sources.add("stdlib/" + std::string(embedded.path), std::string(embedded.text));
          c->files.push_back(syntax::parseFile(id, c->sources, c->diagnostics, limits));
        }
      }
    }

    // 4. Check everything together; report only on what was asked about.
    std::vector<const syntax::File*> files;
    for (const auto& f : c->files)
      if (f->parsed) files.push_back(f.get());
    diag::Sink all;
    c->program = sema::check(files, c->sources, all);
    std::set<source::FileId> context_ids;
    for (auto id : to_parse)
      if (!target_ids.count(id)) context_ids.insert(id);
    c->context_errors = context_sink.errorCount();
    for (const auto& d : all.diagnostics()) {
      if (context_ids.count(d.range.file)) {
        c->context_errors += d.severity == diag::Severity::Error;
        continue;
      }
      auto& copy = c->diagnostics.report(d.code, d.range, d.message);
      copy.notes = d.notes;
    }
  });
  c->diagnostics.sort(c->sources);
  return c;
}

}  // namespace tauekel
