#pragma once
// SIGINT, SIGTERM and SIGHUP stop the CLI cleanly: temporary files are removed (an
// output file being written is dropped, so the target stays as it was), a message
// says so, and the exit code is 128 + the signal's number. SIGPIPE is ignored, so a
// closed pipe is a write error we report instead of a silent death.

#include <string>

namespace tauekel::cli {

void installSignalHandlers();
// What the handler prints after "tauekel: stopped by SIGxxx; ".
void setInterruptNote(const std::string& note);

// Standard streams the process started with closed are opened on /dev/null, so no file
// opened later takes their descriptor (and receives our messages or results); a closed
// standard output is noted so that writing results there is an error.
void guardStandardStreams();

}  // namespace tauekel::cli
