#include "support/input_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace tauekel::io {

namespace {

class FdSource : public ByteSource {
 public:
  FdSource(std::string name, int fd, bool owned, uint64_t size)
      : ByteSource(std::move(name)), fd_(fd), owned_(owned), size_(size) {}
  ~FdSource() override {
    if (owned_) ::close(fd_);
  }
  Expected<size_t> read(char* buffer, size_t n) override {
    while (true) {
      ssize_t got = ::read(fd_, buffer, n);
      if (got >= 0) return static_cast<size_t>(got);
      if (errno == EINTR) continue;
      return Error{fmt::format("cannot read {}: {}", name(), std::strerror(errno))};
    }
  }
  uint64_t sizeHint() const override { return size_; }

 private:
  int fd_;
  bool owned_;
  uint64_t size_;
};

class MemorySource : public ByteSource {
 public:
  MemorySource(std::string name, std::string text) : ByteSource(std::move(name)), text_(std::move(text)) {}
  Expected<size_t> read(char* buffer, size_t n) override {
    size_t k = std::min(n, text_.size() - pos_);
    std::memcpy(buffer, text_.data() + pos_, k);
    pos_ += k;
    return k;
  }
  uint64_t sizeHint() const override { return text_.size(); }

 private:
  std::string text_;
  size_t pos_ = 0;
};

// What a path is, for a refusal: "" when it can be read as a file of records.
std::string refusal(const struct stat& st) {
  if (S_ISDIR(st.st_mode)) return "is a directory";
  if (S_ISFIFO(st.st_mode))
    return "is a named pipe (FIFO), which would wait for a writer; to stream data, pipe it to standard input and "
           "name the file \"-\"";
  if (S_ISSOCK(st.st_mode)) return "is a socket";
  if (S_ISBLK(st.st_mode)) return "is a block device";
  return "";
}

}  // namespace

Expected<std::unique_ptr<ByteSource>> openInput(const std::string& path) {
  if (path == kStdin) {
    struct stat st {};
    if (::fstat(STDIN_FILENO, &st) != 0) return Error{fmt::format("cannot read standard input: {}", std::strerror(errno))};
    if (S_ISDIR(st.st_mode)) return Error{"cannot read standard input: it is a directory"};
    uint64_t size = S_ISREG(st.st_mode) ? static_cast<uint64_t>(st.st_size) : 0;
    return std::unique_ptr<ByteSource>(new FdSource("standard input", STDIN_FILENO, false, size));
  }
  if (path.empty()) return Error{"an empty file name"};
  // Non-blocking, so that opening a named pipe does not wait for a writer before we can
  // see what it is; reads are made blocking again below.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) return Error{fmt::format("cannot open {}: {}", path, std::strerror(errno))};
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    int e = errno;
    ::close(fd);
    return Error{fmt::format("cannot read {}: {}", path, std::strerror(e))};
  }
  if (std::string why = refusal(st); !why.empty()) {
    ::close(fd);
    return Error{fmt::format("cannot read {}: it {}", path, why)};
  }
  int flags = ::fcntl(fd, F_GETFL);
  if (flags >= 0) ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  uint64_t size = S_ISREG(st.st_mode) ? static_cast<uint64_t>(st.st_size) : 0;
  return std::unique_ptr<ByteSource>(new FdSource(path, fd, true, size));
}

std::unique_ptr<ByteSource> memoryInput(std::string name, std::string text) {
  return std::make_unique<MemorySource>(std::move(name), std::move(text));
}

Expected<size_t> readMore(ByteSource& source, std::string& buffer, size_t& size) {
  if (size == buffer.size()) buffer.resize(std::max<size_t>(buffer.size() * 2, 4096));
  auto got = source.read(buffer.data() + size, buffer.size() - size);
  if (got) size += *got;
  return got;
}

Expected<std::string> readWhole(const std::string& path, uint64_t max_bytes) {
  auto opened = openInput(path);
  if (!opened) return opened.error();
  ByteSource& in = **opened;
  if (in.sizeHint() > max_bytes)
    return Error{fmt::format("{} is {}; a file read whole may have at most {}", path, describeBytes(in.sizeHint()),
                             describeBytes(max_bytes))};
  std::string text;
  text.resize(static_cast<size_t>(std::min<uint64_t>(in.sizeHint(), max_bytes)) + 1);
  size_t size = 0;
  while (true) {
    if (size == text.size()) {
      if (size > max_bytes)
        return Error{fmt::format("{} is larger than {}, the most a file read whole may have", path,
                                 describeBytes(max_bytes))};
      text.resize(static_cast<size_t>(std::min<uint64_t>(size * 2 + 4096, max_bytes + 1)));
    }
    auto got = in.read(text.data() + size, text.size() - size);
    if (!got) return got.error();
    if (*got == 0) break;
    size += *got;
  }
  if (size > max_bytes)
    return Error{fmt::format("{} is larger than {}, the most a file read whole may have", path, describeBytes(max_bytes))};
  text.resize(size);
  return text;
}

std::string describeBytes(uint64_t bytes) {
  constexpr uint64_t kKi = 1024, kMi = kKi * 1024, kGi = kMi * 1024;
  if (bytes >= kGi && bytes % kGi == 0) return fmt::format("{} GiB", bytes / kGi);
  if (bytes >= kMi && bytes % kMi == 0) return fmt::format("{} MiB", bytes / kMi);
  if (bytes >= kKi && bytes % kKi == 0) return fmt::format("{} KiB", bytes / kKi);
  return fmt::format("{} bytes", bytes);
}

Expected<uint64_t> parseByteCount(const std::string& text) {
  auto bad = [&] {
    return Error{fmt::format("\"{}\" is not a byte count (digits, optionally followed by K, M or G)", text)};
  };
  if (text.empty()) return bad();
  uint64_t value = 0;
  size_t i = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
    if (value > (UINT64_MAX - 9) / 10) return Error{fmt::format("\"{}\" is too large", text)};
    value = value * 10 + static_cast<uint64_t>(text[i] - '0');
  }
  if (i == 0) return bad();
  uint64_t unit = 1;
  if (i < text.size()) {
    if (i + 1 != text.size()) return bad();
    switch (text[i]) {
      case 'k': case 'K': unit = uint64_t{1} << 10; break;
      case 'm': case 'M': unit = uint64_t{1} << 20; break;
      case 'g': case 'G': unit = uint64_t{1} << 30; break;
      default: return bad();
    }
  }
  if (value > UINT64_MAX / unit) return Error{fmt::format("\"{}\" is too large", text)};
  if (value == 0) return Error{fmt::format("\"{}\": the limit must be at least one byte", text)};
  return value * unit;
}

}  // namespace tauekel::io
