#pragma once
// The CLI's exit codes: part of its interface, scripts depend on them.

namespace tauekel::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitProfileErrors = 1;  // errors in the profiles (or warnings with --deny-warnings)
inline constexpr int kExitUsage = 2;          // bad arguments, unreadable or missing files
inline constexpr int kExitBadData = 3;        // input rows rejected (declarations or persons)

}  // namespace tauekel::cli
