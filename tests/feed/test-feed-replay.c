/* test-feed-replay.c — the replay source: an archived session re-published through a
 * hub in its original time × speed, to real clients over loopback.
 *
 * The bundled demo (the General Assembly, 2 March 2022) must reach a board whole:
 * the board ends at 141-5-35 with 12 not voting, in the state the journal folds to,
 * and never sooner than the meeting's length over the speed. A loop starts a new
 * stream, and boards follow it. */
#include <string.h>

#include "codec/rc-codec.h"
#include "feed/rc-feed-replay.h"
#include "model/rc-replay.h"
#include "rc-archive-test-util.h"
#include "rc-feed-test-util.h"

#define GA "ga-es11-2022-03-02"

/* The journal of a session of the bundled demo archive. */
static GPtrArray *
demo_events (const char *session_id)
{
  g_autofree char *path
    = g_build_filename (g_getenv ("ROLLCALL_BUILD_ROOT"), "data", "demo", "demo.rollcall", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (RcArchive) archive = rc_archive_open (path, RC_ARCHIVE_READ_ONLY, &error);
  GPtrArray *events;

  g_assert_no_error (error);
  events = rc_archive_load_events (archive, session_id, &error);
  g_assert_no_error (error);
  return events;
}

/* What a board must end with: the journal folded. */
static char *
folded_dump (GPtrArray *events)
{
  g_autoptr (RcSession) session = rc_session_new ();
  g_autoptr (GError) error = NULL;

  g_assert_cmpuint (rc_session_fold (session, events, G_MAXINT64, &error), ==, events->len);
  g_assert_no_error (error);
  return rc_test_session_dump (session);
}

static void
on_finished (RcFeedReplay *replay, gpointer data)
{
  (*(guint *) data)++;
}

/* A client is at the hub's last event. */
static gboolean
caught_up (RcTestClient *c, RcFeedHub *hub)
{
  g_autofree char *id
    = rc_event_id_format (rc_feed_hub_get_stream (hub), rc_feed_hub_get_last_seq (hub));

  return g_strcmp0 (rc_test_client_get_last_event_id (c), id) == 0;
}

static void
assert_final_tally (RcSession *session)
{
  RcVote *vote = rc_session_lookup_vote (session, "A/RES/ES-11/1", NULL);
  const RcTally *tally;

  g_assert_nonnull (vote);
  tally = rc_vote_get_tally (vote);
  g_assert_cmpint (rc_vote_get_state (vote), ==, RC_VOTE_ANNOUNCED);
  g_assert_cmpuint (tally->yes, ==, 141);
  g_assert_cmpuint (tally->no, ==, 5);
  g_assert_cmpuint (tally->abstain, ==, 35);
  g_assert_cmpuint (tally->not_voting, ==, 12);
  g_assert_cmpint (rc_vote_get_verdict (vote)->outcome, ==, RC_OUTCOME_ADOPTED);
}

/* The demo at 1024×, to a WebSocket board and an SSE board subscribed before it
 * starts, and one that joins at the end. */
static void
test_demo (void)
{
  g_autoptr (GPtrArray) events = demo_events (GA);
  g_autofree char *expected = folded_dump (events);
  g_autoptr (RcTestFeed) feed = rc_test_feed_new (NULL, NULL, NULL);
  g_autoptr (RcFeedReplay) replay = rc_feed_replay_new (feed->hub, events, GA);
  g_autoptr (RcTestClient) ws = rc_test_client_connect (feed->url, RC_TEST_WS, NULL);
  g_autoptr (RcTestClient) sse = rc_test_client_connect (feed->url, RC_TEST_SSE, NULL);
  g_autoptr (RcTestClient) late = NULL;
  g_autofree char *seen_ws = NULL, *seen_sse = NULL, *seen_late = NULL, *hub_state = NULL;
  const RcEvent *first = g_ptr_array_index (events, 0);
  const RcEvent *last = g_ptr_array_index (events, events->len - 1);
  guint finished = 0;
  gint64 started;

  g_signal_connect (replay, "finished", G_CALLBACK (on_finished), &finished);
  rc_feed_replay_set_speed (replay, RC_REPLAY_MAX_SPEED);
  started = g_get_monotonic_time ();
  rc_feed_replay_start (replay);
  /* Each run is a stream of its own, named after the session. */
  g_assert_true (g_str_has_prefix (rc_feed_hub_get_stream (feed->hub), GA "~"));
  g_assert_true (g_str_has_suffix (rc_feed_hub_get_stream (feed->hub), "-1"));

  RC_TEST_WAIT_FOR (finished == 1);
  /* The original timing, RC_REPLAY_MAX_SPEED (64) times faster: not sooner. */
  g_assert_cmpint (g_get_monotonic_time () - started, >=,
                   (gint64) ((last->time - first->time) / RC_REPLAY_MAX_SPEED));
  /* Every event of the journal, under the same numbers and at the same times. */
  g_assert_cmpint (rc_feed_hub_get_last_seq (feed->hub), ==, events->len);
  hub_state = rc_test_session_dump (rc_feed_hub_get_session (feed->hub));
  g_assert_cmpstr (hub_state, ==, expected);

  RC_TEST_WAIT_FOR (caught_up (ws, feed->hub) && caught_up (sse, feed->hub));
  late = rc_test_client_connect (feed->url, RC_TEST_WS, NULL);
  RC_TEST_WAIT_FOR (caught_up (late, feed->hub));
  seen_ws = rc_test_session_dump (rc_test_client_get_session (ws));
  seen_sse = rc_test_session_dump (rc_test_client_get_session (sse));
  seen_late = rc_test_session_dump (rc_test_client_get_session (late));
  g_assert_cmpstr (seen_ws, ==, expected);
  g_assert_cmpstr (seen_sse, ==, expected);
  g_assert_cmpstr (seen_late, ==, expected);
  assert_final_tally (rc_test_client_get_session (ws));
  /* The late board had it in one snapshot. */
  g_assert_cmpuint (rc_test_client_count (late, RC_MESSAGE_SNAPSHOT), ==, 1);
  g_assert_cmpuint (rc_test_client_count (late, RC_MESSAGE_EVENT), ==, 0);
}

/* What is at the very start of the journal (the meeting, the first schedule) is
 * published as the replay starts, not a tick later. */
static void
test_start (void)
{
  g_autoptr (GPtrArray) events = demo_events (GA);
  g_autoptr (RcTestFeed) feed = rc_test_feed_new (NULL, NULL, NULL);
  g_autoptr (RcFeedReplay) replay = rc_feed_replay_new (feed->hub, events, GA);
  const RcEvent *first = g_ptr_array_index (events, 0);
  guint at_start = 0;

  while (at_start < events->len
         && ((const RcEvent *) g_ptr_array_index (events, at_start))->time == first->time)
    at_start++;

  /* Nothing before the start... */
  g_assert_cmpint (rc_feed_hub_get_last_seq (feed->hub), ==, 0);
  rc_feed_replay_start (replay);
  /* ...and all of the start at once. */
  g_assert_cmpint (rc_feed_hub_get_last_seq (feed->hub), ==, at_start);
  g_assert_cmpstr (rc_session_get_info (rc_feed_hub_get_session (feed->hub))->id, ==, GA);
  /* Stopping keeps what was published. */
  rc_feed_replay_stop (replay);
  g_assert_cmpint (rc_feed_hub_get_last_seq (feed->hub), ==, at_start);
}

/* An operator's on-air switch between two replayed events takes its place in the
 * stream; the replay goes on with the meeting's times after it. */
static void
test_on_air_between (void)
{
  g_autoptr (GPtrArray) events = demo_events (GA);
  g_autoptr (RcTestFeed) feed = rc_test_feed_new (NULL, NULL, NULL);
  g_autoptr (RcFeedReplay) replay = rc_feed_replay_new (feed->hub, events, GA);
  g_autoptr (RcEvent) switched = NULL;
  g_autoptr (RcEvent) on_air = NULL;
  g_autoptr (GPtrArray) published = NULL;
  g_autoptr (GError) error = NULL;
  const RcEvent *last = g_ptr_array_index (events, events->len - 1);
  const RcEvent *final;
  guint finished = 0;
  gint64 at;

  g_signal_connect (replay, "finished", G_CALLBACK (on_finished), &finished);
  rc_feed_replay_start (replay);
  rc_feed_replay_stop (replay);
  at = rc_feed_hub_get_last_seq (feed->hub);
  on_air = rc_event_new_on_air (rc_session_get_last_time (rc_feed_hub_get_session (feed->hub)),
                                RC_ON_AIR_HOLDING, NULL);
  switched = rc_feed_hub_publish (feed->hub, on_air, &error);
  g_assert_no_error (error);

  rc_feed_replay_set_speed (replay, RC_REPLAY_MAX_SPEED);
  rc_feed_replay_start (replay);
  RC_TEST_WAIT_FOR (finished == 1);
  g_assert_cmpint (rc_feed_hub_get_last_seq (feed->hub), ==, events->len + 1);
  published = rc_feed_hub_events_since (feed->hub, at);
  g_assert_cmpint (((RcEvent *) g_ptr_array_index (published, 0))->type, ==, RC_EVENT_ON_AIR);
  final = g_ptr_array_index (published, published->len - 1);
  g_assert_cmpint (final->type, ==, last->type);
  g_assert_cmpint (final->time, ==, last->time);
  assert_final_tally (rc_feed_hub_get_session (feed->hub));
}

/* A short journal: the session, a vote of three members, 10 ms apart. */
static GPtrArray *
short_journal (const char *session_id)
{
  GPtrArray *events = rc_test_vote_events (session_id, 3);
  gint64 t0 = 0;

  g_assert_true (rc_codec_parse_time ("2026-11-26T15:00:00.000Z", &t0));
  for (guint i = 0; i < events->len; i++)
    ((RcEvent *) g_ptr_array_index (events, i))->time = t0 + i * 10 * G_TIME_SPAN_MILLISECOND;
  return events;
}

/* Looping: each run a new stream; a board subscribed all along follows it with a
 * snapshot and ends each run in the journal's final state. */
static void
test_loop (void)
{
  g_autoptr (GPtrArray) events = short_journal ("t:1");
  g_autofree char *expected = folded_dump (events);
  g_autoptr (RcTestFeed) feed = rc_test_feed_new (NULL, NULL, NULL);
  g_autoptr (RcFeedReplay) replay = rc_feed_replay_new (feed->hub, events, "t:1");
  g_autoptr (RcTestClient) board = rc_test_client_connect (feed->url, RC_TEST_SSE, NULL);
  g_autofree char *first_stream = NULL, *seen = NULL;
  guint finished = 0;

  g_signal_connect (replay, "finished", G_CALLBACK (on_finished), &finished);
  rc_feed_replay_set_speed (replay, 64);
  rc_feed_replay_set_loop (replay, TRUE);
  rc_feed_replay_start (replay);
  /* (a stream id holds no ':') */
  first_stream = g_strdup (rc_feed_hub_get_stream (feed->hub));
  g_assert_true (g_str_has_prefix (first_stream, "t-1~"));
  g_assert_true (g_str_has_suffix (first_stream, "-1"));

  RC_TEST_WAIT_FOR (rc_feed_hub_get_last_seq (feed->hub) == events->len
                    && g_str_equal (rc_feed_hub_get_stream (feed->hub), first_stream)
                    && caught_up (board, feed->hub));
  seen = rc_test_session_dump (rc_test_client_get_session (board));
  g_assert_cmpstr (seen, ==, expected);

  /* The next run: a new stream, the same prefix and run, the next count. */
  RC_TEST_WAIT_FOR (!g_str_equal (rc_feed_hub_get_stream (feed->hub), first_stream));
  g_assert_true (g_str_has_suffix (rc_feed_hub_get_stream (feed->hub), "-2"));
  g_assert_cmpint (strlen (rc_feed_hub_get_stream (feed->hub)), ==, strlen (first_stream));
  RC_TEST_WAIT_FOR (rc_feed_hub_get_last_seq (feed->hub) == events->len
                    && caught_up (board, feed->hub));
  g_clear_pointer (&seen, g_free);
  seen = rc_test_session_dump (rc_test_client_get_session (board));
  g_assert_cmpstr (seen, ==, expected);
  g_assert_cmpuint (rc_test_client_count (board, RC_MESSAGE_SNAPSHOT), >=, 2);
  g_assert_cmpuint (finished, ==, 0);
}

/* Seeking back (the replay desk's timeline): a new stream with everything up to the
 * position, and a board subscribed all along rewinds to exactly the journal folded to
 * there; then plays on to the end. */
static void
test_seek_back (void)
{
  g_autoptr (GPtrArray) events = demo_events (GA);
  g_autofree char *expected_end = folded_dump (events);
  g_autoptr (RcTestFeed) feed = rc_test_feed_new (NULL, NULL, NULL);
  g_autoptr (RcFeedReplay) replay = rc_feed_replay_new (feed->hub, events, GA);
  g_autoptr (RcTestClient) board = rc_test_client_connect (feed->url, RC_TEST_WS, NULL);
  RcReplay *clock = rc_feed_replay_get_replay (replay);
  g_autofree char *first_stream = NULL, *seen = NULL, *expected = NULL;
  g_autoptr (RcSession) folded = rc_session_new ();
  guint middle = events->len / 2;
  gint64 position;

  rc_feed_replay_set_speed (replay, 64);
  rc_feed_replay_start (replay);
  rc_replay_seek (clock, rc_replay_get_duration (clock)); /* to the end at once */
  first_stream = g_strdup (rc_feed_hub_get_stream (feed->hub));
  RC_TEST_WAIT_FOR (rc_feed_hub_get_last_seq (feed->hub) == events->len
                    && caught_up (board, feed->hub));

  /* Back to the middle of the journal, paused there. */
  rc_replay_pause (clock);
  position = rc_replay_get_event_position (clock, middle);
  rc_replay_seek (clock, position);
  g_assert_cmpstr (rc_feed_hub_get_stream (feed->hub), !=, first_stream);
  rc_session_fold (folded, events, ((const RcEvent *) g_ptr_array_index (events, middle))->time,
                   NULL);
  expected = rc_test_session_dump (folded);
  RC_TEST_WAIT_FOR (rc_feed_hub_get_last_seq (feed->hub) == (gint64) rc_replay_get_n_applied (clock)
                    && caught_up (board, feed->hub));
  seen = rc_test_session_dump (rc_test_client_get_session (board));
  g_assert_cmpstr (seen, ==, expected);
  g_assert_cmpuint (rc_test_client_count (board, RC_MESSAGE_SNAPSHOT), >=, 2);

  /* Played on: the end again. */
  rc_replay_seek (clock, rc_replay_get_duration (clock));
  RC_TEST_WAIT_FOR (rc_feed_hub_get_last_seq (feed->hub) == events->len
                    && caught_up (board, feed->hub));
  g_clear_pointer (&seen, g_free);
  seen = rc_test_session_dump (rc_test_client_get_session (board));
  g_assert_cmpstr (seen, ==, expected_end);
}

int
main (int argc, char *argv[])
{
  rc_test_feed_init (&argc, &argv);
  g_test_add_func ("/replay/seek-back", test_seek_back);
  g_test_add_func ("/replay/demo", test_demo);
  g_test_add_func ("/replay/start", test_start);
  g_test_add_func ("/replay/on-air-between", test_on_air_between);
  g_test_add_func ("/replay/loop", test_loop);
  return g_test_run ();
}
