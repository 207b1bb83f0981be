// The reference engine: each declaration through each profile's conjuncts, row by row
// with the row interpreter. Slow and obviously right: the differential tests check the
// vectorised engine against it.

#include "runtime/exec/engine.h"
#include "runtime/interp/row_interpreter.h"

namespace tauekel::runtime {

namespace {

class ReferenceEngine : public Engine {
 public:
  explicit ReferenceEngine(const EngineContext& context) : context_(context), interp_(context_) {}

  void screen(const Batch& batch, Selections& out) override {
    out.clear();
    const auto& profiles = context_.program->profiles;
    for (uint32_t d = 0; d < batch.decl_count; ++d) {
      RowInterpreter::Row row;
      row.batch = &batch;
      row.decl = d;
      for (uint32_t p = 0; p < profiles.size(); ++p) {
        const auto& plan = profiles[p];
        bool selected = true;
        for (ir::NodeId c : plan.conjuncts) {
          if (!interp_.isTrue(c, row)) {
            selected = false;
            break;
          }
        }
        if (!selected) continue;
        Selections::Hit hit{d, p, static_cast<uint32_t>(out.items.size()), 0, static_cast<uint32_t>(out.measure_flags.size())};
        for (uint32_t i = batch.item_begin[d]; i < batch.item_begin[d + 1]; ++i) {
          RowInterpreter::Row item_row = row;
          item_row.item = i;
          for (ir::NodeId t : plan.triggers) {
            if (interp_.isTrue(context_.program->node(t).args[0], item_row)) {
              out.items.push_back(i);
              break;
            }
          }
        }
        hit.items_end = static_cast<uint32_t>(out.items.size());
        for (const auto& m : plan.measures)
          out.measure_flags.push_back(m.condition == ir::kNoNode || interp_.isTrue(m.condition, row));
        for (const auto& band : plan.level_bands) out.measure_flags.push_back(interp_.isTrue(band.second, row));
        out.hits.push_back(hit);
      }
      for (const auto& score : context_.program->scores)
        for (ir::NodeId term : score.terms) {
          auto value = interp_.eval(term, row);
          out.score_terms.push_back(value.valid ? value.i : 0);
        }
    }
  }

 private:
  EngineContext context_;
  RowInterpreter interp_;
};

}  // namespace

std::unique_ptr<Engine> makeReferenceEngine(const EngineContext& context) {
  return std::make_unique<ReferenceEngine>(context);
}

}  // namespace tauekel::runtime
