// The C interface over the public C++ one. Each function catches everything: a C
// caller cannot receive a C++ exception.
#include "tauekel/tauekel.h"

#include <cstdlib>
#include <cstring>
#include <new>
#include <string>

#include "support/date.h"
#include "tauekel/screener.h"

struct tauekel_screener {
  tauekel::Screener screener;
};

namespace {

// A copy the C caller frees with tauekel_string_free (null when memory ran out).
char* copy(const std::string& text) {
  char* out = static_cast<char*>(std::malloc(text.size() + 1));
  if (out == nullptr) return nullptr;
  std::memcpy(out, text.data(), text.size());
  out[text.size()] = '\0';
  return out;
}

tauekel_status fail(tauekel_status status, const std::string& text, char** message) {
  if (message != nullptr) *message = copy(text);
  return status;
}

template <class Body>
tauekel_status guarded(char** message, Body body) {
  if (message != nullptr) *message = nullptr;
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return fail(TAUEKEL_FAILED, "out of memory", message);
  } catch (const std::exception& e) {
    return fail(TAUEKEL_FAILED, std::string("internal error: ") + e.what(), message);
  } catch (...) {
    return fail(TAUEKEL_FAILED, "internal error", message);
  }
}

}  // namespace

extern "C" {

tauekel_status tauekel_screener_create(const char* profiles, const tauekel_options* options,
                                       tauekel_screener** screener, char** message) {
  return guarded(message, [&]() -> tauekel_status {
    if (screener == nullptr) return fail(TAUEKEL_BAD_INPUT, "no place for the screener (screener is NULL)", message);
    *screener = nullptr;
    if (profiles == nullptr) return fail(TAUEKEL_BAD_INPUT, "no profiles named (profiles is NULL)", message);
    tauekel::ScreenerOptions so;
    if (options != nullptr) {
      if (options->persons_file != nullptr) so.persons_file = options->persons_file;
      so.include_drafts = options->include_drafts != 0;
      if (options->stage != nullptr) {
        std::string stage = options->stage;
        if (stage == "before_release") so.stage = tauekel::Stage::BeforeRelease;
        else if (stage == "at_release") so.stage = tauekel::Stage::AtRelease;
        else if (stage == "after_release") so.stage = tauekel::Stage::AfterRelease;
        else
          return fail(TAUEKEL_BAD_INPUT,
                      "stage \"" + stage + "\": expected before_release, at_release or after_release", message);
      }
      if (options->as_of != nullptr) {
        auto days = tauekel::date::parse(options->as_of);
        if (!days)
          return fail(TAUEKEL_BAD_INPUT, std::string("as_of \"") + options->as_of + "\": not a date (YYYY-MM-DD)",
                      message);
        int y = 0;
        unsigned m = 0, d = 0;
        tauekel::date::toCivil(*days, y, m, d);
        so.as_of = tauekel::Date{y, static_cast<int>(m), static_cast<int>(d)};
      }
    }
    auto compiled = tauekel::Profiles::compileDirectory(profiles);
    if (!compiled) return fail(TAUEKEL_FAILED, compiled.error().message, message);
    if (!compiled->ok()) return fail(TAUEKEL_PROFILE_ERRORS, compiled->diagnosticsJson(), message);
    auto made = tauekel::Screener::create(*compiled, so);
    if (!made) return fail(TAUEKEL_FAILED, made.error().message, message);
    *screener = new tauekel_screener{made.take()};
    return TAUEKEL_OK;
  });
}

void tauekel_screener_free(tauekel_screener* screener) { delete screener; }

const char* tauekel_screener_version(const tauekel_screener* screener) {
  return screener == nullptr ? "" : screener->screener.version().c_str();
}

tauekel_status tauekel_screen_json(const tauekel_screener* screener, const char* text, size_t length,
                                   char** decisions, char** message) {
  return guarded(message, [&]() -> tauekel_status {
    if (decisions == nullptr) return fail(TAUEKEL_BAD_INPUT, "no place for the decisions (decisions is NULL)", message);
    *decisions = nullptr;
    if (screener == nullptr) return fail(TAUEKEL_BAD_INPUT, "no screener (screener is NULL)", message);
    if (text == nullptr && length > 0) return fail(TAUEKEL_BAD_INPUT, "no text (text is NULL)", message);
    auto screened = screener->screener.screenJson(std::string_view(text == nullptr ? "" : text, length));
    if (!screened) return fail(TAUEKEL_BAD_INPUT, screened.error().message, message);
    std::string out;
    for (const auto& decision : *screened) {
      out += tauekel::toJson(decision);
      out.push_back('\n');
    }
    *decisions = copy(out);
    if (*decisions == nullptr) return fail(TAUEKEL_FAILED, "out of memory", message);
    return TAUEKEL_OK;
  });
}

void tauekel_string_free(char* text) { std::free(text); }

}  // extern "C"
