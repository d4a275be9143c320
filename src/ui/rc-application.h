/* rc-application.h — the `rollcall` application: command line, windows, app actions.
 *
 * `rollcall` shows a feed (--feed URL), replays an archive offline (--replay), or,
 * given neither, replays the bundled demo (the General Assembly's meeting of 2 March
 * 2022) through a feed it serves itself on loopback. Every mistake on the command
 * line, and an archive that cannot be replayed, is reported in one line
 * (`rollcall: reason`) with a non-zero exit status before any window opens. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define RC_TYPE_APPLICATION (rc_application_get_type ())
G_DECLARE_FINAL_TYPE (RcApplication, rc_application, RC, APPLICATION, GtkApplication)

RcApplication *rc_application_new (void);
/* What main() returns when g_application_run() returned 0: EXIT_FAILURE when start-up
 * refused (the archive could not be loaded: one line on stderr, no window). */
int rc_application_get_exit_status (RcApplication *self);

/* Loads the app's style sheet (resources/style.css) for the display. */
void rc_application_install_style (GdkDisplay *display);

G_END_DECLS
