/* rc-fuzz.h — what every harness of tests/fuzz shares: the libFuzzer entry points,
 * quiet logging that still stops on a critical, the data path, the check of a refusal,
 * and a private folder for the harnesses whose parser reads files.
 *
 * A harness is one file, fuzz-NAME.c, defining LLVMFuzzerTestOneInput(). It is linked
 * either with libFuzzer (the fuzzing build, -Dfuzzing=true: ./run fuzz) or with
 * rc-fuzz-replay.c, a main() that runs it over files (the normal and sanitizer builds
 * replay the seed corpus as a test, so the harnesses build and pass with gcc too).
 * A finding is an abort() with a message on stderr: libFuzzer saves the input. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <glib.h>

G_BEGIN_DECLS

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* A finding: says what on stderr and aborts. */
G_NORETURN void rc_fuzz_fail (const char *format, ...) G_GNUC_PRINTF (1, 2);
#define rc_fuzz_check(cond, ...)                                                                   \
  G_STMT_START                                                                                     \
  {                                                                                                \
    if (G_UNLIKELY (!(cond)))                                                                      \
      rc_fuzz_fail (__VA_ARGS__);                                                                  \
  }                                                                                                \
  G_STMT_END

/* What the project promises of a refusal (what) of outside input: a GError in
 * RC_ERROR with a non-empty message of one line, in UTF-8. */
void rc_fuzz_check_refusal (const GError *error, const char *what);
/* Two texts that must be equal (a round trip). */
void rc_fuzz_check_same (const char *what, const char *a, const char *b);

/* The harness's own folder, made when first asked for and removed at exit. */
const char *rc_fuzz_dir (void);
/* Writes dir/name with size bytes of data, or removes it when data is NULL, so that
 * nothing of an earlier input is left for the next to read. */
void rc_fuzz_put_file (const char *dir, const char *name, const void *data, gsize size);

/* Splits data at the first "\n%%\n" line: the part before it is returned, the part
 * after it left in *rest and *rest_size (*rest NULL when there is no such line). For
 * the harnesses whose input is several files. */
gsize rc_fuzz_split (const guint8 *data, gsize size, const guint8 **rest, gsize *rest_size);

G_END_DECLS
