/* rc-snapshot.c — a session's state without its history, and back.
 *
 * Restoring goes through the state machine: the snapshot is turned into the events
 * that would make that state (unsequenced, at time 0), applied to a new session, so
 * a snapshot is checked exactly as events are. What events cannot say — when each
 * transition happened, that a vote was corrected — is set afterwards. */
#include "rc-snapshot.h"

#include <glib/gi18n-lib.h>

#include "rc-error.h"
#include "rc-session-private.h"
#include "rc-vote-private.h"

static void
ballot_clear (gpointer data)
{
  g_free (((RcBallot *) data)->member);
}

static void
snapshot_vote_free (gpointer data)
{
  RcSnapshotVote *v = data;

  rc_vote_info_free (v->info);
  g_clear_pointer (&v->ballots, g_array_unref);
  g_free (v->note);
  g_free (v);
}

RcSnapshot *
rc_snapshot_new (void)
{
  RcSnapshot *snapshot = g_new0 (RcSnapshot, 1);

  snapshot->ref_count = 1;
  snapshot->votes = g_ptr_array_new_with_free_func (snapshot_vote_free);
  snapshot->on_air = RC_ON_AIR_HOLDING;
  return snapshot;
}

RcSnapshot *
rc_snapshot_ref (RcSnapshot *snapshot)
{
  g_return_val_if_fail (snapshot != NULL, NULL);
  g_atomic_int_inc (&snapshot->ref_count);
  return snapshot;
}

void
rc_snapshot_unref (RcSnapshot *snapshot)
{
  if (snapshot == NULL || !g_atomic_int_dec_and_test (&snapshot->ref_count))
    return;
  rc_session_info_free (snapshot->session);
  rc_chamber_info_free (snapshot->chamber);
  g_clear_pointer (&snapshot->roster, rc_roster_unref);
  g_ptr_array_unref (snapshot->votes);
  g_free (snapshot->on_air_vote);
  g_free (snapshot->on_air_text);
  g_free (snapshot);
}

RcSnapshotVote *
rc_snapshot_add_vote (RcSnapshot *snapshot, const RcVoteInfo *info)
{
  RcSnapshotVote *v;

  g_return_val_if_fail (snapshot != NULL && info != NULL, NULL);
  v = g_new0 (RcSnapshotVote, 1);
  v->info = rc_vote_info_copy (info);
  v->ballots = g_array_new (FALSE, TRUE, sizeof (RcBallot));
  g_array_set_clear_func (v->ballots, ballot_clear);
  g_ptr_array_add (snapshot->votes, v);
  return v;
}

RcSnapshot *
rc_session_snapshot (RcSession *session)
{
  RcSnapshot *snapshot;
  RcVote *on_air;

  g_return_val_if_fail (RC_IS_SESSION (session), NULL);

  snapshot = rc_snapshot_new ();
  snapshot->seq = rc_session_get_last_seq (session);
  snapshot->time = rc_session_get_last_time (session);
  if (rc_session_get_info (session) == NULL)
    return snapshot;

  snapshot->session = rc_session_info_copy (rc_session_get_info (session));
  snapshot->chamber = rc_chamber_info_copy (rc_session_get_chamber (session));
  snapshot->roster = rc_roster_ref (rc_session_get_roster (session));
  for (guint i = 0; i < rc_session_get_n_votes (session); i++)
    {
      const RcVote *vote = rc_session_get_vote (session, i);
      RcSnapshotVote *v = rc_snapshot_add_vote (snapshot, vote->info);

      v->state = vote->state;
      v->opened_at = vote->opened_at;
      v->locked_at = vote->locked_at;
      v->announced_at = vote->announced_at;
      v->has_official = vote->has_official;
      v->official = vote->official;
      v->stated_outcome = vote->stated_outcome;
      v->corrected = vote->corrected;
      v->note = g_strdup (vote->note);
      for (guint m = 0; m < rc_roster_get_size (vote->roster); m++)
        if (vote->choices[m] != RC_CHOICE_PENDING)
          {
            RcBallot b = { g_strdup (rc_roster_get_member (vote->roster, m)->code),
                           vote->choices[m] };
            g_array_append_val (v->ballots, b);
          }
    }
  snapshot->has_on_air = rc_session_has_on_air (session);
  snapshot->on_air = rc_session_get_on_air (session);
  on_air = rc_session_get_on_air_vote (session);
  snapshot->on_air_vote = on_air != NULL ? g_strdup (rc_vote_get_id (on_air)) : NULL;
  snapshot->on_air_text = g_strdup (rc_session_get_on_air_text (session));
  return snapshot;
}

/* Applies an event made here (transfer full); FALSE with error on refusal. */
static gboolean
apply (RcSession *session, RcEvent *event, GError **error)
{
  g_autoptr (RcEvent) owned = event;

  return rc_session_apply (session, event, error);
}

static GArray *
ballots_where (const GArray *ballots, gboolean (*keep) (RcChoice))
{
  GArray *out = g_array_new (FALSE, TRUE, sizeof (RcBallot));

  for (guint i = 0; i < ballots->len; i++)
    {
      RcBallot b = g_array_index (ballots, RcBallot, i);

      if (keep (b.choice))
        g_array_append_val (out, b); /* borrowed strings: the array has no clear func */
    }
  return out;
}

/* While the vote is open, ballots say "voted", a choice or "no right". */
static gboolean
open_choice (RcChoice c)
{
  return c == RC_CHOICE_HIDDEN || c == RC_CHOICE_NO_RIGHT || rc_choice_is_cast (c);
}

/* What the lock reveals or fixes: cast choices and "did not vote". */
static gboolean
final_choice (RcChoice c)
{
  return rc_choice_is_cast (c) || c == RC_CHOICE_NOT_VOTING;
}

/* Ballots sent before a lock: what cannot be said at the lock itself. */
static gboolean
before_lock_choice (RcChoice c)
{
  return c == RC_CHOICE_HIDDEN || c == RC_CHOICE_NO_RIGHT;
}

static gboolean
restore_vote (RcSession *session, const RcSnapshotVote *v, GError **error)
{
  const char *id = v->info->id;
  gboolean opened = v->state != RC_VOTE_SCHEDULED && (v->state != RC_VOTE_CANCELLED
                                                       || v->opened_at != 0);
  gboolean locked = v->state == RC_VOTE_LOCKED || v->state == RC_VOTE_ANNOUNCED
                    || (v->state == RC_VOTE_CANCELLED && v->locked_at != 0);
  RcVote *vote;

  if (!opened)
    {
      if (v->ballots->len > 0)
        {
          g_set_error (error, RC_ERROR, RC_ERROR_BAD_MESSAGE,
                       _("snapshot: vote '%s' was never opened but has ballots"), id);
          return FALSE;
        }
    }
  else
    {
      g_autoptr (GArray) early = ballots_where (v->ballots,
                                                locked ? before_lock_choice : open_choice);

      if (!apply (session, rc_event_new_vote_opened (0, id), error))
        return FALSE;
      for (guint i = 0; i < early->len; i++)
        {
          const RcBallot *b = &g_array_index (early, RcBallot, i);

          if (!apply (session, rc_event_new_ballot (0, id, b->member, b->choice), error))
            return FALSE;
        }
      if (!locked)
        for (guint i = 0; i < v->ballots->len; i++)
          if (!open_choice (g_array_index (v->ballots, RcBallot, i).choice))
            {
              g_set_error (error, RC_ERROR, RC_ERROR_BAD_MESSAGE,
                           _("snapshot: vote '%s' is open but %s did not vote"), id,
                           g_array_index (v->ballots, RcBallot, i).member);
              return FALSE;
            }
    }
  if (locked)
    {
      g_autoptr (GArray) final = ballots_where (v->ballots, final_choice);

      if (!apply (session, rc_event_new_vote_locked (0, id, final), error))
        return FALSE;
    }
  if (v->state == RC_VOTE_ANNOUNCED)
    {
      RcEvent *announced
        = rc_event_new_vote_announced (0, id, v->has_official ? &v->official : NULL);

      announced->stated_outcome = v->stated_outcome;
      if (!apply (session, announced, error))
        return FALSE;
    }
  if (v->state == RC_VOTE_CANCELLED
      && !apply (session, rc_event_new_vote_cancelled (0, id, v->note), error))
    return FALSE;

  /* What events do not say. */
  vote = rc_session_find_vote (session, id);
  if (v->corrected && v->state != RC_VOTE_ANNOUNCED)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_MESSAGE,
                   _("snapshot: vote '%s' is corrected but was never announced"), id);
      return FALSE;
    }
  vote->corrected = v->corrected;
  g_free (vote->note);
  vote->note = g_strdup (v->note);
  vote->opened_at = v->opened_at;
  vote->locked_at = v->locked_at;
  vote->announced_at = v->announced_at;
  /* every member accounted for: the snapshot's ballots are the whole truth */
  for (guint i = 0; i < v->ballots->len; i++)
    {
      const RcBallot *b = &g_array_index (v->ballots, RcBallot, i);
      int m = rc_roster_find (vote->roster, b->member);

      if (vote->choices[m] != b->choice)
        {
          g_set_error (error, RC_ERROR, RC_ERROR_BAD_MESSAGE,
                       _("snapshot: vote '%s' cannot have %s as %s in its state"), id,
                       b->member, rc_choice_to_string (b->choice));
          return FALSE;
        }
    }
  return TRUE;
}

static RcSession *
restore (const RcSnapshot *snapshot, GError **error)
{
  g_autoptr (RcSession) session = rc_session_new ();

  if (snapshot->session != NULL)
    {
      if (snapshot->chamber == NULL || snapshot->roster == NULL)
        {
          g_set_error (error, RC_ERROR, RC_ERROR_BAD_MESSAGE,
                       _("snapshot: a session needs its chamber and roster"));
          return NULL;
        }
      if (!apply (session, rc_event_new_session (0, snapshot->session, snapshot->chamber,
                                                 snapshot->roster),
                  error))
        return NULL;
      /* Every vote first, in its order; then their machines, the open ones last: where
       * only one vote may be open, one opened and cancelled earlier must not find
       * today's open vote in its way. */
      for (guint i = 0; i < snapshot->votes->len; i++)
        {
          const RcSnapshotVote *v = g_ptr_array_index (snapshot->votes, i);

          if (!apply (session, rc_event_new_vote_scheduled (0, v->info), error))
            return NULL;
        }
      for (int pass = 0; pass < 2; pass++)
        for (guint i = 0; i < snapshot->votes->len; i++)
          {
            const RcSnapshotVote *v = g_ptr_array_index (snapshot->votes, i);

            if ((v->state == RC_VOTE_OPEN) == (pass == 1)
                && !restore_vote (session, v, error))
              return NULL;
          }
      if (snapshot->has_on_air
          && !apply (session,
                     snapshot->on_air == RC_ON_AIR_HOLDING
                       ? rc_event_new_on_air_holding (0, snapshot->on_air_text)
                       : rc_event_new_on_air (0, snapshot->on_air, snapshot->on_air_vote),
                     error))
        return NULL;
    }
  else if (snapshot->votes->len > 0 || snapshot->has_on_air)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_MESSAGE,
                   _("snapshot: votes or on-air without a session"));
      return NULL;
    }
  if (snapshot->seq < 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_MESSAGE, _("snapshot: negative sequence"));
      return NULL;
    }
  rc_session_set_position (session, snapshot->seq, snapshot->time);
  return g_steal_pointer (&session);
}

RcSession *
rc_session_new_from_snapshot (const RcSnapshot *snapshot, GError **error)
{
  GError *local = NULL;
  RcSession *session;

  g_return_val_if_fail (snapshot != NULL, NULL);

  session = restore (snapshot, &local);
  if (local != NULL)
    {
      /* The refusals quote the snapshot's ids and codes, which may hold anything. */
      rc_error_make_one_line (local);
      g_propagate_error (error, local);
    }
  return session;
}
