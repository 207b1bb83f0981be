#include "runtime/jit/object_store.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "support/fnv.h"

namespace tauekel::runtime::jit {

namespace {

constexpr std::string_view kMagic = "TAUEKEL KERNEL 1\n";
constexpr uint64_t kMaxEntryBytes = uint64_t{256} << 20;

void appendNumber(std::string& out, uint64_t n) { out.append(reinterpret_cast<const char*>(&n), sizeof n); }

bool readNumber(std::string_view& in, uint64_t& n) {
  if (in.size() < sizeof n) return false;
  std::memcpy(&n, in.data(), sizeof n);
  in.remove_prefix(sizeof n);
  return true;
}

bool writeAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

}  // namespace

std::string KernelObjectStore::defaultDirectory() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) return std::string(xdg) + "/tauekel/kernels";
  if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.cache/tauekel/kernels";
  return "";
}

std::string KernelObjectStore::pathOf(const std::string& key) const {
  return fmt::format("{}/{:016x}.kernel", directory_, fnv::hash(key));
}

std::optional<std::string> KernelObjectStore::load(const std::string& key) const {
  std::string path = pathOf(key);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return std::nullopt;
  struct stat st {};
  std::string text;
  bool readable = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && static_cast<uint64_t>(st.st_size) <= kMaxEntryBytes;
  if (readable) {
    text.resize(static_cast<size_t>(st.st_size));
    size_t done = 0;
    while (done < text.size()) {
      ssize_t n = ::read(fd, text.data() + done, text.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      done += static_cast<size_t>(n);
    }
    readable = done == text.size();
  }
  ::close(fd);
  if (!readable) return std::nullopt;

  // magic, key length, key, object length, object checksum, object
  std::string_view in = text;
  uint64_t key_length = 0, object_length = 0, checksum = 0;
  bool whole = in.substr(0, kMagic.size()) == kMagic;
  if (whole) in.remove_prefix(kMagic.size());
  whole = whole && readNumber(in, key_length) && key_length <= in.size() && in.substr(0, key_length) == key;
  if (whole) in.remove_prefix(key_length);
  whole = whole && readNumber(in, object_length) && readNumber(in, checksum) && object_length == in.size() &&
          fnv::hash(in) == checksum;
  if (!whole) {
    // Damaged, truncated, or another key under the same hash: compiled again and
    // rewritten by the caller.
    ::unlink(path.c_str());
    return std::nullopt;
  }
  return std::string(in);
}

Expected<bool> KernelObjectStore::store(const std::string& key, std::string_view object) const {
  std::error_code ec;
  std::filesystem::create_directories(directory_, ec);
  if (ec) return Error{fmt::format("cannot make the kernel cache folder {}: {}", directory_, ec.message())};
  std::string entry(kMagic);
  appendNumber(entry, key.size());
  entry += key;
  appendNumber(entry, object.size());
  appendNumber(entry, fnv::hash(object));
  entry += object;

  std::string path = pathOf(key);
  static std::atomic<unsigned> counter{0};
  std::string temporary = fmt::format("{}.{}.{}.tmp", path, ::getpid(), counter++);
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0) return Error{fmt::format("cannot write to the kernel cache {}: {}", directory_, std::strerror(errno))};
  bool written = writeAll(fd, entry);
  int saved = errno;
  written = ::close(fd) == 0 && written;
  if (!written || ::rename(temporary.c_str(), path.c_str()) != 0) {
    if (written) saved = errno;
    ::unlink(temporary.c_str());
    return Error{fmt::format("cannot write to the kernel cache {}: {}", directory_, std::strerror(saved))};
  }
  return true;
}

}  // namespace tauekel::runtime::jit
