/* rc-paths.h — where the data files are: chambers, palettes, the demo archive.
 *
 * Searched in order: each folder of $ROLLCALL_DATA_PATH (colon-separated; ./run and
 * the tests set it to the build and source data folders), then the installed
 * PKGDATADIR. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The first existing file named relpath (e.g. "chambers/unga.chamber"), or NULL. */
char *rc_paths_find_data (const char *relpath);
/* The folder of the compiled translations: $ROLLCALL_LOCALEDIR when set (the build
 * tree's po/, for running uninstalled), else the installed LOCALEDIR. */
const char *rc_paths_locale_dir (void);
/* The bundled demo archive, or NULL if it cannot be found. */
char *rc_paths_find_demo_archive (void);

G_END_DECLS
