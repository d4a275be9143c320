/* test-snapshot.c — a session restored from its snapshot is the session: at every step
 * of a meeting with corrections, a cancelled vote, hidden ballots and on-air changes. */
#include <string.h>

#include "model/rc-error.h"
#include "model/rc-rules.h"
#include "model/rc-snapshot.h"
#include "rc-test-seed.h"

#define T G_GINT64_CONSTANT (1646239000000000)

static void
assert_same_vote (RcVote *a, RcVote *b)
{
  const RcRoster *roster = rc_vote_get_roster (a);

  g_assert_cmpstr (rc_vote_get_id (a), ==, rc_vote_get_id (b));
  g_assert_cmpstr (rc_vote_get_info (a)->symbol, ==, rc_vote_get_info (b)->symbol);
  g_assert_cmpint (rc_vote_get_info (a)->majority, ==, rc_vote_get_info (b)->majority);
  g_assert_cmpint (rc_vote_get_info (a)->reveal, ==, rc_vote_get_info (b)->reveal);
  g_assert_cmpint (rc_vote_get_info (a)->recorded, ==, rc_vote_get_info (b)->recorded);
  g_assert_cmpint (rc_vote_get_state (a), ==, rc_vote_get_state (b));
  g_assert_true (rc_roster_equal (roster, rc_vote_get_roster (b)));
  for (guint i = 0; i < rc_roster_get_size (roster); i++)
    {
      g_assert_cmpint (rc_vote_get_choice (a, i), ==, rc_vote_get_choice (b, i));
      g_assert_cmpint (rc_vote_get_shown_choice (a, i), ==, rc_vote_get_shown_choice (b, i));
    }
  g_assert_true (memcmp (rc_vote_get_tally (a), rc_vote_get_tally (b), sizeof (RcTally)) == 0);
  g_assert_true (memcmp (rc_vote_get_verdict (a), rc_vote_get_verdict (b),
                         sizeof (RcVerdict)) == 0);
  g_assert_cmpint (rc_vote_get_official (a) != NULL, ==, rc_vote_get_official (b) != NULL);
  if (rc_vote_get_official (a) != NULL)
    g_assert_true (rc_tally_equal_totals (rc_vote_get_official (a), rc_vote_get_official (b)));
  g_assert_cmpint (rc_vote_is_corrected (a), ==, rc_vote_is_corrected (b));
  g_assert_cmpstr (rc_vote_get_note (a), ==, rc_vote_get_note (b));
  g_assert_cmpint (rc_vote_get_opened_at (a), ==, rc_vote_get_opened_at (b));
  g_assert_cmpint (rc_vote_get_locked_at (a), ==, rc_vote_get_locked_at (b));
  g_assert_cmpint (rc_vote_get_announced_at (a), ==, rc_vote_get_announced_at (b));
}

static void
assert_same_session (RcSession *a, RcSession *b)
{
  g_assert_cmpint (rc_session_get_last_seq (a), ==, rc_session_get_last_seq (b));
  g_assert_cmpint (rc_session_get_last_time (a), ==, rc_session_get_last_time (b));
  g_assert_cmpstr (rc_session_get_info (a)->id, ==, rc_session_get_info (b)->id);
  g_assert_cmpstr (rc_session_get_info (a)->timezone, ==, rc_session_get_info (b)->timezone);
  g_assert_true (rc_chamber_info_equal (rc_session_get_chamber (a), rc_session_get_chamber (b)));
  g_assert_cmpuint (rc_session_get_n_votes (a), ==, rc_session_get_n_votes (b));
  for (guint i = 0; i < rc_session_get_n_votes (a); i++)
    assert_same_vote (rc_session_get_vote (a, i), rc_session_get_vote (b, i));
  g_assert_cmpint (rc_session_get_on_air (a), ==, rc_session_get_on_air (b));
  g_assert_cmpint (rc_session_has_on_air (a), ==, rc_session_has_on_air (b));
  g_assert_cmpstr (rc_session_get_on_air_text (a), ==, rc_session_get_on_air_text (b));
  g_assert_true (rc_session_get_current_vote (a) == NULL
                 ? rc_session_get_current_vote (b) == NULL
                 : g_str_equal (rc_vote_get_id (rc_session_get_current_vote (a)),
                                rc_vote_get_id (rc_session_get_current_vote (b))));
  if (rc_session_get_on_air_vote (a) != NULL)
    g_assert_cmpstr (rc_vote_get_id (rc_session_get_on_air_vote (a)), ==,
                     rc_vote_get_id (rc_session_get_on_air_vote (b)));
  else
    g_assert_null (rc_session_get_on_air_vote (b));
}

static void
check_restores (RcSession *session)
{
  g_autoptr (RcSnapshot) snapshot = rc_session_snapshot (session);
  g_autoptr (GError) error = NULL;
  g_autoptr (RcSession) restored = rc_session_new_from_snapshot (snapshot, &error);

  g_assert_no_error (error);
  assert_same_session (session, restored);
}

/* Applies the event, then checks the snapshot of the new state. */
static void
step (RcSession *session, RcEvent *event)
{
  rc_test_apply (session, event);
  check_restores (session);
}

static void
test_every_step (void)
{
  g_autoptr (RcSession) session = rc_test_seed_open ("ga", NULL);
  g_autoptr (GHashTable) ballots = rc_test_seed_ballots ("ga");
  RcVoteInfo hidden = { .id = "h", .title = "Secret until the lock",
                        .majority = RC_MAJORITY_SIMPLE, .recorded = TRUE,
                        .reveal = RC_REVEAL_AFTER_LOCK };
  RcVoteInfo totals = { .id = "t", .majority = RC_MAJORITY_SIMPLE, .recorded = FALSE };
  RcVoteInfo dropped = { .id = "c", .majority = RC_MAJORITY_SIMPLE, .recorded = TRUE };
  RcTally official = { .yes = 100, .no = 20, .abstain = 30, .not_voting = 43 };
  g_autoptr (GArray) reveal = g_array_new (FALSE, TRUE, sizeof (RcBallot));
  RcBallot fra = { .member = "FRA", .choice = RC_CHOICE_NO };
  GHashTableIter iter;
  gpointer code, choice;
  gint64 t = T;

  check_restores (session);
  step (session, rc_event_new_on_air (t, RC_ON_AIR_VOTE, "es-11-1"));
  step (session, rc_event_new_vote_opened (t += 1000, "es-11-1"));
  step (session, rc_event_new_ballot (t, "es-11-1", "VEN", RC_CHOICE_NO_RIGHT));
  g_hash_table_iter_init (&iter, ballots);
  while (g_hash_table_iter_next (&iter, &code, &choice))
    if (rc_choice_is_cast (GPOINTER_TO_INT (choice)))
      step (session, rc_event_new_ballot (t += 1000, "es-11-1", code, GPOINTER_TO_INT (choice)));
  step (session, rc_event_new_vote_locked (t += 1000, "es-11-1", NULL));
  step (session, rc_event_new_vote_announced (t += 1000, "es-11-1", NULL));
  step (session, rc_event_new_vote_corrected (t += 1000, "es-11-1", "AFG", RC_CHOICE_ABSTAIN,
                                              "meant to abstain"));

  /* a vote whose choices stay hidden until the lock reveals them */
  step (session, rc_event_new_vote_scheduled (t += 1000, &hidden));
  step (session, rc_event_new_on_air (t, RC_ON_AIR_VOTE, "h"));
  step (session, rc_event_new_vote_opened (t += 1000, "h"));
  step (session, rc_event_new_ballot (t += 1000, "h", "FRA", RC_CHOICE_HIDDEN));
  step (session, rc_event_new_ballot (t += 1000, "h", "GBR", RC_CHOICE_YES));
  g_array_append_val (reveal, fra);
  step (session, rc_event_new_vote_locked (t += 1000, "h", reveal));
  step (session, rc_event_new_vote_announced (t += 1000, "h", NULL));

  /* totals only */
  step (session, rc_event_new_vote_scheduled (t += 1000, &totals));
  step (session, rc_event_new_vote_opened (t += 1000, "t"));
  step (session, rc_event_new_ballot (t += 1000, "t", "FRA", RC_CHOICE_HIDDEN));
  step (session, rc_event_new_vote_locked (t += 1000, "t", NULL));
  step (session, rc_event_new_vote_announced (t += 1000, "t", &official));

  /* cancelled while open, then the screens go dark */
  step (session, rc_event_new_vote_scheduled (t += 1000, &dropped));
  step (session, rc_event_new_vote_opened (t += 1000, "c"));
  step (session, rc_event_new_ballot (t += 1000, "c", "USA", RC_CHOICE_NO));
  step (session, rc_event_new_vote_cancelled (t += 1000, "c", "technical failure"));
  /* the holding slide with the operator's line, then another, then none */
  step (session, rc_event_new_on_air_holding (t += 1000, "The meeting resumes at 15:00"));
  g_assert_cmpstr (rc_session_get_on_air_text (session), ==, "The meeting resumes at 15:00");
  step (session, rc_event_new_on_air_holding (t += 1000, "Séance suspendue — 15 h"));
  step (session, rc_event_new_on_air (t += 1000, RC_ON_AIR_BLANK, NULL));
  g_assert_null (rc_session_get_on_air_text (session));
}

/* One vote open and cancelled, then another scheduled earlier opened: in the General
 * Assembly only one vote may be open, so the restore must not reopen the cancelled
 * one while today's is open. And nothing was put on air: the snapshot says so. */
static void
test_cancelled_then_other_open (void)
{
  g_autoptr (RcSession) session = rc_test_seed_open ("ga", NULL);
  RcVoteInfo b = { .id = "b", .majority = RC_MAJORITY_SIMPLE, .recorded = TRUE };
  gint64 t = T;

  step (session, rc_event_new_vote_scheduled (t, &b));
  step (session, rc_event_new_vote_opened (t += 1000, "b"));
  step (session, rc_event_new_ballot (t += 1000, "b", "FRA", RC_CHOICE_YES));
  step (session, rc_event_new_vote_cancelled (t += 1000, "b", "wrong draft"));
  step (session, rc_event_new_vote_opened (t += 1000, "es-11-1"));
  step (session, rc_event_new_ballot (t += 1000, "es-11-1", "FRA", RC_CHOICE_NO));
  g_assert_false (rc_session_has_on_air (session));
  g_assert_cmpstr (rc_vote_get_id (rc_session_get_current_vote (session)), ==, "es-11-1");
}

static void
test_current_vote (void)
{
  g_autoptr (RcSession) session = rc_test_seed_open ("ga", NULL);
  RcVoteInfo b = { .id = "b", .majority = RC_MAJORITY_SIMPLE, .recorded = TRUE };
  gint64 t = T;

  /* before anything opens: the first vote to be taken */
  step (session, rc_event_new_vote_scheduled (t, &b));
  g_assert_cmpstr (rc_vote_get_id (rc_session_get_current_vote (session)), ==, "es-11-1");
  step (session, rc_event_new_vote_opened (t += 1000, "b"));
  g_assert_cmpstr (rc_vote_get_id (rc_session_get_current_vote (session)), ==, "b");
  step (session, rc_event_new_vote_locked (t += 1000, "b", NULL));
  step (session, rc_event_new_vote_announced (t += 1000, "b", NULL));
  /* the result stays up until the next vote opens */
  g_assert_cmpstr (rc_vote_get_id (rc_session_get_current_vote (session)), ==, "b");
  step (session, rc_event_new_vote_opened (t += 1000, "es-11-1"));
  g_assert_cmpstr (rc_vote_get_id (rc_session_get_current_vote (session)), ==, "es-11-1");
}

static void
test_empty (void)
{
  g_autoptr (RcSession) session = rc_session_new ();
  g_autoptr (RcSnapshot) snapshot = rc_session_snapshot (session);
  g_autoptr (GError) error = NULL;
  g_autoptr (RcSession) restored = rc_session_new_from_snapshot (snapshot, &error);

  g_assert_no_error (error);
  g_assert_null (rc_session_get_info (restored));
  g_assert_cmpint (rc_session_get_last_seq (restored), ==, 0);
}

static RcSnapshot *
seed_snapshot (void)
{
  g_autoptr (RcSession) session = rc_test_seed_final ("ga");

  return rc_session_snapshot (session);
}

static void
expect_refused (RcSnapshot *snapshot, const char *fragment)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RcSession) restored = rc_session_new_from_snapshot (snapshot, &error);

  g_assert_null (restored);
  g_assert_nonnull (error);
  g_assert_true (error->domain == RC_ERROR);
  g_assert_null (strpbrk (error->message, "\r\n"));
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  if (strstr (error->message, fragment) == NULL)
    g_error ("'%s' does not say '%s'", error->message, fragment);
}

static void
test_refusals (void)
{
  g_autoptr (RcSnapshot) unknown_member = seed_snapshot ();
  g_autoptr (RcSnapshot) impossible = seed_snapshot ();
  g_autoptr (RcSnapshot) bad_on_air = seed_snapshot ();
  g_autoptr (RcSnapshot) orphan = rc_snapshot_new ();
  RcSnapshotVote *v;
  RcBallot *b;
  RcVoteInfo info = { .id = "x", .majority = RC_MAJORITY_SIMPLE, .recorded = TRUE };

  v = g_ptr_array_index (unknown_member->votes, 0);
  b = &g_array_index (v->ballots, RcBallot, 0);
  g_free (b->member);
  b->member = g_strdup ("XYZ");
  expect_refused (unknown_member, "XYZ is not a member");

  /* "voted" with the choice hidden cannot outlast the lock of a recorded vote */
  v = g_ptr_array_index (impossible->votes, 0);
  g_array_index (v->ballots, RcBallot, 3).choice = RC_CHOICE_HIDDEN;
  expect_refused (impossible, "still hidden");

  g_free (bad_on_air->on_air_vote);
  bad_on_air->on_air_vote = g_strdup ("nope");
  bad_on_air->on_air = RC_ON_AIR_VOTE;
  bad_on_air->has_on_air = TRUE;
  expect_refused (bad_on_air, "no vote 'nope'");

  rc_snapshot_add_vote (orphan, &info);
  expect_refused (orphan, "votes or on-air without a session");
}

/* A refusal quotes the snapshot's ids and codes on one line of UTF-8, whatever they
 * hold (found by tests/fuzz/fuzz-codec-message). */
static void
test_refusals_one_line (void)
{
  g_autoptr (RcSnapshot) corrected = seed_snapshot ();
  g_autoptr (RcSnapshot) unknown_member = seed_snapshot ();
  RcSnapshotVote *v;
  RcBallot *b;

  v = g_ptr_array_index (corrected->votes, 0);
  g_free (v->info->id);
  v->info->id = g_strdup ("es-11\n1");
  v->state = RC_VOTE_LOCKED;
  v->announced_at = 0;
  v->has_official = FALSE;
  v->corrected = TRUE;
  expect_refused (corrected, "vote 'es-11\\n1' is corrected but was never announced");

  v = g_ptr_array_index (unknown_member->votes, 0);
  b = &g_array_index (v->ballots, RcBallot, 0);
  g_free (b->member);
  b->member = g_strdup ("X\r\nY\xff");
  expect_refused (unknown_member, "X\\r\\nY\xef\xbf\xbd is not a member");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/snapshot/every-step", test_every_step);
  g_test_add_func ("/snapshot/empty", test_empty);
  g_test_add_func ("/snapshot/cancelled-then-other-open", test_cancelled_then_other_open);
  g_test_add_func ("/snapshot/current-vote", test_current_vote);
  g_test_add_func ("/snapshot/refusals", test_refusals);
  g_test_add_func ("/snapshot/refusals/one-line", test_refusals_one_line);
  return g_test_run ();
}
