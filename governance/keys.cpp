#include "governance/keys.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include "support/json.h"

namespace tauekel::governance {

namespace {

bool ready() {
  static const bool ok = sodium_init() >= 0;
  return ok;
}

std::string base64(const unsigned char* bytes, size_t n) {
  std::string out(sodium_base64_encoded_len(n, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes, n, sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

// Exactly `n` bytes from base64, or nothing.
bool unbase64(const std::string& text, unsigned char* out, size_t n) {
  size_t len = 0;
  if (sodium_base642bin(out, n, text.data(), text.size(), nullptr, &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0)
    return false;
  return len == n;
}

}  // namespace

Expected<SecretKey> createKey(const std::string& path, const std::string& name) {
  if (!ready()) return Error{"libsodium could not be initialised"};
  if (name.empty() || name.find_first_of("\r\n") != std::string::npos)
    return Error{"--name must be the approver's name, on one line"};
  SecretKey key;
  key.name = name;
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  crypto_sign_keypair(pk, key.secret.data());
  key.public_key = base64(pk, sizeof pk);
  std::string text;
  json::Writer w(text);
  w.beginObject().key("tauekel_key").value(1).key("name").value(name).key("public").value(key.public_key);
  w.key("secret").value(base64(key.secret.data(), key.secret.size())).endObject();
  text.push_back('\n');
  // O_EXCL: an existing key is never replaced; 0600: the secret is its owner's.
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    return Error{errno == EEXIST ? fmt::format("{} exists; a key is never overwritten (choose another file)", path)
                                 : fmt::format("cannot create {}: {}", path, std::strerror(errno))};
  bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  bool synced = ::fsync(fd) == 0;
  ::close(fd);
  sodium_memzero(text.data(), text.size());
  if (!written || !synced) {
    ::unlink(path.c_str());
    return Error{fmt::format("cannot write {}: {}", path, std::strerror(errno))};
  }
  return key;
}

Expected<SecretKey> readKey(const std::string& path) {
  if (!ready()) return Error{"libsodium could not be initialised"};
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{fmt::format("cannot read the key file {}: {}", path, std::strerror(errno))};
  std::ostringstream s;
  s << in.rdbuf();
  std::string text = s.str();
  auto parsed = json::parse(text);
  sodium_memzero(text.data(), text.size());
  const json::Value* name = parsed ? parsed->find("name") : nullptr;
  const json::Value* pub = parsed ? parsed->find("public") : nullptr;
  const json::Value* secret = parsed ? parsed->find("secret") : nullptr;
  if (!parsed || !parsed->find("tauekel_key") || !name || !name->isString() || !pub || !pub->isString() || !secret ||
      !secret->isString())
    return Error{fmt::format("{} is not a key file made by `tauekel keygen`", path)};
  SecretKey key;
  key.name = name->asString();
  key.public_key = pub->asString();
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  unsigned char derived[crypto_sign_PUBLICKEYBYTES];
  if (!unbase64(secret->asString(), key.secret.data(), key.secret.size()) ||
      !unbase64(key.public_key, pk, sizeof pk) || crypto_sign_ed25519_sk_to_pk(derived, key.secret.data()) != 0 ||
      sodium_memcmp(pk, derived, sizeof pk) != 0)
    return Error{fmt::format("{}: the key pair is damaged (its public and secret halves do not match)", path)};
  return key;
}

Expected<TrustedKeys> readTrustedKeys(const std::string& path) {
  if (!ready()) return Error{"libsodium could not be initialised"};
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{fmt::format("cannot read the trusted keys {}: {}", path, std::strerror(errno))};
  TrustedKeys keys;
  std::string line;
  for (size_t number = 1; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    size_t start = line.find_first_not_of(" \t");
    if (start == std::string::npos || line[start] == '#') continue;
    size_t end = line.find_first_of(" \t", start);
    std::string key = line.substr(start, end == std::string::npos ? std::string::npos : end - start);
    std::string name;
    if (end != std::string::npos) {
      size_t n = line.find_first_not_of(" \t", end);
      if (n != std::string::npos) name = line.substr(n);
    }
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    if (!unbase64(key, pk, sizeof pk))
      return Error{fmt::format("{}:{}: not a public key (the base64 line `tauekel keygen` prints)", path, number)};
    if (name.empty()) return Error{fmt::format("{}:{}: the key needs the approver's name after it", path, number)};
    keys[key] = name;
  }
  if (keys.empty()) return Error{fmt::format("{} lists no keys: nothing could be approved", path)};
  return keys;
}

std::string sign(const SecretKey& key, const std::string& message) {
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       key.secret.data());
  return base64(sig, sizeof sig);
}

bool verifySignature(const std::string& public_key, const std::string& message, const std::string& signature) {
  if (!ready()) return false;
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  unsigned char sig[crypto_sign_BYTES];
  if (!unbase64(public_key, pk, sizeof pk) || !unbase64(signature, sig, sizeof sig)) return false;
  return crypto_sign_verify_detached(sig, reinterpret_cast<const unsigned char*>(message.data()), message.size(), pk) ==
         0;
}

}  // namespace tauekel::governance
