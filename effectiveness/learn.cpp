#include "effectiveness/learn.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "compiler/ir/ir.h"
#include "compiler/sema/print.h"
#include "effectiveness/control_results.h"
#include "effectiveness/result_index.h"
#include "governance/package.h"
#include "runtime/data/reference_data.h"
#include "runtime/interp/row_interpreter.h"
#include "support/codes.h"
#include "support/date.h"
#include "support/output_file.h"

namespace tauekel::effectiveness {

namespace fs = std::filesystem;

namespace {

LearnError usage(std::string message) { return LearnError{LearnFailure::Usage, std::move(message), nullptr}; }

// Counts of one key value: declarations controlled, and with a violation.
struct Counts {
  std::vector<sema::Value> parts;  // the value, part by part, as tables write it
  uint64_t controlled = 0, violations = 0;
  double rate = 0;                 // smoothed, once computed
};

// A key of a learn declaration, with what was counted for it.
struct KeyState {
  const sema::LearnKey* key = nullptr;
  std::vector<ir::NodeId> nodes;
  std::vector<const sema::Type*> types;  // per part (optional ones too: a missing value is not counted)
  std::vector<int> hs_digits;            // per part: digits of a code kept (-1: no code)
  std::string base;                      // a code part's code before cutting, for back-off
  int parent = -1;                       // index of the key it backs off to
  int parent_part = 0;                   // a pair's part the parent reads
  std::map<std::string, Counts> values;  // by canonical value
  std::string table, slug;
};

std::string slugOf(const std::string& text) {
  std::string out;
  std::string t = text;
  for (const char* prefix : {"item.", "declaration."})
    if (t.rfind(prefix, 0) == 0) t = t.substr(std::string(prefix).size());
  for (char c : t) {
    bool word = std::isalnum(static_cast<unsigned char>(c)) != 0;
    if (word) out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    else if (!out.empty() && out.back() != '_') out.push_back('_');
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out.empty() ? "key" : out;
}

// The canonical text of one part's value: the same value, the same text.
std::string canonical(const sema::Value& v, const sema::Type& type) {
  return type.kind == sema::TypeKind::String ? "s" + v.text : std::to_string(v.number);
}

double logit(double p) { return std::log(p / (1 - p)); }

}  // namespace

std::variant<LearnSummary, LearnError> learn(const LearnOptions& options) {
  LearnSummary summary;
  CompileOptions co;
  co.inputs = {options.profiles};
  auto compiled = governance::compileOrRead(co);
  if (!compiled) return usage(compiled.error().message);
  if (!(*compiled)->ok()) return LearnError{LearnFailure::Profiles, "", compiled.take()};
  std::unique_ptr<Compilation> compilation = compiled.take();
  const sema::Program& program = *compilation->program;
  if (program.learns.empty())
    return usage(fmt::format("{} has no `learn` declaration: name what to learn weights for, e.g. `learn fraud {{ key "
                             "item.hs.subheading }}` (see docs/effectiveness.md)",
                             options.profiles));
  if (!program.result.defined)
    return usage(fmt::format("{} declares no `schema result`, so control results cannot be read", options.profiles));
  if (!program.declaration.defined) return usage(fmt::format("{} declares no declaration schema", options.profiles));
  if (!(options.smoothing > 0) || options.smoothing > 1e6)
    return usage(fmt::format("--smoothing {} is out of range: give a positive number of declarations", options.smoothing));

  // Nothing may be written over an input, but for what an earlier `learn` wrote into the
  // same folder (its .risk file says so in its first line): learning again replaces it.
  std::set<std::string> relearned;
  for (const auto& decl : program.learns) {
    fs::path risk = fs::path(options.out) / (decl.name + ".risk");
    std::ifstream in(risk);
    std::string first;
    if (!std::getline(in, first) || first.rfind("// Learned by `tauekel learn`", 0) != 0) continue;
    std::error_code ec;
    relearned.insert(fs::weakly_canonical(risk, ec).string());
    for (const auto& entry : fs::directory_iterator(fs::path(options.out) / "tables", ec))
      if (entry.path().filename().string().rfind(decl.name + "_by_", 0) == 0)
        relearned.insert(fs::weakly_canonical(entry.path(), ec).string());
  }
  std::vector<std::string> inputs;
  for (const auto& f : compilation->files_read()) {
    std::error_code ec;
    if (!relearned.count(fs::weakly_canonical(f, ec).string())) inputs.push_back(f);
  }
  inputs.push_back(options.declarations);
  inputs.push_back(options.results);

  // Only results dated before the cut-off: the others are not even looked at.
  ResultsOptions ro;
  ro.report = options.report;
  ro.warn = options.warn;
  auto results = readResults(options.results, program, ro);
  if (!results) return usage(results.error().message);
  summary.results_read = results->rows.size();
  ResultsFile before;
  before.name = results->name;
  before.key_column = results->key_column;
  before.item_column = results->item_column;
  for (auto& row : results->rows)
    if (row.date < options.cutoff) before.rows.push_back(std::move(row));
  before.rows_read = before.rows.size();
  summary.results_before_cutoff = before.rows.size();
  ResultIndex index(std::move(before), options.report);

  ir::LowerOptions lo;
  lo.learn = true;
  ir::Program ir = ir::lower(program, lo);
  runtime::ReferenceData data(program);
  runtime::EngineContext context{&ir, &data, nullptr};
  runtime::RowInterpreter interp(context);

  // The keys of every declaration, their back-off parents found by what they read.
  std::vector<std::vector<KeyState>> states(ir.learns.size());
  for (size_t l = 0; l < ir.learns.size(); ++l) {
    const sema::Learn& decl = *ir.learns[l].learn;
    for (size_t k = 0; k < decl.keys.size(); ++k) {
      KeyState s;
      s.key = &decl.keys[k];
      s.nodes = ir.learns[l].keys[k];
      for (const auto& part : s.key->parts) {
        s.types.push_back(part->type);
        int digits = -1;
        std::string base;
        if (part->op == sema::Op::HsPrefix) {
          digits = static_cast<int>(part->number);
          base = sema::print(*part->args[0], program);
        } else if (part->type->kind == sema::TypeKind::Hs) {
          digits = codes::kHsDigits;
          base = sema::print(*part, program);
        }
        s.hs_digits.push_back(digits);
        if (s.key->parts.size() == 1) s.base = base;
      }
      std::vector<std::string> slugs;
      for (const auto& part : s.key->parts) slugs.push_back(slugOf(sema::print(*part, program)));
      s.slug = slugs[0] + (slugs.size() == 2 ? "_and_" + slugs[1] : "");
      s.table = decl.name + "_by_" + s.slug;
      states[l].push_back(std::move(s));
    }
    auto& keys = states[l];
    for (size_t k = 0; k < keys.size(); ++k) {
      KeyState& s = keys[k];
      if (s.key->parts.size() == 2) {
        // A pair backs off to the key of its first value, else of its second.
        for (int part : {0, 1})
          for (size_t j = 0; j < keys.size() && s.parent < 0; ++j)
            if (keys[j].key->parts.size() == 1 && keys[j].key->text == sema::print(*s.key->parts[part], program)) {
              s.parent = static_cast<int>(j);
              s.parent_part = part;
            }
      } else if (s.hs_digits[0] > 0) {
        // A code backs off to the longest shorter cut of the same code listed.
        int best = 0;
        for (size_t j = 0; j < keys.size(); ++j)
          if (j != k && keys[j].key->parts.size() == 1 && keys[j].base == s.base && keys[j].hs_digits[0] > best &&
              keys[j].hs_digits[0] < s.hs_digits[0]) {
            best = keys[j].hs_digits[0];
            s.parent = static_cast<int>(j);
          }
      }
    }
  }

  // Count: each declaration with an outcome, once per distinct value of each key over its items.
  runtime::LoadOptions load;
  load.on_error = options.on_error;
  load.report = options.report;
  load.warn = options.warn;
  auto source = runtime::openDeclarations(options.declarations, program, nullptr, load);
  if (!source) return usage(source.error().message);
  const auto key_field = static_cast<size_t>(program.declaration.key_field);
  runtime::Batch batch;
  runtime::initBatch(batch, program);
  while (true) {
    auto more = (*source)->next(batch);
    if (!more) return LearnError{LearnFailure::Data, more.error().message, nullptr};
    if (!*more) break;
    for (uint32_t d = 0; d < batch.decl_count; ++d) {
      std::string_view key = batch.strings.view(static_cast<int32_t>(batch.decl_columns[key_field].get(d)));
      const Outcome* outcome = index.claim(key, batch.itemsOf(d));
      if (!outcome) continue;
      ++summary.declarations_learned_from;
      summary.violations += outcome->violation;
      for (auto& keys : states)
        for (auto& s : keys) {
          std::map<std::string, std::vector<sema::Value>> seen;  // distinct values over the items
          for (uint32_t i = batch.item_begin[d]; i < batch.item_begin[d + 1]; ++i) {
            runtime::RowInterpreter::Row row;
            row.batch = &batch;
            row.decl = d;
            row.item = i;
            std::vector<sema::Value> parts;
            std::string text;
            bool present = true;
            for (size_t p = 0; p < s.nodes.size() && present; ++p) {
              auto value = interp.eval(s.nodes[p], row);
              if (!value.valid) {
                present = false;
                break;
              }
              sema::Value v;
              v.number = value.i;
              v.text = std::string(value.s);
              v.digits = s.hs_digits[p] > 0 ? s.hs_digits[p] : 0;
              text += canonical(v, *s.types[p]) + "\x1f";
              parts.push_back(std::move(v));
            }
            if (present) seen.emplace(std::move(text), std::move(parts));
          }
          for (auto& [text, parts] : seen) {
            Counts& c = s.values[text];
            if (c.parts.empty()) c.parts = parts;
            ++c.controlled;
            c.violations += outcome->violation;
          }
        }
    }
  }
  index.finish();
  summary.results_counted = index.counts().matched;
  if (summary.declarations_learned_from == 0)
    return usage(fmt::format("no declaration of {} has a control result dated before {}: nothing to learn from",
                             options.declarations, date::format(options.cutoff)));

  // Rates, parents first (a parent is more general: fewer parts, or a shorter code).
  const double m = options.smoothing;
  const double base_rate = std::clamp(
      (static_cast<double>(summary.violations) + 0.5) / (static_cast<double>(summary.declarations_learned_from) + 1),
      1e-6, 1 - 1e-6);
  auto parentRate = [&](const std::vector<KeyState>& keys, const KeyState& s, const Counts& c) {
    if (s.parent < 0) return base_rate;
    const KeyState& parent = keys[static_cast<size_t>(s.parent)];
    sema::Value v = s.key->parts.size() == 2 ? c.parts[static_cast<size_t>(s.parent_part)] : c.parts[0];
    if (s.key->parts.size() == 1) {
      // The code cut to the parent's digits.
      int digits = parent.hs_digits[0];
      v.number = codes::hsCut(v.number, digits) * codes::hsDivisor(digits);
      v.digits = digits;
    }
    auto it = parent.values.find(canonical(v, *parent.types[0]) + "\x1f");
    return it == parent.values.end() ? base_rate : it->second.rate;
  };
  for (auto& keys : states) {
    std::vector<size_t> order(keys.size());
    for (size_t k = 0; k < keys.size(); ++k) order[k] = k;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      auto rank = [&](const KeyState& s) { return std::make_pair(s.key->parts.size(), s.hs_digits[0]); };
      return rank(keys[a]) < rank(keys[b]);
    });
    for (size_t k : order)
      for (auto& [text, c] : keys[k].values) {
        double prior = parentRate(keys, keys[k], c);
        c.rate = std::clamp((static_cast<double>(c.violations) + m * prior) / (static_cast<double>(c.controlled) + m),
                            1e-6, 1 - 1e-6);
      }
  }

  // Write: the tables, then the declarations that use them.
  std::error_code ec;
  fs::create_directories(fs::path(options.out) / "tables", ec);
  if (ec) return LearnError{LearnFailure::Output, fmt::format("cannot make {}: {}", options.out, ec.message()), nullptr};
  auto write = [&](const fs::path& path, const std::string& text) -> std::optional<LearnError> {
    auto file = io::OutputFile::open(path.string(), inputs);
    if (!file) return LearnError{LearnFailure::Output, file.error().message, nullptr};
    if (auto w = (*file)->write(text); !w) return LearnError{LearnFailure::Output, w.error().message, nullptr};
    if (auto c = (*file)->commit(); !c) return LearnError{LearnFailure::Output, c.error().message, nullptr};
    summary.files.push_back(path.string());
    return std::nullopt;
  };
  for (size_t l = 0; l < states.size(); ++l) {
    const sema::Learn& decl = *ir.learns[l].learn;
    std::vector<LearnedKey> learned;
    std::string risk = fmt::format(
        "// Learned by `tauekel learn` from the control results in {} dated before {}: {} declarations, {} with a\n"
        "// violation, smoothing {}. Learn again rather than edit; review and approve like any reference data.\n"
        "package {}\n\n",
        fs::path(options.results).filename().string(), date::format(options.cutoff), summary.declarations_learned_from,
        summary.violations, m, decl.package);
    std::string terms;
    for (const auto& s : states[l]) {
      std::vector<std::string> columns;
      for (const auto& part : s.key->parts) columns.push_back(slugOf(sema::print(*part, program)));
      if (columns.size() == 2 && columns[0] == columns[1]) columns[1] += "_2";
      std::string csv = columns[0] + (columns.size() == 2 ? "," + columns[1] : "") + ",weight,controlled,violations\n";
      for (const auto& [text, c] : s.values) {
        double weight = logit(c.rate) - logit(parentRate(states[l], s, c));
        for (size_t p = 0; p < c.parts.size(); ++p) {
          std::string cell = sema::formatValue(*s.types[p], c.parts[p]);
          bool quote = cell.find_first_of(",\"\r\n") != std::string::npos;
          if (quote) {
            std::string q = "\"";
            for (char ch : cell) q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
            cell = q + "\"";
          }
          csv += cell + ",";
        }
        csv += fmt::format("{:.6f},{},{}\n", weight, c.controlled, c.violations);
      }
      if (auto failed = write(fs::path(options.out) / "tables" / (s.table + ".csv"), csv)) return std::move(*failed);
      auto typeText = [](const sema::Type& t) {
        std::string text = sema::toString(t);
        if (!text.empty() && text.back() == '?') text.pop_back();  // a key is never missing in a table
        return text;
      };
      std::string type = typeText(*s.types[0]) + (s.types.size() == 2 ? ", " + typeText(*s.types[1]) : "");
      risk += fmt::format("table {}: map<{}, decimal> = csv(\"tables/{}.csv\", key: \"{}\"{}, value: \"weight\")\n",
                          s.table, type, s.table, columns[0],
                          columns.size() == 2 ? fmt::format(", key2: \"{}\"", columns[1]) : std::string());
      std::string lookup = s.table + "[" + sema::print(*s.key->parts[0], program) +
                           (s.key->parts.size() == 2 ? ", " + sema::print(*s.key->parts[1], program) : "") + "]";
      terms += fmt::format("  points max(item: {} ?? 0) ?? 0\n", lookup);
      LearnedKey lk;
      lk.text = s.key->text;
      lk.table = s.table;
      lk.parent = s.parent >= 0 ? states[l][static_cast<size_t>(s.parent)].key->text : std::string();
      lk.values = s.values.size();
      learned.push_back(std::move(lk));
    }
    std::string title = decl.title.empty() ? "Learned from control results" : decl.title;
    std::string quoted_title;
    for (char ch : title) quoted_title += ch == '"' || ch == '\\' ? std::string("\\") + ch : std::string(1, ch);
    risk += fmt::format("\n// Log-odds of a violation over the rate of all {} declarations learned from ({:.4f}).\n",
                        summary.declarations_learned_from, base_rate);
    risk += fmt::format("score {} \"{}\" {{\n{}}}\n", decl.name, quoted_title, terms);
    if (auto failed = write(fs::path(options.out) / (decl.name + ".risk"), risk)) return std::move(*failed);
    summary.learned.emplace_back(decl.name, std::move(learned));
  }
  return summary;
}

}  // namespace tauekel::effectiveness
