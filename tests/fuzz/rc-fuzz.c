/* rc-fuzz.c — what every harness of tests/fuzz shares. See rc-fuzz.h. */
#include "rc-config.h"

#include "rc-fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "model/rc-error.h"

#define SEPARATOR "\n%%\n"

static char *fuzz_dir;

static void
remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
remove_fuzz_dir (void)
{
  if (fuzz_dir != NULL)
    remove_tree (fuzz_dir);
  g_clear_pointer (&fuzz_dir, g_free);
}

/* Refusals of bad input are expected and logged by some parsers (warnings,
 * messages): thousands a second would drown what matters. A critical is a broken
 * precondition, a bug, and an error aborts anyway: both are findings. RC_FUZZ_LOG=1
 * shows everything, and every refusal, to follow one input. */
static GLogWriterOutput
write_log (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer data)
{
  gboolean finding = (level & (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_ERROR)) != 0;

  if (finding || g_getenv ("RC_FUZZ_LOG") != NULL)
    g_log_writer_standard_streams (level, fields, n_fields, data);
  if (finding)
    {
      remove_fuzz_dir ();
      abort ();
    }
  return G_LOG_WRITER_HANDLED;
}

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  g_log_set_writer_func (write_log, NULL, NULL);
  /* The same data files whatever the caller's environment: the source tree's
   * chambers and palettes (the control API looks chambers up there). */
  g_setenv ("ROLLCALL_DATA_PATH", RC_FUZZ_SOURCE_ROOT "/data", TRUE);
  return 0;
}

void
rc_fuzz_fail (const char *format, ...)
{
  va_list args;

  fputs ("rollcall fuzz finding: ", stderr);
  va_start (args, format);
  vfprintf (stderr, format, args);
  va_end (args);
  fputc ('\n', stderr);
  fflush (stderr);
  /* libFuzzer keeps the input; the folder is of no more use (a sanitizer's finding
   * leaves it behind, in the system's temporary folder). */
  remove_fuzz_dir ();
  abort ();
}

void
rc_fuzz_check_refusal (const GError *error, const char *what)
{
  rc_fuzz_check (error != NULL, "%s refused without a GError", what);
  rc_fuzz_check (error->domain == RC_ERROR, "%s refused in domain %s (code %d), not RC_ERROR: %s",
                 what, g_quark_to_string (error->domain), error->code, error->message);
  rc_fuzz_check (error->message != NULL && error->message[0] != '\0',
                 "%s refused with an empty message", what);
  if (strpbrk (error->message, "\r\n") != NULL || !g_utf8_validate (error->message, -1, NULL))
    {
      g_autofree char *escaped = g_strescape (error->message, NULL);

      rc_fuzz_fail ("%s refused with a message that is not one line of UTF-8: \"%s\"", what,
                    escaped);
    }
  if (g_getenv ("RC_FUZZ_LOG") != NULL)
    fprintf (stderr, "refused by %s: %s\n", what, error->message);
}

void
rc_fuzz_check_same (const char *what, const char *a, const char *b)
{
  rc_fuzz_check (g_strcmp0 (a, b) == 0, "%s differs:\n  %s\n  %s", what, a, b);
}

const char *
rc_fuzz_dir (void)
{
  g_autoptr (GError) error = NULL;

  if (fuzz_dir != NULL)
    return fuzz_dir;
  fuzz_dir = g_dir_make_tmp ("rollcall-fuzz-XXXXXX", &error);
  if (fuzz_dir == NULL)
    rc_fuzz_fail ("no temporary folder: %s", error->message);
  atexit (remove_fuzz_dir);
  return fuzz_dir;
}

void
rc_fuzz_put_file (const char *dir, const char *name, const void *data, gsize size)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  FILE *file;

  if (data == NULL)
    {
      g_unlink (path);
      return;
    }
  /* Not g_file_set_contents_full (…, G_FILE_SET_CONTENTS_NONE, …), which is quick (no
   * fsync) but in GLib 2.74 writes over the old file without truncating it: a shorter
   * input left the end of the one before, and inputs depended on their order. */
  file = g_fopen (path, "wb");
  if (file == NULL || fwrite (data, 1, size, file) != size || fclose (file) != 0)
    rc_fuzz_fail ("cannot write %s", path);
}

gsize
rc_fuzz_split (const guint8 *data, gsize size, const guint8 **rest, gsize *rest_size)
{
  const gsize n = strlen (SEPARATOR);

  for (gsize i = 0; size >= n && i <= size - n; i++)
    if (memcmp (data + i, SEPARATOR, n) == 0)
      {
        *rest = data + i + n;
        *rest_size = size - i - n;
        return i;
      }
  *rest = NULL;
  *rest_size = 0;
  return size;
}
