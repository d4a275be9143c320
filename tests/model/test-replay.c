/* test-replay.c — a journal played in its own time, faster, paused, and sought. */
#include <string.h>

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

  /* folding from the start again: every old event is refused (its sequence number is
   * past), the first refusal is reported, and the rest of the journal still applies */
  applied = rc_session_fold (session, events, G_MAXINT64, &error);
  g_assert_error (error, RC_ERROR, RC_ERROR_SEQUENCE);
  g_assert_cmpuint (applied, ==, events->len - 8);
  g_assert_cmpint (rc_vote_get_state (vote), ==, RC_VOTE_ANNOUNCED);
  g_assert_cmpuint (rc_vote_get_tally (vote)->yes, ==, 141);
  g_assert_cmpint (rc_session_get_last_seq (session), ==, events->len);
}

/* A damaged journal: one event in the middle is refused; the replay and a fold agree on
 * the picture (everything else applied). */
static void
on_refused (RcReplay *replay, const RcEvent *event, const GError *error, GPtrArray **refusals)
{
  g_ptr_array_add (*refusals, g_strdup_printf ("event %" G_GINT64_FORMAT ": %s", event->seq,
                                               error->message));
}

static void
test_damaged_journal (void)
{
  g_autoptr (GPtrArray) refusals = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) events = make_journal ();
  g_autoptr (RcSession) folded = rc_session_new ();
  g_autoptr (RcReplay) replay = NULL;
  g_autoptr (GError) error = NULL;
  RcEvent *bad;
  RcVote *a, *b;

  /* a ballot for a member that does not exist, with a valid sequence number */
  bad = g_ptr_array_index (events, 10);
  g_free (bad->member);
  bad->member = g_strdup ("XYZ");

  rc_session_fold (folded, events, G_MAXINT64, &error);
  g_assert_error (error, RC_ERROR, RC_ERROR_UNKNOWN_MEMBER);

  /* the replay says what it skipped, once */
  replay = rc_replay_new (events);
  g_signal_connect (replay, "event-refused", G_CALLBACK (on_refused), &refusals);
  rc_replay_seek (replay, rc_replay_get_duration (replay));
  g_assert_cmpuint (refusals->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (refusals, 0), ==,
                   "event 11: XYZ is not a member of the General Assembly on 2022-03-02");
  a = rc_session_get_vote (rc_replay_get_session (replay), 0);
  b = rc_session_get_vote (folded, 0);
  g_assert_cmpint (rc_vote_get_state (a), ==, RC_VOTE_ANNOUNCED);
  /* one ballot short of the real vote: everything after the damage applied */
  g_assert_cmpuint (rc_vote_get_tally (a)->yes + rc_vote_get_tally (a)->no
                    + rc_vote_get_tally (a)->abstain, ==, 141 + 5 + 35 - 1);
  g_assert_true (memcmp (rc_vote_get_tally (a), rc_vote_get_tally (b), sizeof (RcTally)) == 0);
}

typedef struct {
  RcReplay *replay;
  guint seeks;
} SeekFromHandler;

static void
on_ballot_seek_back (RcSession *session, RcVote *vote, guint index, SeekFromHandler *s)
{
  /* an operator pressing "back" in the middle of a burst of ballots */
  if (s->seeks++ == 0)
    rc_replay_seek (s->replay, 0);
}

static void
test_seek_from_a_handler (void)
{
  g_autoptr (GPtrArray) events = make_journal ();
  g_autoptr (RcReplay) replay = rc_replay_new (events);
  SeekFromHandler s = { replay, 0 };

  g_signal_connect (rc_replay_get_session (replay), "ballot",
                    G_CALLBACK (on_ballot_seek_back), &s);
  /* the first ballot's handler seeks back, replacing the session it is called from */
  rc_replay_seek (replay, 10 * SECOND);
  g_assert_cmpuint (s.seeks, ==, 1);
  g_assert_cmpint (rc_replay_get_position (replay), ==, 0);
  g_assert_cmpuint (rc_session_get_n_votes (rc_replay_get_session (replay)), ==, 1);
  g_assert_cmpint (rc_vote_get_state (rc_session_get_vote (rc_replay_get_session (replay), 0)),
                   ==, RC_VOTE_SCHEDULED);
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
  g_assert_cmpint (rc_replay_get_start_time (replay), ==,
                   ((RcEvent *) g_ptr_array_index (events, 0))->time);
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
  before = g_object_ref (rc_replay_get_session (replay));
  vote = rc_session_get_vote (before, 0);
  g_assert_cmpint (rc_vote_get_state (vote), ==, RC_VOTE_ANNOUNCED);

  /* back to just after the first ten ballots: a fresh session folded to that time */
  rc_replay_seek (replay, 2 * SECOND + 9 * (SECOND / 10));
  g_assert_true (rc_replay_get_session (replay) != before);
  g_object_unref (before);
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
  g_test_add_func ("/replay/damaged-journal", test_damaged_journal);
  g_test_add_func ("/replay/seek-from-a-handler", test_seek_from_a_handler);
  g_test_add_func ("/replay/play-fast", test_play_fast);
  g_test_add_func ("/replay/seek", test_seek);
  g_test_add_func ("/replay/pause", test_pause);
  return g_test_run ();
}
