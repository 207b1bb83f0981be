#pragma once
// What an engine reads besides the batch: the program, its reference data and the
// person register. Here, below the engines and the row interpreter, as all of them read it.

#include "compiler/ir/ir.h"
#include "runtime/data/person_register.h"
#include "runtime/data/reference_data.h"

namespace tauekel::runtime {

struct EngineContext {
  const ir::Program* program = nullptr;
  const ReferenceData* data = nullptr;
  const PersonRegister* persons = nullptr;  // may be null: every person unregistered
};

}  // namespace tauekel::runtime
