/* rc-fuzz-replay.c — a main() for a harness outside libFuzzer: runs it once over each
 * file named, and over each file of each folder named (in name order), and exits 0 if
 * none was a finding (a finding aborts). The normal and sanitizer builds run every
 * harness over its seed corpus this way (tests/fuzz/meson.build), so the harnesses
 * build with gcc and the corpus keeps passing between fuzzing campaigns. */
#include <stdio.h>
#include <stdlib.h>

#include "rc-fuzz.h"

static guint n_inputs;

static void
run_file (const char *path)
{
  g_autofree char *data = NULL;
  gsize size = 0;
  g_autoptr (GError) error = NULL;

  if (!g_file_get_contents (path, &data, &size, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      exit (1);
    }
  LLVMFuzzerTestOneInput ((const uint8_t *) data, size);
  n_inputs++;
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

static void
run_folder (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDir) dir = g_dir_open (path, 0, &error);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (dir == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      exit (1);
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_build_filename (path, name, NULL));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    run_file (g_ptr_array_index (names, i));
}

int
main (int argc, char **argv)
{
  LLVMFuzzerInitialize (&argc, &argv);
  for (int i = 1; i < argc; i++)
    {
      if (g_file_test (argv[i], G_FILE_TEST_IS_DIR))
        run_folder (argv[i]);
      else
        run_file (argv[i]);
    }
  printf ("%u inputs, no finding\n", n_inputs);
  return 0;
}
