// The Screener: decisions as values, equal to what `tauekel run` writes; one screener
// shared by many threads; the version names what decides.

#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "engine/decision_json.h"
#include "engine/decision_writer.h"
#include "engine/screener.h"
#include "runtime/load/declaration_source.h"
#include "tests/unit/test_support.h"

using namespace tauekel;

namespace {

const std::string kExample = std::string(TAUEKEL_SOURCE_DIR) + "/examples/eaeu";

std::shared_ptr<const Compilation> example() {
  static std::shared_ptr<const Compilation> compiled = [] {
    CompileOptions options;
    options.inputs = {kExample};
    auto c = compile(options);
    REQUIRE(c);
    REQUIRE((*c)->ok());
    return std::shared_ptr<const Compilation>(c.take());
  }();
  return compiled;
}

std::optional<runtime::PersonRegister> examplePersons() {
  auto loaded = runtime::loadPersons(kExample + "/data/persons.csv", *example()->program, {});
  REQUIRE(loaded);
  return loaded.take();
}

std::shared_ptr<const engine::Screener> exampleScreener(const engine::ScreenerOptions& options = {}) {
  auto screener = engine::Screener::create(example(), examplePersons(), options);
  REQUIRE_MESSAGE(screener, (screener ? "" : screener.error().message));
  return screener.take();
}

// The example declarations in batches of about `items` goods items.
std::vector<runtime::Batch> exampleBatches(const engine::Screener& screener, size_t items,
                                          runtime::LoadOptions load = {},
                                          const std::string& file = kExample + "/data/declarations.csv") {
  load.batch_items = items;
  auto source = runtime::openDeclarations(file, screener.program(),
                                          screener.personIndex(), load);
  REQUIRE(source);
  std::vector<runtime::Batch> batches;
  while (true) {
    runtime::Batch batch;
    runtime::initBatch(batch, screener.program());
    auto more = (*source)->next(batch);
    REQUIRE(more);
    if (!*more) break;
    batches.push_back(std::move(batch));
  }
  return batches;
}

std::string asJsonLines(const std::vector<Decision>& decisions) {
  std::string out;
  for (const auto& d : decisions) {
    engine::appendJson(out, d);
    out.push_back('\n');
  }
  return out;
}

std::string golden() {
  std::ifstream in(std::string(TAUEKEL_SOURCE_DIR) + "/tests/decisions/eaeu.jsonl", std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("screener: decision values serialise to the pinned decisions of the example") {
  auto screener = exampleScreener();
  std::vector<Decision> all;
  for (const auto& batch : exampleBatches(*screener, 7)) {
    auto decisions = screener->screen(batch);
    CHECK(decisions.size() == batch.decl_count);
    all.insert(all.end(), decisions.begin(), decisions.end());
  }
  CHECK(asJsonLines(all) == golden());

  // The values themselves, for one selected declaration.
  auto selected = std::find_if(all.begin(), all.end(), [](const Decision& d) { return d.profiles.size() >= 2; });
  REQUIRE(selected != all.end());
  CHECK(selected->selected);
  REQUIRE(selected->level.has_value());
  for (const auto& p : selected->profiles) {
    CHECK(p.level <= *selected->level);
    CHECK(!p.id.empty());
    CHECK(!p.area.empty());
    for (const auto& m : p.measures)
      CHECK(std::find(selected->measures.begin(), selected->measures.end(), m) != selected->measures.end());
  }
  auto unselected = std::find_if(all.begin(), all.end(), [](const Decision& d) { return !d.selected; });
  REQUIRE(unselected != all.end());
  CHECK(!unselected->level);
  CHECK(unselected->corridor == Corridor::Green);
  CHECK(unselected->profiles.empty());
}

TEST_CASE("screener: batches holding only the fields deciding reads decide alike, and are checked alike") {
  auto screener = exampleScreener();
  runtime::FieldsRead read = screener->fieldsRead();
  const auto& program = screener->program();
  REQUIRE(read.decl.size() == program.declaration.fields.size());
  REQUIRE(read.item.size() == program.item.fields.size());
  CHECK(read.decl[static_cast<size_t>(program.declaration.key_field)] == 1);
  runtime::LoadOptions projected;
  projected.fields_read = std::make_shared<const runtime::FieldsRead>(read);
  for (size_t items : {1, 7, 1000}) {
    std::vector<Decision> all;
    for (const auto& batch : exampleBatches(*screener, items, projected)) {
      auto decisions = screener->screen(batch);
      all.insert(all.end(), decisions.begin(), decisions.end());
    }
    CHECK(asJsonLines(all) == golden());
  }

  // A bad value in a column no profile reads still rejects its declaration, as before:
  // the first row of the example with one item field spoilt.
  std::ifstream in(kExample + "/data/declarations.csv");
  std::string header, row;
  std::getline(in, header);
  std::getline(in, row);
  REQUIRE(row.find('"') == std::string::npos);
  auto split = [](const std::string& line) {
    std::vector<std::string> parts;
    for (size_t from = 0, comma; from <= line.size(); from = comma + 1) {
      comma = std::min(line.find(',', from), line.size());
      parts.push_back(line.substr(from, comma - from));
    }
    return parts;
  };
  std::vector<std::string> names = split(header);
  std::string path = (std::filesystem::temp_directory_path() /
                      ("tauekel-projected-" + std::to_string(::getpid()) + ".csv")).string();
  auto firstError = [&](runtime::LoadOptions load) {
    std::string message;
    load.on_error = runtime::OnError::Skip;
    load.report = [&](const runtime::LoadError& e) {
      if (message.empty()) message = e.format();
    };
    size_t declarations = 0;
    for (const auto& b : exampleBatches(*screener, 100, load, path)) declarations += b.decl_count;
    CHECK(declarations == 0);
    return message;
  };
  size_t unread_checked = 0;
  std::set<sema::TypeKind> kinds;
  for (size_t f = 0; f < read.item.size(); ++f) {
    if (read.item[f]) continue;
    const sema::Field& field = program.item.fields[f];
    CAPTURE(field.name);
    auto column = static_cast<size_t>(std::find(names.begin(), names.end(), field.column) - names.begin());
    REQUIRE(column < names.size());
    std::vector<std::string> fields = split(row);
    // Text no type takes: invalid UTF-8 for a string, letters for anything else.
    fields[column] = field.type->kind == sema::TypeKind::String ? std::string("\xff\xfe") : std::string("x1");
    std::string bad_row;
    for (size_t k = 0; k < fields.size(); ++k) bad_row += (k ? "," : "") + fields[k];
    {
      std::ofstream out(path, std::ios::binary);
      out << header << "\n" << bad_row << "\n";
    }
    std::string expected = firstError(runtime::LoadOptions{});
    CHECK(expected.find(field.column) != std::string::npos);
    CHECK(firstError(projected) == expected);
    ++unread_checked;
    kinds.insert(field.type->kind);
  }
  // Fields of the kinds kept differently when unread are among them.
  CHECK(unread_checked > 0);
  CHECK(kinds.count(sema::TypeKind::String) == 1);
  CHECK(kinds.count(sema::TypeKind::Decimal) == 1);
  std::filesystem::remove(path);
}

TEST_CASE("screener: reused decision storage gives the same values as fresh storage") {
  // Batches of different sizes and selections through one output vector and context:
  // entries that shrink and grow must not keep anything of the previous batch.
  auto screener = exampleScreener();
  auto context = screener->newContext();
  std::vector<Decision> reused;
  std::string streamed, from_vector;
  for (size_t items : {1, 50, 3, 1000, 2}) {
    for (const auto& batch : exampleBatches(*screener, items)) {
      screener->screen(batch, reused, *context);
      CHECK(reused == screener->screen(batch));
      from_vector += asJsonLines(reused);
      screener->screen(batch, *context, [&](const Decision& d) {
        engine::appendJson(streamed, d);
        streamed.push_back('\n');
      });
    }
  }
  CHECK(streamed == from_vector);
  CHECK(streamed == golden() + golden() + golden() + golden() + golden());
}

TEST_CASE("screener: drafts written as text are the bytes the decision values are written as") {
  // `run` writes the analyst's decisions from drafts, without values between; every
  // declaration of the example (random selections, samples, conditional measures
  // among them), in batches of several sizes, through one context.
  auto screener = exampleScreener();
  auto format = engine::DecisionFormat::create(*screener, {});
  REQUIRE(format);
  engine::DecisionWriter writer(**format);
  REQUIRE(writer.writesDrafts());
  auto context = screener->newContext();
  for (size_t items : {1, 7, 1000}) {
    std::string from_drafts, from_values;
    for (const auto& batch : exampleBatches(*screener, items)) {
      screener->screenDrafts(batch, *context, [&](const engine::DecisionDraft& draft) {
        writer.appendJson(from_drafts, draft);
        from_drafts.push_back('\n');
      });
      from_values += asJsonLines(screener->screen(batch));
    }
    CHECK(from_drafts == from_values);
    CHECK(from_drafts == golden());
  }
  // Other audiences and explanations need the values.
  auto officer = engine::DecisionFormat::create(*screener, {engine::Audience::Officer, false});
  REQUIRE(officer);
  CHECK_FALSE(engine::DecisionWriter(**officer).writesDrafts());
  auto explained = engine::DecisionFormat::create(*screener, {engine::Audience::Analyst, true});
  REQUIRE(explained);
  CHECK_FALSE(engine::DecisionWriter(**explained).writesDrafts());
}

TEST_CASE("screener: many threads screening at once on one screener decide as one thread does") {
  for (auto kind : {engine::EngineKind::Jit, engine::EngineKind::TreeWalk, engine::EngineKind::Interp}) {
    engine::ScreenerOptions options;
    options.engine = kind;
    auto screener = exampleScreener(options);
    auto batches = exampleBatches(*screener, 5);
    std::vector<std::vector<Decision>> expected;
    for (const auto& batch : batches) expected.push_back(screener->screen(batch));

    constexpr int kThreads = 8;
    std::vector<int> mismatches(kThreads, 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
      threads.emplace_back([&, t] {
        std::vector<Decision> out;
        // Half on pooled contexts, half on their own; batches in different orders.
        auto own = t % 2 == 0 ? screener->newContext() : nullptr;
        for (int round = 0; round < 20; ++round)
          for (size_t b = 0; b < batches.size(); ++b) {
            size_t i = (b * (static_cast<size_t>(t) + 1) + static_cast<size_t>(round)) % batches.size();
            if (own)
              screener->screen(batches[i], out, *own);
            else
              screener->screen(batches[i], out);
            mismatches[static_cast<size_t>(t)] += out != expected[i];
          }
      });
    for (auto& thread : threads) thread.join();
    for (int t = 0; t < kThreads; ++t) CHECK(mismatches[static_cast<size_t>(t)] == 0);
  }
}

TEST_CASE("screener: the version names what decides") {
  auto base = exampleScreener();
  CHECK(base->version().size() == 16);
  CHECK(exampleScreener()->version() == base->version());  // the same inputs, the same version
  engine::ScreenerOptions interp;
  interp.engine = engine::EngineKind::Interp;
  CHECK(exampleScreener(interp)->version() == base->version());  // engines decide alike

  engine::ScreenerOptions drafts;
  drafts.include_drafts = true;
  CHECK(exampleScreener(drafts)->version() != base->version());
  engine::ScreenerOptions as_of;
  as_of.as_of = 20260101;
  CHECK(exampleScreener(as_of)->version() != base->version());
  auto without_persons = engine::Screener::create(example(), std::nullopt, {});
  REQUIRE(without_persons);
  CHECK((*without_persons)->version() != base->version());

  // A changed profile text is another version.
  auto one = test::compileWithStd(
      "profile \"P\" { title \"t\" area VALUE valid 2026-01-01 .. level high state approved\n"
      "  when any item: item.net_kg > 5\n  apply DOC_CHECK }\n");
  auto two = test::compileWithStd(
      "profile \"P\" { title \"t\" area VALUE valid 2026-01-01 .. level high state approved\n"
      "  when any item: item.net_kg > 6\n  apply DOC_CHECK }\n");
  auto a = engine::Screener::create(std::shared_ptr<const Compilation>(std::move(one)), std::nullopt, {});
  auto b = engine::Screener::create(std::shared_ptr<const Compilation>(std::move(two)), std::nullopt, {});
  REQUIRE(a);
  REQUIRE(b);
  CHECK((*a)->version() != (*b)->version());
}

TEST_CASE("screener: a program that cannot screen is refused with the reason") {
  auto broken = test::compileWithStd("profile \"P\" { when nonsense }\n");
  auto refused = engine::Screener::create(std::shared_ptr<const Compilation>(std::move(broken)), std::nullopt, {});
  REQUIRE(!refused);
  CHECK(refused.error().message.find("errors") != std::string::npos);
  auto no_schema = test::compileText("package t\n");
  auto refused2 = engine::Screener::create(std::shared_ptr<const Compilation>(std::move(no_schema)), std::nullopt, {});
  REQUIRE(!refused2);
  CHECK(refused2.error().message.find("schemas") != std::string::npos);
}
