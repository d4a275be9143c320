/* rc-command-line.h — a dry run of GOption over a command line, to word its errors.
 *
 * GApplication reports a malformed option (an unknown one, a missing value) in its own
 * words, without the program's name. Checking the arguments first, against the same
 * entries, lets `rollcall` refuse them like every other mistake: "rollcall: reason". */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* entries as given to g_application_add_main_option_entries() (arg_data NULL).
 * Options GApplication or GOption handle themselves (--help and its kin,
 * --gapplication-service) pass. FALSE with a one-line reason in error. */
gboolean rc_command_line_check (const GOptionEntry *entries, char **argv, GError **error);

G_END_DECLS
