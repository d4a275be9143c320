/* rc-archive.c — the archive: one SQLite file of sessions and their journals.
 *
 * The journal is the truth: one row per event, the payload being exactly the
 * codec's JSON (the wire message). The sessions and votes tables are indexes
 * kept in step with it inside the same transaction, so a selector resolves without
 * replaying anything. Every write is committed (WAL, synchronous=FULL) before the
 * call returns, so the feed can publish an event only once it is safe on disk. The
 * checkpoints table (rc-archive-checkpoint.c) keeps each session's state beside its
 * journal, so that loading it does not fold the whole journal.
 * Schema and invariants: docs/archive.md. */
#include "rc-archive.h"

#include <inttypes.h>
#include <errno.h>
#include <glib/gi18n-lib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "codec/rc-codec.h"
#include "model/rc-error.h"
#include "rc-archive-private.h"

/* PRAGMA user_version: bumped with every incompatible change of the schema. (The
 * checkpoints table is not one: a version that does not know it reads and writes the
 * archive correctly, and the triggers keep the table honest when it writes.) */
#define RC_ARCHIVE_SCHEMA_VERSION 1

static const char schema_sql[]
  = "CREATE TABLE sessions ("
    "  id TEXT PRIMARY KEY NOT NULL,"
    "  meeting TEXT NOT NULL,"
    "  date TEXT NOT NULL,"
    "  title TEXT NOT NULL,"
    "  chamber_id TEXT NOT NULL,"
    "  created TEXT NOT NULL"
    ");"
    "CREATE TABLE journal ("
    "  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,"
    "  seq INTEGER NOT NULL CHECK (seq >= 1),"
    "  time_us INTEGER NOT NULL,"
    "  type TEXT NOT NULL,"
    "  vote_id TEXT,"
    "  member TEXT,"
    "  payload TEXT NOT NULL CHECK (json_valid (payload)),"
    "  PRIMARY KEY (session_id, seq)"
    ") WITHOUT ROWID;"
    "CREATE INDEX journal_by_vote ON journal (session_id, vote_id, seq);"
    "CREATE TABLE votes ("
    "  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,"
    "  vote_id TEXT NOT NULL,"
    "  position INTEGER NOT NULL CHECK (position >= 1),"
    "  symbol TEXT,"
    "  draft TEXT,"
    "  title TEXT NOT NULL,"
    "  PRIMARY KEY (session_id, vote_id),"
    "  UNIQUE (session_id, position)"
    ");"
    "CREATE INDEX votes_by_symbol ON votes (symbol);"
    "CREATE INDEX votes_by_draft ON votes (draft);";

G_DEFINE_FINAL_TYPE (RcArchive, rc_archive, G_TYPE_OBJECT)

static void
rc_archive_finalize (GObject *object)
{
  RcArchive *self = RC_ARCHIVE (object);

  g_clear_pointer (&self->states, g_hash_table_unref);
  g_clear_pointer (&self->stmts, g_hash_table_unref);
  /* The last connection to close checkpoints the WAL and removes it. */
  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  g_free (self->path);

  G_OBJECT_CLASS (rc_archive_parent_class)->finalize (object);
}

static void
rc_archive_class_init (RcArchiveClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rc_archive_finalize;
}

static void
stmt_finalize (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
rc_archive_init (RcArchive *self)
{
  self->stmts = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, stmt_finalize);
  self->states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) rc_journal_state_free);
  self->checkpoint_every = RC_ARCHIVE_CHECKPOINT_EVENTS;
  self->checkpoint_ratio = RC_ARCHIVE_CHECKPOINT_RATIO;
}

/* ---------------------------------------------------------------- helpers */

void
rc_archive_set_sqlite_error (RcArchive *self, int rc, GError **error)
{
  const char *detail = self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc);
  /* An I/O error says more through the system's error: a full disk can show as one
   * (SQLite growing its -shm index), and so can a file system gone read-only. */
  int system
    = (rc & 0xff) == SQLITE_IOERR && self->db != NULL ? sqlite3_system_errno (self->db) : 0;

  switch (rc & 0xff)
    {
    case SQLITE_NOTADB:
      g_set_error (error, RC_ERROR, RC_ERROR_ARCHIVE,
                   _("%s is not a Rollcall archive (not an SQLite database)"), self->path);
      break;
    case SQLITE_CORRUPT:
      g_set_error (error, RC_ERROR, RC_ERROR_ARCHIVE, _("%s is damaged (%s); restore it from a copy"),
                   self->path, detail);
      break;
    case SQLITE_FULL:
      g_set_error (error, RC_ERROR, RC_ERROR_ARCHIVE, _("%s: the disk is full"), self->path);
      break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error (error, RC_ERROR, RC_ERROR_ARCHIVE, _("%s is locked by another program; try again"),
                   self->path);
      break;
    case SQLITE_READONLY:
      g_set_error (error, RC_ERROR, RC_ERROR_ARCHIVE, _("%s cannot be written (%s)"), self->path,
                   detail);
      break;
    case SQLITE_IOERR:
      if (system == ENOSPC || system == EDQUOT)
        g_set_error (error, RC_ERROR, RC_ERROR_ARCHIVE, _("%s: the disk is full"), self->path);
      else if (system == EROFS)
        g_set_error (error, RC_ERROR, RC_ERROR_ARCHIVE,
                     _("%s cannot be written (the file system is read-only)"), self->path);
      else if (system != 0)
        g_set_error (error, RC_ERROR, RC_ERROR_ARCHIVE, _("%s: %s (%s)"), self->path, detail,
                     g_strerror (system));
      else
        g_set_error (error, RC_ERROR, RC_ERROR_ARCHIVE, _("%s: %s"), self->path, detail);
      break;
    default:
      g_set_error (error, RC_ERROR, RC_ERROR_ARCHIVE, _("%s: %s"), self->path, detail);
      break;
    }
}

void
rc_archive_stmt_release (RcArchiveStmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

RcArchiveStmt *
rc_archive_stmt (RcArchive *self, const char *sql, GError **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->stmts, sql);
  int rc;

  if (stmt != NULL)
    return stmt;
  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      rc_archive_set_sqlite_error (self, rc, error);
      return NULL;
    }
  g_hash_table_insert (self->stmts, (gpointer) sql, stmt);
  return stmt;
}

RcArchiveStmt *
rc_archive_stmt_bind (RcArchive *self, const char *sql, const char *text, GError **error)
{
  sqlite3_stmt *stmt = rc_archive_stmt (self, sql, error);

  if (stmt != NULL)
    sqlite3_bind_text (stmt, 1, text, -1, SQLITE_TRANSIENT);
  return stmt;
}

gboolean
rc_archive_step_row (RcArchive *self, RcArchiveStmt *stmt, gboolean *has_row, GError **error)
{
  int rc = sqlite3_step (stmt);

  *has_row = rc == SQLITE_ROW;
  if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    return TRUE;
  rc_archive_set_sqlite_error (self, rc, error);
  return FALSE;
}

static gboolean
exec (RcArchive *self, const char *sql, GError **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      rc_archive_set_sqlite_error (self, rc, error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
query_int (RcArchive *self, const char *sql, gint64 *out, GError **error)
{
  g_autoptr (RcArchiveStmt) stmt = rc_archive_stmt (self, sql, error);
  gboolean has_row;

  if (stmt == NULL || !rc_archive_step_row (self, stmt, &has_row, error))
    return FALSE;
  *out = has_row ? sqlite3_column_int64 (stmt, 0) : 0;
  return TRUE;
}

static const char *
column_text (sqlite3_stmt *stmt, int column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);
  return text != NULL ? text : "";
}

/* ---------------------------------------------------------------- opening */

static gboolean
create_schema (RcArchive *self, GError **error)
{
  g_autofree char *pragmas = g_strdup_printf ("PRAGMA application_id = %d;"
                                              "PRAGMA user_version = %d;",
                                              RC_ARCHIVE_APPLICATION_ID, RC_ARCHIVE_SCHEMA_VERSION);

  if (!exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!exec (self, schema_sql, error) || !exec (self, rc_archive_checkpoint_schema_sql, error)
      || !exec (self, rc_archive_index_schema_sql, error) || !exec (self, pragmas, error))
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  return exec (self, "COMMIT", error);
}

/* Reading the header is the first thing that touches the file, so a file that is not
 * SQLite at all is caught here. */
static gboolean
check_identity (RcArchive *self, gboolean writable, GError **error)
{
  gint64 application_id, version, n_objects;

  if (!query_int (self, "PRAGMA application_id", &application_id, error)
      || !query_int (self, "PRAGMA user_version", &version, error)
      || !query_int (self, "SELECT count(*) FROM sqlite_schema", &n_objects, error))
    return FALSE;

  if (application_id == 0 && version == 0 && n_objects == 0)
    {
      if (!writable)
        {
          g_set_error (error, RC_ERROR, RC_ERROR_ARCHIVE, _("%s is empty, not a Rollcall archive"),
                       self->path);
          return FALSE;
        }
      /* WAL before the first table, so the schema itself is written in WAL mode. */
      if (!exec (self, "PRAGMA journal_mode = WAL", error))
        return FALSE;
      return create_schema (self, error);
    }
  if (application_id != RC_ARCHIVE_APPLICATION_ID)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_ARCHIVE,
                   _("%s is not a Rollcall archive (an SQLite database of another program)"),
                   self->path);
      return FALSE;
    }
  if (version > RC_ARCHIVE_SCHEMA_VERSION)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_ARCHIVE,
                   _ ("%s was written by a newer Rollcall (archive schema %" PRId64
                      "; this version reads schema %d)"),
                   self->path, version, RC_ARCHIVE_SCHEMA_VERSION);
      return FALSE;
    }
  if (version < 1)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_ARCHIVE, _("%s is damaged (no archive schema version)"),
                   self->path);
      return FALSE;
    }
  return TRUE;
}

/* Whether a reader can take part in WAL locking: the -shm file exists or can be made. */
static gboolean
can_share_wal (const char *path)
{
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autofree char *dir = g_path_get_dirname (path);

  return g_file_test (shm, G_FILE_TEST_EXISTS) || g_access (dir, W_OK) == 0;
}

RcArchive *
rc_archive_open (const char *path, RcArchiveFlags flags, GError **error)
{
  g_autoptr (RcArchive) self = NULL;
  gboolean writable = (flags & (RC_ARCHIVE_READ_WRITE | RC_ARCHIVE_CREATE)) != 0;
  const char *checkpoint_every;
  gboolean exists;
  int open_flags;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  exists = g_file_test (path, G_FILE_TEST_EXISTS);
  if (!exists && !(flags & RC_ARCHIVE_CREATE))
    {
      g_set_error (error, RC_ERROR, RC_ERROR_ARCHIVE, _("%s: no such archive"), path);
      return NULL;
    }
  if (exists && g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, RC_ERROR, RC_ERROR_ARCHIVE, _("%s is a folder, not an archive"), path);
      return NULL;
    }

  self = g_object_new (RC_TYPE_ARCHIVE, NULL);
  self->path = g_strdup (path);
  open_flags = writable ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY;
  if (flags & RC_ARCHIVE_CREATE)
    open_flags |= SQLITE_OPEN_CREATE;
  if (!writable && !can_share_wal (path))
    {
      /* An installed archive (the bundled demo) sits in a folder the reader cannot
       * write, so SQLite cannot make the -shm file WAL readers need. No writer is
       * active there either (it would have made one), so read it as immutable. */
      g_autofree char *absolute = g_canonicalize_filename (path, NULL);
      g_autofree char *uri = g_filename_to_uri (absolute, NULL, NULL);
      g_autofree char *immutable = g_strconcat (uri, "?immutable=1", NULL);

      rc = sqlite3_open_v2 (immutable, &self->db, open_flags | SQLITE_OPEN_URI, NULL);
    }
  else
    rc = sqlite3_open_v2 (path, &self->db, open_flags, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_ARCHIVE, _("%s cannot be opened (%s)"), path,
                   self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return NULL;
    }
  /* A feed server may be writing while a browser or a clerk reads. */
  sqlite3_busy_timeout (self->db, 5000);
  sqlite3_extended_result_codes (self->db, TRUE);

  if (!check_identity (self, writable, error))
    return NULL;
  if (!exec (self, "PRAGMA foreign_keys = ON", error))
    return NULL;
  if (writable
      && (!exec (self, "PRAGMA journal_mode = WAL", error)
          || !exec (self, "PRAGMA synchronous = FULL", error)))
    return NULL;
  rc_archive_checkpoint_setup (self, writable);
  rc_archive_index_setup (self);
  checkpoint_every = g_getenv ("ROLLCALL_ARCHIVE_TEST_CHECKPOINT_EVERY");
  if (checkpoint_every != NULL)
    rc_archive_set_checkpoint_every (self, (guint) g_ascii_strtoull (checkpoint_every, NULL, 10));

  return g_steal_pointer (&self);
}

void
rc_archive_set_checkpoint_every (RcArchive *self, guint events)
{
  g_return_if_fail (RC_IS_ARCHIVE (self));
  self->checkpoint_every = events;
  /* every `events` events, whatever their size */
  self->checkpoint_ratio = 0;
}

const char *
rc_archive_get_path (RcArchive *self)
{
  g_return_val_if_fail (RC_IS_ARCHIVE (self), NULL);
  return self->path;
}

/* ---------------------------------------------------------------- transactions */

gboolean
rc_archive_begin (RcArchive *self, GError **error)
{
  return exec (self, "BEGIN IMMEDIATE", error);
}

gboolean
rc_archive_commit (RcArchive *self, GError **error)
{
  if (exec (self, "COMMIT", error))
    return TRUE;
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

gboolean
rc_archive_rollback (RcArchive *self)
{
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

/* ---------------------------------------------------------------- reading */

gint64
rc_archive_get_last_seq (RcArchive *self, const char *session_id, GError **error)
{
  g_autoptr (RcArchiveStmt) stmt = NULL;
  gboolean has_row;

  g_return_val_if_fail (RC_IS_ARCHIVE (self), -1);
  g_return_val_if_fail (session_id != NULL, -1);

  stmt = rc_archive_stmt_bind (
    self, "SELECT coalesce (max (seq), 0) FROM journal WHERE session_id = ?", session_id, error);
  if (stmt == NULL || !rc_archive_step_row (self, stmt, &has_row, error))
    return -1;
  return has_row ? sqlite3_column_int64 (stmt, 0) : 0;
}

gboolean
rc_archive_has_session (RcArchive *self, const char *session_id, gboolean *out_has, GError **error)
{
  g_autoptr (RcArchiveStmt) stmt = NULL;

  g_return_val_if_fail (RC_IS_ARCHIVE (self), FALSE);
  g_return_val_if_fail (session_id != NULL && out_has != NULL, FALSE);

  stmt = rc_archive_stmt_bind (self, "SELECT 1 FROM sessions WHERE id = ?", session_id, error);
  return stmt != NULL && rc_archive_step_row (self, stmt, out_has, error);
}

gboolean
rc_archive_get_latest_session (RcArchive *self, char **out_id, GError **error)
{
  g_autoptr (RcArchiveStmt) stmt = NULL;
  gboolean has_row;

  g_return_val_if_fail (RC_IS_ARCHIVE (self), FALSE);
  g_return_val_if_fail (out_id != NULL, FALSE);

  /* One lookup of each session's first event by the journal's key, not a scan of the
   * journals (a day's journal can hold a million events). Ties go to the last in
   * (date, id) order, as in rc_archive_list_sessions(). */
  stmt = rc_archive_stmt (self,
                          "SELECT s.id FROM sessions s"
                          " LEFT JOIN journal j ON j.session_id = s.id AND j.seq = 1"
                          " ORDER BY coalesce (j.time_us, 0) DESC, s.date DESC, s.id DESC LIMIT 1",
                          error);
  if (stmt == NULL || !rc_archive_step_row (self, stmt, &has_row, error))
    return FALSE;
  *out_id = has_row ? g_strdup (column_text (stmt, 0)) : NULL;
  return TRUE;
}

void
rc_archive_session_row_free (RcArchiveSessionRow *row)
{
  if (row == NULL)
    return;
  g_free (row->id);
  g_free (row->meeting);
  g_free (row->date);
  g_free (row->title);
  g_free (row->chamber_id);
  g_free (row);
}

GPtrArray *
rc_archive_list_sessions (RcArchive *self, GError **error)
{
  g_autoptr (RcArchiveStmt) stmt = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  int rc;

  g_return_val_if_fail (RC_IS_ARCHIVE (self), NULL);

  stmt = rc_archive_stmt (self,
                          "SELECT s.id, s.meeting, s.date, s.title, s.chamber_id,"
                          " (SELECT count (*) FROM votes v WHERE v.session_id = s.id),"
                          " count (j.seq), coalesce (min (j.time_us), 0),"
                          " coalesce (max (j.time_us), 0)"
                          " FROM sessions s LEFT JOIN journal j ON j.session_id = s.id"
                          " GROUP BY s.id ORDER BY s.date, s.id",
                          error);
  if (stmt == NULL)
    return NULL;

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) rc_archive_session_row_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RcArchiveSessionRow *row = g_new0 (RcArchiveSessionRow, 1);

      row->id = g_strdup (column_text (stmt, 0));
      row->meeting = g_strdup (column_text (stmt, 1));
      row->date = g_strdup (column_text (stmt, 2));
      row->title = g_strdup (column_text (stmt, 3));
      row->chamber_id = g_strdup (column_text (stmt, 4));
      row->n_votes = sqlite3_column_int (stmt, 5);
      row->n_events = sqlite3_column_int64 (stmt, 6);
      row->first_time = sqlite3_column_int64 (stmt, 7);
      row->last_time = sqlite3_column_int64 (stmt, 8);
      g_ptr_array_add (rows, row);
    }
  if (rc != SQLITE_DONE)
    {
      rc_archive_set_sqlite_error (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

/* On a break, the events read before it go to *partial (if asked for). */
static GPtrArray *
give_partial (GPtrArray **events, GPtrArray **partial)
{
  if (partial != NULL)
    *partial = g_steal_pointer (events);
  return NULL;
}

static GPtrArray *
load_range (RcArchive *self, const char *session_id, gint64 after, gint64 last, gsize *bytes,
            GPtrArray **partial, GError **error)
{
  g_autoptr (RcArchiveStmt) stmt = NULL;
  g_autoptr (GPtrArray) events = NULL;
  gint64 expected = after + 1;
  gsize total = 0;
  int rc;

  stmt = rc_archive_stmt (self,
                          "SELECT seq, payload FROM journal WHERE session_id = ? AND seq > ?"
                          " AND seq <= ? ORDER BY seq",
                          error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, session_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, after);
  sqlite3_bind_int64 (stmt, 3, last);

  events = g_ptr_array_new_with_free_func ((GDestroyNotify) rc_event_unref);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 seq = sqlite3_column_int64 (stmt, 0);
      const char *payload = (const char *) sqlite3_column_text (stmt, 1);
      int length = sqlite3_column_bytes (stmt, 1);
      g_autoptr (GError) local = NULL;
      RcEvent *event;

      /* The file may have been edited by hand: a gap or a payload at odds with its
       * row would replay a different session than the one recorded. */
      if (seq != expected)
        {
          g_set_error (error, RC_ERROR, RC_ERROR_ARCHIVE,
                       _ ("%s: the journal of session '%s' has a gap before event %" PRId64),
                       self->path, session_id, seq);
          return give_partial (&events, partial);
        }
      expected++;
      total += length;
      event = rc_codec_decode (payload != NULL ? payload : "", length, &local);
      if (event == NULL)
        {
          g_set_error (error, RC_ERROR, RC_ERROR_ARCHIVE,
                       _ ("%s: session '%s', event %" PRId64 ": %s"), self->path, session_id, seq,
                       local->message);
          return give_partial (&events, partial);
        }
      if (event->seq != seq)
        {
          g_set_error (error, RC_ERROR, RC_ERROR_ARCHIVE,
                       _ ("%s: session '%s', event %" PRId64 " says it is event %" PRId64),
                       self->path, session_id, seq, event->seq);
          rc_event_unref (event);
          return give_partial (&events, partial);
        }
      /* Replay takes the chamber and roster from here: another session's would
       * replay this one's votes against the wrong members. */
      if (seq == 1
          && (event->type != RC_EVENT_SESSION || g_strcmp0 (event->session->id, session_id) != 0))
        {
          g_autofree char *first
            = event->type == RC_EVENT_SESSION
                ? g_strdup_printf ("the session event of '%s'", event->session->id)
                : g_strdup_printf ("a %s event", rc_event_type_to_string (event->type));

          g_set_error (error, RC_ERROR, RC_ERROR_ARCHIVE,
                       _("%s: the journal of session '%s' starts with %s, not its own session event"),
                       self->path, session_id, first);
          rc_event_unref (event);
          return give_partial (&events, partial);
        }
      /* (only an event that passed every check: a part exported is all good) */
      g_ptr_array_add (events, event);
    }
  if (rc != SQLITE_DONE)
    {
      rc_archive_set_sqlite_error (self, rc, error);
      return give_partial (&events, partial);
    }
  if (bytes != NULL)
    *bytes = total;
  return g_steal_pointer (&events);
}

GPtrArray *
rc_archive_load_range (RcArchive *self, const char *session_id, gint64 after, gint64 last,
                       gsize *bytes, GError **error)
{
  return load_range (self, session_id, after, last, bytes, NULL, error);
}

static gboolean
check_session (RcArchive *self, const char *session_id, GError **error)
{
  gboolean has;

  if (!rc_archive_has_session (self, session_id, &has, error))
    return FALSE;
  if (!has)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_UNKNOWN_SESSION, _("%s has no session '%s'"),
                   self->path, session_id);
      return FALSE;
    }
  return TRUE;
}

static GPtrArray *
load_events (RcArchive *self, const char *session_id, GError **error)
{
  g_autoptr (GPtrArray) events = NULL;

  if (!check_session (self, session_id, error))
    return NULL;
  events = rc_archive_load_range (self, session_id, 0, G_MAXINT64, NULL, error);
  if (events == NULL)
    return NULL;
  if (events->len == 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_ARCHIVE,
                   _("%s: the journal of session '%s' is empty (not even its session event)"),
                   self->path, session_id);
      return NULL;
    }
  return g_steal_pointer (&events);
}

GPtrArray *
rc_archive_load_events (RcArchive *self, const char *session_id, GError **error)
{
  GError *local = NULL;
  GPtrArray *events;

  g_return_val_if_fail (RC_IS_ARCHIVE (self), NULL);
  g_return_val_if_fail (session_id != NULL, NULL);

  events = load_events (self, session_id, &local);
  /* The refusals quote the rows (a session's id), which an edited file may fill with
   * anything. */
  if (local != NULL)
    {
      rc_error_make_one_line (local);
      g_propagate_error (error, local);
    }
  return events;
}

GPtrArray *
rc_archive_load_events_partial (RcArchive *self, const char *session_id, GError **broken,
                                GError **error)
{
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (GPtrArray) partial = NULL;
  GError *local = NULL;

  g_return_val_if_fail (RC_IS_ARCHIVE (self), NULL);
  g_return_val_if_fail (session_id != NULL, NULL);

  if (!check_session (self, session_id, error))
    return NULL;
  events = load_range (self, session_id, 0, G_MAXINT64, NULL, &partial, &local);
  if (events != NULL)
    return g_steal_pointer (&events);
  /* the rows could not be read at all: no part */
  if (partial == NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  rc_error_make_one_line (local);
  g_propagate_error (broken, local);
  return g_steal_pointer (&partial);
}

GPtrArray *
rc_archive_load_events_range (RcArchive *self, const char *session_id, gint64 after, gint64 last,
                              GError **error)
{
  g_autoptr (GPtrArray) events = NULL;

  g_return_val_if_fail (RC_IS_ARCHIVE (self), NULL);
  g_return_val_if_fail (session_id != NULL, NULL);
  g_return_val_if_fail (after >= 0 && last >= after, NULL);

  events = rc_archive_load_range (self, session_id, after, last, NULL, error);
  if (events != NULL && last != G_MAXINT64 && (gint64) events->len != last - after)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_ARCHIVE,
                   _ ("%s: the journal of session '%s' has no event %" PRId64), self->path,
                   session_id, after + events->len + 1);
      return NULL;
    }
  return g_steal_pointer (&events);
}

RcSession *
rc_archive_load_state (RcArchive *self, const char *session_id, GPtrArray **tail, GError **error)
{
  g_autoptr (GError) refusal = NULL;
  RcJournalState *state;
  RcSession *session;

  g_return_val_if_fail (RC_IS_ARCHIVE (self), NULL);
  g_return_val_if_fail (session_id != NULL, NULL);

  if (!check_session (self, session_id, error))
    return NULL;
  state = rc_archive_fold_journal (self, session_id, tail, &refusal, error);
  if (state == NULL)
    {
      if (refusal != NULL)
        g_set_error (error, RC_ERROR, RC_ERROR_ARCHIVE,
                     _("%s: the journal of session '%s' is damaged: %s"), self->path, session_id,
                     refusal->message);
      return NULL;
    }
  /* The caller's state is its own (it applies what it publishes, the archive what it
   * commits). The archive keeps a snapshot of it, made into a session of its own when
   * an append needs it, so that appending does not fold again (and a restart does not
   * pay for that before it listens). */
  session = g_steal_pointer (&state->session);
  state->base = rc_session_snapshot (session);
  g_hash_table_replace (self->states, g_strdup (session_id), state);
  return session;
}
