#pragma once
// Expected<T> and Error are part of the public interface (a user of the library gets
// them back from every call that can fail); the engine's code uses the same ones.
#include "tauekel/expected.h"
