#pragma once
// Recursive stages (parser, checker) run on a thread with a large stack, so the depth
// limits in the front end, not the 8 MB default stack, decide what input is too deep.

#include <cstddef>
#include <functional>

namespace tauekel {

inline constexpr size_t kFrontEndStackBytes = size_t{512} << 20;

// Runs fn on a new thread with a stack of `bytes`, waits for it, and rethrows whatever
// it threw. Only address space is reserved; pages are touched on demand.
void runOnLargeStack(size_t bytes, const std::function<void()>& fn);

}  // namespace tauekel
