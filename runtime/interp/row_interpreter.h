#pragma once
// Evaluates IR nodes one row at a time with the scalar semantics (compiler/ir/scalar.h).
// Deliberately simple: it is the oracle the vectorised engine is tested against.

#include "runtime/exec/engine.h"

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

  ir::scalar::Datum eval(ir::NodeId node, const Row& row) const;
  bool isTrue(ir::NodeId node, const Row& row) const {
    auto d = eval(node, row);
    return d.valid && d.i != 0;
  }

  // Applies the category rules to every registered person.
  static void computeCategories(PersonRegister& persons, const ir::Program& program, const ReferenceData& data);

 private:
  ir::scalar::Datum column(const Column& c, size_t row, const StringPool& strings) const;
  const EngineContext& ctx_;
};

}  // namespace tauekel::runtime
