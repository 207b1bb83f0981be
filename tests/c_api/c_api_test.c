/* The C interface, used from C as a C program would: a screener from the example
 * repository, declarations screened as JSON text, and every kind of failure answered
 * with a status and a message, never a crash. Exits non-zero on the first broken
 * promise, saying which. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tauekel/tauekel.h>

static int failures = 0;

#define EXPECT(condition)                                                        \
  do {                                                                           \
    if (!(condition)) {                                                          \
      fprintf(stderr, "%s:%d: expected %s\n", __FILE__, __LINE__, #condition);   \
      ++failures;                                                                \
    }                                                                            \
  } while (0)

static int contains(const char* text, const char* part) { return text != NULL && strstr(text, part) != NULL; }

static int count_lines(const char* text) {
  int n = 0;
  for (; text != NULL && *text; ++text) n += *text == '\n';
  return n;
}

int main(void) {
  const char* repo = TAUEKEL_SOURCE_DIR "/examples/eaeu";
  tauekel_options options = {TAUEKEL_SOURCE_DIR "/examples/eaeu/data/persons.csv", NULL, NULL, 0};
  tauekel_screener* screener = NULL;
  char* message = NULL;

  /* Made from the example repository. */
  EXPECT(tauekel_screener_create(repo, &options, &screener, &message) == TAUEKEL_OK);
  EXPECT(screener != NULL && message == NULL);
  if (screener == NULL) return 1;
  EXPECT(strlen(tauekel_screener_version(screener)) == 16);

  /* The example's declarations, as JSON Lines: one decision per declaration. */
  FILE* f = fopen(TAUEKEL_SOURCE_DIR "/examples/eaeu/data/declarations.jsonl", "rb");
  EXPECT(f != NULL);
  static char text[1 << 20];
  size_t length = f ? fread(text, 1, sizeof text, f) : 0;
  if (f) fclose(f);
  char* decisions = NULL;
  EXPECT(tauekel_screen_json(screener, text, length, &decisions, &message) == TAUEKEL_OK);
  EXPECT(count_lines(decisions) == 65);
  EXPECT(contains(decisions, "{\"declaration\":\"55204001/080126/0001826\",\"selected\":false"));
  tauekel_string_free(decisions);

  /* One declaration object (the first line alone). */
  size_t first = (size_t)(strchr(text, '\n') - text);
  EXPECT(tauekel_screen_json(screener, text, first, &decisions, &message) == TAUEKEL_OK);
  EXPECT(count_lines(decisions) == 1);
  tauekel_string_free(decisions);

  /* Bad input: a status, a message naming the place, no decisions. */
  const char* bad[] = {"{\"number\":", "[1,2]", "", "{\"number\":\"X\"}\n{\"number\":\"Y\"}\n"};
  const char* where[] = {"line 1, column", "[0]", "empty", "line 1"};
  for (int i = 0; i < 4; ++i) {
    decisions = (char*)1;
    EXPECT(tauekel_screen_json(screener, bad[i], strlen(bad[i]), &decisions, &message) == TAUEKEL_BAD_INPUT);
    EXPECT(decisions == NULL);
    if (!contains(message, where[i])) fprintf(stderr, "message for bad input %d: %s\n", i, message);
    EXPECT(contains(message, where[i]));
    tauekel_string_free(message);
    message = NULL;
  }
  /* NULL where a pointer is needed. */
  EXPECT(tauekel_screen_json(NULL, "{}", 2, &decisions, &message) == TAUEKEL_BAD_INPUT);
  tauekel_string_free(message);
  EXPECT(tauekel_screen_json(screener, NULL, 5, &decisions, &message) == TAUEKEL_BAD_INPUT);
  tauekel_string_free(message);
  EXPECT(tauekel_screen_json(screener, "{}", 2, NULL, NULL) == TAUEKEL_BAD_INPUT);
  tauekel_screener_free(screener);

  /* Profiles with errors: their diagnostics as JSON. */
  tauekel_screener* broken = (tauekel_screener*)1;
  EXPECT(tauekel_screener_create(TAUEKEL_SOURCE_DIR "/tests/diagnostics/tk301_type_mismatch.risk", NULL, &broken,
                                 &message) == TAUEKEL_PROFILE_ERRORS);
  EXPECT(broken == NULL);
  EXPECT(contains(message, "\"TK301\""));
  tauekel_string_free(message);
  /* A folder that is not there, and options that cannot be read. */
  EXPECT(tauekel_screener_create("/nonexistent/profiles", NULL, &broken, &message) == TAUEKEL_FAILED);
  EXPECT(contains(message, "/nonexistent/profiles"));
  tauekel_string_free(message);
  tauekel_options bad_date = {NULL, "2026-13-45x", NULL, 0};
  EXPECT(tauekel_screener_create(repo, &bad_date, &broken, &message) == TAUEKEL_BAD_INPUT);
  EXPECT(contains(message, "as_of"));
  tauekel_string_free(message);
  tauekel_options no_such_day = {NULL, "2026-02-30", NULL, 0};
  EXPECT(tauekel_screener_create(repo, &no_such_day, &broken, &message) == TAUEKEL_BAD_INPUT);
  EXPECT(contains(message, "2026-02-30"));
  tauekel_string_free(message);
  tauekel_options leap_day = {NULL, "2028-02-29", NULL, 0};
  EXPECT(tauekel_screener_create(repo, &leap_day, &broken, &message) == TAUEKEL_OK);
  tauekel_screener_free(broken);
  tauekel_options bad_stage = {NULL, NULL, "whenever", 0};
  EXPECT(tauekel_screener_create(repo, &bad_stage, &broken, &message) == TAUEKEL_BAD_INPUT);
  EXPECT(contains(message, "stage"));
  tauekel_string_free(message);
  tauekel_options missing_persons = {"/nonexistent/persons.csv", NULL, NULL, 0};
  EXPECT(tauekel_screener_create(repo, &missing_persons, &broken, &message) == TAUEKEL_FAILED);
  EXPECT(contains(message, "persons.csv"));
  tauekel_string_free(message);
  EXPECT(tauekel_screener_create(NULL, NULL, &broken, &message) == TAUEKEL_BAD_INPUT);
  tauekel_string_free(message);

  if (failures == 0) printf("c_api: every check passed\n");
  return failures == 0 ? 0 : 1;
}
