/* rc-jsonl.c — JSON Lines of a session's events, both ways.
 *
 * Each line is one message for the codec's strict decoder (RFC 8259 JSON, the limits
 * of docs/events.md), so a line is refused as a wire message would be, with its
 * number. The one allowance is a UTF-8 byte-order mark at the very start of the file,
 * which RFC 8259 §8.1 lets a parser ignore and editors on some systems write. */
#include "rc-jsonl.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>

#include "codec/rc-codec.h"
#include "model/rc-chamber.h"
#include "model/rc-error.h"
#include "model/rc-paths.h"
#include "model/rc-vote.h"

/* What the reader remembers to warn about (docs/import.md, "JSON Lines"): the line
 * each vote opened and was locked on, each member's last ballot in each vote. */
typedef struct {
  const char *name;
  GPtrArray *warnings;
  GHashTable *opened;    /* vote id → line */
  GHashTable *locked;    /* vote id → line */
  GHashTable *ballots;   /* "vote\x1fmember" → line << 8 | choice */
  GHashTable *changes;   /* vote id → GString: "TON at line 75 (abstain at line 25 before)…" */
  GHashTable *n_changes; /* vote id → count */
} Checks;

static void warn (Checks *c, guint line, const char *format, ...) G_GNUC_PRINTF (3, 4);

static void
warn (Checks *c, guint line, const char *format, ...)
{
  va_list args;
  g_autofree char *text = NULL;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  g_autofree char *whole = g_strdup_printf ("%s:%u: %s", c->name, line, text);

  /* (a warning quotes names from the file: one line of UTF-8 whatever they hold) */
  g_ptr_array_add (c->warnings, rc_error_one_line (whole));
}

/* The roster's names against the chamber's list, where this Rollcall has the chamber:
 * a name the member never bore ("Turkey (stale)") would be drawn on the board. */
static void
check_roster (Checks *c, guint line, const RcEvent *e)
{
  g_autofree char *lower = g_ascii_strdown (e->chamber->id, -1);
  g_autofree char *rel = g_strdup_printf ("chambers/%s.chamber", lower);
  g_autofree char *path = rc_paths_find_data (rel);
  g_autoptr (RcChamber) chamber = path != NULL ? rc_chamber_load (path, NULL) : NULL;
  g_autoptr (GString) strangers = g_string_new (NULL);
  guint n_strangers = 0;

  if (chamber == NULL)
    {
      warn (c, line,
            _ ("the chamber %s is not in the data path: the roster's names are not checked"),
            e->chamber->id);
      return;
    }
  for (guint i = 0; i < rc_roster_get_size (e->roster); i++)
    {
      const RcMember *m = rc_roster_get_member (e->roster, i);
      g_autoptr (GArray) rows = rc_chamber_get_names (chamber, m->code);
      const RcChamberName *then = NULL, *same = NULL;

      if (rows->len == 0)
        {
          g_string_append_printf (strangers, "%s%s", n_strangers++ > 0 ? ", " : "", m->code);
          continue;
        }
      for (guint r = 0; r < rows->len; r++)
        {
          const RcChamberName *row = &g_array_index (rows, RcChamberName, r);

          if (strcmp (row->from, e->session->date) <= 0
              && (row->until == NULL || strcmp (row->until, e->session->date) >= 0))
            then = row;
          if (g_str_equal (row->name, m->name))
            same = row;
        }
      if (same == NULL)
        warn (c, line,
              _ ("roster: %s is named '%s', none of the names the %s's list gives it (on %s: "
                 "'%s')"),
              m->code, m->name, e->chamber->id, e->session->date,
              then != NULL ? then->name : g_array_index (rows, RcChamberName, 0).name);
      else if (then != NULL && !g_str_equal (then->name, m->name))
        warn (c, line, _ ("roster: %s is named '%s', its name from %s, not on %s ('%s')"), m->code,
              m->name, same->from, e->session->date, then->name);
    }
  if (n_strangers > 0)
    warn (c, line, _ ("roster: %u members the %s's list does not have: %s"), n_strangers,
          e->chamber->id, strangers->str);
}

/* After an event the session accepted. */
static void
check_event (Checks *c, guint line, RcSession *session, const RcEvent *e)
{
  switch (e->type)
    {
    case RC_EVENT_SESSION:
      check_roster (c, line, e);
      break;
    case RC_EVENT_VOTE_OPENED:
      g_hash_table_insert (c->opened, g_strdup (e->vote_id), GUINT_TO_POINTER (line));
      break;
    case RC_EVENT_VOTE_LOCKED:
      g_hash_table_insert (c->locked, g_strdup (e->vote_id), GUINT_TO_POINTER (line));
      break;
    case RC_EVENT_BALLOT:
      {
        char *key = g_strdup_printf ("%s\x1f%s", e->vote_id, e->member);
        guint before = GPOINTER_TO_UINT (g_hash_table_lookup (c->ballots, key));
        RcChoice was = (RcChoice) (before & 0xff);

        /* a change while the machine is open is allowed: said once per vote, with a
         * count and the first lines */
        if (before != 0 && rc_choice_is_cast (was) && rc_choice_is_cast (e->choice)
            && was != e->choice)
          {
            GString *list = g_hash_table_lookup (c->changes, e->vote_id);
            guint n = GPOINTER_TO_UINT (g_hash_table_lookup (c->n_changes, e->vote_id));

            if (list == NULL)
              {
                list = g_string_new (NULL);
                g_hash_table_insert (c->changes, g_strdup (e->vote_id), list);
              }
            if (n < 3)
              g_string_append_printf (list, "%s%s %s at line %u, %s at line %u", n > 0 ? "; " : "",
                                      e->member, rc_choice_to_string (was), before >> 8,
                                      rc_choice_to_string (e->choice), line);
            g_hash_table_insert (c->n_changes, g_strdup (e->vote_id), GUINT_TO_POINTER (n + 1));
          }
        g_hash_table_insert (c->ballots, key, GUINT_TO_POINTER (line << 8 | (guint) e->choice));
        break;
      }
    case RC_EVENT_VOTE_ANNOUNCED:
      {
        RcVote *vote = rc_session_lookup_vote (session, e->vote_id, NULL);

        if (vote != NULL && rc_vote_has_mismatch (vote))
          {
            const RcTally *o = rc_vote_get_official (vote);
            const RcTally *t = rc_vote_get_tally (vote);

            warn (c, line,
                  _ ("vote '%s': the announced totals %u–%u–%u, %u not voting, differ from its "
                     "ballots' %u–%u–%u, %u not voting; both are kept (the desk shows the "
                     "difference)"),
                  e->vote_id, o->yes, o->no, o->abstain, o->not_voting, t->yes, t->no, t->abstain,
                  t->not_voting);
          }
        break;
      }
    default:
      break;
    }
}

static void
free_string (gpointer string)
{
  g_string_free (string, TRUE);
}

/* At the end of the file: a vote left open stops mid-ballot; changes of vote. */
static void
check_end (Checks *c, RcSession *session)
{
  for (guint i = 0; i < rc_session_get_n_votes (session); i++)
    {
      RcVote *vote = rc_session_get_vote (session, i);
      const char *id = rc_vote_get_id (vote);
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (c->n_changes, id));

      if (n > 0)
        warn (c, GPOINTER_TO_UINT (g_hash_table_lookup (c->opened, id)),
              g_dngettext (GETTEXT_PACKAGE,
                           "vote '%s': %u member changed its vote while it was open (%s%s)",
                           "vote '%s': %u members changed their vote while it was open (%s%s)", n),
              id, n, ((GString *) g_hash_table_lookup (c->changes, id))->str, n > 3 ? "; …" : "");

      if (rc_vote_get_state (vote) == RC_VOTE_OPEN)
        warn (c, GPOINTER_TO_UINT (g_hash_table_lookup (c->opened, id)),
              _ ("vote '%s', opened here, is still open at the end of the file: the journal "
                 "stops mid-ballot"),
              id);
      else if (rc_vote_get_state (vote) == RC_VOTE_LOCKED)
        warn (c, GPOINTER_TO_UINT (g_hash_table_lookup (c->locked, id)),
              _ ("vote '%s', locked here, has no announced result at the end of the file"), id);
    }
}

RcImportedSession *
rc_jsonl_read (const char *name, const char *text, gsize length, GError **error)
{
  g_autoptr (RcImportedSession) out = g_new0 (RcImportedSession, 1);
  g_autoptr (GHashTable) opened = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) locked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) ballots = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) changes
    = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, free_string);
  g_autoptr (GHashTable) n_changes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  Checks checks = { name, NULL, opened, locked, ballots, changes, n_changes };
  gsize pos = 0;
  guint line = 0;

  g_return_val_if_fail (name != NULL && (text != NULL || length == 0), NULL);

  out->events = g_ptr_array_new_with_free_func ((GDestroyNotify) rc_event_unref);
  out->session = rc_session_new ();
  out->warnings = g_ptr_array_new_with_free_func (g_free);
  checks.warnings = out->warnings;

  if (length >= 3 && memcmp (text, "\xEF\xBB\xBF", 3) == 0)
    pos = 3;
  while (pos < length)
    {
      const char *start = text + pos;
      const char *end = memchr (start, '\n', length - pos);
      gsize len = end != NULL ? (gsize) (end - start) : length - pos;
      g_autoptr (GError) local = NULL;
      g_autoptr (RcEvent) event = NULL;

      pos += len + (end != NULL ? 1 : 0);
      line++;
      if (len > 0 && start[len - 1] == '\r')
        len--;
      if (len == 0)
        continue; /* a blank line, or the final newline */

      event = rc_codec_decode (start, (gssize) len, &local);
      if (event != NULL && event->type == RC_EVENT_HEARTBEAT)
        g_set_error (&local, RC_ERROR, RC_ERROR_BAD_MESSAGE,
                     _ ("a heartbeat is not part of a journal"));
      else if (event != NULL && out->events->len == 0 && event->type != RC_EVENT_SESSION)
        g_set_error (&local, RC_ERROR, RC_ERROR_BAD_MESSAGE,
                     _ ("a journal starts with its session event, not %s"),
                     rc_event_type_to_string (event->type));
      else if (event != NULL && event->seq != (gint64) out->events->len + 1)
        g_set_error (&local, RC_ERROR, RC_ERROR_SEQUENCE,
                     _ ("sequence %" PRId64 " where %u was expected"), event->seq,
                     out->events->len + 1);
      else if (event != NULL)
        rc_session_apply (out->session, event, &local);

      if (local != NULL)
        {
          g_set_error (error, local->domain, local->code, "%s:%u: %s", name, line, local->message);
          return NULL;
        }
      check_event (&checks, line, out->session, event);
      g_ptr_array_add (out->events, g_steal_pointer (&event));
    }
  check_end (&checks, out->session);

  if (out->events->len == 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE, _ ("%s: no events"), name);
      return NULL;
    }
  return g_steal_pointer (&out);
}

RcImportedSession *
rc_jsonl_read_file (const char *path, GError **error)
{
  g_autofree char *text = NULL;
  gsize length = 0;
  g_autoptr (GError) local = NULL;

  if (!g_file_get_contents (path, &text, &length, &local))
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE, "%s", local->message);
      return NULL;
    }
  return rc_jsonl_read (path, text, length, error);
}

char *
rc_jsonl_write (GPtrArray *events)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (events != NULL, NULL);
  for (guint i = 0; i < events->len; i++)
    {
      g_autofree char *line = rc_codec_encode (g_ptr_array_index (events, i));

      g_string_append (out, line);
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}
