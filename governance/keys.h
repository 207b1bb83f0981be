#pragma once
// Approvers' keys: Ed25519 (libsodium). A key file holds one approver's name and key
// pair, readable by its owner only; the trusted-keys file lists the public keys whose
// approvals production screening accepts, one per line:
//
//   # risk management department
//   Mb3ZKs8...base64...=  A. Seitkali, head of risk analysis
//
// Keys are written as base64 (the 32 bytes of an Ed25519 public key).

#include <array>
#include <map>
#include <string>

#include "support/expected.h"

namespace tauekel::governance {

struct SecretKey {
  std::string name;        // the approver, as approvals name them
  std::string public_key;  // base64
  std::array<unsigned char, 64> secret{};
};

// Writes a new key pair for `name` to `path` (mode 0600), refusing to replace a file.
Expected<SecretKey> createKey(const std::string& path, const std::string& name);
Expected<SecretKey> readKey(const std::string& path);

// Public key (base64) -> the approver's name as the trusted-keys file gives it.
using TrustedKeys = std::map<std::string, std::string>;
// Errors name the file and line.
Expected<TrustedKeys> readTrustedKeys(const std::string& path);

// Ed25519 over `message`, as base64.
std::string sign(const SecretKey& key, const std::string& message);
bool verifySignature(const std::string& public_key, const std::string& message, const std::string& signature);

}  // namespace tauekel::governance
