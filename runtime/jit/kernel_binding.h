#pragma once
// What a compiled kernel reads, apart from its code. Kernels that differ only in their
// constants and in which columns they read have the same *shape* and share one compiled
// function: constants are lifted into a parameter table and columns into slots, both
// filled per batch. This keeps the number of functions LLVM compiles small: thousands
// of profiles written from a few patterns compile a few dozen functions.

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "compiler/ir/ir.h"
#include "runtime/jit/helpers.h"
#include "runtime/exec/engine.h"
#include "runtime/exec/kernel.h"
#include "runtime/exec/plan.h"

namespace tauekel::runtime::jit {

enum class SlotKind : uint8_t { DeclColumn, ItemColumn, Root, PersonColumn, Category, Data, DataDirect, Pool, Memo };

struct Slot {
  SlotKind kind;
  int index = 0;  // column, root, data set, or memo
};

struct Param {
  enum Kind { Value, StringId, TextPointer } kind = Value;
  int64_t value = 0;
  std::string text;  // StringId: resolved to the batch's dictionary id (-1: not in the batch);
                     // TextPointer: passed as a pointer to this string, for text functions
};

// The C ABI between the engine and generated code.
struct KernelArgs {
  const void* const* slots;     // two entries per slot: data, validity (or null)
  const int64_t* params;
  const uint32_t* item_decl;
};
using FilterFn = uint32_t (*)(const KernelArgs*, const uint32_t* sel, uint32_t n, uint32_t* out);
using ValueFn = void (*)(const KernelArgs*, const uint32_t* sel, uint32_t n, int64_t* values, uint8_t* valid);

struct Binding {
  std::vector<Slot> slots;
  std::vector<Param> params;
  std::unordered_map<ir::NodeId, int> slot_of;   // Column, root aggregates, PersonField, Lookup/InData...
  std::unordered_map<ir::NodeId, int> param_of;  // Const (its value, or a string's id)
  std::unordered_map<ir::NodeId, int> text_of;   // string Const: a pointer to its text
  // Hs `in [...]`: the first of its constants' params (code / 10^(10 - digits)), one per
  // argument in order: by position, since the same constant may be listed twice.
  std::unordered_map<ir::NodeId, int> prefix_of;
  std::unordered_map<ir::NodeId, int> memo_of;   // text test of a pooled text by a constant
  std::unordered_map<ir::NodeId, int> direct_of; // InData/Lookup by array: DataLookup::directDigits
  int memos = 0;                                 // StringTestMemo objects the kernel keeps
  int pool_slot = -1;                            // the batch's string pool, when strings need it
  // A pooled text column (read at the kernel's own rows) that the kernel tests against a
  // constant: its texts are prefetched a few rows ahead, as each is a cache miss.
  ir::NodeId prefetch_text = ir::kNoNode;
  int category_slot = -1;                        // person categories
  int unregistered_param = -1;                   // category of a person not in the register
  std::vector<int> string_params;                // params resolved per batch (StringId), by initParams
  std::string shape;
  size_t size = 0;                               // nodes and parameters: what the code grows with
  bool supported = true;                         // false: the tree walker runs it
  std::string unsupported_reason;
};

// A kernel larger than `max_size` (Binding::size) is left to the tree walker.
Binding bind(const KernelSpec& spec, const ir::Program& program, const Plan& plan, size_t max_size = SIZE_MAX);

// Fills the parameters that stay the same from batch to batch, once; notes the others.
void initParams(Binding& binding, std::vector<int64_t>& params);
// Fills the slot pointers and the batch-dependent parameters (string ids) for one batch;
// `memos` (binding.memos of them, the kernel's own) are restarted for a new dictionary.
void fillArgs(const Binding& binding, const BatchContext& ctx, const EngineContext& engine,
              std::vector<const void*>& slots, std::vector<int64_t>& params, StringTestMemo* memos);

}  // namespace tauekel::runtime::jit
