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
#include "import/rc-import-record.h"
#include "import/rc-import-session.h"
#include "import/rc-import-undl.h"
#include "import/rc-import-unvotes.h"
#include "import/rc-jsonl.h"
#include "model/rc-chamber.h"
#include "model/rc-paths.h"
#include "model/rc-replay.h"
#include "model/rc-atomic-file.h"
#include "model/rc-error.h"

#define EXIT_USAGE 2
#define FORMATS "session, jsonl, undl, unvotes"

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

/* Where the sessions come from: journals read whole beforehand (session sources,
 * JSON Lines), or a record set that makes one meeting day at a time (the historical
 * datasets), so that a whole history is never in memory at once. */
typedef struct {
  GPtrArray *journals; /* of GPtrArray of RcEvent, or NULL */
  guint next;
  RcRecordSet *set; /* or NULL */
  GPtrArray *done;  /* of char *: a line per session, printed once the import is written */
  guint n_sessions, n_votes, n_events, n_warnings;
} Source;

static GPtrArray *
next_journal (gpointer data, GError **error)
{
  Source *src = data;
  g_autoptr (RcImportedSession) day = NULL;
  const RcSessionInfo *info;

  if (src->journals != NULL)
    return src->next < src->journals->len
             ? g_ptr_array_ref (g_ptr_array_index (src->journals, src->next++))
             : NULL;
  day = rc_record_set_next_day (src->set, error);
  if (day == NULL)
    return NULL;
  for (guint j = 0; j < day->warnings->len; j++)
    fprintf (stderr, "rollcall-import: %s %s\n", _ ("warning:"),
             (const char *) g_ptr_array_index (day->warnings, j));
  src->n_warnings += day->warnings->len;
  info = rc_session_get_info (day->session);
  src->n_sessions++;
  src->n_votes += rc_session_get_n_votes (day->session);
  src->n_events += day->events->len;
  g_ptr_array_add (
    src->done, g_strdup_printf (
                 g_dngettext (GETTEXT_PACKAGE, "%s: %s, %u vote, %u events",
                              "%s: %s, %u votes, %u events", rc_session_get_n_votes (day->session)),
                 info->id, info->date, rc_session_get_n_votes (day->session), day->events->len));
  return g_ptr_array_ref (day->events);
}

static gboolean
write_into (const char *path, RcArchiveFlags flags, Source *src, gboolean replace, GError **error)
{
  g_autoptr (RcArchive) archive = rc_archive_open (path, flags, error);

  /* Closing (the unref) checkpoints the WAL into the file before anyone renames it. */
  return archive != NULL
         && rc_archive_write_sessions_from (archive, next_journal, src, replace, error);
}

/* A chamber by id (chambers/ID.chamber in the data path) or as a file. */
static char *
find_chamber (const char *name)
{
  g_autofree char *lower = g_ascii_strdown (name, -1);
  g_autofree char *rel = g_strdup_printf ("chambers/%s.chamber", lower);

  if (g_str_has_suffix (name, ".chamber") && g_file_test (name, G_FILE_TEST_IS_REGULAR))
    return g_strdup (name);
  return rc_paths_find_data (rel);
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
write_new (const char *output, Source *src, GError **error)
{
  g_autoptr (RcAtomicFile) file = rc_atomic_file_new (output, error);
  const char *temp;

  if (file == NULL)
    return FALSE;
  temp = rc_atomic_file_get_temp_path (file);
  if (!write_into (temp, RC_ARCHIVE_CREATE, src, FALSE, error))
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
export_session (const char *archive_path, const char *selector, const char *output,
                gboolean partial)
{
  g_autoptr (GError) broken = NULL;
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
  events = rc_archive_load_events_partial (archive, session_id, &broken, &error);
  if (events == NULL)
    return die (EXIT_FAILURE, "%s", error->message);
  if (broken != NULL && !partial)
    return die (EXIT_FAILURE, _ ("%s (the %u events before it can be exported: add --partial)"),
                broken->message, events->len);
  {
    /* the part the state machine replays: it stops at the first event it refuses */
    g_autoptr (RcSession) session = rc_session_new ();
    g_autoptr (GError) refused = NULL;
    guint n = rc_session_fold (session, events, G_MAXINT64, &refused);

    if (refused != NULL && !partial)
      return die (EXIT_FAILURE,
                  _ ("%s: session '%s': event %u is refused on replay: %s (the %u events before "
                     "it can be exported: add --partial)"),
                  archive_path, session_id, n + 1, refused->message, n);
    if (refused != NULL && broken == NULL)
      g_set_error (&broken, RC_ERROR, RC_ERROR_ARCHIVE,
                   _ ("%s: session '%s': event %u is refused on replay: %s"), archive_path,
                   session_id, n + 1, refused->message);
    g_ptr_array_set_size (events, n);
  }
  if (broken != NULL)
    fprintf (stderr, "rollcall-import: %s %s; %s\n", _ ("warning:"), broken->message,
             events->len == 0 ? _ ("nothing before it to export")
                              : _ ("the events before it are exported"));
  if (events->len == 0)
    return die (EXIT_FAILURE, _ ("%s: session '%s': no event can be read"), archive_path,
                session_id);
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

/* A vote's result in a few words: "65–23–83, 22 not voting · rule not stated · ADOPTED
 * as recorded". */
static char *
result_words (const RcArchiveVoteRow *v)
{
  const char *rule = v->majority == RC_MAJORITY_UNKNOWN ? _ ("rule not stated")
                                                        : rc_majority_to_string (v->majority);
  const char *verdict;

  if (!v->known)
    return g_strdup_printf (_ ("result unknown: %s"),
                            v->problem != NULL ? v->problem : _ ("the journal cannot be folded"));
  if (v->state == RC_VOTE_CANCELLED)
    return g_strdup (_ ("cancelled"));
  if (v->state == RC_VOTE_SCHEDULED || v->state == RC_VOTE_OPEN)
    return g_strdup_printf ("%s · %s", rc_vote_state_to_string (v->state), rule);
  switch (v->outcome)
    {
    case RC_OUTCOME_ADOPTED:
      verdict = v->reason == RC_REASON_AS_RECORDED ? _ ("ADOPTED as recorded") : _ ("ADOPTED");
      break;
    case RC_OUTCOME_NOT_ADOPTED:
      verdict = v->reason == RC_REASON_VETO          ? _ ("NOT ADOPTED (veto)")
                : v->reason == RC_REASON_AS_RECORDED ? _ ("NOT ADOPTED as recorded")
                : v->reason == RC_REASON_TIE         ? _ ("NOT ADOPTED (tie)")
                                                     : _ ("NOT ADOPTED");
      break;
    case RC_OUTCOME_UNKNOWN:
      verdict = _ ("result not recorded");
      break;
    case RC_OUTCOME_PENDING:
    default:
      verdict = _ ("result pending");
      break;
    }
  /* Translators: yes–no–abstain, not voting · rule · verdict */
  return g_strdup_printf (_ ("%u–%u–%u, %u not voting · %s · %s"), v->tally.yes, v->tally.no,
                          v->tally.abstain, v->tally.not_voting, rule, verdict);
}

/* --list: the archive's sessions and their votes, or the votes a search finds. */
static int
list_archive (const char *archive_path, const char *query)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RcArchive) archive = rc_archive_open (archive_path, RC_ARCHIVE_READ_ONLY, &error);
  g_autoptr (GPtrArray) votes = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  const char *session = NULL;

  if (archive == NULL)
    return die (EXIT_FAILURE, "%s", error->message);
  votes = rc_archive_find_votes (archive, query, &error);
  if (votes == NULL)
    return die (EXIT_FAILURE, "%s", error->message);
  for (guint i = 0; i < votes->len; i++)
    {
      const RcArchiveVoteRow *v = g_ptr_array_index (votes, i);
      g_autofree char *result = result_words (v);

      if (g_strcmp0 (session, v->session_id) != 0)
        {
          session = v->session_id;
          g_string_append_printf (out, "%s  %s  %s  %s%s%s\n", v->date != NULL ? v->date : "",
                                  v->chamber_id != NULL ? v->chamber_id : "", v->session_id,
                                  v->session_title != NULL ? v->session_title : "",
                                  v->meeting != NULL ? " · " : "",
                                  v->meeting != NULL ? v->meeting : "");
        }
      g_string_append_printf (out, "  %3u  %s  %s\n       %s\n", v->position,
                              v->symbol != NULL ? v->symbol
                                                : (v->draft != NULL ? v->draft : v->vote_id),
                              v->title != NULL ? v->title : "", result);
    }
  g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "%u vote\n", "%u votes\n", votes->len),
                          votes->len);
  if (fwrite (out->str, 1, out->len, stdout) != out->len || fflush (stdout) != 0)
    return die (EXIT_FAILURE, _ ("cannot write to the standard output"));
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
  gboolean list = FALSE;
  gboolean partial = FALSE;
  g_autofree char *search = NULL;
  g_autofree char *session_sel = NULL;
  g_autofree char *since = NULL;
  g_autofree char *until = NULL;
  g_autofree char *day = NULL;
  g_autofree char *assembly_session = NULL;
  g_autofree char *chamber_name = NULL;
  g_auto (GStrv) symbols = NULL;
  const GOptionEntry entries[]
    = { { "from", 0, 0, G_OPTION_ARG_STRING, &from,
          N_ ("Format of the inputs: session, jsonl, undl (the UN Digital Library's General "
              "Assembly voting data CSV) or unvotes (the unvotes/Voeten folder)"),
          N_ ("FORMAT") },
        { "since", 0, 0, G_OPTION_ARG_STRING, &since,
          N_ ("undl, unvotes: only the votes on or after this day"), N_ ("YYYY-MM-DD") },
        { "until", 0, 0, G_OPTION_ARG_STRING, &until,
          N_ ("undl, unvotes: only the votes on or before this day"), N_ ("YYYY-MM-DD") },
        { "day", 0, 0, G_OPTION_ARG_STRING, &day, N_ ("undl, unvotes: only this meeting day"),
          N_ ("YYYY-MM-DD") },
        { "assembly-session", 0, 0, G_OPTION_ARG_STRING, &assembly_session,
          N_ ("undl, unvotes: only this session of the Assembly (74, ES-11)"), N_ ("N") },
        { "symbol", 0, 0, G_OPTION_ARG_STRING_ARRAY, &symbols,
          N_ ("undl, unvotes: only the vote on this resolution or draft (repeatable)"),
          N_ ("SYMBOL") },
        { "chamber", 0, 0, G_OPTION_ARG_STRING, &chamber_name,
          N_ ("undl, unvotes: the chamber whose members the data name (default: unga)"),
          N_ ("ID|FILE") },
        { "export", 0, 0, G_OPTION_ARG_NONE, &export,
          N_ ("Export a session of the archive INPUT as JSON Lines to -o FILE.jsonl (- for "
              "the standard output)"),
          NULL },
        { "partial", 0, 0, G_OPTION_ARG_NONE, &partial,
          N_ ("With --export: export the part of a damaged journal that can be read and "
              "replayed, up to where it breaks (said on the standard error)"),
          NULL },
        { "list", 0, 0, G_OPTION_ARG_NONE, &list,
          N_ ("List the sessions of the archive INPUT and their votes: date, body, meeting, "
              "symbol, title, totals, rule, verdict"),
          NULL },
        { "search", 0, 0, G_OPTION_ARG_STRING, &search,
          N_ ("With --list: only the votes with every word of WORDS in their symbol, draft, "
              "title, date or meeting (as the replay desk's session browser finds them)"),
          N_ ("WORDS") },
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
  g_autoptr (RcChamber) chamber = NULL;
  g_autoptr (RcRecordSet) set = NULL;
  gboolean dataset;
  Source src = { 0 };
  g_autoptr (GPtrArray) done = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, rc_paths_locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _ ("Imports voting data into a Rollcall archive."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (
    context,
    _ ("Reads every INPUT and checks it before ARCHIVE is touched; the import is all or\n"
       "nothing. A session already in ARCHIVE is refused unless --replace is given;\n"
       "--overwrite builds a new ARCHIVE from the inputs alone.\n"
       "undl and unvotes make one session per meeting day, on the General Assembly's\n"
       "roster of that day, with a synthesized timeline (each vote opened, locked with\n"
       "every member's choice and announced; the sessions say so); the rule is not in\n"
       "the records, so none is applied: a resolution symbol means adopted.\n"
       "Example: rollcall-import --from session data/demo/*.session -o demo.rollcall\n"
       "         rollcall-import --export demo.rollcall --session 2022-03-02 -o ga.jsonl\n"
       "         rollcall-import --from jsonl ga.jsonl -o copy.rollcall\n"
       "         rollcall-import --from undl ga_voting.csv --since 2022-01-01 -o ga.rollcall\n"
       "         rollcall-import --from unvotes unvotes/ -o history.rollcall\n"
       "         rollcall-import --list history.rollcall --search 'A/RES/68/262'\n"
       "Formats: docs/archive.md (session sources), docs/feed-protocol.md (JSON Lines),\n"
       "docs/import.md (undl, unvotes)."));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return die (EXIT_USAGE, "%s", error->message);

  if (list)
    {
      if (export || from != NULL || output != NULL || replace || overwrite || session_sel != NULL)
        return die (EXIT_USAGE, _ ("--list takes an archive and --search WORDS only"));
      if (inputs == NULL || inputs[0] == NULL || inputs[1] != NULL)
        return die (EXIT_USAGE, _ ("--list takes exactly one archive"));
      return list_archive (inputs[0], search);
    }
  if (search != NULL)
    return die (EXIT_USAGE, _ ("--search goes with --list"));
  if (partial && !export)
    return die (EXIT_USAGE, _ ("--partial goes with --export"));
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
      return export_session (inputs[0], session_sel, output, partial);
    }
  if (session_sel != NULL)
    return die (EXIT_USAGE, _ ("--session goes with --export"));
  if (from == NULL)
    return die (EXIT_USAGE, _ ("--from FORMAT is required; supported: %s"), FORMATS);
  if (!g_str_equal (from, "session") && !g_str_equal (from, "jsonl") && !g_str_equal (from, "undl")
      && !g_str_equal (from, "unvotes"))
    return die (EXIT_USAGE, _ ("--from %s: unknown format; supported: %s"), from, FORMATS);
  dataset = g_str_equal (from, "undl") || g_str_equal (from, "unvotes");
  if (!dataset
      && (since != NULL || until != NULL || day != NULL || assembly_session != NULL
          || symbols != NULL || chamber_name != NULL))
    return die (EXIT_USAGE, _ ("--since, --until, --day, --assembly-session, --symbol and "
                               "--chamber go with --from undl or --from unvotes"));
  for (guint i = 0; i < 3; i++)
    {
      const char *date = (const char *[]){ since, until, day }[i];

      if (date != NULL && !rc_iso_date_valid (date))
        return die (EXIT_USAGE, _ ("--%s %s: not a date like 2022-03-02"),
                    (const char *[]){ "since", "until", "day" }[i], date);
    }
  if (since != NULL && until != NULL && strcmp (since, until) > 0)
    return die (EXIT_USAGE, _ ("--since %s is after --until %s"), since, until);
  if (output == NULL)
    return die (EXIT_USAGE, _ ("-o ARCHIVE is required"));
  if (overwrite && replace)
    return die (EXIT_USAGE, _ ("--overwrite and --replace do not go together: --overwrite "
                               "already drops every session ARCHIVE holds"));
  if (inputs == NULL || inputs[0] == NULL)
    return die (EXIT_USAGE, _ ("no INPUT given"));

  done = g_ptr_array_new_with_free_func (g_free);
  src.done = done;
  if (dataset)
    {
      RcImportFilter filter
        = { since, until, day, assembly_session, (const char *const *) symbols };
      g_autofree char *chamber_path = NULL;

      if (inputs[1] != NULL)
        return die (EXIT_USAGE, _ ("--from %s takes one INPUT"), from);
      if (chamber_name == NULL)
        chamber_name = g_strdup ("unga");
      chamber_path = find_chamber (chamber_name);
      if (chamber_path == NULL)
        return die (EXIT_USAGE,
                    _ ("--chamber %s: no such chamber (chambers/%s.chamber in the "
                       "data path, or a .chamber file)"),
                    chamber_name, chamber_name);
      chamber = rc_chamber_load (chamber_path, &error);
      if (chamber == NULL)
        return die (EXIT_FAILURE, "%s", error->message);
      set = g_str_equal (from, "undl")
              ? rc_import_undl_read (inputs[0], chamber, &filter, &error)
              : rc_import_unvotes_read (inputs[0], chamber, &filter, &error);
      if (set == NULL)
        return die (EXIT_FAILURE, "%s", error->message);
      if (rc_record_set_get_n_votes_with_rows (set) == 0)
        return die (EXIT_FAILURE, _ ("%s: no vote is selected; ARCHIVE is left as it was"),
                    inputs[0]);
      src.set = set;
    }
  else
    {
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
      src.journals = journals;
    }

  if (overwrite)
    {
      if (!may_overwrite (output, &error) || !write_new (output, &src, &error))
        return die (EXIT_FAILURE, "%s", error->message);
    }
  else if (g_file_test (output, G_FILE_TEST_EXISTS))
    {
      if (!write_into (output, RC_ARCHIVE_READ_WRITE, &src, replace, &error))
        return die (EXIT_FAILURE, "%s", error->message);
    }
  else if (!write_new (output, &src, &error))
    return die (EXIT_FAILURE, "%s", error->message);

  if (dataset)
    {
      g_autoptr (GPtrArray) summary = rc_record_set_take_summary (set);

      for (guint i = 0; i < summary->len; i++)
        fprintf (stderr, "rollcall-import: %s %s\n", _ ("warning:"),
                 (const char *) g_ptr_array_index (summary, i));
      /* a line per session for a small import; the whole history gets the total */
      if (src.done->len <= 50)
        for (guint i = 0; i < src.done->len; i++)
          printf ("%s → %s\n", (const char *) g_ptr_array_index (src.done, i), output);
      printf (_ ("%s: %u sessions, %u votes, %u events, %u warnings about votes → %s "
                 "(timelines synthesized)\n"),
              inputs[0], src.n_sessions, src.n_votes, src.n_events, src.n_warnings + summary->len,
              output);
      return EXIT_SUCCESS;
    }
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
