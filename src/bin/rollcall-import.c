/* rollcall-import.c — fills an archive from voting data.
 *
 * For now the one format is the session source (docs/archive.md), which is how the
 * bundled demo archive is built. Every input is read and checked before the archive
 * is touched, and the writing is all or nothing: one transaction in an existing
 * archive, or a temporary file renamed into place for a new one, so a failed import
 * never leaves half an archive behind. */
#include "rc-config.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "archive/rc-archive.h"
#include "archive/rc-import-session.h"

#define EXIT_USAGE 2

static int die (int status, const char *format, ...) G_GNUC_PRINTF (2, 3);

/* Every refusal is one line on stderr, named after the program. */
static int
die (int status, const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_strdelimit (message, "\r\n", ' ');
  fprintf (stderr, "rollcall-import: %s\n", message);
  return status;
}

static void
remove_database (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_unlink (wal);
  g_unlink (shm);
  g_unlink (path);
}

static gboolean
write_into (const char *path, RcArchiveFlags flags, GPtrArray *journals, gboolean replace,
            GError **error)
{
  g_autoptr (RcArchive) archive = rc_archive_open (path, flags, error);

  /* Closing (the unref) checkpoints the WAL into the file before anyone renames it. */
  return archive != NULL && rc_archive_write_sessions (archive, journals, replace, error);
}

/* A new archive is built beside its final name and renamed into place. */
static gboolean
write_new (const char *output, GPtrArray *journals, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (output);
  g_autofree char *base = g_path_get_basename (output);
  g_autofree char *name = g_strdup_printf (".%s.XXXXXX", base);
  g_autofree char *temp = g_build_filename (dir, name, NULL);
  int fd;

  fd = g_mkstemp_full (temp, O_RDWR, 0666);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _ ("cannot write in %s: %s"), dir, g_strerror (saved));
      return FALSE;
    }
  close (fd);

  if (!write_into (temp, RC_ARCHIVE_CREATE, journals, FALSE, error))
    {
      remove_database (temp);
      return FALSE;
    }
  if (g_rename (temp, output) != 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), _ ("cannot create %s: %s"),
                   output, g_strerror (saved));
      remove_database (temp);
      return FALSE;
    }
  return TRUE;
}

int
main (int argc, char *argv[])
{
  g_autofree char *from = NULL;
  g_autofree char *output = NULL;
  g_auto (GStrv) inputs = NULL;
  gboolean replace = FALSE;
  const GOptionEntry entries[]
    = { { "from", 0, 0, G_OPTION_ARG_STRING, &from,
          N_ ("Format of the inputs: session (undl, unvotes and jsonl are planned)"),
          N_ ("FORMAT") },
        { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
          N_ ("Archive to write (created if missing)"), N_ ("ARCHIVE") },
        { "replace", 0, 0, G_OPTION_ARG_NONE, &replace,
          N_ ("Replace sessions the archive already holds instead of refusing"), NULL },
        { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &inputs, NULL, N_ ("INPUT…") },
        { NULL } };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) imported = NULL;
  g_autoptr (GPtrArray) journals = NULL;
  static const char *const planned[] = { "undl", "unvotes", "jsonl", NULL };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _ ("Imports voting data into a Rollcall archive."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (
    context, _ ("Reads every INPUT and checks it before ARCHIVE is touched; the import is all or\n"
                "nothing. A session already in ARCHIVE is refused unless --replace is given.\n"
                "Example: rollcall-import --from session data/demo/*.session -o demo.rollcall\n"
                "The session source format is described in docs/archive.md."));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return die (EXIT_USAGE, "%s", error->message);

  if (from == NULL)
    return die (EXIT_USAGE, _ ("--from FORMAT is required; supported: session"));
  if (g_strv_contains (planned, from))
    return die (EXIT_USAGE, _ ("--from %s is not supported yet; supported: session"), from);
  if (!g_str_equal (from, "session"))
    return die (EXIT_USAGE, _ ("--from %s: unknown format; supported: session"), from);
  if (output == NULL)
    return die (EXIT_USAGE, _ ("-o ARCHIVE is required"));
  if (inputs == NULL || inputs[0] == NULL)
    return die (EXIT_USAGE, _ ("no INPUT given"));

  imported = g_ptr_array_new_with_free_func ((GDestroyNotify) rc_imported_session_free);
  journals = g_ptr_array_new ();
  for (guint i = 0; inputs[i] != NULL; i++)
    {
      RcImportedSession *session = rc_import_session_file (inputs[i], &error);
      const char *id;

      if (session == NULL)
        return die (EXIT_FAILURE, "%s", error->message);
      g_ptr_array_add (imported, session);
      id = rc_session_get_info (session->session)->id;
      for (guint j = 0; j < i; j++)
        {
          RcImportedSession *other = g_ptr_array_index (imported, j);

          if (g_str_equal (rc_session_get_info (other->session)->id, id))
            return die (EXIT_FAILURE, _ ("%s and %s both describe session '%s'"), inputs[j],
                        inputs[i], id);
        }
      for (guint j = 0; j < session->warnings->len; j++)
        fprintf (stderr, "rollcall-import: %s %s\n", _ ("warning:"),
                 (const char *) g_ptr_array_index (session->warnings, j));
      g_ptr_array_add (journals, session->events);
    }

  if (g_file_test (output, G_FILE_TEST_EXISTS))
    {
      if (!write_into (output, RC_ARCHIVE_READ_WRITE, journals, replace, &error))
        return die (EXIT_FAILURE, "%s", error->message);
    }
  else if (!write_new (output, journals, &error))
    return die (EXIT_FAILURE, "%s", error->message);

  for (guint i = 0; i < imported->len; i++)
    {
      RcImportedSession *session = g_ptr_array_index (imported, i);
      const RcSessionInfo *info = rc_session_get_info (session->session);
      guint n_votes = rc_session_get_n_votes (session->session);

      printf (g_dngettext (GETTEXT_PACKAGE, "%s: %s of %s, %u vote, %u events → %s\n",
                           "%s: %s of %s, %u votes, %u events → %s\n", n_votes),
              info->id, info->meeting, info->date, n_votes, session->events->len, output);
    }
  return EXIT_SUCCESS;
}
