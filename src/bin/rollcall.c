/* rollcall.c — main() of `rollcall`: the board window. Everything else is in the
 * rollcall-ui library (src/ui), which the tests link too. */
#include <glib/gi18n.h>
#include <locale.h>
#include <stdlib.h>

#include "rc-config.h"
#include "model/rc-paths.h"
#include "ui/rc-application.h"

int
main (int argc, char *argv[])
{
  g_autoptr (RcApplication) app = NULL;
  int status;

  /* With the Cairo renderer (a display PC without a GPU) nothing draws with OpenGL, yet
   * GDK 4.8 on X11 sets OpenGL up as it opens the display, to choose a visual: with
   * Mesa's software driver, ~60 ms of a start-up for nothing (docs/performance.md).
   * Whoever sets GDK_DEBUG keeps their own. */
  if (g_strcmp0 (g_getenv ("GSK_RENDERER"), "cairo") == 0 && g_getenv ("GDK_DEBUG") == NULL)
    g_setenv ("GDK_DEBUG", "gl-disable", TRUE);

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, rc_paths_locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = rc_application_new ();
  status = g_application_run (G_APPLICATION (app), argc, argv);
  return status != 0 ? status : rc_application_get_exit_status (app);
}
