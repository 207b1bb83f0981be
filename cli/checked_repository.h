#pragma once
// A profile repository compiled for a command that needs it free of errors (approve,
// revoke, verify): the diagnostics printed when it is not.

#include <memory>
#include <string>

#include "compiler/frontend.h"

namespace tauekel::cli {

// Prints a compilation's diagnostics to standard error (colour on a terminal).
void printDiagnostics(const Compilation& compilation);

// The compilation, or null with `exit_code` set (usage, or errors in the profiles) and
// the reason printed, prefixed with `command`.
std::unique_ptr<Compilation> checkedRepository(const std::string& path, const char* command, int& exit_code);

}  // namespace tauekel::cli
