/* rc-test-random-session.c — long sessions of every kind of event, made by a random
 * walk over what the session state machine accepts. See rc-test-random-session.h. */
#include "rc-test-random-session.h"

#include "model/rc-session.h"

typedef struct {
  GRand *rand;
  RcSession *session;
  guint n_scheduled;
  gint64 time;
} Walk;

static gboolean
chance (Walk *w, double p)
{
  return g_rand_double (w->rand) < p;
}

/* A vote of the session in one of the given states (a bit set of 1 << RcVoteState),
 * picked at random; NULL if none. */
static RcVote *
pick_vote (Walk *w, guint states)
{
  g_autoptr (GPtrArray) found = g_ptr_array_new ();
  guint n = rc_session_get_n_votes (w->session);

  for (guint i = 0; i < n; i++)
    {
      RcVote *vote = rc_session_get_vote (w->session, i);

      if (states & (1u << rc_vote_get_state (vote)))
        g_ptr_array_add (found, vote);
    }
  if (found->len == 0)
    return NULL;
  return g_ptr_array_index (found, g_rand_int_range (w->rand, 0, found->len));
}

static const char *
pick_member (Walk *w)
{
  RcRoster *roster = rc_session_get_roster (w->session);

  return rc_roster_get_member (roster, g_rand_int_range (w->rand, 0, rc_roster_get_size (roster)))
    ->code;
}

static RcChoice
pick_cast (Walk *w)
{
  return RC_CHOICE_YES + g_rand_int_range (w->rand, 0, 3);
}

static RcEvent *
schedule (Walk *w)
{
  const RcChamberInfo *chamber = rc_session_get_chamber (w->session);
  g_autofree char *id = g_strdup_printf ("v%u", ++w->n_scheduled);
  g_autofree char *title = g_strdup_printf ("Draft resolution %u", w->n_scheduled);
  g_autofree char *symbol = g_strdup_printf ("T/RES/%u", w->n_scheduled);
  RcVoteInfo info = { id,
                      chance (w, 0.5) ? symbol : NULL,
                      NULL,
                      title,
                      RC_MAJORITY_SIMPLE,
                      !chance (w, 0.15),
                      chance (w, 0.3) ? RC_REVEAL_AFTER_LOCK : RC_REVEAL_LIVE };

  if (chamber->rules.council_affirmative > 0 && info.recorded && chance (w, 0.5))
    info.majority = RC_MAJORITY_COUNCIL;
  else if (chance (w, 0.4))
    info.majority = RC_MAJORITY_TWO_THIRDS;
  return rc_event_new_vote_scheduled (w->time, &info);
}

static RcEvent *
ballot (Walk *w, RcVote *vote)
{
  RcChoice choice;

  if (chance (w, 0.02))
    choice = RC_CHOICE_NO_RIGHT;
  else if (!rc_vote_get_info (vote)->recorded || chance (w, 0.05))
    choice = RC_CHOICE_HIDDEN;
  else
    choice = pick_cast (w);
  return rc_event_new_ballot (w->time, rc_vote_get_id (vote), pick_member (w), choice);
}

/* Reveals what is still hidden in a recorded vote (the lock must), and now and then
 * fixes another member's final choice. */
static RcEvent *
lock (Walk *w, RcVote *vote)
{
  const RcRoster *roster = rc_vote_get_roster (vote);
  g_autoptr (GArray) ballots = g_array_new (FALSE, TRUE, sizeof (RcBallot));

  for (guint i = 0; i < rc_roster_get_size (roster); i++)
    {
      RcChoice now = rc_vote_get_choice (vote, i);
      RcBallot b = { rc_roster_get_member (roster, i)->code, RC_CHOICE_PENDING };

      if (!rc_vote_get_info (vote)->recorded || now == RC_CHOICE_NO_RIGHT)
        continue;
      if (now == RC_CHOICE_HIDDEN)
        b.choice = pick_cast (w);
      else if (chance (w, 0.05))
        b.choice = chance (w, 0.5) ? RC_CHOICE_NOT_VOTING : pick_cast (w);
      if (b.choice != RC_CHOICE_PENDING)
        g_array_append_val (ballots, b);
    }
  return rc_event_new_vote_locked (w->time, rc_vote_get_id (vote), ballots);
}

static RcEvent *
announce (Walk *w, RcVote *vote)
{
  guint members = rc_roster_get_size (rc_vote_get_roster (vote));
  RcTally official = { 0 };

  if (rc_vote_get_info (vote)->recorded && chance (w, 0.5))
    return rc_event_new_vote_announced (w->time, rc_vote_get_id (vote), NULL);
  official.yes = g_rand_int_range (w->rand, 0, members + 1);
  official.no = g_rand_int_range (w->rand, 0, members - official.yes + 1);
  official.abstain = members - official.yes - official.no;
  return rc_event_new_vote_announced (w->time, rc_vote_get_id (vote), &official);
}

static RcEvent *
propose (Walk *w)
{
  static const char *const notes[] = { NULL, "Delegation's machine failed", "Withdrawn" };
  guint action = g_rand_int_range (w->rand, 0, 100);
  RcVote *vote;

  if (action < 3 || rc_session_get_n_votes (w->session) == 0)
    return schedule (w);
  if (action < 8 && (vote = pick_vote (w, 1u << RC_VOTE_SCHEDULED)) != NULL)
    return rc_event_new_vote_opened (w->time, rc_vote_get_id (vote));
  if (action < 11 && (vote = pick_vote (w, 1u << RC_VOTE_OPEN)) != NULL)
    return lock (w, vote);
  if (action < 15 && (vote = pick_vote (w, 1u << RC_VOTE_LOCKED)) != NULL)
    return announce (w, vote);
  if (action < 16 && (vote = pick_vote (w, 1u << RC_VOTE_ANNOUNCED)) != NULL)
    return rc_event_new_vote_corrected (w->time, rc_vote_get_id (vote), pick_member (w),
                                        chance (w, 0.2) ? RC_CHOICE_NOT_VOTING : pick_cast (w),
                                        notes[g_rand_int_range (w->rand, 0, 2)]);
  if (action == 16
      && (vote = pick_vote (w, (1u << RC_VOTE_SCHEDULED) | (1u << RC_VOTE_OPEN)
                                 | (1u << RC_VOTE_LOCKED)))
           != NULL)
    return rc_event_new_vote_cancelled (w->time, rc_vote_get_id (vote),
                                        notes[g_rand_int_range (w->rand, 0, 3)]);
  if (action < 20)
    {
      RcOnAir mode = g_rand_int_range (w->rand, 0, 3);

      vote = pick_vote (w, ~0u);
      return rc_event_new_on_air (w->time, mode,
                                  mode == RC_ON_AIR_VOTE ? rc_vote_get_id (vote) : NULL);
    }
  if ((vote = pick_vote (w, 1u << RC_VOTE_OPEN)) != NULL)
    return ballot (w, vote);
  /* Nothing open: the next vote is taken. */
  if ((vote = pick_vote (w, 1u << RC_VOTE_SCHEDULED)) != NULL)
    return rc_event_new_vote_opened (w->time, rc_vote_get_id (vote));
  return schedule (w);
}

GPtrArray *
rc_test_random_session (const RcEvent *first, guint n_events, guint32 seed)
{
  GPtrArray *events = g_ptr_array_new_with_free_func ((GDestroyNotify) rc_event_unref);
  Walk w = { g_rand_new_with_seed (seed), rc_session_new (), 0, first->time };
  RcEvent *event = rc_event_with_seq (first, 1);

  g_assert_true (rc_session_apply (w.session, event, NULL));
  g_ptr_array_add (events, event);
  while (events->len < n_events)
    {
      g_autoptr (RcEvent) proposed = NULL;

      /* Between 1 ms and 2 s apart; now and then in the same microsecond. */
      if (!chance (&w, 0.02))
        w.time += g_rand_int_range (w.rand, 1000, 2000000);
      proposed = propose (&w);
      event = rc_event_with_seq (proposed, events->len + 1);
      if (rc_session_apply (w.session, event, NULL))
        g_ptr_array_add (events, event);
      else
        rc_event_unref (event);
    }
  g_rand_free (w.rand);
  g_object_unref (w.session);
  return events;
}
