#pragma once
// Recoverable errors as values: a function that can fail on user input returns
// Expected<T>; our own bugs are assertions instead.

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace tauekel {

struct Error {
  std::string message;
  // True when the input could be read but a record in it is bad (as opposed to a file
  // that is missing, unreadable or of the wrong shape): callers report the two apart.
  bool bad_record = false;
};

template <class T>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : state_(std::move(value)) {}
  Expected(Error error) : state_(std::move(error)) {}

  explicit operator bool() const { return state_.index() == 0; }
  bool ok() const { return state_.index() == 0; }

  T& operator*() { assert(ok()); return std::get<0>(state_); }
  const T& operator*() const { assert(ok()); return std::get<0>(state_); }
  T* operator->() { return &**this; }
  const T* operator->() const { return &**this; }

  const Error& error() const { assert(!ok()); return std::get<1>(state_); }
  T take() { assert(ok()); return std::move(std::get<0>(state_)); }

 private:
  std::variant<T, Error> state_;
};

}  // namespace tauekel
