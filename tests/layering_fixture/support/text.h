#pragma once
// A support header may include support only.
#include "support/utf8.h"

#include "compiler/ir/ir.h"
