/* rc-archive-resolve.c — which session a command line means.
 *
 * Users name a session by id, meeting symbol or date, or not at all when the vote
 * they name (id, document or draft symbol, position) is in only one session. The
 * votes index answers without replaying a journal. When a selector fits none or
 * several, the one-line error lists the candidates so the user can pick. */
#include "model/rc-error.h"

#include <glib/gi18n-lib.h>
#include "rc-archive-private.h"

/* Enough to pick from on one line; an archive of a body's history can hold hundreds. */
#define MAX_LISTED 8

typedef struct {
  char *id;
  char *meeting;
  char *date;
} Candidate;

static void
candidate_free (Candidate *c)
{
  g_free (c->id);
  g_free (c->meeting);
  g_free (c->date);
  g_free (c);
}

/* Runs stmt (bound by the caller) and collects its (id, meeting, date) rows. */
static GPtrArray *
collect (RcArchive *self, RcArchiveStmt *stmt, GError **error)
{
  g_autoptr (GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) candidate_free);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Candidate *c = g_new0 (Candidate, 1);

      c->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      c->meeting = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      c->date = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      g_ptr_array_add (found, c);
    }
  if (rc != SQLITE_DONE)
    {
      rc_archive_set_sqlite_error (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&found);
}

static GPtrArray *
query (RcArchive *self, const char *sql, const char *text, GError **error)
{
  g_autoptr (RcArchiveStmt) stmt = rc_archive_stmt_bind (self, sql, text, error);

  return stmt != NULL ? collect (self, stmt, error) : NULL;
}

static GPtrArray *
sessions_with_vote (RcArchive *self, const char *vote_selector, GError **error)
{
  g_autoptr (RcArchiveStmt) stmt = NULL;
  char *end = NULL;
  gint64 position;

  stmt = rc_archive_stmt_bind (
    self,
    "SELECT DISTINCT s.id, s.meeting, s.date"
    " FROM sessions s JOIN votes v ON v.session_id = s.id"
    " WHERE v.vote_id = ?1 OR v.symbol = ?1 OR v.draft = ?1 OR v.position = ?2"
    " ORDER BY s.date, s.id",
    vote_selector, error);
  if (stmt == NULL)
    return NULL;
  /* A plain number is also a 1-based position; anything else binds NULL, matching nothing. */
  if (g_ascii_isdigit (vote_selector[0]))
    {
      position = g_ascii_strtoll (vote_selector, &end, 10);
      if (end != NULL && *end == '\0')
        sqlite3_bind_int64 (stmt, 2, position);
    }
  return collect (self, stmt, error);
}

static char *
describe (GPtrArray *candidates)
{
  g_autoptr (GString) text = g_string_new (NULL);

  for (guint i = 0; i < candidates->len && i < MAX_LISTED; i++)
    {
      Candidate *c = g_ptr_array_index (candidates, i);

      g_string_append_printf (text, "%s%s (%s, %s)", i > 0 ? ", " : "", c->id, c->meeting, c->date);
    }
  if (candidates->len > MAX_LISTED)
    g_string_append_printf (text, " and %u more", candidates->len - MAX_LISTED);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static gboolean
contains (GPtrArray *candidates, const char *id)
{
  for (guint i = 0; i < candidates->len; i++)
    if (g_str_equal (((Candidate *) g_ptr_array_index (candidates, i))->id, id))
      return TRUE;
  return FALSE;
}

static char *
only_id (GPtrArray *candidates)
{
  return g_strdup (((Candidate *) g_ptr_array_index (candidates, 0))->id);
}

static char *
resolve_by_selector (RcArchive *self, const char *selector, const char *vote_selector,
                     GError **error)
{
  const char *path = rc_archive_get_path (self);
  g_autoptr (GPtrArray) found = NULL;
  g_autoptr (GPtrArray) with_vote = NULL;
  g_autoptr (GPtrArray) narrowed = NULL;
  g_autofree char *list = NULL;

  found = query (self, "SELECT id, meeting, date FROM sessions WHERE id = ?1", selector, error);
  if (found == NULL)
    return NULL;
  if (found->len == 1)
    return only_id (found);

  g_clear_pointer (&found, g_ptr_array_unref);
  found = query (self,
                 "SELECT id, meeting, date FROM sessions WHERE meeting = ?1 OR date = ?1"
                 " ORDER BY date, id",
                 selector, error);
  if (found == NULL)
    return NULL;
  if (found->len == 1)
    return only_id (found);

  if (found->len == 0)
    {
      g_autoptr (GPtrArray) all = query (self,
                                         "SELECT id, meeting, date FROM sessions"
                                         " ORDER BY date, id",
                                         NULL, error);
      if (all == NULL)
        return NULL;
      list = describe (all);
      if (all->len > 0)
        g_set_error (error, RC_ERROR, RC_ERROR_UNKNOWN_SESSION,
                     _ ("%s has no session '%s' (by id, meeting or date); it holds %s"), path,
                     selector, list);
      else
        g_set_error (error, RC_ERROR, RC_ERROR_UNKNOWN_SESSION,
                     _ ("%s has no session '%s' (by id, meeting or date): it holds none"), path,
                     selector);
      return NULL;
    }

  /* Several on that day or in that meeting: the vote may tell them apart. */
  if (vote_selector != NULL)
    {
      with_vote = sessions_with_vote (self, vote_selector, error);
      if (with_vote == NULL)
        return NULL;
      narrowed = g_ptr_array_new ();
      for (guint i = 0; i < found->len; i++)
        {
          Candidate *c = g_ptr_array_index (found, i);
          if (contains (with_vote, c->id))
            g_ptr_array_add (narrowed, c);
        }
      if (narrowed->len == 1)
        return only_id (narrowed);
    }

  list = describe (found);
  g_set_error (error, RC_ERROR, RC_ERROR_AMBIGUOUS,
               _("session '%s' matches %u sessions in %s: %s; give the session id"), selector,
               found->len, path, list);
  return NULL;
}

static char *
resolve (RcArchive *self, const char *selector, const char *vote_selector, GError **error)
{
  const char *path = rc_archive_get_path (self);
  g_autoptr (GPtrArray) found = NULL;
  g_autofree char *list = NULL;

  if (selector != NULL)
    return resolve_by_selector (self, selector, vote_selector, error);

  if (vote_selector != NULL)
    {
      found = sessions_with_vote (self, vote_selector, error);
      if (found == NULL)
        return NULL;
      if (found->len == 1)
        return only_id (found);
      if (found->len == 0)
        {
          g_set_error (error, RC_ERROR, RC_ERROR_UNKNOWN_SESSION,
                       _("no session in %s has a vote '%s'"), path, vote_selector);
          return NULL;
        }
      list = describe (found);
      g_set_error (error, RC_ERROR, RC_ERROR_AMBIGUOUS,
                   _("vote '%s' is in %u sessions of %s: %s; name the session"), vote_selector,
                   found->len, path, list);
      return NULL;
    }

  found = query (self, "SELECT id, meeting, date FROM sessions ORDER BY date, id", NULL, error);
  if (found == NULL)
    return NULL;
  if (found->len == 1)
    return only_id (found);
  if (found->len == 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_UNKNOWN_SESSION, _("%s holds no sessions"), path);
      return NULL;
    }
  list = describe (found);
  g_set_error (error, RC_ERROR, RC_ERROR_AMBIGUOUS, _("%s holds %u sessions: %s; name one"), path,
               found->len, list);
  return NULL;
}

char *
rc_archive_resolve_session (RcArchive *self, const char *selector, const char *vote_selector,
                            GError **error)
{
  GError *local = NULL;
  char *id;

  g_return_val_if_fail (RC_IS_ARCHIVE (self), NULL);

  id = resolve (self, selector, vote_selector, &local);
  /* The refusals quote the selectors and the candidates' rows, which an edited file may
   * fill with anything. */
  if (local != NULL)
    {
      rc_error_make_one_line (local);
      g_propagate_error (error, local);
    }
  return id;
}

char *
rc_archive_choose_session (RcArchive *self, const char *selector, const char *vote_selector,
                           char **note, GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  g_autofree char *text = NULL;
  const RcArchiveSessionRow *row;
  char *id;

  g_return_val_if_fail (RC_IS_ARCHIVE (self), NULL);
  g_return_val_if_fail (note != NULL && *note == NULL, NULL);

  id = rc_archive_resolve_session (self, selector, vote_selector, &local);
  if (id != NULL || selector != NULL || vote_selector != NULL
      || !g_error_matches (local, RC_ERROR, RC_ERROR_AMBIGUOUS))
    {
      if (local != NULL)
        g_propagate_error (error, g_steal_pointer (&local));
      return id;
    }
  /* Several sessions, nothing to choose by: the most recent meeting is the one a user
   * most likely wants; the note says which was taken, and how to take another. */
  rows = rc_archive_list_sessions (self, error);
  if (rows == NULL)
    return NULL;
  if (rows->len == 0)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  row = g_ptr_array_index (rows, rows->len - 1);
  /* the id is the archive's text, which an edited file may fill with anything */
  text = g_strdup_printf (_ ("%s holds %u sessions; taking the latest, %s (choose one with "
                             "--session)"),
                          rc_archive_get_path (self), rows->len, row->id);
  *note = rc_error_one_line (text);
  return g_strdup (row->id);
}
