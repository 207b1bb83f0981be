#include "support/output_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <limits.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace tauekel::io {

namespace {

bool stdout_closed = false;

// Slots for named temporary files, read by removePendingTemporaries() from a signal
// handler: a slot is filled before it is published and unpublished before it is reused.
constexpr int kSlots = 8;
char slot_path[kSlots][PATH_MAX];
volatile sig_atomic_t slot_used[kSlots];

int publishTemporary(const std::string& path) {
  if (path.size() >= PATH_MAX) return -1;
  for (int i = 0; i < kSlots; ++i) {
    if (slot_used[i]) continue;
    std::memcpy(slot_path[i], path.c_str(), path.size() + 1);
    std::atomic_signal_fence(std::memory_order_seq_cst);
    slot_used[i] = 1;
    return i;
  }
  return -1;
}

void withdrawTemporary(int slot) {
  if (slot >= 0) slot_used[slot] = 0;
}

std::string parentOf(const std::string& path) {
  std::string parent = std::filesystem::path(path).parent_path().string();
  return parent.empty() ? "." : parent;
}

mode_t currentUmask() {
  mode_t mask = ::umask(0);
  ::umask(mask);
  return mask;
}

std::string hiddenSibling(const std::string& target, const char* tag) {
  static std::atomic<unsigned> counter{0};
  std::filesystem::path p(target);
  return (p.parent_path() / fmt::format(".{}.{}-{}-{}", p.filename().string(), tag, ::getpid(), counter++)).string();
}

}  // namespace

std::optional<FileIdentity> identityOf(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return FileIdentity{st.st_dev, st.st_ino};
}

void noteStdoutClosed() { stdout_closed = true; }
bool stdoutWasClosed() { return stdout_closed; }

void removePendingTemporaries() {
  for (int i = 0; i < kSlots; ++i)
    if (slot_used[i]) ::unlink(slot_path[i]);
}

Error OutputFile::failure(const char* what, int error) {
  if (error == EPIPE && isStdout()) return Error{"standard output was closed by the program reading it (broken pipe)"};
  return Error{fmt::format("cannot {} {}: {}", what, name_, std::strerror(error))};
}

Expected<bool> refuseInput(const std::string& path, const std::vector<std::string>& inputs) {
  struct stat st {};
  bool is_stdout = path.empty() || path == kStdout;
  if (is_stdout ? (stdoutWasClosed() || ::fstat(STDOUT_FILENO, &st) != 0 || !S_ISREG(st.st_mode))
                : ::stat(path.c_str(), &st) != 0)
    return true;
  FileIdentity id{st.st_dev, st.st_ino};
  for (const auto& input : inputs) {
    auto other = identityOf(input);
    if (!other || !(*other == id)) continue;
    if (is_stdout)
      return Error{fmt::format("standard output is {}, an input of this run: writing there would change the input "
                               "while it is read",
                               input)};
    std::string route = input == path ? "" : fmt::format(" (the same file as {})", input);
    return Error{fmt::format("--out {} names an input of this run{}: it is left as it is; write the results "
                             "elsewhere",
                             path, route)};
  }
  return true;
}

Expected<std::unique_ptr<OutputFile>> OutputFile::open(const std::string& path, const std::vector<std::string>& inputs) {
  if (auto refused = refuseInput(path, inputs); !refused) return refused.error();
  std::unique_ptr<OutputFile> out(new OutputFile());
  if (path.empty() || path == kStdout) {
    out->name_ = "standard output";
    if (stdoutWasClosed()) return Error{"standard output is closed: name a file for the results with --out"};
    out->fd_ = STDOUT_FILENO;
    return out;
  }

  out->name_ = path;
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return Error{fmt::format("cannot write {}: it is a directory", path)};
    if (!S_ISREG(st.st_mode)) {
      // A device or a pipe: written in place.
      int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
      if (fd < 0) return out->failure("write", errno);
      out->fd_ = fd;
      out->owned_ = true;
      out->in_place_ = true;
      return out;
    }
    char resolved[PATH_MAX];
    if (::realpath(path.c_str(), resolved) == nullptr) return out->failure("write", errno);
    out->target_ = resolved;
  } else if (errno == ENOENT) {
    struct stat link {};
    if (::lstat(path.c_str(), &link) == 0)
      return Error{fmt::format("cannot write {}: it is a symbolic link to a file that does not exist", path)};
    out->target_ = path;
  } else {
    return out->failure("write", errno);
  }

  // Keep the permissions of the file being replaced; a new one gets the usual ones.
  mode_t mode = (::stat(out->target_.c_str(), &st) == 0) ? (st.st_mode & 07777) : 0666;
  std::string dir = parentOf(out->target_);
  if (::access("/proc/self/fd", X_OK) == 0) {
    int fd = ::open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, mode);
    if (fd >= 0) {
      if (mode != 0666) ::fchmod(fd, mode);
      out->fd_ = fd;
      out->owned_ = true;
      out->anonymous_ = true;
      return out;
    }
    if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL) return out->failure("write", errno);
  }
  // No unnamed files here: a hidden temporary name, removed on failure or signal.
  std::string temporary = hiddenSibling(out->target_, "tauekel-partial");
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return out->failure("write", errno);
  ::fchmod(fd, mode == 0666 ? (0666 & ~currentUmask()) : mode);
  out->fd_ = fd;
  out->owned_ = true;
  out->temporary_ = temporary;
  out->slot_ = publishTemporary(temporary);
  return out;
}

OutputFile::~OutputFile() {
  if (owned_) ::close(fd_);
  if (!temporary_.empty() && !committed_) ::unlink(temporary_.c_str());
  withdrawTemporary(slot_);
}

Expected<bool> OutputFile::fail(const char* what, int error) {
  failed_ = failure(what, error);
  return *failed_;
}

Expected<bool> OutputFile::write(std::string_view bytes) {
  if (failed_) return *failed_;
  while (!bytes.empty()) {
    ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("write", errno);
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

Expected<bool> OutputFile::commit() {
  if (failed_) return *failed_;
  if (committed_) return true;
  if (!owned_) {
    committed_ = true;
    return true;
  }
  if (!in_place_ && ::fsync(fd_) != 0) return fail("write", errno);
  if (anonymous_) {
    // Give the unnamed file a hidden name beside the target, then the target's name.
    temporary_ = hiddenSibling(target_, "tauekel-new");
    slot_ = publishTemporary(temporary_);
    std::string proc = fmt::format("/proc/self/fd/{}", fd_);
    if (::linkat(AT_FDCWD, proc.c_str(), AT_FDCWD, temporary_.c_str(), AT_SYMLINK_FOLLOW) != 0) {
      int e = errno;
      temporary_.clear();
      return fail("write", e);
    }
  }
  int closed = ::close(fd_);
  owned_ = false;
  if (closed != 0) return fail("write", errno);
  if (in_place_) {
    committed_ = true;
    return true;
  }
  if (::rename(temporary_.c_str(), target_.c_str()) != 0) return fail("write", errno);
  committed_ = true;
  withdrawTemporary(slot_);
  slot_ = -1;
  // The rename itself is durable once the folder is.
  int dir = ::open(parentOf(target_).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return true;
}

}  // namespace tauekel::io
