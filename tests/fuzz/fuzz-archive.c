/* fuzz-archive.c — the rows of an archive as Rollcall reads them back
 * (rc_archive_list_sessions, rc_archive_resolve_session, rc_archive_load_events, then
 * the replay's fold): an archive is a file a clerk can edit with any SQLite tool, or
 * receive from another hall (docs/archive.md).
 *
 * SQLite's own file format is fuzzed by SQLite; what is ours is what the rows may say.
 * The input is rows, one a line, fields separated by tabs, written with SQLite into a
 * fresh archive of Rollcall's schema (rows the schema's constraints refuse are left
 * out, as SQLite would refuse them to a clerk too):
 *
 *   s  ID  MEETING  DATE            a sessions row (title and chamber fixed)
 *   j  ID  SEQ  PAYLOAD             a journal row (time and type fixed: not read back)
 *   v  ID  VOTE  POSITION  SYMBOL   a votes row (draft fixed)
 *
 * Then the archive is opened read-only and every session listed is resolved by its id,
 * meeting and date, every vote named by its id, and every session's journal loaded and
 * folded into a session as a replay does. Each gives its result or a refusal in one
 * line; a journal loaded is numbered 1, 2, … and starts with its own session event. */
#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "archive/rc-archive.h"
#include "model/rc-replay.h"
#include "rc-fuzz.h"

static char *template_bytes;
static gsize template_size;
static char *path;

/* An empty archive, made once by Rollcall itself and kept in memory; it is copied for
 * every input. Rollback journal rather than WAL, so writing it leaves no -wal behind. */
static void
set_up (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RcArchive) archive = NULL;
  g_autofree char *template_path = g_build_filename (rc_fuzz_dir (), "template.rollcall", NULL);
  sqlite3 *db = NULL;

  archive = rc_archive_open (template_path, RC_ARCHIVE_CREATE | RC_ARCHIVE_READ_WRITE, &error);
  rc_fuzz_check (archive != NULL, "cannot make an archive: %s", error->message);
  g_clear_object (&archive);
  rc_fuzz_check (sqlite3_open (template_path, &db) == SQLITE_OK
                   && sqlite3_exec (db, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL)
                        == SQLITE_OK,
                 "cannot leave WAL");
  sqlite3_close (db);
  if (!g_file_get_contents (template_path, &template_bytes, &template_size, &error))
    rc_fuzz_fail ("cannot read the template: %s", error->message);
  path = g_build_filename (rc_fuzz_dir (), "fuzz.rollcall", NULL);
}

static void
step (sqlite3 *db, const char *sql, char **fields, guint n_fields)
{
  sqlite3_stmt *stmt = NULL;

  rc_fuzz_check (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK, "bad SQL: %s",
                 sqlite3_errmsg (db));
  for (guint i = 0; i < n_fields; i++)
    sqlite3_bind_text (stmt, (int) i + 1, fields[i], -1, SQLITE_STATIC);
  sqlite3_step (stmt); /* a row the constraints refuse is left out */
  sqlite3_finalize (stmt);
}

/* Writes the input's rows; returns the vote ids named. */
static GPtrArray *
write_rows (const char *text)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  GPtrArray *votes = g_ptr_array_new_with_free_func (g_free);
  sqlite3 *db = NULL;

  rc_fuzz_check (sqlite3_open (path, &db) == SQLITE_OK, "cannot open the copy");
  sqlite3_exec (db, "PRAGMA synchronous = OFF; BEGIN", NULL, NULL, NULL);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto (GStrv) f = g_strsplit (lines[i], "\t", 6);
      guint n = g_strv_length (f);

      if (n == 4 && g_str_equal (f[0], "s"))
        step (db,
              "INSERT INTO sessions (id, meeting, date, title, chamber_id, created)"
              " VALUES (?1, ?2, ?3, 'Title', 'UNGA', '2022-03-02T00:00:00Z')",
              f + 1, 3);
      else if (n == 4 && g_str_equal (f[0], "j"))
        step (db,
              "INSERT INTO journal (session_id, seq, time_us, type, payload)"
              " VALUES (?1, CAST (?2 AS INTEGER), 0, 'x', ?3)",
              f + 1, 3);
      else if (n == 5 && g_str_equal (f[0], "v"))
        {
          step (db,
                "INSERT INTO votes (session_id, vote_id, position, symbol, draft, title)"
                " VALUES (?1, ?2, CAST (?3 AS INTEGER), ?4, 'L.1', 'Title')",
                f + 1, 4);
          g_ptr_array_add (votes, g_strdup (f[2]));
        }
    }
  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  sqlite3_close (db);
  return votes;
}

static void
resolve (RcArchive *archive, const char *selector, const char *vote)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *id = rc_archive_resolve_session (archive, selector, vote, &error);

  if (id == NULL)
    rc_fuzz_check_refusal (error, "rc_archive_resolve_session");
}

static void
load (RcArchive *archive, const char *id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) events = rc_archive_load_events (archive, id, &error);
  g_autoptr (RcSession) session = NULL;
  const RcEvent *first;
  guint applied;

  if (events == NULL)
    {
      rc_fuzz_check_refusal (error, "rc_archive_load_events");
      return;
    }
  rc_fuzz_check (events->len > 0, "a journal of no events");
  for (guint i = 0; i < events->len; i++)
    rc_fuzz_check (((const RcEvent *) g_ptr_array_index (events, i))->seq == (gint64) i + 1,
                   "event %u of a loaded journal is out of sequence", i + 1);
  first = g_ptr_array_index (events, 0);
  rc_fuzz_check (first->type == RC_EVENT_SESSION && g_str_equal (first->session->id, id),
                 "the journal of %s does not start with its own session event", id);

  session = rc_session_new ();
  applied = rc_session_fold (session, events, G_MAXINT64, &error);
  if (applied < events->len)
    rc_fuzz_check_refusal (error, "rc_session_fold");
  rc_fuzz_check (rc_session_get_last_seq (session) == (gint64) events->len,
                 "a fold stopped at %" G_GINT64_FORMAT " of %u", rc_session_get_last_seq (session),
                 events->len);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *text = NULL;
  g_autoptr (GPtrArray) votes = NULL;
  g_autoptr (RcArchive) archive = NULL;
  g_autoptr (GPtrArray) sessions = NULL;
  g_autoptr (GError) error = NULL;

  /* Text a clerk can type: SQLite would store other bytes as text all the same, but
   * a NUL would end the field here. */
  if (memchr (data, '\0', size) != NULL)
    return 0;
  if (template_bytes == NULL)
    set_up ();
  text = g_strndup ((const char *) data, size);
  rc_fuzz_put_file (rc_fuzz_dir (), "fuzz.rollcall", template_bytes, template_size);
  votes = write_rows (text);

  archive = rc_archive_open (path, RC_ARCHIVE_READ_ONLY, &error);
  rc_fuzz_check (archive != NULL, "cannot open the archive: %s", error->message);
  sessions = rc_archive_list_sessions (archive, &error);
  rc_fuzz_check (sessions != NULL, "cannot list the sessions: %s", error->message);

  resolve (archive, NULL, NULL);
  for (guint i = 0; i < votes->len; i++)
    resolve (archive, NULL, g_ptr_array_index (votes, i));
  for (guint i = 0; i < sessions->len; i++)
    {
      const RcArchiveSessionRow *row = g_ptr_array_index (sessions, i);

      resolve (archive, row->id, NULL);
      resolve (archive, row->meeting, votes->len > 0 ? g_ptr_array_index (votes, 0) : NULL);
      resolve (archive, row->date, NULL);
      load (archive, row->id);
    }
  return 0;
}
