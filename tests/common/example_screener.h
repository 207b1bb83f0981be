#pragma once
// The bundled example's profiles and person register, made ready to screen once per test
// binary: for unit tests that screen declarations built in memory.

#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "engine/screener.h"
#include "runtime/data/person_register.h"

namespace tauekel::test {

inline const std::string kExampleRepository = std::string(TAUEKEL_SOURCE_DIR) + "/examples/eaeu";

inline std::shared_ptr<const engine::Screener> exampleScreener() {
  static std::shared_ptr<const engine::Screener> made = [] {
    CompileOptions options;
    options.inputs = {kExampleRepository};
    auto c = compile(options);
    REQUIRE((c && (*c)->ok()));
    std::shared_ptr<const Compilation> compilation = c.take();
    auto persons = runtime::loadPersons(kExampleRepository + "/data/persons.csv", *compilation->program, {});
    REQUIRE(persons);
    auto s = engine::Screener::create(compilation, persons.take(), {});
    REQUIRE(s);
    return s.take();
  }();
  return made;
}

}  // namespace tauekel::test
