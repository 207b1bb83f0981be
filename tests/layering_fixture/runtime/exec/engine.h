#pragma once
// Allowed: exec is above interp.
#include "runtime/interp/row_interpreter.h"
