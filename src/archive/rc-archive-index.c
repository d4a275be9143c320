/* rc-archive-index.c — what an archive holds, vote by vote, and the search over it.
 *
 * Listing the ~6,000 votes of a body's history with their totals, rule and verdict
 * must not fold 6,000 journals: each vote's result is kept in `vote_results`, written
 * in the transaction of the events that change it (an import), with the seq of the
 * journal's last event about the vote. A row is used only while it is fresh: a later
 * event about the vote (a live server appends without keeping the table), an edit of
 * the journal (the triggers delete the session's rows), an archive made before the
 * table — then that session is folded, as replay would. The journal stays the truth.
 *
 * The query is one function, rc_archive_query_matches(): every word of it in one of
 * the fields (symbol, draft, date, meeting, session title, vote title, session id,
 * chamber), whatever the case. The command line (rollcall-import --list) and the
 * replay desk's session browser both use it. */
#include "rc-archive-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "model/rc-error.h"
#include "model/rc-vote.h"

const char rc_archive_index_schema_sql[]
  = "CREATE TABLE IF NOT EXISTS vote_results ("
    "  session_id TEXT NOT NULL,"
    "  vote_id TEXT NOT NULL,"
    "  seq INTEGER NOT NULL,"
    "  state TEXT NOT NULL,"
    "  majority TEXT NOT NULL,"
    "  yes INTEGER NOT NULL, no INTEGER NOT NULL, abstain INTEGER NOT NULL,"
    "  not_voting INTEGER NOT NULL,"
    "  outcome TEXT NOT NULL,"
    "  reason TEXT NOT NULL,"
    "  PRIMARY KEY (session_id, vote_id)"
    ") WITHOUT ROWID;"
    "CREATE TRIGGER IF NOT EXISTS vote_results_journal_update AFTER UPDATE ON journal BEGIN"
    "  DELETE FROM vote_results WHERE session_id IN (OLD.session_id, NEW.session_id);"
    " END;"
    "CREATE TRIGGER IF NOT EXISTS vote_results_journal_delete AFTER DELETE ON journal BEGIN"
    "  DELETE FROM vote_results WHERE session_id = OLD.session_id;"
    " END;"
    /* an INSERT OR REPLACE of a row already folded into a result (REPLACE fires no
     * delete trigger) */
    "CREATE TRIGGER IF NOT EXISTS vote_results_journal_insert AFTER INSERT ON journal"
    " WHEN NEW.seq <= (SELECT max (seq) FROM vote_results WHERE session_id = NEW.session_id)"
    " BEGIN"
    "  DELETE FROM vote_results WHERE session_id = NEW.session_id;"
    " END;";

void
rc_archive_index_setup (RcArchive *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RcArchiveStmt) stmt = rc_archive_stmt (
    self, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'vote_results'", &error);
  gboolean has = FALSE;

  self->has_results = FALSE;
  if (stmt == NULL || !rc_archive_step_row (self, stmt, &has, &error))
    return;
  /* An archive made before the table is not changed for it (an import refused must
   * leave the file as it was): it is listed by folding. */
  self->has_results = has;
}

gboolean
rc_archive_index_note (RcArchive *self, const char *session_id, RcSession *session,
                       const RcEvent *event, GError **error)
{
  g_autoptr (RcArchiveStmt) stmt = NULL;
  RcVote *vote;
  const RcTally *t;
  const RcVerdict *v;
  gboolean has_row;

  if (!self->has_results || event->vote_id == NULL || event->type == RC_EVENT_ON_AIR
      || event->type == RC_EVENT_BALLOT)
    return TRUE;
  vote = rc_session_lookup_vote (session, event->vote_id, NULL);
  if (vote == NULL)
    return TRUE;
  t = rc_vote_get_tally (vote);
  v = rc_vote_get_verdict (vote);
  stmt = rc_archive_stmt (self,
                          "INSERT OR REPLACE INTO vote_results (session_id, vote_id, seq, state,"
                          " majority, yes, no, abstain, not_voting, outcome, reason)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, session_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, rc_vote_get_id (vote), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, event->seq);
  sqlite3_bind_text (stmt, 4, rc_vote_state_to_string (rc_vote_get_state (vote)), -1,
                     SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, rc_majority_to_string (rc_vote_get_info (vote)->majority), -1,
                     SQLITE_STATIC);
  sqlite3_bind_int (stmt, 6, (int) t->yes);
  sqlite3_bind_int (stmt, 7, (int) t->no);
  sqlite3_bind_int (stmt, 8, (int) t->abstain);
  sqlite3_bind_int (stmt, 9, (int) t->not_voting);
  sqlite3_bind_text (stmt, 10, rc_outcome_to_string (v->outcome), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 11, rc_reason_to_string (v->reason), -1, SQLITE_STATIC);
  return rc_archive_step_row (self, stmt, &has_row, error);
}

void
rc_archive_vote_row_free (RcArchiveVoteRow *row)
{
  if (row == NULL)
    return;
  g_free (row->session_id);
  g_free (row->date);
  g_free (row->meeting);
  g_free (row->chamber_id);
  g_free (row->session_title);
  g_free (row->vote_id);
  g_free (row->symbol);
  g_free (row->draft);
  g_free (row->title);
  g_free (row->problem);
  g_free (row);
}

static char *
text_or_null (sqlite3_stmt *stmt, int column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return text != NULL && *text != '\0' ? g_strdup (text) : NULL;
}

static int
name_index (const char *text, const char *(*to_string) (int), int n)
{
  for (int i = 0; i < n; i++)
    if (g_strcmp0 (to_string (i), text) == 0)
      return i;
  return -1;
}

static const char *
state_name (int i)
{
  return rc_vote_state_to_string ((RcVoteState) i);
}

static const char *
majority_name (int i)
{
  return rc_majority_to_string ((RcMajority) i);
}

static const char *
outcome_name (int i)
{
  return rc_outcome_to_string ((RcOutcome) i);
}

static const char *
reason_name (int i)
{
  return rc_reason_to_string ((RcReason) i);
}

/* The row's result from a folded session. */
static void
fill_from (RcArchiveVoteRow *row, RcSession *session)
{
  RcVote *vote = rc_session_lookup_vote (session, row->vote_id, NULL);

  if (vote == NULL)
    return;
  row->state = rc_vote_get_state (vote);
  row->majority = rc_vote_get_info (vote)->majority;
  row->tally = *rc_vote_get_tally (vote);
  row->outcome = rc_vote_get_verdict (vote)->outcome;
  row->reason = rc_vote_get_verdict (vote)->reason;
  row->known = TRUE;
}

GPtrArray *
rc_archive_list_votes (RcArchive *self, GError **error)
{
  g_autoptr (RcArchiveStmt) stmt = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GHashTable) stale = g_hash_table_new (g_str_hash, g_str_equal);
  int rc;

  g_return_val_if_fail (RC_IS_ARCHIVE (self), NULL);

  if (self->has_results)
    stmt = rc_archive_stmt (
      self,
      "SELECT s.id, s.date, s.meeting, s.chamber_id, s.title, v.vote_id, v.position, v.symbol,"
      " v.draft, v.title, r.state, r.majority, r.yes, r.no, r.abstain, r.not_voting, r.outcome,"
      " r.reason,"
      " r.seq IS NOT NULL AND r.seq >= (SELECT max (j.seq) FROM journal j"
      "   WHERE j.session_id = v.session_id AND j.vote_id = v.vote_id)"
      " FROM votes v JOIN sessions s ON s.id = v.session_id"
      " LEFT JOIN vote_results r ON r.session_id = v.session_id AND r.vote_id = v.vote_id"
      " ORDER BY s.date, s.id, v.position",
      error);
  else
    stmt = rc_archive_stmt (
      self,
      "SELECT s.id, s.date, s.meeting, s.chamber_id, s.title, v.vote_id, v.position, v.symbol,"
      " v.draft, v.title, NULL, NULL, 0, 0, 0, 0, NULL, NULL, 0"
      " FROM votes v JOIN sessions s ON s.id = v.session_id"
      " ORDER BY s.date, s.id, v.position",
      error);
  if (stmt == NULL)
    return NULL;

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) rc_archive_vote_row_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RcArchiveVoteRow *row = g_new0 (RcArchiveVoteRow, 1);
      int state = name_index ((const char *) sqlite3_column_text (stmt, 10), state_name,
                              RC_VOTE_CANCELLED + 1);
      int majority
        = name_index ((const char *) sqlite3_column_text (stmt, 11), majority_name, RC_MAJORITY_N);
      int outcome
        = name_index ((const char *) sqlite3_column_text (stmt, 16), outcome_name, RC_OUTCOME_N);
      int reason = name_index ((const char *) sqlite3_column_text (stmt, 17), reason_name,
                               RC_REASON_RULE_UNKNOWN + 1);

      row->session_id = text_or_null (stmt, 0);
      row->date = text_or_null (stmt, 1);
      row->meeting = text_or_null (stmt, 2);
      row->chamber_id = text_or_null (stmt, 3);
      row->session_title = text_or_null (stmt, 4);
      row->vote_id = text_or_null (stmt, 5);
      row->position = (guint) sqlite3_column_int (stmt, 6);
      row->symbol = text_or_null (stmt, 7);
      row->draft = text_or_null (stmt, 8);
      row->title = text_or_null (stmt, 9);
      /* a fresh result, every name known to this Rollcall: else fold the session */
      if (sqlite3_column_int (stmt, 18) && state >= 0 && majority >= 0 && outcome >= 0
          && reason >= 0)
        {
          row->state = (RcVoteState) state;
          row->majority = (RcMajority) majority;
          row->tally.yes = (guint) sqlite3_column_int (stmt, 12);
          row->tally.no = (guint) sqlite3_column_int (stmt, 13);
          row->tally.abstain = (guint) sqlite3_column_int (stmt, 14);
          row->tally.not_voting = (guint) sqlite3_column_int (stmt, 15);
          row->outcome = (RcOutcome) outcome;
          row->reason = (RcReason) reason;
          row->known = TRUE;
        }
      else if (row->session_id != NULL)
        g_hash_table_add (stale, row->session_id);
      g_ptr_array_add (rows, row);
    }
  if (rc != SQLITE_DONE)
    {
      rc_archive_set_sqlite_error (self, rc, error);
      return NULL;
    }
  g_clear_pointer (&stmt, rc_archive_stmt_release);

  /* The sessions whose results are not kept, or no longer fresh: folded. A journal that
   * cannot be folded leaves its votes without a result (row->known FALSE). */
  if (g_hash_table_size (stale) > 0)
    {
      g_autoptr (GHashTable) folded
        = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
      g_autoptr (GHashTable) failed = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

      for (guint i = 0; i < rows->len; i++)
        {
          RcArchiveVoteRow *row = g_ptr_array_index (rows, i);
          RcSession *session;

          if (row->known || !g_hash_table_contains (stale, row->session_id))
            continue;
          if (g_hash_table_contains (failed, row->session_id))
            {
              row->problem = g_strdup (g_hash_table_lookup (failed, row->session_id));
              continue;
            }
          session = g_hash_table_lookup (folded, row->session_id);
          if (session == NULL)
            {
              g_autoptr (GError) local = NULL;

              session = rc_archive_load_state (self, row->session_id, NULL, &local);
              if (session == NULL)
                {
                  row->problem = g_strdup (local->message);
                  g_hash_table_insert (failed, row->session_id, g_strdup (local->message));
                  continue;
                }
              g_hash_table_insert (folded, row->session_id, session);
            }
          fill_from (row, session);
        }
    }
  return g_steal_pointer (&rows);
}

/* Whether every word of the query is in one of the texts (case aside). */
static gboolean
words_in (char **words, const char *const *texts, guint n)
{
  for (guint w = 0; words[w] != NULL; w++)
    {
      gboolean found = FALSE;

      if (*words[w] == '\0')
        continue;
      for (guint i = 0; i < n && !found; i++)
        {
          g_autofree char *folded = texts[i] != NULL ? g_utf8_casefold (texts[i], -1) : NULL;

          found = folded != NULL && strstr (folded, words[w]) != NULL;
        }
      if (!found)
        return FALSE;
    }
  return TRUE;
}

static char **
query_words (const char *query)
{
  g_autofree char *folded = g_utf8_casefold (query != NULL ? query : "", -1);

  return g_strsplit_set (g_strstrip (folded), " \t", -1);
}

gboolean
rc_archive_query_matches (const RcArchiveVoteRow *row, const char *query)
{
  g_auto (GStrv) words = query_words (query);
  const char *texts[] = { row->symbol, row->draft,         row->date,       row->meeting,
                          row->title,  row->session_title, row->session_id, row->chamber_id };

  return words_in (words, texts, G_N_ELEMENTS (texts));
}

gboolean
rc_archive_query_matches_session (const RcArchiveSessionRow *session, GPtrArray *votes,
                                  const char *query)
{
  g_auto (GStrv) words = query_words (query);
  g_autoptr (GPtrArray) texts = g_ptr_array_new ();

  g_ptr_array_add (texts, session->id);
  g_ptr_array_add (texts, session->date);
  g_ptr_array_add (texts, session->meeting);
  g_ptr_array_add (texts, session->title);
  g_ptr_array_add (texts, session->chamber_id);
  for (guint i = 0; votes != NULL && i < votes->len; i++)
    {
      RcArchiveVoteRow *v = g_ptr_array_index (votes, i);

      if (g_strcmp0 (v->session_id, session->id) != 0)
        continue;
      g_ptr_array_add (texts, v->symbol);
      g_ptr_array_add (texts, v->draft);
      g_ptr_array_add (texts, v->title);
    }
  return words_in (words, (const char *const *) texts->pdata, texts->len);
}

GPtrArray *
rc_archive_find_votes (RcArchive *self, const char *query, GError **error)
{
  g_autoptr (GPtrArray) all = rc_archive_list_votes (self, error);
  GPtrArray *found;

  if (all == NULL)
    return NULL;
  found = g_ptr_array_new_with_free_func ((GDestroyNotify) rc_archive_vote_row_free);
  for (guint i = 0; i < all->len; i++)
    if (rc_archive_query_matches (g_ptr_array_index (all, i), query))
      {
        g_ptr_array_add (found, g_ptr_array_index (all, i));
        all->pdata[i] = NULL; /* moved: the free function takes NULL */
      }
  return found;
}
