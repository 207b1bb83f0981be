#pragma once
// Explains decisions: for each profile that selected a declaration, what of its
// condition held and with which values. Independent of the engine that screened: the
// explanation is computed from the checked condition, each part evaluated by the
// reference interpreter on the part's own lowered node, so every engine gets the same
// explanation for the same decision.
//
// ExplanationModel is made once per screener (it lowers the program again, keeping which
// node each checked expression became) and shared; an Explainer holds one thread's
// scratch over it.

#include <memory>
#include <unordered_map>
#include <vector>

#include "engine/explanation.h"
#include "engine/screener.h"
#include "runtime/interp/row_interpreter.h"

namespace tauekel::engine {

class ExplanationModel {
 public:
  explicit ExplanationModel(const Screener& screener);
  ExplanationModel(const ExplanationModel&) = delete;
  ExplanationModel& operator=(const ExplanationModel&) = delete;

 private:
  friend class Explainer;
  const Screener& screener_;
  ir::Program ir_;
  runtime::EngineContext context_;
  std::unordered_map<std::string, const sema::Profile*> profiles_;
  std::unordered_map<const sema::DataSet*, int64_t> data_index_;
};

class Explainer {
 public:
  explicit Explainer(const ExplanationModel& model) : model_(model), interp_(model.context_) {}

  // One explanation per profile of `decision`, in its order. `decision` must be the
  // screener's decision for declaration row `row` of `batch`.
  std::vector<ProfileExplanation> explain(const runtime::Batch& batch, uint32_t row, const Decision& decision);
  // The category of register row `person` (-1: not in the register) and why.
  CategoryExplanation category(int64_t person);
  // The same for each person the declaration at `row` names.
  std::vector<CategoryExplanation> persons(const runtime::Batch& batch, uint32_t row);

 private:
  struct Where {
    ir::Domain domain = ir::Domain::Decl;
    ir::NodeId person = ir::kNoNode;
    std::string person_name = "person";  // how the person read through is written
  };
  using Row = runtime::RowInterpreter::Row;

  ir::scalar::Datum value(const sema::Expr& e, const Where& where, const Row& row);
  bool holds(const sema::Expr& e, const Where& where, const Row& row);
  // Appends to `out` why `e`, which holds, holds; `depth` bounds the nesting shown.
  void because(const sema::Expr& e, const Where& where, const Row& row, int depth, std::vector<Reason>& out);
  Reason condition(const sema::Expr& e, const Where& where, const Row& row);
  std::string show(const ir::Node& node, const ir::scalar::Datum& d) const;
  std::string print(const sema::Expr& e, const Where& where) const;

  const ExplanationModel& model_;
  runtime::RowInterpreter interp_;
};

}  // namespace tauekel::engine
