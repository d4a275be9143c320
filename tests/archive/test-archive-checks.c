/* test-archive-checks.c — the archive holds no journal replay would refuse: an
 * append out of time, a heartbeat, an event the session state machine refuses (an
 * unknown member or vote, a ballot after the lock) or the codec could not read back
 * is refused with one line and writes nothing; the state each append is checked
 * against follows the file across reopens, other connections and rolled-back batches;
 * and a journal that does not start with its own session event is refused on loading. */
#include <string.h>

#include <glib/gstdio.h>

#include "archive/rc-archive.h"
#include "model/rc-error.h"
#include "rc-archive-test-util.h"

typedef RcTestArchive Fixture;

static const char *const one_vote[] = { "v1", "T/RES/1", "T/L.1", NULL };

/* An archive holding the first n events of the one-vote session (seq 1…n): session,
 * scheduled, on air, opened, ballots AAA, CCC, BBB, locked, announced. */
static RcArchive *
create_with (Fixture *f, GPtrArray *events, guint n)
{
  RcArchive *archive = rc_test_archive_create (f);
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_assert_true (rc_archive_append (archive, "s1", g_ptr_array_index (events, i), &error));
      g_assert_no_error (error);
    }
  return archive;
}

/* Appending event is refused with code and reason, and the file is as it was. */
static void
assert_append_refused (Fixture *f, RcArchive *archive, RcEvent *event, int code,
                       const char *reason)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *before = rc_test_journal_dump (f->path);
  g_autofree char *after = NULL;
  gint64 last = rc_archive_get_last_seq (archive, "s1", NULL);

  g_assert_false (rc_archive_append (archive, "s1", event, &error));
  rc_test_assert_refused (error, code, reason);
  after = rc_test_journal_dump (f->path);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (rc_archive_get_last_seq (archive, "s1", NULL), ==, last);
}

static RcEvent *
numbered (RcEvent *event, gint64 seq)
{
  event->seq = seq; /* not shared yet */
  return event;
}

static void
test_refuse_time_backwards (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) events = rc_test_session_events ("s1", "T/PV.1", "2022-03-02", one_vote);
  g_autoptr (RcArchive) archive = create_with (f, events, 4);
  const RcEvent *opened = g_ptr_array_index (events, 3);
  g_autoptr (RcEvent) early
    = numbered (rc_event_new_ballot (opened->time - 1, "v1", "AAA", RC_CHOICE_YES), 5);
  g_autoptr (RcEvent) same
    = numbered (rc_event_new_ballot (opened->time, "v1", "AAA", RC_CHOICE_YES), 5);
  g_autoptr (GError) error = NULL;

  assert_append_refused (f, archive, early, RC_ERROR_SEQUENCE,
                         "event 5 (ballot) at 2022-03-02T16:35:02.499999Z is before event 4 at "
                         "2022-03-02T16:35:02.500Z: time goes backwards");
  /* The same moment is not backwards: a show of hands gives many. */
  g_assert_true (rc_archive_append (archive, "s1", same, &error));
  g_assert_no_error (error);
}

static void
test_refuse_heartbeat (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) events = rc_test_session_events ("s1", "T/PV.1", "2022-03-02", one_vote);
  g_autoptr (RcArchive) archive = create_with (f, events, 4);
  gint64 t = ((RcEvent *) g_ptr_array_index (events, 3))->time + 1;
  g_autoptr (RcEvent) unsequenced = rc_event_new_heartbeat (t);
  g_autoptr (RcEvent) sequenced = numbered (rc_event_new_heartbeat (t), 5);

  assert_append_refused (f, archive, unsequenced, RC_ERROR_BAD_MESSAGE,
                         "session 's1': a heartbeat is not journalled");
  assert_append_refused (f, archive, sequenced, RC_ERROR_BAD_MESSAGE, "heartbeat");
}

static void
test_refuse_what_replay_refuses (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) events = rc_test_session_events ("s1", "T/PV.1", "2022-03-02", one_vote);
  g_autoptr (RcArchive) archive = create_with (f, events, 4);
  gint64 t = ((RcEvent *) g_ptr_array_index (events, 3))->time + 1000;
  g_autoptr (RcEvent) unknown_member
    = numbered (rc_event_new_ballot (t, "v1", "ZZZ", RC_CHOICE_YES), 5);
  g_autoptr (RcEvent) unknown_vote
    = numbered (rc_event_new_ballot (t, "v9", "AAA", RC_CHOICE_YES), 5);
  g_autoptr (RcEvent) reopened = numbered (rc_event_new_vote_opened (t, "v1"), 5);
  g_autoptr (GError) error = NULL;

  assert_append_refused (f, archive, unknown_member, RC_ERROR_UNKNOWN_MEMBER,
                         "session 's1': event 5 refused: ZZZ");
  assert_append_refused (f, archive, unknown_vote, RC_ERROR_UNKNOWN_VOTE, "'v9'");
  assert_append_refused (f, archive, reopened, RC_ERROR_LIFECYCLE, "'v1'");

  /* After the refusals, the journal goes on as if they had never been tried. */
  for (guint i = 4; i < events->len; i++)
    {
      g_assert_true (rc_archive_append (archive, "s1", g_ptr_array_index (events, i), &error));
      g_assert_no_error (error);
    }

  /* Locked and announced: a ballot now is one replay would refuse. */
  {
    const RcEvent *last = g_ptr_array_index (events, events->len - 1);
    g_autoptr (RcEvent) late
      = numbered (rc_event_new_ballot (last->time + 1, "v1", "BBB", RC_CHOICE_NO), last->seq + 1);

    assert_append_refused (f, archive, late, RC_ERROR_LIFECYCLE, "ballot");
  }
}

/* The state an append is checked against is folded from the file: after a reopen, and
 * after another connection has written. */
static void
test_state_follows_the_file (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) events = rc_test_session_events ("s1", "T/PV.1", "2022-03-02", one_vote);
  g_autoptr (GError) error = NULL;
  gint64 t = ((RcEvent *) g_ptr_array_index (events, 5))->time;
  g_autoptr (RcEvent) stranger = numbered (rc_event_new_ballot (t, "v1", "ZZZ", RC_CHOICE_NO), 6);
  g_autoptr (RcEvent) too_soon = rc_event_with_seq (g_ptr_array_index (events, 4), 4);

  {
    g_autoptr (RcArchive) writer = create_with (f, events, 3);
  }
  {
    g_autoptr (RcArchive) a = rc_archive_open (f->path, RC_ARCHIVE_READ_WRITE, &error);
    g_autoptr (RcArchive) b = rc_archive_open (f->path, RC_ARCHIVE_READ_WRITE, &error);

    g_assert_no_error (error);
    /* b learns the journal (scheduled, not open) by checking against it… */
    assert_append_refused (f, b, too_soon, RC_ERROR_LIFECYCLE, "is scheduled, not open");
    /* …a opens the vote behind b's back… */
    g_assert_true (rc_archive_append (a, "s1", g_ptr_array_index (events, 3), &error));
    g_assert_no_error (error);
    /* …and b's next ballot is checked against the file, not what b saw before. */
    g_assert_true (rc_archive_append (b, "s1", g_ptr_array_index (events, 4), &error));
    g_assert_no_error (error);
    assert_append_refused (f, a, stranger, RC_ERROR_UNKNOWN_MEMBER, "ZZZ");
    g_assert_true (rc_archive_append (a, "s1", g_ptr_array_index (events, 5), &error));
    g_assert_no_error (error);
  }
}

static void
test_append_all_then_append (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) events = rc_test_session_events ("s1", "T/PV.1", "2022-03-02", one_vote);
  g_autoptr (GPtrArray) first = g_ptr_array_new ();
  g_autoptr (GPtrArray) bad = g_ptr_array_new ();
  g_autoptr (RcArchive) archive = rc_test_archive_create (f);
  g_autoptr (GError) error = NULL;
  gint64 t = ((RcEvent *) g_ptr_array_index (events, 4))->time + 1;
  g_autoptr (RcEvent) stranger = numbered (rc_event_new_ballot (t, "v1", "ZZZ", RC_CHOICE_NO), 6);

  for (guint i = 0; i < 4; i++)
    g_ptr_array_add (first, g_ptr_array_index (events, i));
  g_assert_true (rc_archive_append_all (archive, "s1", first, &error));
  g_assert_no_error (error);

  /* A batch that goes wrong at its second event: its first is not kept, and the state
   * the next append is checked against does not hold it either. */
  g_ptr_array_add (bad, g_ptr_array_index (events, 4));
  g_ptr_array_add (bad, stranger);
  g_assert_false (rc_archive_append_all (archive, "s1", bad, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_UNKNOWN_MEMBER);
  g_clear_error (&error);
  g_assert_cmpint (rc_archive_get_last_seq (archive, "s1", NULL), ==, 4);
  for (guint i = 4; i < events->len; i++)
    {
      g_assert_true (rc_archive_append (archive, "s1", g_ptr_array_index (events, i), &error));
      g_assert_no_error (error);
    }
}

static void
test_refuse_unreadable (Fixture *f, gconstpointer data)
{
  g_autoptr (RcChamberInfo) chamber = rc_test_chamber_info ();
  g_autoptr (RcRoster) roster = rc_test_roster ();
  RcSessionInfo no_date = { (char *) "s1", NULL, NULL, NULL, NULL, FALSE };
  g_autoptr (RcEvent) session
    = numbered (rc_event_new_session (0, &no_date, chamber, roster), 1);
  g_autoptr (RcArchive) archive = rc_test_archive_create (f);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = NULL;

  /* The decoder would refuse it on loading, so it is never written. */
  g_assert_false (rc_archive_append (archive, "s1", session, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_BAD_MESSAGE);
  rc_test_assert_one_line (error->message);
  g_assert_nonnull (strstr (error->message, "event 1 (session) cannot be journalled: "));
  g_assert_nonnull (strstr (error->message, "session.date"));
  g_clear_error (&error);
  rows = rc_archive_list_sessions (archive, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 0);
}

/* A journal edited into one the state machine refuses is not added to. */
static void
test_refuse_append_to_damaged (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) events = rc_test_session_events ("s1", "T/PV.1", "2022-03-02", one_vote);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) loaded = NULL;

  {
    g_autoptr (RcArchive) writer = create_with (f, events, 6);
  }
  rc_test_sql_exec (f->path, "UPDATE journal SET member = 'ZZZ',"
                     " payload = json_set (payload, '$.member', 'ZZZ')"
                     " WHERE session_id = 's1' AND seq = 5");
  {
    g_autoptr (RcArchive) archive = rc_archive_open (f->path, RC_ARCHIVE_READ_WRITE, &error);

    /* Readable as text: what replay makes of it is replay's business… */
    loaded = rc_archive_load_events (archive, "s1", &error);
    g_assert_no_error (error);
    g_assert_cmpuint (loaded->len, ==, 6);
    /* …but nothing is piled on top. */
    assert_append_refused (f, archive, g_ptr_array_index (events, 6), RC_ERROR_ARCHIVE,
                           "the journal of session 's1' is damaged (");
  }
}

static void
test_null_texts_survive (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) events = rc_test_session_events ("s1", NULL, "2022-03-02", NULL);
  g_autoptr (RcArchive) archive = rc_test_archive_create (f);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) loaded = NULL;
  const RcEvent *session;
  RcVoteInfo vote = { (char *) "v", NULL, NULL, NULL, RC_MAJORITY_SIMPLE, TRUE, RC_REVEAL_LIVE };

  g_ptr_array_add (events, numbered (rc_event_new_vote_scheduled (
                                       ((RcEvent *) g_ptr_array_index (events, 0))->time, &vote),
                                     2));
  g_ptr_array_add (events,
                   numbered (rc_event_new_vote_cancelled (
                               ((RcEvent *) g_ptr_array_index (events, 0))->time + 1, "v", NULL),
                             3));
  g_assert_true (rc_archive_append_all (archive, "s1", events, &error));
  g_assert_no_error (error);
  loaded = rc_archive_load_events (archive, "s1", &error);
  g_assert_no_error (error);
  rc_test_assert_journals_equal (events, loaded);
  session = g_ptr_array_index (loaded, 0);
  g_assert_null (session->session->meeting);
}

static void
test_refuse_foreign_first_event (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) events = rc_test_session_events ("s1", "T/PV.1", "2022-03-02", one_vote);
  g_autoptr (GError) error = NULL;
  const struct {
    const char *sql;
    const char *reason;
  } edits[] = {
    { "UPDATE journal SET payload = json_set (payload, '$.session.id', 's2')"
      " WHERE session_id = 's1' AND seq = 1",
      "the journal of session 's1' starts with the session event of 's2', not its own" },
    { "UPDATE journal SET payload = json_set ((SELECT payload FROM journal"
      "  WHERE session_id = 's1' AND seq = 2), '$.seq', 1)"
      " WHERE session_id = 's1' AND seq = 1",
      "starts with a vote-scheduled event, not its own session event" },
    { "DELETE FROM journal WHERE session_id = 's1'",
      "the journal of session 's1' is empty" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (edits); i++)
    {
      g_autoptr (GPtrArray) loaded = NULL;

      g_unlink (f->path);
      {
        g_autoptr (RcArchive) writer = create_with (f, events, 3);
      }
      rc_test_sql_exec (f->path, edits[i].sql);
      {
        g_autoptr (RcArchive) archive = rc_archive_open (f->path, RC_ARCHIVE_READ_ONLY, &error);

        g_assert_no_error (error);
        loaded = rc_archive_load_events (archive, "s1", &error);
      }
      g_assert_null (loaded);
      rc_test_assert_refused (error, RC_ERROR_ARCHIVE, edits[i].reason);
      g_clear_error (&error);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func)                                                                            \
  g_test_add (path, Fixture, NULL, rc_test_archive_set_up, func, rc_test_archive_tear_down)
  ADD ("/archive-checks/refuse/time-backwards", test_refuse_time_backwards);
  ADD ("/archive-checks/refuse/heartbeat", test_refuse_heartbeat);
  ADD ("/archive-checks/refuse/what-replay-refuses", test_refuse_what_replay_refuses);
  ADD ("/archive-checks/refuse/unreadable", test_refuse_unreadable);
  ADD ("/archive-checks/refuse/append-to-damaged", test_refuse_append_to_damaged);
  ADD ("/archive-checks/refuse/foreign-first-event", test_refuse_foreign_first_event);
  ADD ("/archive-checks/state-follows-the-file", test_state_follows_the_file);
  ADD ("/archive-checks/append-all-then-append", test_append_all_then_append);
  ADD ("/archive-checks/null-texts-survive", test_null_texts_survive);
#undef ADD
  return g_test_run ();
}
