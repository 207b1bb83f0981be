#pragma once
// Where results are written: standard output, or a file that is replaced only when the
// whole result is there. A file is written under no name at all (O_TMPFILE) in the
// target's folder and given the target's name by commit(); a run that fails, is
// interrupted or killed leaves the target as it was and nothing behind. Every write is
// checked: a full disk or a closed pipe is an error, never a silently short file.

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "support/expected.h"

namespace tauekel::io {

// The path that names standard output.
inline constexpr const char* kStdout = "-";

// A file's identity (device and inode): equal for two paths that name the same file by
// any route (a relative path, a symbolic link, a hard link).
struct FileIdentity {
  dev_t device = 0;
  ino_t inode = 0;
  bool operator==(const FileIdentity&) const = default;
};
// The identity of an existing file, following symbolic links.
std::optional<FileIdentity> identityOf(const std::string& path);

// An error when writing to `path` ("-" or "": standard output) would overwrite one of
// `inputs`: by path, relative path, symbolic link or hard link.
Expected<bool> refuseInput(const std::string& path, const std::vector<std::string>& inputs);

class OutputFile {
 public:
  // Opens `path` ("-" or "": standard output) for writing. Refused, before anything is
  // created, when it names one of `inputs` (paths of files the run reads) or a
  // directory. An existing target that is not a regular file (a terminal, /dev/null, a
  // pipe) is written in place: there is nothing to replace atomically.
  static Expected<std::unique_ptr<OutputFile>> open(const std::string& path, const std::vector<std::string>& inputs = {});
  ~OutputFile();  // without commit(): the new file is dropped, the target left as it was
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  // Writes all of `bytes`, or returns the error (and every later write fails too).
  Expected<bool> write(std::string_view bytes);
  // Makes the result durable and visible under the target's name.
  Expected<bool> commit();
  // The name for messages: the path, or "standard output".
  const std::string& name() const { return name_; }
  bool isStdout() const { return fd_ == 1 && !owned_; }

 private:
  OutputFile() = default;
  Error failure(const char* what, int error);
  Expected<bool> fail(const char* what, int error);  // remembers the failure

  std::string name_;       // as the user wrote it
  std::string target_;     // the file to replace (symbolic links resolved)
  std::string temporary_;  // named temporary file, when O_TMPFILE is not supported
  int fd_ = -1;
  bool owned_ = false;     // we opened fd_ (and close it)
  bool anonymous_ = false; // fd_ is an O_TMPFILE file, linked at commit
  bool in_place_ = false;  // a device or pipe written directly
  bool committed_ = false;
  int slot_ = -1;          // where temporary_ is published for signal handlers
  std::optional<Error> failed_;
};

// Standard output when the process started with it closed. Writing results there is
// an error (they would be lost); the CLI notes it before anything opens a file, which
// would otherwise take descriptor 1.
void noteStdoutClosed();
bool stdoutWasClosed();

// Named temporary files that a signal handler must remove before the process exits.
// Async-signal-safe: the handler only reads fixed buffers and calls unlink().
void removePendingTemporaries();

}  // namespace tauekel::io
