// The loaders' fast path for field texts (storeFields) against the general parser
// (parseField): the same value, the same missing values, a failure exactly where the
// general parser gives a reason. And the person register's index.

#include <doctest/doctest.h>

#include <random>
#include <unordered_map>

#include "runtime/load/field_parser.h"
#include "runtime/vector/string_index.h"

using namespace tauekel;
using namespace tauekel::runtime;

namespace {

FieldSpec spec(ir::Type type, bool nullable, int round = -1) {
  FieldSpec s;
  s.name = s.column = "f";
  s.type = type;
  s.nullable = nullable;
  s.round = round;
  return s;
}

// Texts of every kind a column may hold: well-formed values and near misses.
std::vector<std::string> samples() {
  std::vector<std::string> out = {"", "0", "-0", "+5", "5.", ".5", "-", ".", "1.2.3", "1e5", "NaN", "12345678901234",
                                  "9223372036854", "9223372036854.775807", "9223372036854.775808", "9999999999999.9",
                                  "1.000000", "1.0000000", "1.0000001", "0.30000000000000004", "20901.55", "-944053.43",
                                  "00012.5", "1_000", " 1", "1 ", "12a", "6403990000", "640399", "64039900", "6403",
                                  "64039900001", "640399000a", "KZ", "kz", "K", "KZZ", "2026-02-28", "2026-02-30",
                                  "2024-02-29", "26-02-28", "IM", "EK", "XX", "true", "false", "1", "TRUE", "yes",
                                  "T000001", "T999999", "caf\xC3\xA9", "bad\xC3", std::string("nul\0byte", 8),
                                  "9223372036854775807", "9223372036854775808", "-9223372036854775808", "12345678"};
  std::mt19937_64 rng(7);
  const std::string alphabet = "0123456789.-+eE_ aZ";
  for (int i = 0; i < 3000; ++i) {
    std::string t;
    int n = std::uniform_int_distribution<int>(1, 22)(rng);
    for (int k = 0; k < n; ++k) {
      // Mostly digits with one dot, sometimes anything from the alphabet.
      int c = std::uniform_int_distribution<int>(0, 99)(rng);
      t += c < 85 ? static_cast<char>('0' + c % 10) : c < 92 ? '.' : alphabet[static_cast<size_t>(c) % alphabet.size()];
    }
    out.push_back(t);
  }
  return out;
}

}  // namespace

TEST_CASE("field store: the fast path stores what the general parser stores, and fails where it does") {
  sema::EnumInfo direction;
  direction.members = {"IM", "EK", "TT"};
  StringIndex persons;
  persons.insert("T000001", 0);
  persons.insert("T000002", 1);
  std::vector<FieldSpec> specs;
  for (bool nullable : {false, true}) {
    for (ir::Type t : {ir::Type::Bool, ir::Type::Int, ir::Type::Decimal, ir::Type::Date, ir::Type::Hs, ir::Type::Country,
                       ir::Type::Enum, ir::Type::String, ir::Type::Person})
      specs.push_back(spec(t, nullable));
    specs.push_back(spec(ir::Type::Decimal, nullable, 2));
  }
  for (auto& s : specs)
    if (s.type == ir::Type::Enum) s.enumeration = &direction;

  for (const std::string& text : samples()) {
    for (const FieldSpec& s : specs) {
      CAPTURE(text);
      CAPTURE(static_cast<int>(s.type));
      CAPTURE(s.nullable);
      StringPool fast_strings, general_strings;
      std::vector<Column> fast(1), general(1);
      fast[0].init(s.type, s.nullable);
      general[0].init(s.type, s.nullable);
      fast[0].resize(1);
      general[0].resize(1);
      std::vector<uint64_t> unregistered;
      std::string_view view = text;
      FieldStore store{fast_strings, &persons, unregistered};
      size_t failed = storeFields({s}, &view, fast, 0, store);
      std::string reason = parseField(s, text, general[0], 0, general_strings, &persons);
      REQUIRE((failed == SIZE_MAX) == reason.empty());
      // A field not read is checked alike: the same texts fail, and a missing value stays missing.
      {
        StringPool unread_strings;
        std::vector<Column> unread(1);
        unread[0].init(s.type, s.nullable);
        unread[0].resize(1);
        std::vector<uint64_t> unread_persons;
        const uint8_t not_read = 0;
        FieldStore checking{unread_strings, &persons, unread_persons, &not_read};
        CHECK(storeFields({s}, &view, unread, 0, checking) == failed);
        if (reason.empty()) CHECK(unread[0].valid(0) == general[0].valid(0));
      }
      if (!reason.empty()) continue;
      REQUIRE(fast[0].valid(0) == general[0].valid(0));
      if (!general[0].valid(0)) continue;
      if (s.type == ir::Type::String) {
        CHECK(fast_strings.view(static_cast<int32_t>(fast[0].get(0))) ==
              general_strings.view(static_cast<int32_t>(general[0].get(0))));
      } else {
        CHECK(fast[0].get(0) == general[0].get(0));
      }
      // A person id the register lacks is noted, once per field that names it.
      bool unknown_person = s.type == ir::Type::Person && !text.empty() && persons.find(text) < 0;
      CHECK(unregistered.size() == (unknown_person ? 1u : 0u));
    }
  }
}

TEST_CASE("field store: the first bad field of a row is the one named") {
  std::vector<FieldSpec> specs = {spec(ir::Type::Int, false), spec(ir::Type::Decimal, false), spec(ir::Type::Country, true)};
  std::vector<Column> columns(3);
  for (size_t f = 0; f < 3; ++f) {
    columns[f].init(specs[f].type, specs[f].nullable);
    columns[f].resize(2);
  }
  StringPool strings;
  std::vector<uint64_t> unregistered;
  FieldStore store{strings, nullptr, unregistered};
  std::vector<std::string_view> good = {"7", "1.5", ""}, bad_second = {"7", "1,5", "kz"}, bad_first = {"", "x", "kz"};
  CHECK(storeFields(specs, good.data(), columns, 0, store) == SIZE_MAX);
  CHECK(columns[1].get(0) == 1'500'000);
  CHECK_FALSE(columns[2].valid(0));
  CHECK(storeFields(specs, bad_second.data(), columns, 1, store) == 1);
  CHECK(storeFields(specs, bad_first.data(), columns, 1, store) == 0);
}

TEST_CASE("string index: finds what was inserted, refuses a second insert, grows without losing any") {
  StringIndex index;
  CHECK(index.find("anything") == -1);
  std::unordered_map<std::string, int32_t> reference;
  std::mt19937_64 rng(11);
  for (int32_t row = 0; row < 20000; ++row) {
    std::string id = "T" + std::to_string(std::uniform_int_distribution<int>(0, 30000)(rng));
    bool fresh = reference.emplace(id, row).second;
    CHECK(index.insert(id, row) == fresh);
  }
  CHECK(index.size() == reference.size());
  for (const auto& [id, row] : reference) CHECK(index.find(id) == row);
  CHECK(index.find("") == -1);
  CHECK(index.insert("", 5));  // the empty text is a text like any other
  CHECK(index.find("") == 5);
  CHECK(index.find("T30001") == -1);
  CHECK(index.find("T3000") == (reference.count("T3000") ? reference["T3000"] : -1));
}
