/* test-feed-hub-journal.c — a hub restarted on a long journal starts from the session's
 * checkpoint: its state is the whole journal's, it holds only the events after the
 * checkpoint, and a client resuming from further back (within --history) gets exactly
 * the events it missed, read back from the journal, with no snapshot; further back
 * than the history, a snapshot. Real archives in a temporary folder, a real server
 * and real clients on loopback. */
#include "codec/rc-codec.h"
#include "model/rc-replay.h"
#include "rc-archive-test-util.h"
#include "rc-feed-test-util.h"
#include "rc-test-random-session.h"

typedef RcTestArchive Fixture;

#define SESSION "s-1"

/* A long session of every kind of event in a 20-member chamber. */
static GPtrArray *
long_session (guint n)
{
  g_autoptr (GPtrArray) vote = rc_test_vote_events (SESSION, 20);
  g_autoptr (RcEvent) first = rc_event_with_seq (g_ptr_array_index (vote, 0), 1);

  first->time = G_GINT64_CONSTANT (1796630400) * G_USEC_PER_SEC; /* not shared yet */
  return rc_test_random_session (first, n, 31);
}

static void
publish_range (RcFeedHub *hub, GPtrArray *events, guint from, guint to)
{
  for (guint i = from; i < to; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (RcEvent) published
        = rc_feed_hub_publish (hub, g_ptr_array_index (events, i), &error);

      g_assert_no_error (error);
      g_assert_cmpint (published->seq, ==, i + 1);
    }
}

/* A journal of n events, a checkpoint every `every`, the last at `at`: as a live hub
 * leaves it (written in batches of `every`, which is quicker than one by one). */
static void
write_journal (Fixture *f, GPtrArray *events, guint n, guint every, gint64 at)
{
  g_autoptr (RcArchive) archive = rc_test_archive_create (f);
  g_autofree char *seq = NULL;

  rc_archive_set_checkpoint_every (archive, every);
  for (guint done = 0; done < n; done += every)
    {
      g_autoptr (GPtrArray) batch = g_ptr_array_new ();
      g_autoptr (GError) error = NULL;

      for (guint i = done; i < MIN (n, done + every); i++)
        g_ptr_array_add (batch, g_ptr_array_index (events, i));
      g_assert_true (rc_archive_append_all (archive, SESSION, batch, &error));
      g_assert_no_error (error);
    }
  seq = rc_test_sql_text (f->path, "SELECT seq FROM checkpoints");
  g_assert_cmpint (g_ascii_strtoll (seq, NULL, 10), ==, at);
}

static char *
full_fold (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RcArchive) archive = rc_archive_open (path, RC_ARCHIVE_READ_ONLY, &error);
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (RcSession) session = rc_session_new ();

  g_assert_no_error (error);
  events = rc_archive_load_events (archive, SESSION, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rc_session_fold (session, events, G_MAXINT64, &error), ==, events->len);
  return rc_test_session_dump (session);
}

/* The events after seq as the journal holds them, and as the hub hands them out. */
static void
assert_since (RcFeedHub *hub, const char *path, gint64 seq)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RcArchive) archive = rc_archive_open (path, RC_ARCHIVE_READ_ONLY, &error);
  g_autoptr (GPtrArray) expected = NULL;
  g_autoptr (GPtrArray) seen = rc_feed_hub_events_since (hub, seq);

  g_assert_no_error (error);
  expected
    = rc_archive_load_events_range (archive, SESSION, seq, rc_feed_hub_get_last_seq (hub), &error);
  g_assert_no_error (error);
  g_assert_nonnull (seen);
  rc_test_assert_journals_equal (expected, seen);
}

static void
test_restart_from_checkpoint (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) events = long_session (1100);
  g_autoptr (RcArchive) archive = NULL;
  g_autoptr (RcFeedHub) hub = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (RcEvent) next = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *seen = NULL;

  write_journal (f, events, 1050, 100, 1000);
  expected = full_fold (f->path);

  /* As after kill -9: a new process, the same file. */
  archive = rc_archive_open (f->path, RC_ARCHIVE_READ_WRITE, &error);
  g_assert_no_error (error);
  hub = rc_feed_hub_new_full (SESSION, archive, SESSION, 300, &error);
  g_assert_no_error (error);
  g_assert_cmpint (rc_feed_hub_get_last_seq (hub), ==, 1050);
  seen = rc_test_session_dump (rc_feed_hub_get_session (hub));
  g_assert_cmpstr (seen, ==, expected);
  /* Only the events after the checkpoint are in memory… */
  g_assert_cmpuint (rc_feed_hub_get_n_kept (hub), ==, 50);
  assert_since (hub, f->path, 1040);
  g_assert_cmpuint (rc_feed_hub_get_n_kept (hub), ==, 50);
  /* …older ones come back from the journal when a client resumes from there, */
  assert_since (hub, f->path, 850);
  g_assert_cmpuint (rc_feed_hub_get_n_kept (hub), ==, 200);
  assert_since (hub, f->path, 900);
  assert_since (hub, f->path, 750);
  g_assert_cmpuint (rc_feed_hub_get_n_kept (hub), ==, 300);
  /* …within the history's bound. */
  g_assert_null (rc_feed_hub_events_since (hub, 749));
  g_assert_null (rc_feed_hub_events_since (hub, 0));

  /* The stream goes on from the journal's last event. */
  next = rc_feed_hub_publish (hub, g_ptr_array_index (events, 1050), &error);
  g_assert_no_error (error);
  g_assert_cmpint (next->seq, ==, 1051);
  g_assert_cmpuint (rc_feed_hub_get_n_kept (hub), ==, 300);
  assert_since (hub, f->path, 751);
  g_assert_null (rc_feed_hub_events_since (hub, 750));
  publish_range (hub, events, 1051, events->len);
  g_clear_pointer (&expected, g_free);
  g_clear_pointer (&seen, g_free);
  expected = full_fold (f->path);
  seen = rc_test_session_dump (rc_feed_hub_get_session (hub));
  g_assert_cmpstr (seen, ==, expected);
}

/* A checkpoint at the journal's very end: nothing to fold, nothing kept, and resuming
 * reads every missed event back. A history of 0 resumes nobody. */
static void
test_restart_at_checkpoint (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) events = long_session (400);
  g_autoptr (RcArchive) archive = NULL;
  g_autoptr (GError) error = NULL;

  write_journal (f, events, 400, 100, 400);
  archive = rc_archive_open (f->path, RC_ARCHIVE_READ_WRITE, &error);
  g_assert_no_error (error);
  {
    g_autoptr (RcFeedHub) hub = rc_feed_hub_new (SESSION, archive, SESSION, &error);
    g_autoptr (GPtrArray) none = NULL;

    g_assert_no_error (error);
    g_assert_cmpuint (rc_feed_hub_get_n_kept (hub), ==, 0);
    none = rc_feed_hub_events_since (hub, 400);
    g_assert_nonnull (none);
    g_assert_cmpuint (none->len, ==, 0);
    g_assert_null (rc_feed_hub_events_since (hub, 401));
    assert_since (hub, f->path, 0);
    g_assert_cmpuint (rc_feed_hub_get_n_kept (hub), ==, 400);
  }
  {
    g_autoptr (RcFeedHub) hub = rc_feed_hub_new_full (SESSION, archive, SESSION, 0, &error);

    g_assert_no_error (error);
    g_assert_null (rc_feed_hub_events_since (hub, 399));
    g_assert_cmpuint (rc_feed_hub_get_n_kept (hub), ==, 0);
  }
}

/* Boards that were at different places when the server died reconnect to the new one
 * (same journal, same port): each gets exactly what it missed and no snapshot, and
 * all end in the state of a board that joins at the end. */
static void
test_boards_resume_after_restart (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) events = long_session (700);
  const guint stops[] = { 590, 400, 300, 599 };
  RcTestClient *boards[G_N_ELEMENTS (stops)] = { NULL };
  g_autoptr (GError) error = NULL;
  g_autofree char *final = NULL;

  {
    g_autoptr (RcArchive) archive = rc_test_archive_create (f);
    g_autoptr (RcTestFeed) feed = rc_test_feed_new (archive, SESSION, NULL);
    guint done = 0;

    rc_archive_set_checkpoint_every (archive, 64);
    for (gsize i = 0; i < G_N_ELEMENTS (stops); i++)
      boards[i] = rc_test_client_connect (feed->url, i % 2 ? RC_TEST_SSE : RC_TEST_WS, NULL);
    /* Each board drops at its stop; the server dies at 600. */
    rc_test_feed_publish_range (feed, events, 0, 300);
    done = 300;
    for (guint stop = 300; stop <= 600; stop++)
      {
        rc_test_feed_publish_range (feed, events, done, stop);
        done = stop;
        for (gsize i = 0; i < G_N_ELEMENTS (stops); i++)
          if (stops[i] == stop)
            {
              rc_test_client_wait_caught_up (boards[i], feed->hub);
              rc_test_client_close (boards[i]);
            }
      }
  }
  {
    g_autoptr (RcArchive) archive = rc_archive_open (f->path, RC_ARCHIVE_READ_WRITE, &error);
    g_autoptr (RcTestFeed) feed = NULL;
    g_autoptr (RcTestClient) late = NULL;

    g_assert_no_error (error);
    feed = rc_test_feed_new (archive, SESSION, NULL);
    g_assert_cmpint (rc_feed_hub_get_last_seq (feed->hub), ==, 600);
    g_assert_cmpuint (rc_feed_hub_get_n_kept (feed->hub), <, 64);
    for (gsize i = 0; i < G_N_ELEMENTS (stops); i++)
      {
        /* The new server's URL: a test feed listens on a port of its own. */
        RcTestClient *old = boards[i];
        RcTestClient *again = rc_test_client_new (feed->url, i % 2 ? RC_TEST_SSE : RC_TEST_WS);

        rc_test_client_set_last_event_id (again, rc_test_client_get_last_event_id (old),
                                          i % 2 ? RC_TEST_ID_HEADER : RC_TEST_ID_QUERY);
        rc_test_client_set_session (again, rc_test_client_get_session (old));
        rc_test_client_start (again);
        rc_test_client_free (old);
        boards[i] = again;
      }
    rc_test_feed_publish_range (feed, events, 600, events->len);
    late = rc_test_client_connect (feed->url, RC_TEST_WS, NULL);
    rc_test_client_wait_caught_up (late, feed->hub);
    final = rc_test_feed_dump (feed);
    for (gsize i = 0; i < G_N_ELEMENTS (stops); i++)
      {
        g_autofree char *seen = NULL;

        rc_test_client_wait_caught_up (boards[i], feed->hub);
        g_assert_cmpuint (rc_test_client_count (boards[i], RC_MESSAGE_SNAPSHOT), ==, 0);
        g_assert_cmpuint (rc_test_client_count (boards[i], RC_MESSAGE_EVENT), ==,
                          events->len - stops[i]);
        seen = rc_test_session_dump (rc_test_client_get_session (boards[i]));
        g_assert_cmpstr (seen, ==, final);
        rc_test_client_free (boards[i]);
      }
    rc_test_client_assert_state (late, feed);
  }
}

int
main (int argc, char *argv[])
{
  rc_test_feed_init (&argc, &argv);

  g_test_add ("/hub-journal/restart-from-checkpoint", Fixture, NULL, rc_test_archive_set_up,
              test_restart_from_checkpoint, rc_test_archive_tear_down);
  g_test_add ("/hub-journal/restart-at-checkpoint", Fixture, NULL, rc_test_archive_set_up,
              test_restart_at_checkpoint, rc_test_archive_tear_down);
  g_test_add ("/hub-journal/boards-resume-after-restart", Fixture, NULL, rc_test_archive_set_up,
              test_boards_resume_after_restart, rc_test_archive_tear_down);
  return g_test_run ();
}
