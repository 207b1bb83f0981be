#pragma once
// Declarations given as JSON text, the way a service receives them: one declaration
// object, a JSON array of them, or JSON Lines (one object per line). Read whole or not
// at all: the first problem is the error, naming where it is (a line and column for
// text that is no JSON, a JSON path such as "[4].items[0].net_kg" or "line 3:
// items[0].net_kg" for a value that cannot be read), and the batch is left as it was.

#include <cstdint>
#include <string>
#include <string_view>

#include "runtime/load/value_batch_builder.h"
#include "support/expected.h"

namespace tauekel::engine {

struct JsonInputLimits {
  uint64_t max_declarations = 10000;   // in one text
  uint64_t max_items = 100000;         // goods items over all its declarations
  const char* unit = "request";        // what messages call one text: a request, a message
  // A member no field reads is an error (naming the likely one), not ignored: a client
  // that sends "net_kgs" means a field, and screening without it would be wrong.
  bool unknown_members_are_errors = true;
};

// What a text held: how many declarations it added.
struct JsonInputCount {
  uint64_t declarations = 0;
  uint64_t items = 0;
};

// Appends the text's declarations to the builder's batch. On an error nothing of the
// text stays in the batch. Errors that come from a limit have `bad_record` false.
Expected<JsonInputCount> appendJsonDeclarations(runtime::ValueBatchBuilder& builder, std::string_view text,
                                                const JsonInputLimits& limits = {});

}  // namespace tauekel::engine
