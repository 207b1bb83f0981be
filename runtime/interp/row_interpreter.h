#pragma once
// Evaluates IR nodes one row at a time with the scalar semantics (compiler/ir/scalar.h).
// Deliberately simple: it is the oracle the vectorised engine is tested against.
//
// Simple, but safe on any program: the IR is a DAG as deep as an operator chain is long
// (and deeper through indicators), with nodes shared many times over. So each node is
// evaluated at most once per row (its value kept, stamped with the row's epoch), and
// with a work stack instead of recursion. `and`, `or`, `if`, `??` still evaluate only
// the operands they need.

#include <deque>
#include <vector>

#include "runtime/data/engine_context.h"
#include "runtime/vector/batch.h"

namespace tauekel::runtime {

class RowInterpreter {
 public:
  explicit RowInterpreter(const EngineContext& context) : ctx_(context) {}

  // Aggregates already computed for the batch, so they are not recomputed per row.
  class Aggregates {
   public:
    virtual ~Aggregates() = default;
    virtual bool get(ir::NodeId node, uint32_t decl, ir::scalar::Datum& out) const = 0;
  };

  struct Row {
    const Batch* batch = nullptr;
    uint32_t decl = 0;
    int64_t item = -1;    // the goods item, inside a quantifier or item expression
    int64_t person = -1;  // the register row, for Person-domain nodes
    const Aggregates* aggregates = nullptr;
  };

  ir::scalar::Datum eval(ir::NodeId node, const Row& row);
  bool isTrue(ir::NodeId node, const Row& row) {
    auto d = eval(node, row);
    return d.valid && d.i != 0;
  }

  // Applies the category rules to every registered person.
  static void computeCategories(PersonRegister& persons, const ir::Program& program, const ReferenceData& data);

 private:
  struct Frame {
    ir::NodeId id;
    uint32_t next;  // the operand (or input) to look at next
  };
  // Computes `id` and what it needs that this row has not computed yet: recursively
  // while shallow (faster), on an explicit stack below kMaxRecursion levels.
  void ensure(ir::NodeId id, const Row& row, size_t level, int depth);
  static constexpr int kMaxRecursion = 1000;
  // The same on an explicit stack, for `root` and everything below it.
  ir::scalar::Datum run(ir::NodeId root, const Row& row, size_t level);
  // An operand of `f` still to evaluate, or kNoNode when f can be computed.
  ir::NodeId nextNeeded(Frame& f, const Row& row);
  ir::scalar::Datum compute(ir::NodeId id, const Row& row, size_t level);
  ir::scalar::Datum aggregate(ir::NodeId id, const ir::Node& n, const Row& row, size_t level);
  ir::scalar::Datum column(const Column& c, size_t row, const StringPool& strings) const;
  bool known(ir::NodeId id) const { return cells_[id].stamp == epoch_[slot_[id]]; }
  // Known, or a leaf (a constant, a column), computed on the spot rather than stacked.
  bool ready(ir::NodeId id, const Row& row);
  void store(ir::NodeId id, const ir::scalar::Datum& d) { cells_[id] = Cell{d, epoch_[slot_[id]]}; }
  const ir::scalar::Datum& value(ir::NodeId id) const { return cells_[id].value; }
  // The declaration-level nodes the item-level part of `roots` reads: computed before a
  // loop over the items, so the loop never has to recurse into another one.
  const std::vector<ir::NodeId>& declInputs(ir::NodeId aggregate_or_item_root);

  const EngineContext& ctx_;
  // By node: its value, valid while its stamp is the current epoch of its slot.
  struct Cell {
    ir::scalar::Datum value;
    uint64_t stamp = 0;
  };
  std::vector<Cell> cells_;
  // Which epoch a node's value lasts for: a declaration row's, an item's, a person's,
  // or for good (constants).
  enum Slot : uint8_t { kDeclSlot, kItemSlot, kPersonSlot, kConstSlot };
  std::vector<uint8_t> slot_;
  uint64_t epoch_[4] = {0, 0, 0, 1};
  uint64_t epochs_ = 1;
  std::deque<std::vector<Frame>> stacks_;  // one per level (declarations, items): kept in place
  std::vector<std::vector<ir::NodeId>> decl_inputs_;
  std::vector<uint8_t> has_decl_inputs_;
};

}  // namespace tauekel::runtime
