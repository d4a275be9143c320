/* test-replay.c — a journal played in its own time, faster, paused, and sought. */
#include "model/rc-replay.h"
#include "model/rc-error.h"
#include "rc-test-seed.h"

#define SECOND G_GINT64_CONSTANT (1000000)

/* The seed GA vote as a journal: events one second apart after the opening. */
static GPtrArray *
make_journal (void)
{
  g_autoptr (RcSession) final = rc_test_seed_final ("ga");
  RcVote *vote = rc_session_get_vote (final, 0);
  RcRoster *roster = rc_session_get_roster (final);
  GPtrArray *events = g_ptr_array_new_with_free_func ((GDestroyNotify) rc_event_unref);
  const char *id = rc_vote_get_id (vote);
  gint64 t = 1646238900 * SECOND;
  gint64 seq = 0;

#define ADD(e) g_ptr_array_add (events, ({ g_autoptr (RcEvent) tmp_ = (e); \
                                           rc_event_with_seq (tmp_, ++seq); }))
  ADD (rc_event_new_session (t, rc_session_get_info (final), rc_session_get_chamber (final),
                             roster));
  ADD (rc_event_new_vote_scheduled (t, rc_vote_get_info (vote)));
  ADD (rc_event_new_vote_opened (t + SECOND, id));
  for (guint i = 0, k = 0; i < rc_roster_get_size (roster); i++)
    {
      RcChoice c = rc_vote_get_choice (vote, i);

      if (rc_choice_is_cast (c) || c == RC_CHOICE_NO_RIGHT)
        ADD (rc_event_new_ballot (t + 2 * SECOND + (k++) * (SECOND / 10), id,
                                  rc_roster_get_member (roster, i)->code, c));
    }
  ADD (rc_event_new_vote_locked (t + 30 * SECOND, id, NULL));
  ADD (rc_event_new_vote_announced (t + 31 * SECOND, id, NULL));
#undef ADD
  return events;
}

static void
test_fold (void)
{
  g_autoptr (GPtrArray) events = make_journal ();
  g_autoptr (RcSession) session = rc_session_new ();
  g_autoptr (GError) error = NULL;
  gint64 t0 = ((RcEvent *) g_ptr_array_index (events, 0))->time;
  guint applied;
  RcVote *vote;

  /* 2 s + 5 ballots at 0.1 s apart, to the microsecond */
  applied = rc_session_fold (session, events, t0 + 2 * SECOND + 4 * (SECOND / 10), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (applied, ==, 3 + 5);
  vote = rc_session_get_vote (session, 0);
  g_assert_cmpuint (rc_vote_get_tally (vote)->pending, ==, 193 - 5);

  applied += rc_session_fold (session, events, G_MAXINT64, &error);
  /* the first events are refused now (their sequence numbers are old): fold stops */
  g_assert_error (error, RC_ERROR, RC_ERROR_SEQUENCE);
}

typedef struct {
  GMainLoop *loop;
  gboolean finished;
} Wait;

static void
on_finished (RcReplay *replay, Wait *w)
{
  w->finished = TRUE;
  g_main_loop_quit (w->loop);
}

static gboolean
on_timeout (gpointer data)
{
  g_error ("the replay did not finish in time");
  return G_SOURCE_REMOVE;
}

static void
test_play_fast (void)
{
  g_autoptr (GPtrArray) events = make_journal ();
  g_autoptr (RcReplay) replay = rc_replay_new (events);
  Wait w = { g_main_loop_new (NULL, FALSE), FALSE };
  guint timeout = g_timeout_add_seconds (20, on_timeout, NULL);
  RcVote *vote;

  g_assert_cmpint (rc_replay_get_duration (replay), ==, 31 * SECOND);
  /* what is at time 0 is there before playing */
  g_assert_cmpuint (rc_session_get_n_votes (rc_replay_get_session (replay)), ==, 1);

  g_signal_connect (replay, "finished", G_CALLBACK (on_finished), &w);
  rc_replay_set_speed (replay, 50.0); /* 31 s of journal in ~0.6 s */
  rc_replay_play (replay);
  g_assert_true (rc_replay_is_playing (replay));
  g_main_loop_run (w.loop);
  g_source_remove (timeout);

  g_assert_true (w.finished);
  g_assert_false (rc_replay_is_playing (replay));
  vote = rc_session_get_vote (rc_replay_get_session (replay), 0);
  g_assert_cmpint (rc_vote_get_state (vote), ==, RC_VOTE_ANNOUNCED);
  g_assert_cmpuint (rc_vote_get_tally (vote)->yes, ==, 141);
  g_assert_cmpint (rc_replay_get_position (replay), ==, 31 * SECOND);
  g_main_loop_unref (w.loop);
}

static void
test_seek (void)
{
  g_autoptr (GPtrArray) events = make_journal ();
  g_autoptr (RcReplay) replay = rc_replay_new (events);
  RcSession *before;
  RcVote *vote;

  rc_replay_seek (replay, 31 * SECOND);
  before = rc_replay_get_session (replay);
  vote = rc_session_get_vote (before, 0);
  g_assert_cmpint (rc_vote_get_state (vote), ==, RC_VOTE_ANNOUNCED);

  /* back to just after the first ten ballots: a fresh session folded to that time */
  rc_replay_seek (replay, 2 * SECOND + 9 * (SECOND / 10));
  g_assert_true (rc_replay_get_session (replay) != before);
  vote = rc_session_get_vote (rc_replay_get_session (replay), 0);
  g_assert_cmpint (rc_vote_get_state (vote), ==, RC_VOTE_OPEN);
  g_assert_cmpuint (rc_vote_get_tally (vote)->pending, ==, 193 - 10);

  /* forward again: the same session goes on */
  before = rc_replay_get_session (replay);
  rc_replay_seek (replay, 30 * SECOND);
  g_assert_true (rc_replay_get_session (replay) == before);
  g_assert_cmpint (rc_vote_get_state (vote), ==, RC_VOTE_LOCKED);

  /* out of range is clamped */
  rc_replay_seek (replay, -5);
  g_assert_cmpint (rc_replay_get_position (replay), ==, 0);
}

static gboolean
quit_loop (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

static void
test_pause (void)
{
  g_autoptr (GPtrArray) events = make_journal ();
  g_autoptr (RcReplay) replay = rc_replay_new (events);
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  gint64 paused_at;
  guint64 seq;

  rc_replay_set_speed (replay, 10.0);
  rc_replay_play (replay);
  g_timeout_add (300, quit_loop, loop);
  g_main_loop_run (loop);
  rc_replay_pause (replay);
  paused_at = rc_replay_get_position (replay);
  seq = rc_session_get_last_seq (rc_replay_get_session (replay));
  g_assert_cmpint (paused_at, >, 0);

  g_timeout_add (300, quit_loop, loop);
  g_main_loop_run (loop);
  /* nothing moves while paused */
  g_assert_cmpint (rc_replay_get_position (replay), ==, paused_at);
  g_assert_cmpuint (rc_session_get_last_seq (rc_replay_get_session (replay)), ==, seq);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/replay/fold", test_fold);
  g_test_add_func ("/replay/play-fast", test_play_fast);
  g_test_add_func ("/replay/seek", test_seek);
  g_test_add_func ("/replay/pause", test_pause);
  return g_test_run ();
}
