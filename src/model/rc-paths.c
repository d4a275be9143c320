/* rc-paths.c — finds the data files, uninstalled (ROLLCALL_DATA_PATH) or installed. */
#include "rc-config.h"

#include "rc-paths.h"

char *
rc_paths_find_data (const char *relpath)
{
  const char *env = g_getenv ("ROLLCALL_DATA_PATH");
  g_autofree char *installed = NULL;

  g_return_val_if_fail (relpath != NULL, NULL);

  if (env != NULL && *env != '\0')
    {
      g_auto (GStrv) dirs = g_strsplit (env, G_SEARCHPATH_SEPARATOR_S, -1);

      for (guint i = 0; dirs[i] != NULL; i++)
        {
          g_autofree char *candidate = NULL;

          if (*dirs[i] == '\0')
            continue;
          candidate = g_build_filename (dirs[i], relpath, NULL);
          if (g_file_test (candidate, G_FILE_TEST_EXISTS))
            return g_steal_pointer (&candidate);
        }
    }

  installed = g_build_filename (PKGDATADIR, relpath, NULL);
  if (g_file_test (installed, G_FILE_TEST_EXISTS))
    return g_steal_pointer (&installed);
  return NULL;
}

char *
rc_paths_find_demo_archive (void)
{
  return rc_paths_find_data ("demo/demo.rollcall");
}

const char *
rc_paths_locale_dir (void)
{
  const char *dir = g_getenv ("ROLLCALL_LOCALEDIR");

  return dir != NULL && *dir != '\0' ? dir : LOCALEDIR;
}
