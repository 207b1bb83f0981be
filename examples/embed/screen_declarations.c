/* Screens declarations with Tauekel's C interface: the profiles compiled once, then the
 * JSON Lines file screened; the decisions on standard output, one per line.
 *
 *   screen_declarations_c PROFILES PERSONS DECLARATIONS.jsonl */

#include <stdio.h>
#include <stdlib.h>
#include <tauekel/tauekel.h>

static char* read_file(const char* path, size_t* length) {
  FILE* f = fopen(path, "rb");
  if (f == NULL) return NULL;
  size_t capacity = 1 << 16, used = 0;
  char* text = malloc(capacity);
  size_t n;
  while (text != NULL && (n = fread(text + used, 1, capacity - used, f)) > 0) {
    used += n;
    if (used == capacity) {
      char* bigger = realloc(text, capacity *= 2);
      if (bigger == NULL) free(text);
      text = bigger;
    }
  }
  fclose(f);
  *length = used;
  return text;
}

int main(int argc, char** argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: screen_declarations_c PROFILES PERSONS DECLARATIONS.jsonl\n");
    return 2;
  }
  tauekel_options options = {argv[2], NULL, NULL, 0};
  tauekel_screener* screener = NULL;
  char* message = NULL;
  tauekel_status status = tauekel_screener_create(argv[1], &options, &screener, &message);
  if (status != TAUEKEL_OK) {
    fprintf(stderr, "%s\n", message ? message : "out of memory");
    tauekel_string_free(message);
    return 1;
  }
  size_t length = 0;
  char* text = read_file(argv[3], &length);
  if (text == NULL) {
    fprintf(stderr, "%s: cannot read\n", argv[3]);
    tauekel_screener_free(screener);
    return 2;
  }
  char* decisions = NULL;
  status = tauekel_screen_json(screener, text, length, &decisions, &message);
  free(text);
  if (status != TAUEKEL_OK) {
    fprintf(stderr, "%s: %s\n", argv[3], message ? message : "out of memory");
    tauekel_string_free(message);
    tauekel_screener_free(screener);
    return 3;
  }
  fputs(decisions, stdout);
  fprintf(stderr, "version %s\n", tauekel_screener_version(screener));
  tauekel_string_free(decisions);

  /* A declaration that cannot be read: a clear message, not a crash. */
  const char bad[] = "{\"number\":\"X\",\"items\":[{\"net_kg\":\"12,5\"}]}";
  status = tauekel_screen_json(screener, bad, sizeof bad - 1, &decisions, &message);
  fprintf(stderr, "a bad declaration: status %d: %s\n", (int)status, message ? message : "");
  tauekel_string_free(message);
  tauekel_screener_free(screener);
  return status == TAUEKEL_BAD_INPUT ? 0 : 4;
}
