#pragma once
// Fixture for the layering test: wrong includes it must report (see tests/CMakeLists.txt).

#include <vector>

#include "runtime/exec/engine.h"
#include "runtime/vector/batch.h"
