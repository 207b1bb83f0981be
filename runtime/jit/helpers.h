#pragma once
// Functions generated kernels call for what is not worth inlining: exact decimal
// products and quotients (128-bit), calendar parts, reference-data lookups and text.
// Text operands come as (pool, id, text): a constant passes its text, a column value
// its id in the batch's pool.

#include <cstdint>
#include <vector>

namespace tauekel::runtime::jit {
// A text test with a constant pattern, remembered per dictionary entry of the batch's
// pool: a description repeated on many rows is searched once. One per kernel and test.
struct StringTestMemo {
  uint64_t epoch = 0;          // the pool's, when `known` was started
  std::vector<uint8_t> known;  // by string id: 0 not yet tested, 1 false, 2 true
};
}  // namespace tauekel::runtime::jit

extern "C" {
int64_t tk_dec_mul(int64_t a, int64_t b);
int64_t tk_dec_div(int64_t a, int64_t b);  // b != 0
int64_t tk_int_mul(int64_t a, int64_t b);
int64_t tk_date_part(int64_t days, int64_t part);
int64_t tk_find_int(const void* lookup, int64_t key);
int64_t tk_find_pair(const void* lookup, int64_t first, int64_t second);
int64_t tk_find_str(const void* lookup, const void* pool, int64_t id, const void* text);
int64_t tk_value_int(const void* lookup, int64_t row);
int64_t tk_str_len(const void* pool, int64_t id, const void* text);
int64_t tk_str_cmp(const void* pool, int64_t a, const void* at, int64_t b, const void* bt);
// op: 0 starts_with, 1 ends_with, 2 contains
int64_t tk_str_test(int64_t op, const void* pool, int64_t a, const void* at, int64_t b, const void* bt);
// The same for a pooled text `a` and a constant pattern `bt`, through a StringTestMemo.
int64_t tk_str_test_memo(void* memo, int64_t op, const void* pool, int64_t a, const void* bt);
// Where the pool keeps its texts (StringPool::offsetData and byteData), for prefetching.
const void* tk_pool_offsets(const void* pool);
const void* tk_pool_bytes(const void* pool);
}
