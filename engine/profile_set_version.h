#pragma once
// The version of a profile set as screening sees it: a hash of everything decisions
// depend on (the profiles' sources, the lists and tables, the person register, the
// stage, as-of date and drafts option), so that any decision can name the version
// that made it, and two processes with one version decide alike.

#include <string>

#include "compiler/frontend.h"
#include "compiler/ir/ir.h"
#include "runtime/data/person_register.h"

namespace tauekel::engine {

// 16 lowercase hex digits (64 bits of FNV-1a over a canonical encoding).
std::string profileSetVersion(const Compilation& compilation, const runtime::PersonRegister* persons,
                              const ir::LowerOptions& options);

}  // namespace tauekel::engine
