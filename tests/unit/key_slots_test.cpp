#include <doctest/doctest.h>

#include "runtime/exec/key_slots.h"

using tauekel::runtime::KeySlots;

TEST_CASE("key slots: one table over the keys' span, slots in key order, 0 elsewhere") {
  auto slots = KeySlots::make({8703, 201, 8517, 8703, -5}, 0);
  REQUIRE(slots);
  CHECK(slots->keys() == std::vector<int64_t>{-5, 201, 8517, 8703});  // sorted, duplicates merged
  CHECK(slots->slots() == 5);
  CHECK(slots->of(-5) == 1);
  CHECK(slots->of(201) == 2);
  CHECK(slots->of(8517) == 3);
  CHECK(slots->of(8703) == 4);
  // Values between, below and far outside the keys have no slot.
  for (int64_t v : {-6L, 0L, 202L, 8702L, 8704L, INT64_MIN, INT64_MAX}) CHECK(slots->of(v) == 0);
}

TEST_CASE("key slots: commodity subheadings looked up as (heading, remaining digits)") {
  // 6-digit keys split at 100: heading 8703 has two subheadings, 0201 one.
  auto slots = KeySlots::make({870321, 870390, 20130}, 100);
  REQUIRE(slots);
  CHECK(slots->of(201, 30) == 1);
  CHECK(slots->of(8703, 21) == 2);
  CHECK(slots->of(8703, 90) == 3);
  CHECK(slots->of(8703, 22) == 0);   // another subheading of a named heading
  CHECK(slots->of(8517, 21) == 0);   // a heading between the named ones
  CHECK(slots->of(9999, 21) == 0);   // past the last
  CHECK(slots->of(0, 0) == 0);       // before the first
  CHECK(slots->of(-1, 99) == 0);
}

TEST_CASE("key slots: refused when the table would not stay in cache") {
  CHECK_FALSE(KeySlots::make({}, 0));
  CHECK_FALSE(KeySlots::make({0, int64_t{1} << 30}, 0));         // span too wide for one table
  CHECK(KeySlots::make({0, (int64_t{1} << 16)}, 0));             // a wide but small span is fine
  std::vector<int64_t> many_headings;                            // 8-digit keys under 100 headings:
  for (int64_t h = 0; h < 100; ++h) many_headings.push_back(h * 10'000);  // 100 blocks of 10,000
  CHECK_FALSE(KeySlots::make(many_headings, 10'000));
  std::vector<int64_t> too_many;                                 // more keys than 16-bit slots
  for (int64_t k = 0; k < 70'000; ++k) too_many.push_back(k);
  CHECK_FALSE(KeySlots::make(too_many, 0));
}
