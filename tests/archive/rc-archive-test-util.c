/* rc-archive-test-util.c — fixtures shared by the archive tests. */
#include "rc-archive-test-util.h"

#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "model/rc-chamber.h"
#include "model/rc-error.h"

char *
rc_test_make_tmpdir (void)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("rollcall-archive-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
rc_test_remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        rc_test_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

void
rc_test_archive_set_up (RcTestArchive *f, gconstpointer data)
{
  f->dir = rc_test_make_tmpdir ();
  f->path = g_build_filename (f->dir, "test.rollcall", NULL);
}

void
rc_test_archive_tear_down (RcTestArchive *f, gconstpointer data)
{
  rc_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

RcArchive *
rc_test_archive_create (RcTestArchive *f)
{
  g_autoptr (GError) error = NULL;
  RcArchive *archive = rc_archive_open (f->path, RC_ARCHIVE_CREATE, &error);

  g_assert_no_error (error);
  return archive;
}

char *
rc_test_sql_text (const char *path, const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *result = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    result = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return result;
}

void
rc_test_sql_exec (const char *path, const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

char *
rc_test_journal_dump (const char *path)
{
  return rc_test_sql_text (
    path, "SELECT coalesce (group_concat (session_id || ':' || seq || ':' || payload,"
          " char (10)), '') FROM (SELECT * FROM journal ORDER BY session_id, seq)");
}

RcChamberInfo *
rc_test_chamber_info (void)
{
  RcChamberInfo info = { 0 };

  info.id = (char *) "TEST";
  info.name = (char *) "Test Council";
  info.body = (char *) "Test Body";
  info.rules.default_majority = RC_MAJORITY_COUNCIL;
  info.rules.council_affirmative = 2;
  info.rules.concurrent_votes = FALSE;
  rc_palette_init_default (&info.palette);
  info.palette.yes = 0x1a7f37;
  info.palette.no = 0xc0392b;
  return rc_chamber_info_copy (&info);
}

RcRoster *
rc_test_roster (void)
{
  g_autoptr (GError) error = NULL;
  RcMember members[3] = {
    { g_strdup ("AAA"), g_strdup ("Arcadia"), g_strdup ("Arcadia"), NULL, TRUE },
    { g_strdup ("BBB"), g_strdup ("Republic of Borduria"), g_strdup ("Borduria"), NULL, FALSE },
    { g_strdup ("CCC"), g_strdup ("Côte Claire"), g_strdup ("Côte Claire"), NULL, TRUE },
  };
  RcRoster *roster = rc_roster_new (members, G_N_ELEMENTS (members), &error);

  g_assert_no_error (error);
  return roster;
}

static void
add (GPtrArray *events, RcEvent *event)
{
  event->seq = events->len + 1;
  g_ptr_array_add (events, event);
}

GPtrArray *
rc_test_session_events (const char *id, const char *meeting, const char *date,
                        const char *const *votes)
{
  GPtrArray *events = g_ptr_array_new_with_free_func ((GDestroyNotify) rc_event_unref);
  g_autoptr (RcChamberInfo) chamber = rc_test_chamber_info ();
  g_autoptr (RcRoster) roster = rc_test_roster ();
  RcSessionInfo info = { (char *) id,
                         (char *) meeting,
                         (char *) date,
                         (char *) "A test meeting",
                         (char *) "Europe/Paris",
                         TRUE };
  gint64 t = G_GINT64_CONSTANT (1646238900) * G_USEC_PER_SEC; /* 2022-03-02T16:35:00Z */
  RcTally official = { .yes = 2, .no = 0, .abstain = 1, .not_voting = 0 };

  add (events, rc_event_new_session (t, &info, chamber, roster));
  for (guint v = 0; votes != NULL && votes[v * 3] != NULL; v++)
    {
      const char *vote_id = votes[v * 3];
      RcVoteInfo vote
        = { (char *) vote_id,       (char *) votes[v * 3 + 1], (char *) votes[v * 3 + 2],
            (char *) "A test vote", RC_MAJORITY_COUNCIL,       TRUE,
            RC_REVEAL_LIVE };

      add (events, rc_event_new_vote_scheduled (t += G_USEC_PER_SEC, &vote));
      add (events, rc_event_new_on_air (t += 500000, RC_ON_AIR_VOTE, vote_id));
      add (events, rc_event_new_vote_opened (t += G_USEC_PER_SEC, vote_id));
      add (events, rc_event_new_ballot (t += 1234, vote_id, "AAA", RC_CHOICE_YES));
      add (events, rc_event_new_ballot (t += 100000, vote_id, "CCC", RC_CHOICE_ABSTAIN));
      add (events, rc_event_new_ballot (t += 200001, vote_id, "BBB", RC_CHOICE_YES));
      add (events, rc_event_new_vote_locked (t += 3 * G_USEC_PER_SEC, vote_id, NULL));
      add (events, rc_event_new_vote_announced (t += 4 * G_USEC_PER_SEC, vote_id, &official));
    }
  return events;
}

GPtrArray *
rc_test_every_event_type (void)
{
  GPtrArray *events = g_ptr_array_new_with_free_func ((GDestroyNotify) rc_event_unref);
  g_autoptr (RcChamberInfo) chamber = rc_test_chamber_info ();
  g_autoptr (RcRoster) roster = rc_test_roster ();
  g_autoptr (GArray) ballots = g_array_new (FALSE, TRUE, sizeof (RcBallot));
  RcSessionInfo info = { (char *) "s-1",
                         (char *) "T/PV.1",
                         (char *) "2022-03-02",
                         (char *) "Tëst \"quoted\"\nmeeting",
                         (char *) "America/New_York",
                         TRUE };
  RcVoteInfo vote = {
    (char *) "v-1", (char *) "T/RES/1",  NULL, (char *) "Ünïcode ✓ title", RC_MAJORITY_TWO_THIRDS,
    FALSE,          RC_REVEAL_AFTER_LOCK
  };
  RcTally official = { .yes = 141, .no = 5, .abstain = 35, .not_voting = 12, .no_right = 1 };
  RcBallot b1 = { (char *) "AAA", RC_CHOICE_NO }, b2 = { (char *) "BBB", RC_CHOICE_NO_RIGHT };
  gint64 t = 1646240462345678; /* 2022-03-02T17:01:02.345678Z */

  g_array_append_val (ballots, b1);
  g_array_append_val (ballots, b2);
  g_ptr_array_add (events, rc_event_new_session (t, &info, chamber, roster));
  g_ptr_array_add (events, rc_event_new_vote_scheduled (t + 1, &vote));
  g_ptr_array_add (events, rc_event_new_vote_opened (t + 2000, "v-1"));
  g_ptr_array_add (events, rc_event_new_ballot (t + 3000, "v-1", "CCC", RC_CHOICE_HIDDEN));
  g_ptr_array_add (events, rc_event_new_vote_locked (t + 4000, "v-1", ballots));
  g_ptr_array_add (events, rc_event_new_vote_announced (t + 5000, "v-1", &official));
  g_ptr_array_add (events, rc_event_new_vote_corrected (t + 6000, "v-1", "AAA", RC_CHOICE_ABSTAIN,
                                                        "Arcadia meant to abstain"));
  g_ptr_array_add (events, rc_event_new_vote_cancelled (t + 7000, "v-1", NULL));
  g_ptr_array_add (events, rc_event_new_on_air (t + 8000, RC_ON_AIR_HOLDING, NULL));
  g_ptr_array_add (events, rc_event_new_heartbeat (t + 9000));
  for (guint i = 0; i < events->len; i++)
    ((RcEvent *) g_ptr_array_index (events, i))->seq = i + 7;
  g_assert_cmpuint (events->len, ==, RC_EVENT_N_TYPES);
  return events;
}

static void
assert_tally_equal (const RcTally *a, const RcTally *b)
{
  g_assert_cmpuint (a->yes, ==, b->yes);
  g_assert_cmpuint (a->no, ==, b->no);
  g_assert_cmpuint (a->abstain, ==, b->abstain);
  g_assert_cmpuint (a->not_voting, ==, b->not_voting);
  g_assert_cmpuint (a->no_right, ==, b->no_right);
}

void
rc_test_assert_events_equal (const RcEvent *a, const RcEvent *b)
{
  g_assert_cmpint (a->type, ==, b->type);
  g_assert_cmpint (a->seq, ==, b->seq);
  g_assert_cmpint (a->time, ==, b->time);
  g_assert_cmpstr (a->vote_id, ==, b->vote_id);
  g_assert_true ((a->session == NULL) == (b->session == NULL));
  if (a->session != NULL)
    {
      g_assert_cmpstr (a->session->id, ==, b->session->id);
      g_assert_cmpstr (a->session->meeting, ==, b->session->meeting);
      g_assert_cmpstr (a->session->date, ==, b->session->date);
      g_assert_cmpstr (a->session->title, ==, b->session->title);
      g_assert_cmpstr (a->session->timezone, ==, b->session->timezone);
      g_assert_cmpint (a->session->synthesized, ==, b->session->synthesized);
    }
  g_assert_true ((a->chamber == NULL) == (b->chamber == NULL));
  if (a->chamber != NULL)
    g_assert_true (rc_chamber_info_equal (a->chamber, b->chamber));
  g_assert_true ((a->roster == NULL) == (b->roster == NULL));
  if (a->roster != NULL)
    {
      g_assert_true (rc_roster_equal (a->roster, b->roster));
      for (guint i = 0; i < rc_roster_get_size (a->roster); i++)
        {
          const RcMember *ma = rc_roster_get_member (a->roster, i);
          const RcMember *mb = rc_roster_get_member (b->roster, i);

          g_assert_cmpstr (ma->code, ==, mb->code);
          g_assert_cmpstr (ma->name, ==, mb->name);
          g_assert_cmpstr (ma->label, ==, mb->label);
          g_assert_cmpstr (ma->sort_key, ==, mb->sort_key);
          g_assert_cmpint (ma->veto, ==, mb->veto);
        }
    }
  g_assert_true ((a->vote == NULL) == (b->vote == NULL));
  if (a->vote != NULL)
    {
      g_assert_cmpstr (a->vote->id, ==, b->vote->id);
      g_assert_cmpstr (a->vote->symbol, ==, b->vote->symbol);
      g_assert_cmpstr (a->vote->draft, ==, b->vote->draft);
      g_assert_cmpstr (a->vote->title, ==, b->vote->title);
      g_assert_cmpint (a->vote->majority, ==, b->vote->majority);
      g_assert_cmpint (a->vote->recorded, ==, b->vote->recorded);
      g_assert_cmpint (a->vote->reveal, ==, b->vote->reveal);
    }
  g_assert_cmpstr (a->member, ==, b->member);
  g_assert_cmpint (a->choice, ==, b->choice);
  g_assert_true ((a->ballots == NULL) == (b->ballots == NULL));
  if (a->ballots != NULL)
    {
      g_assert_cmpuint (a->ballots->len, ==, b->ballots->len);
      for (guint i = 0; i < a->ballots->len; i++)
        {
          g_assert_cmpstr (g_array_index (a->ballots, RcBallot, i).member, ==,
                           g_array_index (b->ballots, RcBallot, i).member);
          g_assert_cmpint (g_array_index (a->ballots, RcBallot, i).choice, ==,
                           g_array_index (b->ballots, RcBallot, i).choice);
        }
    }
  g_assert_cmpint (a->has_official, ==, b->has_official);
  if (a->has_official)
    assert_tally_equal (&a->official, &b->official);
  g_assert_cmpint (a->stated_outcome, ==, b->stated_outcome);
  g_assert_cmpint (a->on_air, ==, b->on_air);
  g_assert_cmpstr (a->note, ==, b->note);
}

void
rc_test_assert_journals_equal (GPtrArray *a, GPtrArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    rc_test_assert_events_equal (g_ptr_array_index (a, i), g_ptr_array_index (b, i));
}

void
rc_test_assert_one_line (const char *message)
{
  g_assert_nonnull (message);
  g_assert_cmpstr (message, !=, "");
  g_assert_null (strpbrk (message, "\r\n"));
  g_assert_true (g_utf8_validate (message, -1, NULL));
}

void
rc_test_assert_refused (const GError *error, int code, const char *reason)
{
  g_assert_error (error, RC_ERROR, code);
  rc_test_assert_one_line (error->message);
  if (strstr (error->message, reason) == NULL)
    g_error ("expected \"%s\" in the reason, got: %s", reason, error->message);
}
