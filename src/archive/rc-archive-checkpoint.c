/* rc-archive-checkpoint.c — a session's state kept beside its journal, so that a feed
 * server restarting on a long journal does not fold all of it.
 *
 * A checkpoint is the snapshot (docs/feed-protocol.md §3) of the session's state after
 * one event of its journal, written in the same transaction as that event, so that a
 * crash leaves either both or neither. It is only an accelerator: the journal stays the
 * truth. Loading folds the events after the checkpoint onto it; a checkpoint that is
 * missing, of another format, damaged, or no longer the journal's (a row at or before
 * its event was edited: triggers in the file delete it, whatever tool made the edit) is
 * passed over, with a log line, and the whole journal folded instead. When the journal
 * itself is refused, it is refused as before, with or without a checkpoint.
 * docs/archive.md, "Checkpoints". */
#include "rc-archive.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "codec/rc-codec.h"
#include "model/rc-error.h"
#include "rc-archive-private.h"

/* How `state` is written: 1 is the snapshot message of feed protocol version 1, folded
 * by this version's state machine. Any change to either bumps it, so that a checkpoint
 * of another version is folded anew rather than trusted. */
#define CHECKPOINT_FORMAT 1

/* A stream id for the snapshot message; a session id may hold characters a stream id
 * may not. */
#define CHECKPOINT_STREAM "checkpoint"

/* The triggers make an edit of the journal at or before a checkpoint's event delete
 * that checkpoint, in the editor's own transaction: a clerk's tool, an older Rollcall
 * and Rollcall itself run them alike. Rows after the checkpoint are folded on loading
 * anyway. (An INSERT at or before it can only follow a DELETE, or be an INSERT OR
 * REPLACE, whose deletion fires no trigger.) IF NOT EXISTS: two programs may add them to
 * an older archive at once. */
const char rc_archive_checkpoint_schema_sql[]
  = "CREATE TABLE IF NOT EXISTS checkpoints ("
    "  session_id TEXT PRIMARY KEY NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,"
    "  seq INTEGER NOT NULL CHECK (seq >= 1),"
    "  time_us INTEGER NOT NULL,"
    "  format INTEGER NOT NULL,"
    "  state TEXT NOT NULL,"
    "  checksum TEXT NOT NULL"
    ");"
    "CREATE TRIGGER IF NOT EXISTS checkpoints_journal_update AFTER UPDATE ON journal BEGIN"
    "  DELETE FROM checkpoints WHERE session_id IN (OLD.session_id, NEW.session_id);"
    " END;"
    "CREATE TRIGGER IF NOT EXISTS checkpoints_journal_delete AFTER DELETE ON journal"
    " WHEN OLD.seq <= (SELECT seq FROM checkpoints WHERE session_id = OLD.session_id) BEGIN"
    "  DELETE FROM checkpoints WHERE session_id = OLD.session_id;"
    " END;"
    "CREATE TRIGGER IF NOT EXISTS checkpoints_journal_insert AFTER INSERT ON journal"
    " WHEN NEW.seq <= (SELECT seq FROM checkpoints WHERE session_id = NEW.session_id) BEGIN"
    "  DELETE FROM checkpoints WHERE session_id = NEW.session_id;"
    " END;";

void
rc_journal_state_free (RcJournalState *state)
{
  if (state == NULL)
    return;
  g_clear_object (&state->session);
  g_clear_pointer (&state->base, rc_snapshot_unref);
  g_free (state);
}

static gboolean
has_table (RcArchive *self, gboolean *has, GError **error)
{
  g_autoptr (RcArchiveStmt) stmt = rc_archive_stmt (
    self, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'checkpoints'", error);

  return stmt != NULL && rc_archive_step_row (self, stmt, has, error);
}

void
rc_archive_checkpoint_setup (RcArchive *self, gboolean writable)
{
  g_autoptr (GError) error = NULL;
  gboolean has = FALSE;

  self->has_checkpoints = FALSE;
  if (!has_table (self, &has, &error))
    {
      g_message ("%s: checkpoints not used: %s", self->path, error->message);
      return;
    }
  if (has || !writable)
    {
      /* Read only, an archive without the table is read as it always was. */
      self->has_checkpoints = has;
      return;
    }
  /* An archive made before checkpoints: add them, in one transaction. */
  if (rc_archive_begin (self, &error))
    {
      if (sqlite3_exec (self->db, rc_archive_checkpoint_schema_sql, NULL, NULL, NULL) != SQLITE_OK)
        {
          rc_archive_set_sqlite_error (self, sqlite3_errcode (self->db), &error);
          rc_archive_rollback (self);
        }
      else if (rc_archive_commit (self, &error))
        self->has_checkpoints = TRUE;
    }
  if (!self->has_checkpoints)
    g_message ("%s: checkpoints not added (%s); the journal is folded whole on loading", self->path,
               error->message);
}

/* Over every column, so that an edit of any of them by hand shows. */
static char *
checksum (const char *session_id, gint64 seq, gint64 time, gint64 format, const char *state)
{
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *numbers = g_strdup_printf (
    "\n%" G_GINT64_FORMAT "\n%" G_GINT64_FORMAT "\n%" G_GINT64_FORMAT "\n", seq, time, format);

  g_checksum_update (sum, (const guchar *) session_id, -1);
  g_checksum_update (sum, (const guchar *) numbers, -1);
  g_checksum_update (sum, (const guchar *) state, -1);
  return g_strdup (g_checksum_get_string (sum));
}

/* The session's checkpoint if it can be trusted; NULL with *why unset when there is
 * none, with *why saying why it is passed over otherwise. *size: its state's length. */
static RcSnapshot *
read_checkpoint (RcArchive *self, const char *session_id, gsize *size, GError **why)
{
  g_autoptr (RcArchiveStmt) stmt = NULL;
  g_autoptr (RcArchiveStmt) row = NULL;
  g_autoptr (RcMessage) message = NULL;
  g_autoptr (GError) local = NULL;
  g_autofree char *expected = NULL;
  const char *state, *sum;
  gint64 seq, time, format;
  gboolean has_row;

  if (!self->has_checkpoints)
    return NULL;
  stmt = rc_archive_stmt_bind (self,
                               "SELECT seq, time_us, format, state, checksum FROM checkpoints"
                               " WHERE session_id = ?",
                               session_id, why);
  if (stmt == NULL || !rc_archive_step_row (self, stmt, &has_row, why) || !has_row)
    return NULL;
  seq = sqlite3_column_int64 (stmt, 0);
  time = sqlite3_column_int64 (stmt, 1);
  format = sqlite3_column_int64 (stmt, 2);
  state = (const char *) sqlite3_column_text (stmt, 3);
  sum = (const char *) sqlite3_column_text (stmt, 4);
  if (format != CHECKPOINT_FORMAT)
    {
      g_set_error (why, RC_ERROR, RC_ERROR_ARCHIVE,
                   _ ("it is of format %" PRId64 " (this version reads format %d)"), format,
                   CHECKPOINT_FORMAT);
      return NULL;
    }
  if (state == NULL || sum == NULL)
    {
      g_set_error_literal (why, RC_ERROR, RC_ERROR_ARCHIVE, _ ("it is damaged (a NULL column)"));
      return NULL;
    }
  expected = checksum (session_id, seq, time, format, state);
  if (!g_str_equal (expected, sum))
    {
      g_set_error_literal (why, RC_ERROR, RC_ERROR_ARCHIVE,
                           _ ("its checksum does not match (damaged, or edited by hand)"));
      return NULL;
    }
  *size = strlen (state);
  message = rc_codec_decode_message (state, -1, &local);
  if (message == NULL || message->kind != RC_MESSAGE_SNAPSHOT)
    {
      g_set_error (why, RC_ERROR, RC_ERROR_ARCHIVE, _ ("it cannot be read (%s)"),
                   local != NULL ? local->message : "not a snapshot");
      return NULL;
    }
  if (message->snapshot->seq != seq || message->snapshot->time != time
      || message->snapshot->session == NULL
      || g_strcmp0 (message->snapshot->session->id, session_id) != 0)
    {
      g_set_error_literal (why, RC_ERROR, RC_ERROR_ARCHIVE,
                           _ ("its state is not the one its row says (another event or session)"));
      return NULL;
    }
  /* Released first: a reader holds back SQLite copying the WAL into the file. */
  g_clear_pointer (&stmt, rc_archive_stmt_release);

  /* The triggers delete a checkpoint whose journal was edited; should they have been
   * dropped, its own event at least must still be there as it was. */
  row = rc_archive_stmt (self, "SELECT time_us FROM journal WHERE session_id = ? AND seq = ?", why);
  if (row == NULL)
    return NULL;
  sqlite3_bind_text (row, 1, session_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (row, 2, seq);
  if (!rc_archive_step_row (self, row, &has_row, why))
    return NULL;
  if (!has_row || sqlite3_column_int64 (row, 0) != time)
    {
      g_set_error (why, RC_ERROR, RC_ERROR_ARCHIVE,
                   _ ("event %" PRId64 " of the journal is not the one it was taken after"), seq);
      return NULL;
    }
  return rc_snapshot_ref (message->snapshot);
}

/* Folds tail onto session, each event as the live feed applied it; FALSE with error
 * naming the first refused. */
static gboolean
fold_strictly (RcSession *session, GPtrArray *tail, GError **error)
{
  for (guint i = 0; i < tail->len; i++)
    {
      const RcEvent *event = g_ptr_array_index (tail, i);
      g_autoptr (GError) local = NULL;

      if (!rc_session_apply (session, event, &local))
        {
          g_set_error (error, RC_ERROR, local->code, _ ("event %" PRId64 " is refused (%s)"),
                       event->seq, local->message);
          return FALSE;
        }
    }
  return TRUE;
}

RcJournalState *
rc_archive_fold_journal (RcArchive *self, const char *session_id, GPtrArray **out_tail,
                         GError **refusal, GError **error)
{
  g_autoptr (GError) why = NULL;
  g_autoptr (RcSnapshot) checkpoint = NULL;
  g_autoptr (GPtrArray) tail = NULL;
  g_autoptr (RcJournalState) state = g_new0 (RcJournalState, 1);
  gsize size = 0;

  checkpoint = read_checkpoint (self, session_id, &size, &why);
  for (;;)
    {
      g_autoptr (GError) local = NULL;
      gint64 after = checkpoint != NULL ? checkpoint->seq : 0;

      g_clear_pointer (&tail, g_ptr_array_unref);
      g_clear_object (&state->session);
      tail
        = rc_archive_load_range (self, session_id, after, G_MAXINT64, &state->bytes_since, error);
      if (tail == NULL)
        return NULL;
      if (checkpoint == NULL)
        {
          if (tail->len == 0)
            {
              g_set_error (error, RC_ERROR, RC_ERROR_ARCHIVE,
                           _("%s: the journal of session '%s' is empty (not even its session "
                              "event)"),
                           self->path, session_id);
              return NULL;
            }
          state->session = rc_session_new ();
          if (!fold_strictly (state->session, tail, refusal))
            return NULL;
          break;
        }
      state->session = rc_session_new_from_snapshot (checkpoint, &local);
      if (state->session != NULL && fold_strictly (state->session, tail, &local))
        {
          state->checkpoint_seq = checkpoint->seq;
          state->checkpoint_size = size;
          break;
        }
      /* The journal is the truth: whether the checkpoint or the journal is wrong, the
       * whole journal's fold says. */
      g_set_error (&why, RC_ERROR, RC_ERROR_ARCHIVE, "%s", local->message);
      g_clear_pointer (&checkpoint, rc_snapshot_unref);
    }
  if (why != NULL)
    g_message ("%s: session '%s': its checkpoint is not used: %s; the whole journal was folded",
               self->path, session_id, why->message);
  if (out_tail != NULL)
    *out_tail = g_steal_pointer (&tail);
  return g_steal_pointer (&state);
}

gboolean
rc_archive_checkpoint_due (RcArchive *self, const RcJournalState *state, gint64 seq)
{
  if (!self->has_checkpoints || self->checkpoint_every == 0)
    return FALSE;
  return seq - state->checkpoint_seq >= self->checkpoint_every
         && (self->checkpoint_ratio == 0
             || state->bytes_since * self->checkpoint_ratio >= state->checkpoint_size);
}

gboolean
rc_archive_checkpoint_write (RcArchive *self, const char *session_id, RcJournalState *state,
                             GError **error)
{
  g_autoptr (RcArchiveStmt) stmt = NULL;
  g_autoptr (RcSnapshot) snapshot = rc_session_snapshot (state->session);
  g_autofree char *text = rc_codec_encode_snapshot (snapshot, CHECKPOINT_STREAM);
  g_autofree char *sum
    = checksum (session_id, snapshot->seq, snapshot->time, CHECKPOINT_FORMAT, text);
  gboolean has_row;

  g_assert (snapshot->seq >= 1);
  stmt = rc_archive_stmt (self,
                          "INSERT OR REPLACE INTO checkpoints"
                          " (session_id, seq, time_us, format, state, checksum)"
                          " VALUES (?, ?, ?, ?, ?, ?)",
                          error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, session_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, snapshot->seq);
  sqlite3_bind_int64 (stmt, 3, snapshot->time);
  sqlite3_bind_int (stmt, 4, CHECKPOINT_FORMAT);
  sqlite3_bind_text (stmt, 5, text, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, sum, -1, SQLITE_STATIC);
  if (!rc_archive_step_row (self, stmt, &has_row, error))
    return FALSE;
  state->checkpoint_seq = snapshot->seq;
  state->checkpoint_size = strlen (text);
  state->bytes_since = 0;
  return TRUE;
}
