/* rollcall.c — main() of `rollcall`: the board window. Everything else is in the
 * rollcall-ui library (src/ui), which the tests link too. */
#include <glib/gi18n.h>
#include <locale.h>

#include "rc-config.h"
#include "ui/rc-application.h"

int
main (int argc, char *argv[])
{
  g_autoptr (RcApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = rc_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
