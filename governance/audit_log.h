#pragma once
// The audit log: one JSON line per screening event (a run, a server's start or reload,
// a worker's start), appended, each chained to the one before by hash:
//
//   {"seq":7,"time":"2026-12-03T19:40:00Z","operator":"analyst1","event":"run",
//    "version":"…","inputs":{…},"counts":{…},"prev":"<hash of record 6>","hash":"<hash of this line>"}
//
// "hash" is the SHA-256 of the line's bytes before `,"hash":`; "prev" is the previous
// record's hash ("" for the first), "seq" counts from 1. So an edited record no longer
// matches its hash, a removed one breaks the next one's "prev" and "seq", an inserted one
// breaks its own or the next one's. A log cut at its end still verifies: keep the last
// hash elsewhere (`audit verify` prints it) and give it back with --expect-head.
//
// Appending takes an exclusive lock on the file, so processes sharing one log keep one
// chain; each record is written with one write() and synced.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "support/expected.h"

namespace tauekel::governance {

struct AuditEvent {
  std::string event;     // run, serve-start, serve-reload, worker-start
  std::string operator_;  // who: --operator, else $TAUEKEL_OPERATOR, else the login name
  std::string version;   // the profile set's version
  std::string outcome;   // "completed", or why not
  std::vector<std::pair<std::string, std::string>> inputs;    // what -> "sha256:…" (or why not hashed)
  std::vector<std::pair<std::string, uint64_t>> counts;       // declarations, selected, green, …
  std::vector<std::string> notes;                            // production refusals, say
};

class AuditLog {
 public:
  // Opens (or creates) the log for appending; fails when it cannot be written, so that
  // nothing is screened unrecorded.
  static Expected<AuditLog> open(const std::string& path);
  AuditLog(AuditLog&& other) noexcept;
  AuditLog& operator=(AuditLog&& other) noexcept;
  ~AuditLog();
  // Appends the event as the next record of the chain.
  Expected<bool> append(const AuditEvent& event);
  const std::string& path() const { return path_; }

 private:
  AuditLog(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  std::string path_;
  int fd_ = -1;
};

// Who is screening: `given` if set, else $TAUEKEL_OPERATOR, else the login name.
std::string operatorName(const std::string& given);

// "sha256:<hex>" of a file's bytes, or why it cannot be hashed.
std::string fileHash(const std::string& path);
// One hash for a set of files: over each one's name and hash, in name order.
std::string filesHash(std::vector<std::string> paths);

struct AuditProblem {
  uint64_t line = 0;
  std::string what;
};
struct AuditVerification {
  uint64_t records = 0;
  std::string head;  // the last record's hash
  std::vector<AuditProblem> problems;
};
Expected<AuditVerification> verifyAuditLog(const std::string& path);

}  // namespace tauekel::governance
