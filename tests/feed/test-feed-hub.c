/* test-feed-hub.c — the hub: every event numbered, stamped, checked, journalled and
 * only then handed out; every refusal changes nothing and hands out nothing; a hub
 * on an archive goes on after a restart exactly where it stopped; the history kept
 * for resuming stays within its bound however long the stream. Real archives in a
 * temporary folder. */
#include <string.h>

#include "codec/rc-codec.h"
#include "model/rc-error.h"
#include "model/rc-snapshot.h"
#include "rc-archive-test-util.h"
#include "rc-feed-test-util.h"

/* What a subscriber of the hub saw. */
typedef struct {
  GPtrArray *events; /* of RcEvent, as handed out */
  guint restarts;
  const char *journal_path; /* when set: rows in the journal when each event is handed out */
  GArray *rows_seen;
} Watch;

static void
on_published (RcFeedHub *hub, const RcEvent *event, Watch *watch)
{
  g_ptr_array_add (watch->events, rc_event_ref ((RcEvent *) event));
  if (watch->journal_path != NULL)
    {
      g_autofree char *rows
        = rc_test_sql_text (watch->journal_path, "SELECT count (*) FROM journal");
      gint64 n = g_ascii_strtoll (rows, NULL, 10);

      g_array_append_val (watch->rows_seen, n);
    }
}

static void
on_restarted (RcFeedHub *hub, Watch *watch)
{
  watch->restarts++;
}

static void
watch_init (Watch *watch, RcFeedHub *hub)
{
  watch->events = g_ptr_array_new_with_free_func ((GDestroyNotify) rc_event_unref);
  watch->rows_seen = g_array_new (FALSE, FALSE, sizeof (gint64));
  watch->restarts = 0;
  watch->journal_path = NULL;
  g_signal_connect (hub, "published", G_CALLBACK (on_published), watch);
  g_signal_connect (hub, "restarted", G_CALLBACK (on_restarted), watch);
}

static void
watch_clear (Watch *watch)
{
  g_ptr_array_unref (watch->events);
  g_array_unref (watch->rows_seen);
}

static RcFeedHub *
hub_new (RcArchive *journal, const char *session_id)
{
  g_autoptr (GError) error = NULL;
  RcFeedHub *hub = rc_feed_hub_new (session_id != NULL ? session_id : RC_TEST_STREAM, journal,
                                    session_id, &error);

  g_assert_no_error (error);
  return hub;
}

static char *
hub_dump (RcFeedHub *hub)
{
  return rc_test_session_dump (rc_feed_hub_get_session (hub));
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
    }
}

/* ---------------------------------------------------------------- numbering */

static void
test_numbers_and_stamps (void)
{
  g_autoptr (RcFeedHub) hub = hub_new (NULL, NULL);
  g_autoptr (GPtrArray) events = rc_test_vote_events ("s-1", 12);
  Watch watch;
  gint64 before = g_get_real_time ();

  watch_init (&watch, hub);
  for (guint i = 0; i < events->len; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (RcEvent) event = rc_event_with_seq (g_ptr_array_index (events, i), 1000 + i);
      g_autoptr (RcEvent) published = rc_feed_hub_publish (hub, event, &error);

      g_assert_no_error (error);
      /* The hub numbers: the seq the source gave means nothing. */
      g_assert_cmpint (published->seq, ==, i + 1);
      /* time 0: stamped now */
      g_assert_cmpint (published->time, >=, before);
      g_assert_cmpint (published->time, <=, g_get_real_time ());
      g_assert_cmpint (rc_feed_hub_get_last_seq (hub), ==, i + 1);
      /* handed out once, the event as published */
      g_assert_cmpuint (watch.events->len, ==, i + 1);
      g_assert_true (g_ptr_array_index (watch.events, i) == published);
    }
  g_assert_cmpstr (rc_feed_hub_get_stream (hub), ==, RC_TEST_STREAM);
  g_assert_cmpint (rc_session_get_last_seq (rc_feed_hub_get_session (hub)), ==, events->len);
  g_assert_cmpint (rc_vote_get_state (rc_session_find_vote (rc_feed_hub_get_session (hub), "v1")),
                   ==, RC_VOTE_ANNOUNCED);
  watch_clear (&watch);
}

static void
test_time_never_backwards (void)
{
  g_autoptr (RcFeedHub) hub = hub_new (NULL, NULL);
  g_autoptr (GPtrArray) events = rc_test_vote_events ("s-1", 3);
  gint64 t = G_GINT64_CONSTANT (1646238900) * G_USEC_PER_SEC;
  g_autoptr (GError) error = NULL;
  g_autoptr (RcEvent) session = rc_event_with_seq (g_ptr_array_index (events, 0), 0);
  g_autoptr (RcEvent) vote = rc_event_with_seq (g_ptr_array_index (events, 1), 0);
  g_autoptr (RcEvent) first = NULL;
  g_autoptr (RcEvent) second = NULL;

  session->time = t;
  vote->time = t - 5 * G_USEC_PER_SEC; /* a source whose clock is behind */
  first = rc_feed_hub_publish (hub, session, &error);
  g_assert_no_error (error);
  g_assert_cmpint (first->time, ==, t);
  second = rc_feed_hub_publish (hub, vote, &error);
  g_assert_no_error (error);
  g_assert_cmpint (second->time, ==, t);
}

/* A handler that publishes while the hub hands out an event (a replay switching the
 * screens when a vote opens): every subscriber still sees the stream in order. */
static void
publish_on_open (RcFeedHub *hub, const RcEvent *event, gpointer data)
{
  if (event->type == RC_EVENT_VOTE_OPENED)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (RcEvent) on_air = rc_event_new_on_air (0, RC_ON_AIR_BLANK, NULL);
      g_autoptr (RcEvent) published = rc_feed_hub_publish (hub, on_air, &error);

      g_assert_no_error (error);
    }
}

static void
test_nested_publish_in_order (void)
{
  g_autoptr (RcFeedHub) hub = hub_new (NULL, NULL);
  g_autoptr (GPtrArray) events = rc_test_vote_events ("s-1", 3);
  Watch watch;

  g_signal_connect (hub, "published", G_CALLBACK (publish_on_open), NULL);
  watch_init (&watch, hub); /* connected after: it runs after the nested publish */
  publish_range (hub, events, 0, 5);
  g_assert_cmpint (rc_feed_hub_get_last_seq (hub), ==, 6);
  g_assert_cmpuint (watch.events->len, ==, 6);
  for (guint i = 0; i < watch.events->len; i++)
    g_assert_cmpint (((RcEvent *) g_ptr_array_index (watch.events, i))->seq, ==, i + 1);
  g_assert_cmpint (((RcEvent *) g_ptr_array_index (watch.events, 4))->type, ==, RC_EVENT_ON_AIR);
  watch_clear (&watch);
}

/* ---------------------------------------------------------------- refusals */

/* Where in the vote of rc_test_vote_events() a refusal is tried. */
typedef enum {
  AT_OPEN,   /* session, vote scheduled, on air, opened */
  AT_LOCKED, /* every ballot, and the lock */
} Moment;

typedef struct {
  const char *name;
  RcEvent *(*make) (void);
  Moment at;
  int code;
  const char *reason;
} Refusal;

static RcEvent *
make_heartbeat (void)
{
  return rc_event_new_heartbeat (0);
}

static RcEvent *
make_unknown_member (void)
{
  return rc_event_new_ballot (0, "v1", "ZZZ", RC_CHOICE_YES);
}

static RcEvent *
make_unknown_vote (void)
{
  return rc_event_new_vote_opened (0, "v9");
}

static RcEvent *
make_ballot_after_lock (void)
{
  return rc_event_new_ballot (0, "v1", "M001", RC_CHOICE_NO);
}

static RcEvent *
make_other_session (void)
{
  g_autoptr (GPtrArray) events = rc_test_vote_events ("another", 3);

  return rc_event_ref (g_ptr_array_index (events, 0));
}

static const Refusal refusals[] = {
  { "heartbeat", make_heartbeat, AT_OPEN, RC_ERROR_BAD_MESSAGE, "heartbeat" },
  { "unknown-member", make_unknown_member, AT_OPEN, RC_ERROR_UNKNOWN_MEMBER, "ZZZ" },
  { "unknown-vote", make_unknown_vote, AT_OPEN, RC_ERROR_UNKNOWN_VOTE, "v9" },
  { "ballot-after-lock", make_ballot_after_lock, AT_LOCKED, RC_ERROR_LIFECYCLE, "not open" },
  { "other-session", make_other_session, AT_LOCKED, RC_ERROR_LIFECYCLE, "another" },
};

static guint
moment_index (GPtrArray *events, Moment at)
{
  return at == AT_OPEN ? 4 : events->len - 1;
}

static void
test_refusal (gconstpointer data)
{
  const Refusal *refusal = data;
  g_autoptr (RcFeedHub) hub = hub_new (NULL, NULL);
  g_autoptr (GPtrArray) events = rc_test_vote_events ("s-1", 3);
  g_autoptr (RcEvent) event = refusal->make ();
  g_autoptr (RcEvent) published = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  guint at = moment_index (events, refusal->at);
  Watch watch;

  publish_range (hub, events, 0, at);
  before = hub_dump (hub);
  watch_init (&watch, hub);

  published = rc_feed_hub_publish (hub, event, &error);
  g_assert_null (published);
  rc_test_assert_refused (error, refusal->code, refusal->reason);
  after = hub_dump (hub);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (rc_feed_hub_get_last_seq (hub), ==, at);
  g_assert_cmpuint (watch.events->len, ==, 0);
  watch_clear (&watch);
}

static void
test_refuse_bad_stream_id (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RcFeedHub) hub = rc_feed_hub_new ("ga:2022", NULL, NULL, &error);

  g_assert_null (hub);
  rc_test_assert_refused (error, RC_ERROR_BAD_ARGUMENT, "ga:2022");
  g_clear_error (&error);
  hub = rc_feed_hub_new ("", NULL, NULL, &error);
  g_assert_null (hub);
  rc_test_assert_refused (error, RC_ERROR_BAD_ARGUMENT, "':'");
}

/* ---------------------------------------------------------------- resuming */

static void
test_events_since (void)
{
  g_autoptr (RcFeedHub) hub = hub_new (NULL, NULL);
  g_autoptr (GPtrArray) events = rc_test_vote_events ("s-1", 4);
  g_autoptr (GPtrArray) all = NULL;
  g_autoptr (GPtrArray) rest = NULL;
  g_autoptr (GPtrArray) none = NULL;
  g_autoptr (GPtrArray) future = NULL;
  g_autoptr (GPtrArray) negative = NULL;
  gint64 last;

  publish_range (hub, events, 0, events->len);
  last = rc_feed_hub_get_last_seq (hub);
  all = rc_feed_hub_events_since (hub, 0);
  g_assert_cmpuint (all->len, ==, last);
  rest = rc_feed_hub_events_since (hub, 5);
  g_assert_cmpuint (rest->len, ==, last - 5);
  for (guint i = 0; i < rest->len; i++)
    {
      g_assert_cmpint (((RcEvent *) g_ptr_array_index (rest, i))->seq, ==, 6 + i);
      g_assert_true (g_ptr_array_index (rest, i) == g_ptr_array_index (all, 5 + i));
    }
  none = rc_feed_hub_events_since (hub, last);
  g_assert_nonnull (none);
  g_assert_cmpuint (none->len, ==, 0);
  /* Beyond the last: the client cannot resume from there. */
  future = rc_feed_hub_events_since (hub, last + 1);
  g_assert_null (future);
  negative = rc_feed_hub_events_since (hub, -1);
  g_assert_null (negative);
}

/* A vote open for ballots (seq 1…4), then `n` ballots of one member, changing its
 * mind each time: as long a stream as a test needs. */
static void
publish_ballots (RcFeedHub *hub, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (RcEvent) ballot
        = rc_event_new_ballot (0, "v1", "M001", i % 2 ? RC_CHOICE_YES : RC_CHOICE_NO);
      g_autoptr (GError) error = NULL;
      g_autoptr (RcEvent) published = rc_feed_hub_publish (hub, ballot, &error);

      g_assert_no_error (error);
    }
}

/* The events since `seq` are exactly seq + 1 … last, or the hub says it cannot. */
static void
assert_since (RcFeedHub *hub, gint64 seq, gboolean resumable)
{
  g_autoptr (GPtrArray) since = rc_feed_hub_events_since (hub, seq);
  gint64 last = rc_feed_hub_get_last_seq (hub);

  if (!resumable)
    {
      g_assert_null (since);
      return;
    }
  g_assert_nonnull (since);
  g_assert_cmpuint (since->len, ==, last - seq);
  for (guint i = 0; i < since->len; i++)
    g_assert_cmpint (((RcEvent *) g_ptr_array_index (since, i))->seq, ==, seq + 1 + i);
}

static void
test_history_bounded (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RcFeedHub) hub = rc_feed_hub_new_full (RC_TEST_STREAM, NULL, NULL, 100, &error);
  g_autoptr (GPtrArray) events = rc_test_vote_events ("s-1", 3);
  g_autoptr (RcEvent) first = NULL;
  g_autoptr (RcEvent) kept = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (rc_feed_hub_get_history (hub), ==, 100);
  first = rc_feed_hub_publish (hub, g_ptr_array_index (events, 0), &error);
  g_assert_no_error (error);
  publish_range (hub, events, 1, 4);
  g_assert_cmpuint (rc_feed_hub_get_n_kept (hub), ==, 4);
  assert_since (hub, 0, TRUE);

  /* Fifty times the bound: the newest hundred are kept, the numbers go on. */
  for (guint round = 0; round < 50; round++)
    {
      publish_ballots (hub, 100);
      g_assert_cmpint (rc_feed_hub_get_last_seq (hub), ==, 4 + 100 * (round + 1));
      g_assert_cmpuint (rc_feed_hub_get_n_kept (hub), ==, 100);
    }
  assert_since (hub, 5004 - 100, TRUE);
  assert_since (hub, 4990, TRUE);
  assert_since (hub, 5004, TRUE);
  assert_since (hub, 5004 - 101, FALSE);
  assert_since (hub, 0, FALSE);
  assert_since (hub, 5005, FALSE);
  /* The hub let go of what it no longer keeps: the first event is ours alone. */
  g_assert_cmpint (first->ref_count, ==, 1);
  {
    g_autoptr (GPtrArray) last = rc_feed_hub_events_since (hub, 5003);

    kept = rc_event_ref (g_ptr_array_index (last, 0));
  }
  g_assert_cmpint (kept->ref_count, >, 1);
  /* The state is the whole stream's, whatever the history keeps. */
  g_assert_cmpint (rc_session_get_last_seq (rc_feed_hub_get_session (hub)), ==, 5004);
  g_assert_cmpint (rc_vote_get_state (rc_session_find_vote (rc_feed_hub_get_session (hub), "v1")),
                   ==, RC_VOTE_OPEN);
}

static void
test_history_set (void)
{
  g_autoptr (RcFeedHub) hub = hub_new (NULL, NULL);
  g_autoptr (GPtrArray) events = rc_test_vote_events ("s-1", 3);

  g_assert_cmpuint (rc_feed_hub_get_history (hub), ==, RC_FEED_HUB_HISTORY_DEFAULT);
  publish_range (hub, events, 0, 4);
  publish_ballots (hub, 96);
  g_assert_cmpuint (rc_feed_hub_get_n_kept (hub), ==, 100);

  /* Lowered: the oldest go at once. */
  rc_feed_hub_set_history (hub, 10);
  g_assert_cmpuint (rc_feed_hub_get_n_kept (hub), ==, 10);
  assert_since (hub, 90, TRUE);
  assert_since (hub, 89, FALSE);
  publish_ballots (hub, 25);
  g_assert_cmpuint (rc_feed_hub_get_n_kept (hub), ==, 10);
  assert_since (hub, 115, TRUE);
  assert_since (hub, 114, FALSE);

  /* Raised: it fills up again from now on. */
  rc_feed_hub_set_history (hub, 30);
  publish_ballots (hub, 15);
  g_assert_cmpuint (rc_feed_hub_get_n_kept (hub), ==, 25);
  assert_since (hub, 115, TRUE);
  publish_ballots (hub, 15);
  g_assert_cmpuint (rc_feed_hub_get_n_kept (hub), ==, 30);
  assert_since (hub, 125, TRUE);
  assert_since (hub, 124, FALSE);

  /* None: only a client at the very end resumes without a snapshot. */
  rc_feed_hub_set_history (hub, 0);
  publish_ballots (hub, 3);
  g_assert_cmpuint (rc_feed_hub_get_n_kept (hub), ==, 0);
  assert_since (hub, 158, TRUE);
  assert_since (hub, 157, FALSE);

  /* A new stream starts with an empty history and the same bound. */
  rc_feed_hub_set_history (hub, 5);
  rc_feed_hub_restart (hub, "run-2", NULL);
  g_assert_cmpuint (rc_feed_hub_get_n_kept (hub), ==, 0);
  g_assert_cmpuint (rc_feed_hub_get_history (hub), ==, 5);
  publish_range (hub, events, 0, 4);
  publish_ballots (hub, 4);
  g_assert_cmpint (rc_feed_hub_get_last_seq (hub), ==, 8);
  g_assert_cmpuint (rc_feed_hub_get_n_kept (hub), ==, 5);
  assert_since (hub, 3, TRUE);
  assert_since (hub, 2, FALSE);
}

static void
test_history_restart_with_refused (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RcFeedHub) hub = rc_feed_hub_new_full (RC_TEST_STREAM, NULL, NULL, 8, &error);
  g_autoptr (GPtrArray) events = rc_test_vote_events ("s-1", 3);
  g_autoptr (GPtrArray) before = NULL;
  g_autoptr (GPtrArray) after = NULL;
  g_autoptr (RcEvent) not_first = rc_event_new_vote_opened (0, "v1");
  g_autoptr (RcEvent) published = NULL;

  g_assert_no_error (error);
  publish_range (hub, events, 0, 4);
  publish_ballots (hub, 20);
  before = rc_feed_hub_events_since (hub, 16);
  /* A new stream must begin with a session: refused, the old one goes on as it was. */
  published = rc_feed_hub_restart_with (hub, "s-2", NULL, not_first, &error);
  g_assert_null (published);
  g_assert_nonnull (error);
  g_assert_cmpstr (rc_feed_hub_get_stream (hub), ==, RC_TEST_STREAM);
  g_assert_cmpint (rc_feed_hub_get_last_seq (hub), ==, 24);
  g_assert_cmpuint (rc_feed_hub_get_n_kept (hub), ==, 8);
  after = rc_feed_hub_events_since (hub, 16);
  g_assert_nonnull (after);
  g_assert_cmpuint (after->len, ==, before->len);
  for (guint i = 0; i < after->len; i++)
    g_assert_true (g_ptr_array_index (after, i) == g_ptr_array_index (before, i));
  publish_ballots (hub, 1);
  assert_since (hub, 17, TRUE);
  assert_since (hub, 16, FALSE);
}

static void
test_snapshot (void)
{
  g_autoptr (RcFeedHub) hub = hub_new (NULL, NULL);
  g_autoptr (GPtrArray) events = rc_test_vote_events ("s-1", 7);
  g_autoptr (RcSnapshot) empty = rc_feed_hub_snapshot (hub);
  g_autoptr (RcSnapshot) snapshot = NULL;
  g_autoptr (RcSession) restored = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *dump = NULL;
  g_autofree char *restored_dump = NULL;
  g_autoptr (RcMessage) message = NULL;

  g_assert_cmpint (empty->seq, ==, 0);
  g_assert_null (empty->session);

  publish_range (hub, events, 0, 10); /* mid-vote */
  snapshot = rc_feed_hub_snapshot (hub);
  g_assert_cmpint (snapshot->seq, ==, 10);
  dump = hub_dump (hub);

  /* Through the wire and back: what a client joining now would rebuild. */
  text = rc_codec_encode_snapshot (snapshot, RC_TEST_STREAM);
  message = rc_codec_decode_message (text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (message->kind, ==, RC_MESSAGE_SNAPSHOT);
  g_assert_cmpstr (message->stream, ==, RC_TEST_STREAM);
  restored = rc_session_new_from_snapshot (message->snapshot, &error);
  g_assert_no_error (error);
  restored_dump = rc_test_session_dump (restored);
  g_assert_cmpstr (dump, ==, restored_dump);
}

/* ---------------------------------------------------------------- restart */

static void
test_restart (void)
{
  g_autoptr (RcFeedHub) hub = hub_new (NULL, NULL);
  g_autoptr (GPtrArray) events = rc_test_vote_events ("s-1", 3);
  g_autoptr (GPtrArray) since = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (RcEvent) first = NULL;
  RcSession *old_session;
  Watch watch;

  publish_range (hub, events, 0, events->len);
  old_session = rc_feed_hub_get_session (hub);
  watch_init (&watch, hub);
  rc_feed_hub_restart (hub, "run-2", NULL);
  g_assert_cmpuint (watch.restarts, ==, 1);
  g_assert_cmpstr (rc_feed_hub_get_stream (hub), ==, "run-2");
  g_assert_cmpint (rc_feed_hub_get_last_seq (hub), ==, 0);
  g_assert_true (rc_feed_hub_get_session (hub) != old_session);
  g_assert_null (rc_session_get_info (rc_feed_hub_get_session (hub)));
  since = rc_feed_hub_events_since (hub, 0);
  g_assert_cmpuint (since->len, ==, 0);

  first = rc_feed_hub_publish (hub, g_ptr_array_index (events, 0), &error);
  g_assert_no_error (error);
  g_assert_cmpint (first->seq, ==, 1);
  watch_clear (&watch);
}

/* ---------------------------------------------------------------- journal */

static void
test_journal_commits_before_handing_out (RcTestArchive *f, gconstpointer data)
{
  g_autoptr (RcArchive) archive = rc_test_archive_create (f);
  g_autoptr (RcFeedHub) hub = hub_new (archive, "s-1");
  g_autoptr (GPtrArray) events = rc_test_vote_events ("s-1", 5);
  g_autoptr (GPtrArray) journal = NULL;
  g_autoptr (GError) error = NULL;
  Watch watch;

  watch_init (&watch, hub);
  watch.journal_path = f->path;
  publish_range (hub, events, 0, events->len);
  /* Another connection to the file saw each event's row when it was handed out. */
  g_assert_cmpuint (watch.rows_seen->len, ==, events->len);
  for (guint i = 0; i < watch.rows_seen->len; i++)
    g_assert_cmpint (g_array_index (watch.rows_seen, gint64, i), ==, i + 1);

  journal = rc_archive_load_events (archive, "s-1", &error);
  g_assert_no_error (error);
  rc_test_assert_journals_equal (journal, watch.events);
  watch_clear (&watch);
}

static void
test_journal_resume (RcTestArchive *f, gconstpointer data)
{
  g_autoptr (GPtrArray) events = rc_test_vote_events ("s-1", 6);
  g_autofree char *dump = NULL;
  g_autofree char *resumed_dump = NULL;
  g_autoptr (GPtrArray) before = NULL;
  g_autoptr (GPtrArray) after = NULL;
  g_autoptr (GError) error = NULL;
  guint half = events->len / 2;

  {
    g_autoptr (RcArchive) archive = rc_test_archive_create (f);
    g_autoptr (RcFeedHub) hub = hub_new (archive, "s-1");

    publish_range (hub, events, 0, half);
    dump = hub_dump (hub);
    before = rc_feed_hub_events_since (hub, 0);
  }
  {
    /* As after kill -9: a new process, the same file. */
    g_autoptr (RcArchive) archive = rc_archive_open (f->path, RC_ARCHIVE_READ_WRITE, &error);
    g_autoptr (RcFeedHub) hub = NULL;
    g_autoptr (RcEvent) next = NULL;

    g_assert_no_error (error);
    hub = hub_new (archive, "s-1");
    g_assert_cmpstr (rc_feed_hub_get_stream (hub), ==, "s-1");
    g_assert_cmpint (rc_feed_hub_get_last_seq (hub), ==, half);
    resumed_dump = hub_dump (hub);
    g_assert_cmpstr (dump, ==, resumed_dump);
    after = rc_feed_hub_events_since (hub, 0);
    rc_test_assert_journals_equal (before, after);

    next = rc_feed_hub_publish (hub, g_ptr_array_index (events, half), &error);
    g_assert_no_error (error);
    g_assert_cmpint (next->seq, ==, half + 1);
    publish_range (hub, events, half + 1, events->len);
    g_assert_cmpint (rc_archive_get_last_seq (archive, "s-1", NULL), ==, events->len);
  }
}

static void
test_journal_refusals (RcTestArchive *f, gconstpointer data)
{
  g_autoptr (RcArchive) archive = rc_test_archive_create (f);
  g_autoptr (RcFeedHub) hub = hub_new (archive, "s-1");
  g_autoptr (GPtrArray) events = rc_test_vote_events ("s-1", 3);
  g_autoptr (RcEvent) ballot = rc_event_new_ballot (0, "v1", "ZZZ", RC_CHOICE_YES);
  g_autoptr (RcEvent) other = make_other_session ();
  g_autofree char *journal = NULL;
  g_autofree char *dump = NULL;
  Watch watch;

  publish_range (hub, events, 0, 5);
  journal = rc_test_journal_dump (f->path);
  dump = hub_dump (hub);
  watch_init (&watch, hub);

  {
    g_autoptr (GError) error = NULL;
    g_autoptr (RcEvent) published = rc_feed_hub_publish (hub, ballot, &error);
    g_autofree char *journal_after = rc_test_journal_dump (f->path);

    g_assert_null (published);
    rc_test_assert_refused (error, RC_ERROR_UNKNOWN_MEMBER, "ZZZ");
    g_assert_cmpstr (journal, ==, journal_after);
  }
  {
    /* A journal holds one session: its stream cannot take another's. */
    g_autoptr (GError) error = NULL;
    g_autoptr (RcEvent) published = rc_feed_hub_publish (hub, other, &error);
    g_autofree char *journal_after = rc_test_journal_dump (f->path);
    g_autofree char *dump_after = hub_dump (hub);

    g_assert_null (published);
    rc_test_assert_refused (error, RC_ERROR_SEQUENCE, "another");
    g_assert_cmpstr (journal, ==, journal_after);
    g_assert_cmpstr (dump, ==, dump_after);
  }
  g_assert_cmpuint (watch.events->len, ==, 0);
  watch_clear (&watch);
}

static void
test_journal_failure_publishes_nothing (RcTestArchive *f, gconstpointer data)
{
  g_autoptr (GPtrArray) events = rc_test_vote_events ("s-1", 3);
  g_autoptr (RcArchive) readonly = NULL;
  g_autoptr (RcFeedHub) hub = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (RcEvent) published = NULL;
  g_autofree char *journal = NULL;
  g_autofree char *dump = NULL;
  g_autofree char *dump_after = NULL;
  g_autofree char *journal_after = NULL;
  Watch watch;

  {
    g_autoptr (RcArchive) archive = rc_test_archive_create (f);
    g_autoptr (RcFeedHub) writer = hub_new (archive, "s-1");

    publish_range (writer, events, 0, 5);
  }
  /* The journal cannot be written (as a full or read-only disk): the hub must not
   * hand out what it could not commit. */
  readonly = rc_archive_open (f->path, RC_ARCHIVE_READ_ONLY, &error);
  g_assert_no_error (error);
  hub = hub_new (readonly, "s-1");
  g_assert_cmpint (rc_feed_hub_get_last_seq (hub), ==, 5);
  journal = rc_test_journal_dump (f->path);
  dump = hub_dump (hub);
  watch_init (&watch, hub);

  published = rc_feed_hub_publish (hub, g_ptr_array_index (events, 5), &error);
  g_assert_null (published);
  rc_test_assert_refused (error, RC_ERROR_ARCHIVE, f->path);
  g_assert_cmpuint (watch.events->len, ==, 0);
  g_assert_cmpint (rc_feed_hub_get_last_seq (hub), ==, 5);
  dump_after = hub_dump (hub);
  g_assert_cmpstr (dump, ==, dump_after);
  journal_after = rc_test_journal_dump (f->path);
  g_assert_cmpstr (journal, ==, journal_after);
  watch_clear (&watch);
}

static void
test_journal_takes_first_session_id (RcTestArchive *f, gconstpointer data)
{
  g_autoptr (RcArchive) archive = rc_test_archive_create (f);
  g_autoptr (GError) error = NULL;
  g_autoptr (RcFeedHub) hub = rc_feed_hub_new ("live", archive, NULL, &error);
  g_autoptr (GPtrArray) events = rc_test_vote_events ("clerk-1", 3);

  g_assert_no_error (error);
  publish_range (hub, events, 0, events->len);
  g_assert_cmpint (rc_archive_get_last_seq (archive, "clerk-1", NULL), ==, events->len);
}

/* A journal longer than the history: the state is the whole journal's, the history
 * its newest events, and the stream goes on from the journal's last seq. */
static void
test_journal_resume_bounded (RcTestArchive *f, gconstpointer data)
{
  g_autoptr (GPtrArray) events = rc_test_vote_events ("s-1", 20);
  g_autofree char *dump = NULL;
  g_autofree char *resumed_dump = NULL;
  g_autoptr (GError) error = NULL;

  {
    g_autoptr (RcArchive) archive = rc_test_archive_create (f);
    g_autoptr (RcFeedHub) hub = hub_new (archive, "s-1");

    publish_range (hub, events, 0, 20);
    dump = hub_dump (hub);
  }
  {
    g_autoptr (RcArchive) archive = rc_archive_open (f->path, RC_ARCHIVE_READ_WRITE, &error);
    g_autoptr (RcFeedHub) hub = NULL;
    g_autoptr (RcEvent) next = NULL;

    g_assert_no_error (error);
    hub = rc_feed_hub_new_full ("s-1", archive, "s-1", 6, &error);
    g_assert_no_error (error);
    g_assert_cmpint (rc_feed_hub_get_last_seq (hub), ==, 20);
    g_assert_cmpuint (rc_feed_hub_get_n_kept (hub), ==, 6);
    resumed_dump = hub_dump (hub);
    g_assert_cmpstr (dump, ==, resumed_dump);
    assert_since (hub, 14, TRUE);
    assert_since (hub, 13, FALSE);

    next = rc_feed_hub_publish (hub, g_ptr_array_index (events, 20), &error);
    g_assert_no_error (error);
    g_assert_cmpint (next->seq, ==, 21);
    g_assert_cmpuint (rc_feed_hub_get_n_kept (hub), ==, 6);
    assert_since (hub, 15, TRUE);
  }
}

static void
test_journal_restart_new_session (RcTestArchive *f, gconstpointer data)
{
  g_autoptr (RcArchive) archive = rc_test_archive_create (f);
  g_autoptr (RcFeedHub) hub = hub_new (archive, "s-1");
  g_autoptr (GPtrArray) first = rc_test_vote_events ("s-1", 3);
  g_autoptr (GPtrArray) second = rc_test_vote_events ("s-2", 3);

  publish_range (hub, first, 0, first->len);
  rc_feed_hub_restart (hub, "s-2", "s-2");
  publish_range (hub, second, 0, 4);
  g_assert_cmpint (rc_archive_get_last_seq (archive, "s-1", NULL), ==, first->len);
  g_assert_cmpint (rc_archive_get_last_seq (archive, "s-2", NULL), ==, 4);
}

int
main (int argc, char *argv[])
{
  rc_test_feed_init (&argc, &argv);

  g_test_add_func ("/hub/numbers-and-stamps", test_numbers_and_stamps);
  g_test_add_func ("/hub/time-never-backwards", test_time_never_backwards);
  g_test_add_func ("/hub/nested-publish-in-order", test_nested_publish_in_order);
  for (gsize i = 0; i < G_N_ELEMENTS (refusals); i++)
    {
      g_autofree char *path = g_strdup_printf ("/hub/refuse/%s", refusals[i].name);

      g_test_add_data_func (path, &refusals[i], test_refusal);
    }
  g_test_add_func ("/hub/refuse/bad-stream-id", test_refuse_bad_stream_id);
  g_test_add_func ("/hub/events-since", test_events_since);
  g_test_add_func ("/hub/history/bounded", test_history_bounded);
  g_test_add_func ("/hub/history/set", test_history_set);
  g_test_add_func ("/hub/history/restart-with-refused", test_history_restart_with_refused);
  g_test_add_func ("/hub/snapshot", test_snapshot);
  g_test_add_func ("/hub/restart", test_restart);
  g_test_add ("/hub/journal/commits-before-handing-out", RcTestArchive, NULL,
              rc_test_archive_set_up, test_journal_commits_before_handing_out,
              rc_test_archive_tear_down);
  g_test_add ("/hub/journal/resume", RcTestArchive, NULL, rc_test_archive_set_up,
              test_journal_resume, rc_test_archive_tear_down);
  g_test_add ("/hub/journal/resume-bounded", RcTestArchive, NULL, rc_test_archive_set_up,
              test_journal_resume_bounded, rc_test_archive_tear_down);
  g_test_add ("/hub/journal/refusals", RcTestArchive, NULL, rc_test_archive_set_up,
              test_journal_refusals, rc_test_archive_tear_down);
  g_test_add ("/hub/journal/failure-publishes-nothing", RcTestArchive, NULL, rc_test_archive_set_up,
              test_journal_failure_publishes_nothing, rc_test_archive_tear_down);
  g_test_add ("/hub/journal/takes-first-session-id", RcTestArchive, NULL, rc_test_archive_set_up,
              test_journal_takes_first_session_id, rc_test_archive_tear_down);
  g_test_add ("/hub/journal/restart-new-session", RcTestArchive, NULL, rc_test_archive_set_up,
              test_journal_restart_new_session, rc_test_archive_tear_down);
  return g_test_run ();
}
