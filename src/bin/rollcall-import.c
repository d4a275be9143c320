/* rollcall-import.c — fills an archive from voting data, and exports a session.
 *
 * Formats: the session source (docs/archive.md), which is how the bundled demo archive
 * is built, and JSON Lines of a session's events (docs/feed-protocol.md §10), which is
 * also what --export writes. Every input is read and checked before the archive
 * is touched, and the writing is all or nothing: one transaction in an existing
 * archive, or a new archive written through RcAtomicFile (a temporary file, flushed
 * and renamed into place), so a failed import never leaves half an archive behind. */
#include "rc-config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <glib.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "archive/rc-archive.h"
#include "import/rc-import-session.h"
#include "import/rc-jsonl.h"
#include "model/rc-atomic-file.h"
#include "model/rc-error.h"

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

/* SQLite's companions of a database file. */
static void
remove_sidecars (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_unlink (wal);
  g_unlink (shm);
}

static gboolean
write_into (const char *path, RcArchiveFlags flags, GPtrArray *journals, gboolean replace,
            GError **error)
{
  g_autoptr (RcArchive) archive = rc_archive_open (path, flags, error);

  /* Closing (the unref) checkpoints the WAL into the file before anyone renames it. */
  return archive != NULL && rc_archive_write_sessions (archive, journals, replace, error);
}

/* Whether --overwrite may replace output: nothing there, an empty file, or a Rollcall
 * archive that no program is writing to. Anything else is most likely a typo. */
static gboolean
may_overwrite (const char *output, GError **error)
{
  static const char sqlite_magic[16] = "SQLite format 3";
  g_autofree char *wal = g_strconcat (output, "-wal", NULL);
  g_autoptr (GMappedFile) mapped = NULL;
  const guint8 *header;
  GStatBuf st;

  if (g_stat (output, &st) != 0 || (S_ISREG (st.st_mode) && st.st_size == 0))
    return TRUE;
  mapped = S_ISREG (st.st_mode) ? g_mapped_file_new (output, FALSE, NULL) : NULL;
  header = mapped != NULL ? (const guint8 *) g_mapped_file_get_contents (mapped) : NULL;
  /* The header holds PRAGMA application_id, big-endian, at byte 68. */
  if (header == NULL || g_mapped_file_get_length (mapped) < 72
      || memcmp (header, sqlite_magic, sizeof sqlite_magic) != 0
      || (guint32) (header[68] << 24 | header[69] << 16 | header[70] << 8 | header[71])
           != RC_ARCHIVE_APPLICATION_ID)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_ARGUMENT,
                   _ ("%s is not a Rollcall archive; --overwrite replaces only an archive"), output);
      return FALSE;
    }
  /* A writer's changes wait in the -wal file; replacing the file under it would
   * leave them to be played into the new archive. */
  if (g_stat (wal, &st) == 0 && st.st_size > 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_ARCHIVE,
                   _ ("%s is being written by another program (%s is not empty); close it first"),
                   output, wal);
      return FALSE;
    }
  return TRUE;
}

/* A new archive is written whole to a temporary file beside output, flushed to the
 * disk and renamed into place: output is never half an archive. */
static gboolean
write_new (const char *output, GPtrArray *journals, GError **error)
{
  g_autoptr (RcAtomicFile) file = rc_atomic_file_new (output, error);
  const char *temp;

  if (file == NULL)
    return FALSE;
  temp = rc_atomic_file_get_temp_path (file);
  if (!write_into (temp, RC_ARCHIVE_CREATE, journals, FALSE, error))
    {
      remove_sidecars (temp);
      return FALSE;
    }
  /* The old file's empty companions belong to it, not to the new archive. */
  remove_sidecars (output);
  return rc_atomic_file_commit (file, error);
}

/* Whether path ends in suffix, in any case (".JSONL" too). */
static gboolean
has_suffix_nocase (const char *path, const char *suffix)
{
  gsize n = strlen (path), m = strlen (suffix);

  return n >= m && g_ascii_strcasecmp (path + n - m, suffix) == 0;
}

/* --export: one session of an archive as JSON Lines, to a file (atomically) or "-". */
static int
export_session (const char *archive_path, const char *selector, const char *output)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RcArchive) archive = rc_archive_open (archive_path, RC_ARCHIVE_READ_ONLY, &error);
  g_autofree char *session_id = NULL;
  g_autofree char *note = NULL;
  g_autoptr (GPtrArray) events = NULL;
  g_autofree char *text = NULL;
  g_autoptr (RcAtomicFile) file = NULL;

  if (archive == NULL)
    return die (EXIT_FAILURE, "%s", error->message);
  session_id = rc_archive_choose_session (archive, selector, NULL, &note, &error);
  if (note != NULL)
    g_printerr ("rollcall-import: %s\n", note);
  if (session_id == NULL)
    return die (EXIT_FAILURE, "%s", error->message);
  events = rc_archive_load_events (archive, session_id, &error);
  if (events == NULL)
    return die (EXIT_FAILURE, "%s", error->message);
  text = rc_jsonl_write (events);

  if (g_str_equal (output, "-"))
    {
      if (fwrite (text, 1, strlen (text), stdout) != strlen (text) || fflush (stdout) != 0)
        return die (EXIT_FAILURE, _ ("cannot write to the standard output"));
      return EXIT_SUCCESS;
    }
  file = rc_atomic_file_new (output, &error);
  if (file == NULL
      || !g_file_set_contents (rc_atomic_file_get_temp_path (file), text, -1, &error)
      || !rc_atomic_file_commit (file, &error))
    return die (EXIT_FAILURE, "%s", error->message);
  fprintf (stderr, "rollcall-import: %s: %u events → %s\n", session_id, events->len, output);
  return EXIT_SUCCESS;
}

int
main (int argc, char *argv[])
{
  g_autofree char *from = NULL;
  g_autofree char *output = NULL;
  g_auto (GStrv) inputs = NULL;
  gboolean replace = FALSE;
  gboolean overwrite = FALSE;
  gboolean export = FALSE;
  g_autofree char *session_sel = NULL;
  const GOptionEntry entries[]
    = { { "from", 0, 0, G_OPTION_ARG_STRING, &from,
          N_ ("Format of the inputs: session or jsonl (undl and unvotes are planned)"),
          N_ ("FORMAT") },
        { "export", 0, 0, G_OPTION_ARG_NONE, &export,
          N_ ("Export a session of the archive INPUT as JSON Lines to -o FILE.jsonl (- for "
              "the standard output)"),
          NULL },
        { "session", 0, 0, G_OPTION_ARG_STRING, &session_sel,
          N_ ("With --export: the session (id, meeting symbol or date); without it, the "
              "latest"),
          N_ ("ID") },
        { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
          N_ ("Archive to write (created if missing)"), N_ ("ARCHIVE") },
        { "replace", 0, 0, G_OPTION_ARG_NONE, &replace,
          N_ ("Replace sessions the archive already holds instead of refusing"), NULL },
        { "overwrite", 0, 0, G_OPTION_ARG_NONE, &overwrite,
          N_ ("Write a new archive holding only the inputs, replacing ARCHIVE"), NULL },
        { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &inputs, NULL, N_ ("INPUT…") },
        { NULL } };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) imported = NULL;
  g_autoptr (GPtrArray) journals = NULL;
  static const char *const planned[] = { "undl", "unvotes", NULL };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _ ("Imports voting data into a Rollcall archive."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (
    context, _ ("Reads every INPUT and checks it before ARCHIVE is touched; the import is all or\n"
                "nothing. A session already in ARCHIVE is refused unless --replace is given;\n"
                "--overwrite builds a new ARCHIVE from the inputs alone.\n"
                "Example: rollcall-import --from session data/demo/*.session -o demo.rollcall\n"
                "         rollcall-import --export demo.rollcall --session 2022-03-02 -o ga.jsonl\n"
                "         rollcall-import --from jsonl ga.jsonl -o copy.rollcall\n"
                "The session source format is described in docs/archive.md, JSON Lines in\n"
                "docs/feed-protocol.md."));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return die (EXIT_USAGE, "%s", error->message);

  if (export)
    {
      if (from != NULL || replace || overwrite)
        return die (EXIT_USAGE, _ ("--export takes an archive, --session and -o FILE only"));
      if (inputs == NULL || inputs[0] == NULL || inputs[1] != NULL)
        return die (EXIT_USAGE, _ ("--export takes exactly one archive"));
      if (output == NULL)
        return die (EXIT_USAGE, _ ("-o FILE is required (- for the standard output)"));
      /* What a name says is what the file holds: no JSON Lines in a ".csv". */
      if (!g_str_equal (output, "-") && !has_suffix_nocase (output, ".jsonl"))
        return die (EXIT_USAGE,
                    _ ("%s: --export writes JSON Lines; name the file .jsonl (or - for the "
                       "standard output)"),
                    output);
      return export_session (inputs[0], session_sel, output);
    }
  if (session_sel != NULL)
    return die (EXIT_USAGE, _ ("--session goes with --export"));
  if (from == NULL)
    return die (EXIT_USAGE, _ ("--from FORMAT is required; supported: session, jsonl"));
  if (g_strv_contains (planned, from))
    return die (EXIT_USAGE, _ ("--from %s is not supported yet; supported: session, jsonl"),
                from);
  if (!g_str_equal (from, "session") && !g_str_equal (from, "jsonl"))
    return die (EXIT_USAGE, _ ("--from %s: unknown format; supported: session, jsonl"), from);
  if (output == NULL)
    return die (EXIT_USAGE, _ ("-o ARCHIVE is required"));
  if (overwrite && replace)
    return die (EXIT_USAGE, _ ("--overwrite and --replace do not go together: --overwrite "
                               "already drops every session ARCHIVE holds"));
  if (inputs == NULL || inputs[0] == NULL)
    return die (EXIT_USAGE, _ ("no INPUT given"));

  imported = g_ptr_array_new_with_free_func ((GDestroyNotify) rc_imported_session_free);
  journals = g_ptr_array_new ();
  for (guint i = 0; inputs[i] != NULL; i++)
    {
      RcImportedSession *session = g_str_equal (from, "jsonl")
                                     ? rc_jsonl_read_file (inputs[i], &error)
                                     : rc_import_session_file (inputs[i], &error);
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

  if (overwrite)
    {
      if (!may_overwrite (output, &error) || !write_new (output, journals, &error))
        return die (EXIT_FAILURE, "%s", error->message);
    }
  else if (g_file_test (output, G_FILE_TEST_EXISTS))
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
      /* the meeting's symbol is optional */
      g_autofree char *meeting = info->meeting != NULL
                                   ? g_strdup_printf (_("%s of %s"), info->meeting, info->date)
                                   : g_strdup (info->date);

      printf (g_dngettext (GETTEXT_PACKAGE, "%s: %s, %u vote, %u events → %s\n",
                           "%s: %s, %u votes, %u events → %s\n", n_votes),
              info->id, meeting, n_votes, session->events->len, output);
    }
  return EXIT_SUCCESS;
}
