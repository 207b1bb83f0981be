#pragma once
// Approvals, kept beside the profiles: `approvals/<profile id>.approvals` in the
// repository's root (the folder holding tauekel.project), one JSON object per line,
// appended to, never rewritten in place, and reviewed in version control like the
// profiles. A line approves or revokes one meaning of one profile
// (governance/meaning.h), signed by the approver's key:
//
//   {"action":"approve","profile":"KZ-VAL-001","meaning":"sha256:…","parts":{"condition":"…",…},
//    "approver":"A. Seitkali","key":"Mb3Z…","time":"2026-12-03T19:40:00Z","signature":"…"}
//
// The signature covers the action, profile, meaning, approver, key and time; the parts
// are checked against the meaning, so they cannot be edited either.

#include <optional>
#include <string>
#include <vector>

#include "compiler/frontend.h"
#include "governance/digest.h"
#include "governance/keys.h"
#include "governance/meaning.h"

namespace tauekel::governance {

struct ApprovalRecord {
  std::string action;  // "approve" or "revoke"
  std::string profile;
  std::string meaning;
  std::vector<MeaningPart> parts;
  std::string approver;
  std::string key;     // base64 public key
  std::string time;    // UTC, ISO 8601
  std::string signature;
  size_t line = 0;     // in its file, from 1
};

// The folder approvals live in: `approvals` in the repository's root (beside
// tauekel.project), else in the folder named (or the first profile file's folder).
std::string approvalsFolder(const Compilation& compilation, const std::string& profiles_path);
// The file of one profile's approvals. Characters a file name cannot safely hold (a
// slash, a leading dot, controls, anything outside [A-Za-z0-9._-]) are written %XX, so
// no profile id reaches outside the folder.
std::string approvalsFile(const std::string& folder, const std::string& profile);

// What the signature covers.
std::string signedText(const ApprovalRecord& record);

struct ApprovalFile {
  std::vector<ApprovalRecord> records;
  std::vector<std::string> problems;  // "FILE:LINE: why", for lines that cannot be read
  bool exists = false;
};
ApprovalFile readApprovals(const std::string& path);
// The same from text already read; `name` is what messages call it.
ApprovalFile parseApprovals(const std::string& text, const std::string& name);

// Signs `record` (its signature, key and approver from `key`) and appends it as a line:
// the file is written whole to a temporary name and renamed, so it is never half written.
Expected<ApprovalRecord> appendApproval(const std::string& path, ApprovalRecord record, const SecretKey& key);

// Where a profile stands.
struct ApprovalStatus {
  enum class State { Approved, NotApproved, Voided, Revoked, Untrusted, Broken };
  std::string profile;
  State state = State::NotApproved;
  std::string approver;  // Approved, Revoked, Voided: who
  std::string time;      // when
  std::string reason;    // what a person reads: why it is not approved
  std::vector<std::string> changes;  // Voided: what changed since the approval
};
const char* name(ApprovalStatus::State state);

// The status of every profile of the program, in its order. `trusted`: the keys
// production accepts; null: any key whose signature verifies (for `verify` without a
// trusted list). Every approvals file read is added to `files_read`.
// `packaged`: the approvals a package carries (by profile id), read in place of the folder.
std::vector<ApprovalStatus> approvalStatus(const sema::Program& program, const std::string& folder,
                                           const TrustedKeys* trusted, std::vector<std::string>* files_read = nullptr,
                                           const std::map<std::string, std::string>* packaged = nullptr);
// The same for a compilation: from its package's approvals when it was read from one,
// else from `folder`.
std::vector<ApprovalStatus> approvalStatus(const Compilation& compilation, const std::string& folder,
                                           const TrustedKeys* trusted, std::vector<std::string>* files_read = nullptr);

}  // namespace tauekel::governance
