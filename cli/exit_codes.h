#pragma once
// The CLI's exit codes: part of its interface, scripts depend on them.

namespace tauekel::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitProfileErrors = 1;  // errors in the profiles (or warnings with --deny-warnings)
inline constexpr int kExitUsage = 2;          // bad arguments; inputs that are missing, unreadable or of the wrong shape
inline constexpr int kExitBadData = 3;        // input records rejected (declarations or persons)
inline constexpr int kExitOutput = 4;         // results could not be written (full disk, closed pipe)
inline constexpr int kExitNotFound = 5;       // `explain`: the declaration asked for is not in the input
inline constexpr int kExitNotApproved = 6;    // `verify`: profiles marked approved lack a valid signed approval
inline constexpr int kExitUncovered = 7;      // `coverage`: recommended risk areas without a profile in force
inline constexpr int kExitAltered = 8;        // `audit verify`: the log's chain is broken (records named)
// Stopped by a signal: 128 + its number, as shells report it (130 SIGINT, 143 SIGTERM).
inline constexpr int kExitSignalBase = 128;

}  // namespace tauekel::cli
