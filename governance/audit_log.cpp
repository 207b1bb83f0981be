#include "governance/audit_log.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <pwd.h>
#include <sodium.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "governance/digest.h"
#include "support/json.h"

namespace tauekel::governance {

namespace {

constexpr std::string_view kHashMark = ",\"hash\":\"";

// The record's line without its hash, and the hash it claims; false when the line does
// not end as a record does.
bool splitRecord(const std::string& line, std::string_view& body, std::string_view& hash) {
  size_t at = line.rfind(kHashMark);
  if (at == std::string::npos || line.size() != at + kHashMark.size() + 64 + 2 || line.substr(line.size() - 2) != "\"}")
    return false;
  body = std::string_view(line).substr(0, at);
  hash = std::string_view(line).substr(at + kHashMark.size(), 64);
  return true;
}

// The last line of the open file (empty when none), read from its end.
Expected<std::string> lastLine(int fd) {
  struct stat st{};
  if (fstat(fd, &st) != 0) return Error{std::strerror(errno)};
  off_t size = st.st_size;
  std::string tail;
  off_t chunk = 1 << 16;
  while (true) {
    off_t from = size > chunk ? size - chunk : 0;
    tail.assign(static_cast<size_t>(size - from), '\0');
    if (pread(fd, tail.data(), tail.size(), from) != static_cast<ssize_t>(tail.size())) return Error{std::strerror(errno)};
    while (!tail.empty() && tail.back() == '\n') tail.pop_back();
    size_t nl = tail.rfind('\n');
    if (nl != std::string::npos) return tail.substr(nl + 1);
    if (from == 0) return tail;
    chunk *= 4;
  }
}

}  // namespace

std::string operatorName(const std::string& given) {
  if (!given.empty()) return given;
  if (const char* env = std::getenv("TAUEKEL_OPERATOR"); env && *env) return env;
  if (const passwd* pw = getpwuid(getuid()); pw && pw->pw_name) return pw->pw_name;
  return fmt::format("uid {}", getuid());
}

std::string fileHash(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fmt::format("not hashed: {}", std::strerror(errno));
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  std::vector<char> buffer(1 << 20);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(buffer.data()),
                              static_cast<unsigned long long>(in.gcount()));
  }
  if (in.bad()) return "not hashed: a read failed";
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&state, digest);
  return "sha256:" + hexOf(digest, sizeof digest);
}

std::string filesHash(std::vector<std::string> paths) {
  std::sort(paths.begin(), paths.end());
  std::string all;
  for (const auto& p : paths) all += std::to_string(p.size()) + ":" + p + "=" + fileHash(p) + "\n";
  return "sha256:" + sha256Hex(all);
}

Expected<AuditLog> AuditLog::open(const std::string& path) {
  if (sodium_init() < 0) return Error{"libsodium could not be initialised"};
  int fd = ::open(path.c_str(), O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
  if (fd < 0) return Error{fmt::format("cannot open the audit log {}: {}", path, std::strerror(errno))};
  struct stat st{};
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return Error{fmt::format("the audit log {} is not a regular file", path)};
  }
  // A log that does not end with a record cannot be continued: found now, before screening.
  auto last = lastLine(fd);
  std::string_view body, hash;
  if (!last || (!last->empty() && !splitRecord(*last, body, hash))) {
    ::close(fd);
    return Error{fmt::format("the audit log {} does not end with a record; nothing is appended to it (`tauekel audit "
                             "verify {}` tells more)",
                             path, path)};
  }
  return AuditLog(path, fd);
}

AuditLog::AuditLog(AuditLog&& other) noexcept : path_(std::move(other.path_)), fd_(other.fd_) { other.fd_ = -1; }

AuditLog& AuditLog::operator=(AuditLog&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    path_ = std::move(other.path_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

AuditLog::~AuditLog() {
  if (fd_ >= 0) ::close(fd_);
}

Expected<bool> AuditLog::append(const AuditEvent& event) {
  // One writer at a time across processes: the chain reads the last record.
  if (flock(fd_, LOCK_EX) != 0) return Error{fmt::format("cannot lock the audit log {}: {}", path_, std::strerror(errno))};
  struct Unlock {
    int fd;
    ~Unlock() { flock(fd, LOCK_UN); }
  } unlock{fd_};
  auto last = lastLine(fd_);
  if (!last) return Error{fmt::format("cannot read the audit log {}: {}", path_, last.error().message)};
  uint64_t seq = 1;
  std::string prev;
  if (!last->empty()) {
    std::string_view body, hash;
    auto parsed = json::parse(*last);
    const json::Value* s = parsed ? parsed->find("seq") : nullptr;
    if (!splitRecord(*last, body, hash) || !s || !s->isNumber())
      return Error{fmt::format("the audit log {} does not end with a record (`tauekel audit verify` tells more); "
                               "nothing is appended to it",
                               path_)};
    seq = static_cast<uint64_t>(s->asNumber()) + 1;
    prev = std::string(hash);
  }
  std::string line;
  json::Writer w(line);
  w.beginObject().key("seq").value(seq).key("time").value(utcNow()).key("operator").value(event.operator_);
  w.key("event").value(event.event).key("version").value(event.version).key("outcome").value(event.outcome);
  w.key("inputs").beginObject();
  for (const auto& [name, hash] : event.inputs) w.key(name).value(hash);
  w.endObject().key("counts").beginObject();
  for (const auto& [name, n] : event.counts) w.key(name).value(n);
  w.endObject().key("notes").beginArray();
  for (const auto& n : event.notes) w.value(n);
  w.endArray().key("prev").value(prev);
  std::string hash = sha256Hex(line);  // the object is still open: the hash closes it
  line += std::string(kHashMark) + hash + "\"}\n";
  if (::write(fd_, line.data(), line.size()) != static_cast<ssize_t>(line.size()) || ::fsync(fd_) != 0)
    return Error{fmt::format("cannot write the audit log {}: {}", path_, std::strerror(errno))};
  return true;
}

Expected<AuditVerification> verifyAuditLog(const std::string& path) {
  if (sodium_init() < 0) return Error{"libsodium could not be initialised"};
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{fmt::format("cannot read the audit log {}: {}", path, std::strerror(errno))};
  AuditVerification out;
  std::string line, prev;
  uint64_t expected_seq = 1;
  for (uint64_t number = 1; std::getline(in, line); ++number) {
    std::string_view body, hash;
    if (!splitRecord(line, body, hash)) {
      out.problems.push_back({number, "not a record of the log (cut, or written by hand)"});
      continue;
    }
    ++out.records;
    auto parsed = json::parse(line);
    const json::Value* seq = parsed ? parsed->find("seq") : nullptr;
    const json::Value* claimed_prev = parsed ? parsed->find("prev") : nullptr;
    if (!seq || !seq->isNumber() || !claimed_prev || !claimed_prev->isString()) {
      out.problems.push_back({number, "not a record of the log (its seq or prev is missing)"});
      continue;
    }
    auto n = static_cast<uint64_t>(seq->asNumber());
    if (sha256Hex(body) != hash)
      out.problems.push_back({number, fmt::format("record {} was edited: its content does not match its hash", n)});
    if (claimed_prev->asString() != prev)
      out.problems.push_back(
          {number, n > expected_seq   ? fmt::format("record {} follows record {}: {} record{} removed before it", n,
                                                    expected_seq - 1, n - expected_seq,
                                                    n - expected_seq == 1 ? " was" : "s were")
                   : n < expected_seq ? fmt::format("record {} comes again or out of order after record {}", n,
                                                    expected_seq - 1)
                                      : fmt::format("record {} does not follow the record before it (one was inserted, "
                                                    "removed or edited before it)",
                                                    n)});
    else if (n != expected_seq)
      out.problems.push_back({number, fmt::format("record {} is numbered out of sequence (expected {})", n, expected_seq)});
    prev = std::string(hash);
    expected_seq = n + 1;
  }
  out.head = prev;
  return out;
}

}  // namespace tauekel::governance
