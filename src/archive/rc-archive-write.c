/* rc-archive-write.c — appending to a session's journal, and writing whole sessions.
 *
 * An archive must not hold a journal that replay would refuse, so every event is
 * checked before its row is written: its sequence number and time against the
 * journal's last row, the codec by reading back what it is about to store, and the
 * session state machine (an RcSession folded from the journal, kept per session) for
 * everything else — unknown members or votes, a ballot after the lock. The state
 * follows the journal only once the transaction is committed. Heartbeats are never
 * journalled. Schema and invariants: docs/archive.md. */
#include "rc-archive.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "codec/rc-codec.h"
#include "model/rc-error.h"
#include "model/rc-replay.h"
#include "rc-archive-private.h"

/* ---------------------------------------------------------------- index rows */

static gboolean
write_session_row (RcArchive *self, const RcEvent *event, gboolean is_new, GError **error)
{
  g_autoptr (RcArchiveStmt) stmt = NULL;
  g_autoptr (GDateTime) now = NULL;
  g_autofree char *created = NULL;
  gboolean has_row;

  if (is_new)
    {
      stmt = rc_archive_stmt (self,
                              "INSERT INTO sessions (meeting, date, title, chamber_id, id, created)"
                              " VALUES (?, ?, ?, ?, ?, ?)",
                              error);
      now = g_date_time_new_now_utc ();
      created = g_date_time_format_iso8601 (now);
    }
  else
    {
      /* A later SESSION event (say, a roster fix) updates what the index shows. */
      stmt = rc_archive_stmt (self,
                              "UPDATE sessions SET meeting = ?, date = ?, title = ?, chamber_id = ?"
                              " WHERE id = ?",
                              error);
    }
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, event->session->meeting ? event->session->meeting : "", -1,
                     SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, event->session->date ? event->session->date : "", -1,
                     SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, event->session->title ? event->session->title : "", -1,
                     SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, event->chamber->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, event->session->id, -1, SQLITE_TRANSIENT);
  if (is_new)
    sqlite3_bind_text (stmt, 6, created, -1, SQLITE_TRANSIENT);
  return rc_archive_step_row (self, stmt, &has_row, error);
}

static gboolean
write_vote_row (RcArchive *self, const char *session_id, const RcVoteInfo *vote, GError **error)
{
  g_autoptr (RcArchiveStmt) stmt = NULL;
  int rc;

  stmt = rc_archive_stmt (self,
                          "INSERT INTO votes (session_id, vote_id, position, symbol, draft, title)"
                          " SELECT ?1, ?2, count (*) + 1, ?3, ?4, ?5"
                          " FROM votes WHERE session_id = ?1"
                          /* a scheduled vote described again keeps its place */
                          " ON CONFLICT (session_id, vote_id) DO UPDATE SET"
                          " symbol = excluded.symbol, draft = excluded.draft,"
                          " title = excluded.title",
                          error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, session_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, vote->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, vote->symbol, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, vote->draft, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, vote->title ? vote->title : "", -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if ((rc & 0xff) == SQLITE_CONSTRAINT)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_MESSAGE, _("session '%s' already has a vote '%s'"),
                   session_id, vote->id);
      return FALSE;
    }
  if (rc != SQLITE_DONE)
    {
      rc_archive_set_sqlite_error (self, rc, error);
      return FALSE;
    }
  return TRUE;
}

/* ---------------------------------------------------------------- checks */

/* The journal's last row: its seq and time, both 0 when the session has none. */
static gboolean
journal_tail (RcArchive *self, const char *session_id, gint64 *seq, gint64 *time,
              GError **error)
{
  g_autoptr (RcArchiveStmt) stmt = NULL;
  gboolean has_row;

  stmt = rc_archive_stmt_bind (self,
                               "SELECT seq, time_us FROM journal WHERE session_id = ?"
                               " ORDER BY seq DESC LIMIT 1",
                               session_id, error);
  if (stmt == NULL || !rc_archive_step_row (self, stmt, &has_row, error))
    return FALSE;
  *seq = has_row ? sqlite3_column_int64 (stmt, 0) : 0;
  *time = has_row ? sqlite3_column_int64 (stmt, 1) : 0;
  return TRUE;
}

/* The state machine's view of the session's journal up to (seq, time), the journal's
 * tail. Kept per session; folded afresh (from the session's checkpoint and the events
 * after it) when it is not in step with the journal: the first append since the
 * archive was opened, after a failed or rolled-back write, or when another program has
 * written to the session meanwhile. Borrowed from the cache. */
static RcJournalState *
journal_state (RcArchive *self, const char *session_id, gint64 seq, gint64 time, GError **error)
{
  RcJournalState *state = g_hash_table_lookup (self->states, session_id);
  g_autoptr (GError) refusal = NULL;

  if (state != NULL && state->session == NULL && state->base->seq == seq
      && (seq == 0 || state->base->time == time))
    {
      /* Kept as a snapshot when the state was loaded for someone else (a hub): made
       * into a session now that it is needed. */
      state->session = rc_session_new_from_snapshot (state->base, NULL);
      g_clear_pointer (&state->base, rc_snapshot_unref);
    }
  if (state != NULL && state->session != NULL && rc_session_get_last_seq (state->session) == seq
      && (seq == 0 || rc_session_get_last_time (state->session) == time))
    return state;

  g_hash_table_remove (self->states, session_id);
  if (seq == 0)
    {
      state = g_new0 (RcJournalState, 1);
      state->session = rc_session_new ();
    }
  else
    state = rc_archive_fold_journal (self, session_id, NULL, &refusal, error);
  if (state == NULL)
    {
      /* Adding to a journal replay already refuses would only bury the damage. */
      if (refusal != NULL)
        g_set_error (
          error, RC_ERROR, RC_ERROR_ARCHIVE,
          _("%s: the journal of session '%s' is damaged (%s); nothing can be added to it"),
          self->path, session_id, refusal->message);
      return NULL;
    }
  g_hash_table_replace (self->states, g_strdup (session_id), state);
  return state;
}

/* Whether event may follow the journal's last row (seq, time). */
static gboolean
check_place (const char *session_id, const RcEvent *event, gint64 seq, gint64 time,
             GError **error)
{
  const char *type = rc_event_type_to_string (event->type);

  /* A heartbeat says the feed is alive at a moment; it changes nothing to replay. */
  if (event->type == RC_EVENT_HEARTBEAT)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_MESSAGE,
                   _("session '%s': a heartbeat is not journalled"), session_id);
      return FALSE;
    }
  if (seq == 0 && event->type != RC_EVENT_SESSION)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_SEQUENCE,
                   _("session '%s' must start with a session event, not a %s event"), session_id,
                   type);
      return FALSE;
    }
  if (event->seq != seq + 1)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_SEQUENCE,
                   _ ("session '%s': event %" PRId64 " (%s) out of sequence; the next is %" PRId64),
                   session_id, event->seq, type, seq + 1);
      return FALSE;
    }
  /* Replay plays the journal in seq order on a clock: time must not run backwards. */
  if (seq > 0 && event->time < time)
    {
      g_autofree char *at = rc_codec_format_time (event->time);
      g_autofree char *last = rc_codec_format_time (time);

      g_set_error (error, RC_ERROR, RC_ERROR_SEQUENCE,
                   _ ("session '%s': event %" PRId64 " (%s) at %s is before event %" PRId64
                      " at %s: time goes backwards"),
                   session_id, event->seq, type, at, seq, last);
      return FALSE;
    }
  if (event->type == RC_EVENT_SESSION && g_strcmp0 (event->session->id, session_id) != 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_MESSAGE,
                   _("the session event of '%s' cannot go into session '%s'"), event->session->id,
                   session_id);
      return FALSE;
    }
  return TRUE;
}

/* Reading payloads back on a second thread, for a whole import: the rows are written
 * as they come, and the transaction commits only once every payload has been read
 * back (rc_read_back_finish), so the guarantee is the same as one by one, at half the
 * time on two cores. */
typedef struct _RcReadBack {
  GThreadPool *pool;
  GMutex lock;
  char *failure; /* the first refusal, or NULL */
} RcReadBack;

typedef struct {
  char *session_id;
  gint64 seq;
  RcEventType type;
  char *payload;
} ReadBackItem;

static void
read_back_one (gpointer data, gpointer user_data)
{
  ReadBackItem *item = data;
  RcReadBack *rb = user_data;
  g_autoptr (GError) local = NULL;
  g_autoptr (RcEvent) again = rc_codec_decode (item->payload, -1, &local);

  if (again == NULL)
    {
      g_mutex_lock (&rb->lock);
      if (rb->failure == NULL)
        rb->failure = g_strdup_printf (
          "session '%s': event %" G_GINT64_FORMAT " (%s) cannot be journalled: %s",
          item->session_id, item->seq, rc_event_type_to_string (item->type), local->message);
      g_mutex_unlock (&rb->lock);
    }
  g_free (item->session_id);
  g_free (item->payload);
  g_free (item);
}

static RcReadBack *
read_back_new (void)
{
  RcReadBack *rb = g_new0 (RcReadBack, 1);

  g_mutex_init (&rb->lock);
  rb->pool = g_thread_pool_new (read_back_one, rb, 1, TRUE, NULL);
  return rb;
}

/* Waits for every payload; FALSE with the first refusal. Frees rb. */
static gboolean
read_back_finish (RcReadBack *rb, GError **error)
{
  gboolean ok;

  g_thread_pool_free (rb->pool, FALSE, TRUE);
  ok = rb->failure == NULL;
  if (!ok)
    g_set_error_literal (error, RC_ERROR, RC_ERROR_BAD_MESSAGE, rb->failure);
  g_free (rb->failure);
  g_mutex_clear (&rb->lock);
  g_free (rb);
  return ok;
}

/* The payload to store: the codec's text, read back, so that nothing goes into the
 * journal that loading it would refuse (a NULL date, a string that is not UTF-8). */
static char *
encode_checked (RcArchive *self, const char *session_id, const RcEvent *event, GError **error)
{
  g_autofree char *payload = rc_codec_encode (event);
  g_autoptr (RcEvent) again = NULL;
  g_autoptr (GError) local = NULL;

  if (payload != NULL && self->read_back != NULL)
    {
      ReadBackItem *item = g_new0 (ReadBackItem, 1);

      item->session_id = g_strdup (session_id);
      item->seq = event->seq;
      item->type = event->type;
      item->payload = g_strdup (payload);
      /* a bounded queue: the memory of an import stays that of a few payloads */
      while (g_thread_pool_unprocessed (self->read_back->pool) > 256)
        g_usleep (200);
      g_thread_pool_push (self->read_back->pool, item, NULL);
      return g_steal_pointer (&payload);
    }
  if (payload != NULL)
    again = rc_codec_decode (payload, -1, &local);
  if (again == NULL)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_MESSAGE,
                   _ ("session '%s': event %" PRId64 " (%s) cannot be journalled: %s"), session_id,
                   event->seq, rc_event_type_to_string (event->type),
                   local != NULL ? local->message : "it cannot be encoded");
      return NULL;
    }
  return g_steal_pointer (&payload);
}

/* ---------------------------------------------------------------- appending */

/* Checks one event and writes its rows, inside a transaction the caller holds. Sets
 * *state to the journal's state, which the event has been checked against but not
 * applied to (the caller applies it once it knows the rows will stay), and *bytes to
 * the payload's length. */
static gboolean
append_in_transaction (RcArchive *self, const char *session_id, const RcEvent *event,
                       RcJournalState **state, gsize *bytes, GError **error)
{
  g_autoptr (RcArchiveStmt) stmt = NULL;
  g_autofree char *payload = NULL;
  g_autoptr (GError) refusal = NULL;
  const char *vote_id = event->vote_id;
  const char *member = NULL;
  gint64 seq, time;
  gboolean has_row;

  if (!journal_tail (self, session_id, &seq, &time, error)
      || !check_place (session_id, event, seq, time, error))
    return FALSE;
  *state = journal_state (self, session_id, seq, time, error);
  if (*state == NULL)
    return FALSE;
  if (!rc_session_check ((*state)->session, event, &refusal))
    {
      g_set_error (error, RC_ERROR, refusal->code,
                   _ ("session '%s': event %" PRId64 " refused: %s"), session_id, event->seq,
                   refusal->message);
      return FALSE;
    }
  payload = encode_checked (self, session_id, event, error);
  if (payload == NULL)
    return FALSE;

  switch (event->type)
    {
    case RC_EVENT_SESSION:
      if (!write_session_row (self, event, seq == 0, error))
        return FALSE;
      break;
    case RC_EVENT_VOTE_SCHEDULED:
      vote_id = event->vote->id;
      if (!write_vote_row (self, session_id, event->vote, error))
        return FALSE;
      break;
    case RC_EVENT_BALLOT:
    case RC_EVENT_VOTE_CORRECTED:
      member = event->member;
      break;
    default:
      break;
    }

  stmt = rc_archive_stmt (
    self,
    "INSERT INTO journal (session_id, seq, time_us, type, vote_id, member, payload)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)",
    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, session_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, event->seq);
  sqlite3_bind_int64 (stmt, 3, event->time);
  sqlite3_bind_text (stmt, 4, rc_event_type_to_string (event->type), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, vote_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, member, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, payload, -1, SQLITE_TRANSIENT);
  if (!rc_archive_step_row (self, stmt, &has_row, error))
    return FALSE;
  *bytes = strlen (payload);
  return TRUE;
}

/* Within a batch the next event is checked against the state after this one, so it
 * is applied before the commit; abandon_batch() forgets every state if the batch is
 * rolled back. */
static RcJournalState *
append_in_batch (RcArchive *self, const char *session_id, const RcEvent *event, GError **error)
{
  RcJournalState *state;
  gsize bytes;

  if (!append_in_transaction (self, session_id, event, &state, &bytes, error)
      || !rc_session_apply (state->session, event, error)
      || !rc_archive_index_note (self, session_id, state->session, event, error))
    return NULL;
  state->bytes_since += bytes;
  return state;
}

static gboolean
abandon_batch (RcArchive *self)
{
  g_hash_table_remove_all (self->states);
  return rc_archive_rollback (self);
}

gboolean
rc_archive_append (RcArchive *self, const char *session_id, const RcEvent *event, GError **error)
{
  RcJournalState *state = NULL;
  gsize bytes;

  g_return_val_if_fail (RC_IS_ARCHIVE (self), FALSE);
  g_return_val_if_fail (session_id != NULL && event != NULL, FALSE);

  if (!rc_archive_begin (self, error))
    return FALSE;
  if (!append_in_transaction (self, session_id, event, &state, &bytes, error))
    return rc_archive_rollback (self);
  state->bytes_since += bytes;
  if (rc_archive_checkpoint_due (self, state, event->seq))
    {
      /* The checkpoint is the state after this event, in the same transaction: applied
       * now, and folded afresh should the transaction not commit. */
      if (!rc_session_apply (state->session, event, error)
          || !rc_archive_checkpoint_write (self, session_id, state, error))
        {
          g_hash_table_remove (self->states, session_id);
          return rc_archive_rollback (self);
        }
      if (!rc_archive_commit (self, error))
        {
          g_hash_table_remove (self->states, session_id);
          return FALSE;
        }
      return TRUE;
    }
  if (!rc_archive_commit (self, error))
    {
      /* Nothing applied: the state is still the journal's (a full disk must not cost
       * a fold at every attempt). */
      state->bytes_since -= bytes;
      return FALSE;
    }
  /* Checked against this very state a moment ago; should it still refuse, the next
   * append folds the journal afresh rather than trust it. */
  if (!rc_session_apply (state->session, event, NULL))
    g_hash_table_remove (self->states, session_id);
  return TRUE;
}

gboolean
rc_archive_append_all (RcArchive *self, const char *session_id, GPtrArray *events, GError **error)
{
  RcJournalState *state = NULL;

  g_return_val_if_fail (RC_IS_ARCHIVE (self), FALSE);
  g_return_val_if_fail (session_id != NULL && events != NULL, FALSE);

  if (!rc_archive_begin (self, error))
    return FALSE;
  for (guint i = 0; i < events->len; i++)
    {
      state = append_in_batch (self, session_id, g_ptr_array_index (events, i), error);
      if (state == NULL)
        return abandon_batch (self);
    }
  /* One checkpoint at the end of the batch, if due: the batch commits whole. */
  if (state != NULL
      && rc_archive_checkpoint_due (self, state, rc_session_get_last_seq (state->session))
      && !rc_archive_checkpoint_write (self, session_id, state, error))
    return abandon_batch (self);
  if (!rc_archive_commit (self, error))
    {
      g_hash_table_remove_all (self->states);
      return FALSE;
    }
  return TRUE;
}

/* ---------------------------------------------------------------- whole sessions */

static gboolean
delete_session (RcArchive *self, const char *session_id, GError **error)
{
  /* Explicit rather than by ON DELETE CASCADE, which a clerk's tool may have off. */
  static const char *const sql[] = {
    "DELETE FROM checkpoints WHERE session_id = ?",
    "DELETE FROM vote_results WHERE session_id = ?",
    "DELETE FROM journal WHERE session_id = ?",
    "DELETE FROM votes WHERE session_id = ?",
    "DELETE FROM sessions WHERE id = ?",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (sql); i++)
    {
      if ((i == 0 && !self->has_checkpoints) || (i == 1 && !self->has_results))
        continue;
      g_autoptr (RcArchiveStmt) stmt = rc_archive_stmt_bind (self, sql[i], session_id, error);
      gboolean has_row;

      if (stmt == NULL || !rc_archive_step_row (self, stmt, &has_row, error))
        return FALSE;
    }
  return TRUE;
}

/* One session's journal into the open transaction. */
static gboolean
write_one (RcArchive *self, GPtrArray *events, gboolean replace, GError **error)
{
  const RcEvent *first;
  const char *session_id;
  gboolean has;

  if (events->len == 0)
    return TRUE;
  first = g_ptr_array_index (events, 0);
  if (first->type != RC_EVENT_SESSION)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_SEQUENCE,
                   _ ("a session must start with a session event, not a %s event"),
                   rc_event_type_to_string (first->type));
      return FALSE;
    }
  session_id = first->session->id;
  if (!rc_archive_has_session (self, session_id, &has, error))
    return FALSE;
  if (has && !replace)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_FAILED, _ ("%s already has session '%s'"), self->path,
                   session_id);
      return FALSE;
    }
  if (has && !delete_session (self, session_id, error))
    return FALSE;
  for (guint j = 0; j < events->len; j++)
    if (!append_in_batch (self, session_id, g_ptr_array_index (events, j), error))
      return FALSE;
  /* An import does not come back to append: keep memory flat over the whole
   * history of a body. */
  g_hash_table_remove (self->states, session_id);
  return TRUE;
}

gboolean
rc_archive_write_sessions (RcArchive *self, GPtrArray *journals, gboolean replace, GError **error)
{
  g_return_val_if_fail (RC_IS_ARCHIVE (self), FALSE);
  g_return_val_if_fail (journals != NULL, FALSE);

  if (!rc_archive_begin (self, error))
    return FALSE;
  for (guint i = 0; i < journals->len; i++)
    if (!write_one (self, g_ptr_array_index (journals, i), replace, error))
      return abandon_batch (self);
  return rc_archive_commit (self, error);
}

gboolean
rc_archive_write_sessions_from (RcArchive *self, RcArchiveJournalSource next, gpointer data,
                                gboolean replace, GError **error)
{
  g_return_val_if_fail (RC_IS_ARCHIVE (self), FALSE);
  g_return_val_if_fail (next != NULL, FALSE);

  if (!rc_archive_begin (self, error))
    return FALSE;
  self->read_back = read_back_new ();
  for (;;)
    {
      g_autoptr (GError) local = NULL;
      g_autoptr (GPtrArray) events = next (data, &local);

      if (events == NULL)
        {
          if (local != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local));
              goto fail;
            }
          break;
        }
      if (!write_one (self, events, replace, error))
        goto fail;
    }
  /* every payload read back before anything is committed */
  if (!read_back_finish (g_steal_pointer (&self->read_back), error))
    return abandon_batch (self);
  return rc_archive_commit (self, error);

fail:
  read_back_finish (g_steal_pointer (&self->read_back), NULL);
  return abandon_batch (self);
}
