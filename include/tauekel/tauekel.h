/* Tauekel's C interface: compile a profile repository once, then screen declarations
 * given as JSON text and get the decisions back as JSON text. For programs in C and
 * for other languages' foreign-function interfaces.
 *
 * Every function returns a status; on anything but TAUEKEL_OK, *message (when the
 * caller passed a place for it) holds a message to show, which the caller frees with
 * tauekel_string_free. No C++ exception leaves these functions. A screener may be used
 * from many threads at once; creating and freeing it is the caller's to order.
 *
 *   tauekel_screener* s;
 *   char* message;
 *   if (tauekel_screener_create("profiles", NULL, &s, &message) != TAUEKEL_OK) ...
 *   char* decisions;
 *   if (tauekel_screen_json(s, text, strlen(text), &decisions, &message) == TAUEKEL_OK) ...
 *   tauekel_string_free(decisions);
 *   tauekel_screener_free(s);
 */
#ifndef TAUEKEL_H
#define TAUEKEL_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tauekel_screener tauekel_screener;

typedef enum tauekel_status {
  TAUEKEL_OK = 0,
  TAUEKEL_PROFILE_ERRORS = 1, /* the profiles have errors: *message is their diagnostics as JSON */
  TAUEKEL_BAD_INPUT = 2,      /* a declaration or an option cannot be read: *message says what and where */
  TAUEKEL_FAILED = 3          /* a file cannot be read, memory ran out, or an internal error */
} tauekel_status;

typedef struct tauekel_options {
  const char* persons_file; /* the person register (CSV), or NULL */
  const char* as_of;        /* "YYYY-MM-DD": which profiles are in force; NULL: each declaration's date */
  const char* stage;        /* "before_release" (NULL means it), "at_release" or "after_release" */
  int include_drafts;       /* non-zero: draft profiles too */
} tauekel_options;

/* Reads and checks the profiles of a repository folder (or one .risk file) and makes
 * them ready to screen. `options` may be NULL. */
tauekel_status tauekel_screener_create(const char* profiles, const tauekel_options* options,
                                       tauekel_screener** screener, char** message);
void tauekel_screener_free(tauekel_screener* screener);

/* The profile set's version: equal versions decide alike. Owned by the screener. */
const char* tauekel_screener_version(const tauekel_screener* screener);

/* Screens declarations given as JSON text: one declaration object, an array of them,
 * or JSON Lines. On TAUEKEL_OK, *decisions holds one decision object per line, in the
 * input's order (free it with tauekel_string_free). All or nothing: a declaration that
 * cannot be read fails the call with TAUEKEL_BAD_INPUT. */
tauekel_status tauekel_screen_json(const tauekel_screener* screener, const char* text, size_t length,
                                   char** decisions, char** message);

void tauekel_string_free(char* text);

#ifdef __cplusplus
}
#endif

#endif /* TAUEKEL_H */
