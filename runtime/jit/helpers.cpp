#include "runtime/jit/helpers.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>

#include "compiler/ir/scalar.h"
#include "runtime/data/reference_data.h"
#include "runtime/vector/string_pool.h"
#include "support/decimal.h"
#include "support/utf8.h"

using tauekel::runtime::DataLookup;
using tauekel::runtime::StringPool;

namespace {
std::string_view textOf(const void* pool, int64_t id, const void* text) {
  if (text) return *static_cast<const std::string*>(text);
  if (id < 0) return {};
  return static_cast<const StringPool*>(pool)->view(static_cast<int32_t>(id));
}
// Goods descriptions are short: a plain loop beats a library search, whose calls and
// set-up cost more than the text; long texts still get the library's.
bool contains(std::string_view text, std::string_view pattern) {
  if (pattern.empty()) return true;
  if (text.size() < pattern.size()) return false;
  if (text.size() > 64) return text.find(pattern) != std::string_view::npos;
  const char first = pattern[0];
  const size_t last = text.size() - pattern.size();
  for (size_t i = 0; i <= last; ++i)
    if (text[i] == first && std::memcmp(text.data() + i + 1, pattern.data() + 1, pattern.size() - 1) == 0) return true;
  return false;
}
}  // namespace

extern "C" {

int64_t tk_dec_mul(int64_t a, int64_t b) { return tauekel::decimal::mul(a, b); }
int64_t tk_dec_div(int64_t a, int64_t b) { return tauekel::decimal::div(a, b); }
int64_t tk_int_mul(int64_t a, int64_t b) { return tauekel::decimal::mulInt(a, b); }

int64_t tk_date_part(int64_t days, int64_t part) {
  using tauekel::ir::scalar::Datum;
  return tauekel::ir::scalar::unary(tauekel::ir::Op::DatePart, tauekel::ir::Type::Int, tauekel::ir::Type::Date,
                                    Datum::of(days), part)
      .i;
}

int64_t tk_find_int(const void* lookup, int64_t key) { return static_cast<const DataLookup*>(lookup)->findInt(key); }

int64_t tk_find_str(const void* lookup, const void* pool, int64_t id, const void* text) {
  return static_cast<const DataLookup*>(lookup)->findString(textOf(pool, id, text));
}

int64_t tk_find_pair(const void* lookup, int64_t first, int64_t second) {
  return static_cast<const DataLookup*>(lookup)->findPair(first, second);
}
int64_t tk_value_int(const void* lookup, int64_t row) { return static_cast<const DataLookup*>(lookup)->value(row).i; }

int64_t tk_str_len(const void* pool, int64_t id, const void* text) {
  return static_cast<int64_t>(tauekel::utf8::countCodePoints(textOf(pool, id, text)));
}

int64_t tk_str_cmp(const void* pool, int64_t a, const void* at, int64_t b, const void* bt) {
  int c = textOf(pool, a, at).compare(textOf(pool, b, bt));
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

int64_t tk_str_test(int64_t op, const void* pool, int64_t a, const void* at, int64_t b, const void* bt) {
  std::string_view x = textOf(pool, a, at), y = textOf(pool, b, bt);
  switch (op) {
    case 0: return x.substr(0, y.size()) == y;
    case 1: return x.size() >= y.size() && x.substr(x.size() - y.size()) == y;
    default: return contains(x, y);
  }
}

const void* tk_pool_offsets(const void* pool) { return static_cast<const StringPool*>(pool)->offsetData(); }
const void* tk_pool_bytes(const void* pool) { return static_cast<const StringPool*>(pool)->byteData(); }

int64_t tk_str_test_memo(void* memo, int64_t op, const void* pool, int64_t a, const void* bt) {
  if (a < 0) return tk_str_test(op, pool, a, nullptr, 0, bt);
  auto& m = *static_cast<tauekel::runtime::jit::StringTestMemo*>(memo);
  auto id = static_cast<size_t>(a);
  if (id >= m.known.size()) m.known.resize(std::max(id + 1, static_cast<const StringPool*>(pool)->size()), 0);
  if (uint8_t k = m.known[id]) return k - 1;
  int64_t r = tk_str_test(op, pool, a, nullptr, 0, bt);
  m.known[id] = static_cast<uint8_t>(r + 1);
  return r;
}

}  // extern "C"
