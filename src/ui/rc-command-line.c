/* rc-command-line.c — a dry run of GOption over a command line, to word its errors. */
#include "rc-command-line.h"

#include <glib/gi18n.h>

#include "model/rc-error.h"

/* Where GOption may write what it parses; the values are thrown away. */
typedef union {
  char *string;
  char **strv;
  gboolean flag;
  int integer;
  double number;
  gint64 integer64;
} Slot;

static gboolean
handled_elsewhere (const char *arg)
{
  static const char *const passed[] = {
    "-h", "-?", "--help", "--help-all", "--help-gapplication", "--gapplication-service",
  };

  for (guint i = 0; i < G_N_ELEMENTS (passed); i++)
    if (g_strcmp0 (arg, passed[i]) == 0)
      return TRUE;
  return FALSE;
}

gboolean
rc_command_line_check (const GOptionEntry *entries, char **argv, GError **error)
{
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_autoptr (GError) local = NULL;
  g_auto (GStrv) args = g_strdupv (argv);
  g_autofree GOptionEntry *copy = NULL;
  g_autofree Slot *slots = NULL;
  guint n = 0, m = 0;
  gboolean ok;

  g_return_val_if_fail (entries != NULL && argv != NULL, FALSE);

  while (entries[n].long_name != NULL)
    n++;
  copy = g_new0 (GOptionEntry, n + 1);
  slots = g_new0 (Slot, n);
  for (guint i = 0; i < n; i++)
    {
      /* Arguments that are not options are rollcall's to judge, not GOption's. */
      if (g_strcmp0 (entries[i].long_name, G_OPTION_REMAINING) == 0)
        continue;
      copy[m] = entries[i];
      copy[m].arg_data = &slots[m];
      m++;
    }

  g_option_context_set_help_enabled (context, FALSE);
  g_option_context_set_ignore_unknown_options (context, TRUE);
  g_option_context_add_main_entries (context, copy, NULL);
  ok = g_option_context_parse_strv (context, &args, &local);

  for (guint i = 0; i < m; i++)
    switch (copy[i].arg)
      {
      case G_OPTION_ARG_STRING:
      case G_OPTION_ARG_FILENAME:
        g_free (slots[i].string);
        break;
      case G_OPTION_ARG_STRING_ARRAY:
      case G_OPTION_ARG_FILENAME_ARRAY:
        g_strfreev (slots[i].strv);
        break;
      case G_OPTION_ARG_NONE:
      case G_OPTION_ARG_INT:
      case G_OPTION_ARG_CALLBACK:
      case G_OPTION_ARG_DOUBLE:
      case G_OPTION_ARG_INT64:
      default:
        break;
      }

  if (!ok)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_ARGUMENT, _("%s (see --help)"), local->message);
      return FALSE;
    }

  for (guint i = 1; args[i] != NULL; i++)
    {
      if (g_strcmp0 (args[i], "--") == 0)
        break;
      if (args[i][0] == '-' && args[i][1] != '\0' && !handled_elsewhere (args[i]))
        {
          g_set_error (error, RC_ERROR, RC_ERROR_BAD_ARGUMENT, _("unknown option %s (see --help)"),
                       args[i]);
          return FALSE;
        }
    }
  return TRUE;
}
