/* test-session.c — the state machine: lifecycle, refusals that change nothing,
 * reveal policy, signals that say exactly which light changed. */
#include <string.h>

#include "model/rc-error.h"
#include "model/rc-rules.h"
#include "rc-test-seed.h"

#define T G_GINT64_CONSTANT (1646239000000000)

typedef struct {
  RcSession *session;
  RcVote *vote;
  GArray *ballot_signals; /* of guint: member indexes in "ballot" order */
  guint vote_changed;
} Fixture;

static void
on_ballot (RcSession *session, RcVote *vote, guint index, Fixture *f)
{
  g_array_append_val (f->ballot_signals, index);
}

static void
on_vote_changed (RcSession *session, RcVote *vote, Fixture *f)
{
  f->vote_changed++;
}

static void
setup (Fixture *f, gconstpointer data)
{
  f->session = rc_test_seed_open ("ga", (RcVoteInfo *) data);
  f->vote = rc_session_get_vote (f->session, 0);
  f->ballot_signals = g_array_new (FALSE, FALSE, sizeof (guint));
  g_signal_connect (f->session, "ballot", G_CALLBACK (on_ballot), f);
  g_signal_connect (f->session, "vote-changed", G_CALLBACK (on_vote_changed), f);
}

static void
teardown (Fixture *f, gconstpointer data)
{
  g_object_unref (f->session);
  g_array_unref (f->ballot_signals);
}

static int
idx (Fixture *f, const char *code)
{
  return rc_roster_find (rc_session_get_roster (f->session), code);
}

/* Offers an event with the next sequence number and expects it refused with code,
 * the session unchanged (sequence, state, tally). */
static void
expect_refused (Fixture *f, RcEvent *event, int code, const char *fragment)
{
  g_autoptr (RcEvent) owned = event;
  g_autoptr (RcEvent) e = event->seq ? rc_event_ref (event)
                                     : rc_event_with_seq (event,
                                                          rc_session_get_last_seq (f->session) + 1);
  g_autoptr (GError) error = NULL;
  gint64 seq = rc_session_get_last_seq (f->session);
  gint64 time = rc_session_get_last_time (f->session);
  guint n_votes = rc_session_get_n_votes (f->session);
  RcOnAir on_air = rc_session_get_on_air (f->session);
  RcVote *on_air_vote = rc_session_get_on_air_vote (f->session);
  RcVoteState state = rc_vote_get_state (f->vote);
  RcTally before = *rc_vote_get_tally (f->vote);
  guint signals = f->ballot_signals->len, changed = f->vote_changed;

  g_assert_false (rc_session_apply (f->session, e, &error));
  g_assert_error (error, RC_ERROR, code);
  g_assert_null (strpbrk (error->message, "\r\n"));
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  if (strstr (error->message, fragment) == NULL)
    g_error ("'%s' does not say '%s'", error->message, fragment);
  g_assert_cmpint (rc_session_get_last_seq (f->session), ==, seq);
  g_assert_cmpint (rc_session_get_last_time (f->session), ==, time);
  g_assert_cmpuint (rc_session_get_n_votes (f->session), ==, n_votes);
  g_assert_cmpint (rc_session_get_on_air (f->session), ==, on_air);
  g_assert_true (rc_session_get_on_air_vote (f->session) == on_air_vote);
  g_assert_cmpint (rc_vote_get_state (f->vote), ==, state);
  g_assert_true (memcmp (&before, rc_vote_get_tally (f->vote), sizeof before) == 0);
  g_assert_cmpuint (f->ballot_signals->len, ==, signals);
  g_assert_cmpuint (f->vote_changed, ==, changed);
}

static void
test_lifecycle (Fixture *f, gconstpointer data)
{
  const char *id = rc_vote_get_id (f->vote);
  const RcTally *t = rc_vote_get_tally (f->vote);

  g_assert_cmpint (rc_vote_get_state (f->vote), ==, RC_VOTE_SCHEDULED);
  g_assert_cmpuint (t->pending, ==, 193);

  expect_refused (f, rc_event_new_ballot (T, id, "FRA", RC_CHOICE_YES), RC_ERROR_LIFECYCLE,
                  "is scheduled, not open");
  rc_test_apply (f->session, rc_event_new_vote_opened (T, id));
  g_assert_cmpint (rc_vote_get_state (f->vote), ==, RC_VOTE_OPEN);

  rc_test_apply (f->session, rc_event_new_ballot (T + 1, id, "FRA", RC_CHOICE_NO));
  rc_test_apply (f->session, rc_event_new_ballot (T + 2, id, "FRA", RC_CHOICE_YES));
  rc_test_apply (f->session, rc_event_new_ballot (T + 3, id, "RUS", RC_CHOICE_NO));
  g_assert_cmpuint (t->yes, ==, 1);
  g_assert_cmpuint (t->no, ==, 1);
  g_assert_cmpuint (t->pending, ==, 191);
  g_assert_cmpint (rc_vote_get_verdict (f->vote)->outcome, ==, RC_OUTCOME_PENDING);

  /* one light per ballot, in order */
  g_assert_cmpuint (f->ballot_signals->len, ==, 3);
  g_assert_cmpuint (g_array_index (f->ballot_signals, guint, 0), ==, idx (f, "FRA"));
  g_assert_cmpuint (g_array_index (f->ballot_signals, guint, 2), ==, idx (f, "RUS"));

  rc_test_apply (f->session, rc_event_new_vote_locked (T + 4, id, NULL));
  g_assert_cmpint (rc_vote_get_state (f->vote), ==, RC_VOTE_LOCKED);
  /* who never voted did not vote: 191 lights changed at the lock */
  g_assert_cmpuint (f->ballot_signals->len, ==, 3 + 191);
  g_assert_cmpuint (t->not_voting, ==, 191);
  g_assert_cmpint (rc_vote_get_choice (f->vote, idx (f, "AFG")), ==, RC_CHOICE_NOT_VOTING);
  /* 1 yes, 1 no, two-thirds: not adopted, computed at the lock */
  g_assert_cmpint (rc_vote_get_verdict (f->vote)->outcome, ==, RC_OUTCOME_NOT_ADOPTED);

  expect_refused (f, rc_event_new_ballot (T + 5, id, "USA", RC_CHOICE_YES), RC_ERROR_LIFECYCLE,
                  "is locked, not open");
  expect_refused (f, rc_event_new_vote_corrected (T + 5, id, "USA", RC_CHOICE_YES, NULL),
                  RC_ERROR_LIFECYCLE, "not announced");

  rc_test_apply (f->session, rc_event_new_vote_announced (T + 6, id, NULL));
  g_assert_cmpint (rc_vote_get_state (f->vote), ==, RC_VOTE_ANNOUNCED);
  g_assert_null (rc_vote_get_official (f->vote));
  g_assert_false (rc_vote_has_mismatch (f->vote));

  rc_test_apply (f->session,
                 rc_event_new_vote_corrected (T + 7, id, "USA", RC_CHOICE_YES,
                                              "intended to vote in favour"));
  g_assert_true (rc_vote_is_corrected (f->vote));
  g_assert_cmpuint (t->yes, ==, 2);
  g_assert_cmpstr (rc_vote_get_note (f->vote), ==, "intended to vote in favour");
  g_assert_cmpint (rc_vote_get_verdict (f->vote)->outcome, ==, RC_OUTCOME_ADOPTED);

  expect_refused (f, rc_event_new_vote_cancelled (T + 8, id, NULL), RC_ERROR_LIFECYCLE,
                  "already announced");
}

static void
test_refusals (Fixture *f, gconstpointer data)
{
  const char *id = rc_vote_get_id (f->vote);
  g_autoptr (RcEvent) gap = NULL;
  g_autoptr (RcEvent) old = NULL;
  g_autoptr (RcEvent) ok = NULL;
  RcVoteInfo second = { .id = "second", .majority = RC_MAJORITY_SIMPLE, .recorded = TRUE };

  rc_test_apply (f->session, rc_event_new_vote_opened (T, id));

  expect_refused (f, rc_event_new_ballot (T, id, "XYZ", RC_CHOICE_YES),
                  RC_ERROR_UNKNOWN_MEMBER, "XYZ is not a member of the General Assembly");
  expect_refused (f, rc_event_new_ballot (T, "nope", "FRA", RC_CHOICE_YES),
                  RC_ERROR_UNKNOWN_VOTE, "no vote 'nope'");
  expect_refused (f, rc_event_new_ballot (T, id, "FRA", RC_CHOICE_NOT_VOTING),
                  RC_ERROR_BAD_MESSAGE, "not-voting is not a choice a ballot can make");
  expect_refused (f, rc_event_new_vote_opened (T, id), RC_ERROR_LIFECYCLE, "is open");
  expect_refused (f, rc_event_new_vote_scheduled (T, rc_vote_get_info (f->vote)),
                  RC_ERROR_LIFECYCLE, "exists already and is open");
  expect_refused (f, rc_event_new_on_air (T, RC_ON_AIR_VOTE, "nope"), RC_ERROR_UNKNOWN_VOTE,
                  "no vote 'nope'");

  /* sequence numbers: a gap and a repeat are both refused */
  ok = rc_event_new_ballot (T, id, "FRA", RC_CHOICE_YES);
  gap = rc_event_with_seq (ok, rc_session_get_last_seq (f->session) + 2);
  expect_refused (f, rc_event_ref (gap), RC_ERROR_SEQUENCE, "where");
  old = rc_event_with_seq (ok, rc_session_get_last_seq (f->session));
  expect_refused (f, rc_event_ref (old), RC_ERROR_SEQUENCE, "where");

  /* one open vote at a time in the General Assembly */
  rc_test_apply (f->session, rc_event_new_vote_scheduled (T, &second));
  /* a scheduled vote described again: the same vote, in its place, changed */
  {
    RcVote *before = rc_session_find_vote (f->session, "second");
    guint n = rc_session_get_n_votes (f->session);
    RcVoteInfo again = second;

    again.result_shown = RC_RESULT_AT_LOCK;
    again.title = (char *) "Described again";
    rc_test_apply (f->session, rc_event_new_vote_scheduled (T, &again));
    g_assert_cmpuint (rc_session_get_n_votes (f->session), ==, n);
    g_assert_true (rc_session_find_vote (f->session, "second") == before);
    g_assert_true (rc_session_get_vote (f->session, n - 1) == before);
    g_assert_cmpstr (rc_vote_get_info (before)->title, ==, "Described again");
    g_assert_cmpint (rc_vote_get_info (before)->result_shown, ==, RC_RESULT_AT_LOCK);
  }
  expect_refused (f, rc_event_new_vote_opened (T, "second"), RC_ERROR_LIFECYCLE,
                  "vote 'es-11-1' is still open");

  /* a member without the right to vote cannot vote */
  rc_test_apply (f->session, rc_event_new_ballot (T, id, "VEN", RC_CHOICE_NO_RIGHT));
  expect_refused (f, rc_event_new_ballot (T, id, "VEN", RC_CHOICE_YES), RC_ERROR_LIFECYCLE,
                  "VEN has no right to vote");
}

static void
test_before_session (void)
{
  g_autoptr (RcSession) session = rc_session_new ();
  g_autoptr (RcEvent) e = rc_event_new_vote_opened (T, "v1");
  g_autoptr (GError) error = NULL;

  g_assert_false (rc_session_apply (session, e, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_LIFECYCLE);
  g_assert_null (rc_session_get_info (session));
}

static void
test_reveal_after_lock (Fixture *f, gconstpointer data)
{
  const char *id = rc_vote_get_id (f->vote);
  RcTally shown;

  rc_test_apply (f->session, rc_event_new_vote_opened (T, id));
  rc_test_apply (f->session, rc_event_new_ballot (T, id, "FRA", RC_CHOICE_YES));
  rc_test_apply (f->session, rc_event_new_ballot (T, id, "RUS", RC_CHOICE_NO));
  g_assert_cmpint (rc_vote_get_shown_choice (f->vote, idx (f, "FRA")), ==, RC_CHOICE_HIDDEN);
  g_assert_cmpint (rc_vote_get_choice (f->vote, idx (f, "FRA")), ==, RC_CHOICE_YES);
  rc_vote_get_shown_tally (f->vote, &shown);
  g_assert_cmpuint (shown.yes + shown.no, ==, 0);
  g_assert_cmpuint (shown.hidden, ==, 2);

  /* changing a hidden vote changes no light */
  g_array_set_size (f->ballot_signals, 0);
  rc_test_apply (f->session, rc_event_new_ballot (T, id, "FRA", RC_CHOICE_ABSTAIN));
  g_assert_cmpuint (f->ballot_signals->len, ==, 0);

  rc_test_apply (f->session, rc_event_new_vote_locked (T, id, NULL));
  g_assert_cmpint (rc_vote_get_shown_choice (f->vote, idx (f, "FRA")), ==, RC_CHOICE_ABSTAIN);
  g_assert_cmpint (rc_vote_get_shown_choice (f->vote, idx (f, "RUS")), ==, RC_CHOICE_NO);
  /* every light changed at the lock: two revealed, 191 gone dark */
  g_assert_cmpuint (f->ballot_signals->len, ==, 193);
  /* the lights are revealed, but no count by choice until the result is announced */
  rc_vote_get_shown_tally (f->vote, &shown);
  g_assert_cmpuint (shown.yes + shown.no + shown.abstain, ==, 0);
  g_assert_cmpuint (shown.hidden, ==, 2);
  g_assert_cmpuint (shown.not_voting + shown.pending, ==, 191);

  rc_test_apply (f->session, rc_event_new_vote_announced (T, id, NULL));
  rc_vote_get_shown_tally (f->vote, &shown);
  g_assert_cmpuint (shown.hidden, ==, 0);
  g_assert_cmpuint (shown.no, ==, 1);
  g_assert_cmpuint (shown.abstain, ==, 1);
}

static void
test_hidden_ballots_revealed_by_lock (Fixture *f, gconstpointer data)
{
  const char *id = rc_vote_get_id (f->vote);
  g_autoptr (GArray) reveal = g_array_new (FALSE, TRUE, sizeof (RcBallot));
  RcBallot b = { .member = "FRA", .choice = RC_CHOICE_YES };

  /* A public feed may only say "has voted" until the lock, then reveal. */
  rc_test_apply (f->session, rc_event_new_vote_opened (T, id));
  rc_test_apply (f->session, rc_event_new_ballot (T, id, "FRA", RC_CHOICE_HIDDEN));
  g_assert_cmpuint (rc_vote_get_tally (f->vote)->hidden, ==, 1);
  g_array_append_val (reveal, b);
  rc_test_apply (f->session, rc_event_new_vote_locked (T, id, reveal));
  g_assert_cmpint (rc_vote_get_choice (f->vote, idx (f, "FRA")), ==, RC_CHOICE_YES);
  g_assert_cmpuint (rc_vote_get_tally (f->vote)->hidden, ==, 0);
  g_assert_cmpint (rc_vote_get_verdict (f->vote)->outcome, ==, RC_OUTCOME_ADOPTED);
}

static void
test_not_recorded (Fixture *f, gconstpointer data)
{
  const char *id = rc_vote_get_id (f->vote);
  RcTally official = { .yes = 120, .no = 10, .abstain = 20, .not_voting = 43 };
  const RcTally *t = rc_vote_get_tally (f->vote);

  rc_test_apply (f->session, rc_event_new_vote_opened (T, id));
  /* a vote that is not recorded publishes no member's choice, not even on the wire */
  expect_refused (f, rc_event_new_ballot (T, id, "FRA", RC_CHOICE_YES), RC_ERROR_LIFECYCLE,
                  "is not recorded: a ballot may only say 'voted'");
  rc_test_apply (f->session, rc_event_new_ballot (T, id, "FRA", RC_CHOICE_HIDDEN));
  g_assert_cmpint (rc_vote_get_shown_choice (f->vote, idx (f, "FRA")), ==, RC_CHOICE_HIDDEN);
  g_assert_cmpuint (t->hidden, ==, 1);
  rc_test_apply (f->session, rc_event_new_vote_locked (T, id, NULL));
  expect_refused (f, rc_event_new_vote_announced (T, id, NULL), RC_ERROR_LIFECYCLE,
                  "its totals must be announced");
  rc_test_apply (f->session, rc_event_new_vote_announced (T, id, &official));
  /* totals only: the official totals are the tally, and decide */
  g_assert_cmpuint (t->yes, ==, 120);
  g_assert_cmpuint (t->no, ==, 10);
  g_assert_cmpuint (t->abstain, ==, 20);
  g_assert_cmpuint (t->not_voting, ==, 43);
  g_assert_false (rc_vote_has_mismatch (f->vote));
  g_assert_cmpint (rc_vote_get_verdict (f->vote)->outcome, ==, RC_OUTCOME_ADOPTED);
  g_assert_cmpint (rc_vote_get_shown_choice (f->vote, idx (f, "FRA")), ==, RC_CHOICE_HIDDEN);
  expect_refused (f, rc_event_new_vote_corrected (T, id, "FRA", RC_CHOICE_NO, NULL),
                  RC_ERROR_LIFECYCLE, "has no choices to correct");
}

/* Refusals of the session event itself. */
static void
test_session_refusals (Fixture *f, gconstpointer data)
{
  RcSessionInfo other = *rc_session_get_info (f->session);
  RcChamberInfo chamber = *rc_session_get_chamber (f->session);
  RcRoster *roster = rc_session_get_roster (f->session);
  RcMember one = { .code = g_strdup ("AAA"), .name = g_strdup ("A") };
  g_autoptr (RcRoster) small = rc_roster_new (&one, 1, NULL);
  g_autoptr (RcRoster) empty = rc_roster_new (NULL, 0, NULL);
  RcMember long_code = { .code = g_strnfill (RC_ID_MAX + 1, 'A'), .name = g_strdup ("A") };
  g_autoptr (GError) error = NULL;

  /* a member's code is bounded like any id */
  g_assert_null (rc_roster_new (&long_code, 1, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_BAD_FILE);
  g_assert_nonnull (strstr (error->message, "longer than 64 bytes"));

  other.id = g_strnfill (RC_ID_MAX + 1, 's');
  expect_refused (f, rc_event_new_session (T, &other, &chamber, roster), RC_ERROR_BAD_MESSAGE,
                  "needs a session id (at most 64 bytes)");
  g_free (other.id);
  other.id = "another-session";
  expect_refused (f, rc_event_new_session (T, &other, &chamber, roster), RC_ERROR_LIFECYCLE,
                  "this is session 'ga-es11-pv5', not 'another-session'");
  expect_refused (f, rc_event_new_session (T, rc_session_get_info (f->session), &chamber, small),
                  RC_ERROR_LIFECYCLE, "the roster cannot change once votes exist");
  expect_refused (f, rc_event_new_session (T, rc_session_get_info (f->session), &chamber, empty),
                  RC_ERROR_BAD_MESSAGE, "the roster is empty");
  chamber.rules.concurrent_votes = TRUE;
  expect_refused (f, rc_event_new_session (T, rc_session_get_info (f->session), &chamber, roster),
                  RC_ERROR_LIFECYCLE, "rules and colours) cannot change");
  chamber.rules.concurrent_votes = rc_session_get_chamber (f->session)->rules.concurrent_votes;
  chamber.name = (char *) "Another Assembly";
  expect_refused (f, rc_event_new_session (T, rc_session_get_info (f->session), &chamber, roster),
                  RC_ERROR_LIFECYCLE, "the chamber (its names, rules and colours)");
  /* the same description again is fine (a feed may repeat it) */
  rc_test_apply (f->session, rc_event_new_session (T, rc_session_get_info (f->session),
                                                   rc_session_get_chamber (f->session),
                                                   roster));
}

static void
test_schedule_refusals (Fixture *f, gconstpointer data)
{
  RcVoteInfo council = { .id = "c", .majority = RC_MAJORITY_COUNCIL, .recorded = TRUE };
  RcVoteInfo unnamed = { .id = "", .majority = RC_MAJORITY_SIMPLE, .recorded = TRUE };
  RcVoteInfo bad = { .id = "b", .majority = (RcMajority) 7, .recorded = TRUE };
  RcVoteInfo bad_result = { .id = "b", .recorded = TRUE, .result_shown = (RcResultShown) 2 };
  g_autofree char *id_65 = g_strnfill (RC_ID_MAX + 1, 'v');
  g_autofree char *id_64 = g_strnfill (RC_ID_MAX, 'v');
  RcVoteInfo long_id = { .id = id_65, .majority = RC_MAJORITY_SIMPLE, .recorded = TRUE };
  RcVoteInfo longest_id = { .id = id_64, .majority = RC_MAJORITY_SIMPLE, .recorded = TRUE };

  /* (what the chamber's rules do not allow: a 409 on the control API) */
  expect_refused (f, rc_event_new_vote_scheduled (T, &council), RC_ERROR_LIFECYCLE,
                  "the General Assembly has no council majority");
  expect_refused (f, rc_event_new_vote_scheduled (T, &unnamed), RC_ERROR_BAD_MESSAGE,
                  "needs a vote id");
  expect_refused (f, rc_event_new_vote_scheduled (T, &bad), RC_ERROR_BAD_MESSAGE,
                  "bad majority, reveal or result_shown");
  expect_refused (f, rc_event_new_vote_scheduled (T, &bad_result), RC_ERROR_BAD_MESSAGE,
                  "bad majority, reveal or result_shown");
  /* ids are bounded whatever their source (an importer's too) */
  expect_refused (f, rc_event_new_vote_scheduled (T, &long_id), RC_ERROR_BAD_MESSAGE,
                  "needs a vote id (at most 64 bytes)");
  rc_test_apply (f->session, rc_event_new_vote_scheduled (T, &longest_id));
}

static void
test_council_is_recorded (void)
{
  RcVoteInfo hands = { .id = "h", .majority = RC_MAJORITY_COUNCIL, .recorded = FALSE };
  g_autoptr (RcSession) session = rc_test_seed_open ("sc", NULL);
  g_autoptr (RcEvent) e = rc_event_new_vote_scheduled (T, &hands);
  g_autoptr (RcEvent) numbered = rc_event_with_seq (e, rc_session_get_last_seq (session) + 1);
  g_autoptr (GError) error = NULL;

  g_assert_false (rc_session_apply (session, numbered, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_BAD_MESSAGE);
  g_assert_cmpuint (rc_session_get_n_votes (session), ==, 1);
}

static GArray *
final_ballots (const char *member, RcChoice choice)
{
  GArray *ballots = g_array_new (FALSE, TRUE, sizeof (RcBallot));
  RcBallot b = { .member = (char *) member, .choice = choice };

  g_array_append_val (ballots, b);
  return ballots;
}

static void
test_lock_refusals (Fixture *f, gconstpointer data)
{
  const char *id = rc_vote_get_id (f->vote);
  g_autoptr (GArray) unknown = final_ballots ("XYZ", RC_CHOICE_YES);
  g_autoptr (GArray) pending = final_ballots ("FRA", RC_CHOICE_PENDING);
  g_autoptr (GArray) ven = final_ballots ("VEN", RC_CHOICE_YES);
  g_autoptr (GArray) twice = final_ballots ("FRA", RC_CHOICE_YES);
  RcBallot again = { .member = (char *) "FRA", .choice = RC_CHOICE_NO };

  rc_test_apply (f->session, rc_event_new_vote_opened (T, id));
  rc_test_apply (f->session, rc_event_new_ballot (T, id, "VEN", RC_CHOICE_NO_RIGHT));
  rc_test_apply (f->session, rc_event_new_ballot (T, id, "FRA", RC_CHOICE_HIDDEN));

  expect_refused (f, rc_event_new_vote_locked (T, id, unknown), RC_ERROR_UNKNOWN_MEMBER,
                  "XYZ is not a member");
  expect_refused (f, rc_event_new_vote_locked (T, id, pending), RC_ERROR_BAD_MESSAGE,
                  "FRA's final choice must be");
  expect_refused (f, rc_event_new_vote_locked (T, id, ven), RC_ERROR_LIFECYCLE,
                  "VEN has no right to vote");
  /* which of two final choices would count? */
  g_array_append_val (twice, again);
  expect_refused (f, rc_event_new_vote_locked (T, id, twice), RC_ERROR_BAD_MESSAGE,
                  "FRA is listed twice");
  /* France has voted, but how is not known: the result cannot be computed */
  expect_refused (f, rc_event_new_vote_locked (T, id, NULL), RC_ERROR_LIFECYCLE,
                  "the choice of FRA is still hidden");
  /* time never goes backwards */
  expect_refused (f, rc_event_new_vote_locked (T - 1, id, NULL), RC_ERROR_SEQUENCE,
                  "time goes backwards");
}

static void
test_after_announcement_refusals (Fixture *f, gconstpointer data)
{
  const char *id = rc_vote_get_id (f->vote);
  RcTally too_many = { .yes = 150, .no = 50 };
  g_autoptr (RcEvent) bad_on_air = rc_event_new_on_air (T, RC_ON_AIR_BLANK, NULL);

  rc_test_apply (f->session, rc_event_new_vote_opened (T, id));
  rc_test_apply (f->session, rc_event_new_ballot (T, id, "VEN", RC_CHOICE_NO_RIGHT));
  rc_test_apply (f->session, rc_event_new_vote_locked (T, id, NULL));
  expect_refused (f, rc_event_new_vote_announced (T, id, &too_many), RC_ERROR_LIFECYCLE,
                  "add up to more than the 193 members");
  rc_test_apply (f->session, rc_event_new_vote_announced (T, id, NULL));
  expect_refused (f, rc_event_new_vote_corrected (T, id, "VEN", RC_CHOICE_YES, NULL),
                  RC_ERROR_LIFECYCLE, "VEN had no right to vote");
  expect_refused (f, rc_event_new_vote_corrected (T, id, "FRA", RC_CHOICE_HIDDEN, NULL),
                  RC_ERROR_BAD_MESSAGE, "a correction records yes, no, abstain or not-voting");
  expect_refused (f, rc_event_new_vote_corrected (T, id, "XYZ", RC_CHOICE_YES, NULL),
                  RC_ERROR_UNKNOWN_MEMBER, "XYZ is not a member");
  bad_on_air->on_air = (RcOnAir) 9;
  expect_refused (f, rc_event_ref (bad_on_air), RC_ERROR_BAD_MESSAGE, "on-air: unknown mode");
}

static void
test_cancel_twice (Fixture *f, gconstpointer data)
{
  const char *id = rc_vote_get_id (f->vote);

  rc_test_apply (f->session, rc_event_new_vote_cancelled (T, id, NULL));
  expect_refused (f, rc_event_new_vote_cancelled (T, id, NULL), RC_ERROR_LIFECYCLE,
                  "is already cancelled");
  expect_refused (f, rc_event_new_vote_opened (T, id), RC_ERROR_LIFECYCLE,
                  "is cancelled, not scheduled");
}

static void
test_official_mismatch (Fixture *f, gconstpointer data)
{
  const char *id = rc_vote_get_id (f->vote);
  RcTally official = { .yes = 2, .no = 0, .abstain = 0, .not_voting = 191 };

  rc_test_apply (f->session, rc_event_new_vote_opened (T, id));
  rc_test_apply (f->session, rc_event_new_ballot (T, id, "FRA", RC_CHOICE_YES));
  rc_test_apply (f->session, rc_event_new_vote_locked (T, id, NULL));
  rc_test_apply (f->session, rc_event_new_vote_announced (T, id, &official));
  /* kept beside the recomputed totals, never instead of them */
  g_assert_true (rc_vote_has_mismatch (f->vote));
  g_assert_cmpuint (rc_vote_get_official (f->vote)->yes, ==, 2);
  g_assert_cmpuint (rc_vote_get_tally (f->vote)->yes, ==, 1);
  g_assert_cmpuint (rc_vote_get_tally (f->vote)->not_voting, ==, 192);
}

static void
test_cancel_and_on_air (Fixture *f, gconstpointer data)
{
  const char *id = rc_vote_get_id (f->vote);

  g_assert_cmpint (rc_session_get_on_air (f->session), ==, RC_ON_AIR_HOLDING);
  rc_test_apply (f->session, rc_event_new_on_air (T, RC_ON_AIR_VOTE, id));
  g_assert_true (rc_session_get_on_air_vote (f->session) == f->vote);
  rc_test_apply (f->session, rc_event_new_vote_opened (T, id));
  rc_test_apply (f->session, rc_event_new_vote_cancelled (T, id, "technical failure"));
  g_assert_cmpint (rc_vote_get_state (f->vote), ==, RC_VOTE_CANCELLED);
  g_assert_cmpstr (rc_vote_get_note (f->vote), ==, "technical failure");
  rc_test_apply (f->session, rc_event_new_on_air (T, RC_ON_AIR_BLANK, NULL));
  g_assert_null (rc_session_get_on_air_vote (f->session));
  g_assert_cmpint (rc_session_get_on_air (f->session), ==, RC_ON_AIR_BLANK);
}

static void
test_lookup (void)
{
  g_autoptr (RcSession) session = rc_test_seed_final ("ga");
  g_autoptr (GError) error = NULL;
  RcVote *vote = rc_session_get_vote (session, 0);

  g_assert_true (rc_session_lookup_vote (session, "es-11-1", NULL) == vote);
  g_assert_true (rc_session_lookup_vote (session, "A/RES/ES-11/1", NULL) == vote);
  g_assert_true (rc_session_lookup_vote (session, "A/ES-11/L.1", NULL) == vote);
  g_assert_true (rc_session_lookup_vote (session, "1", NULL) == vote);
  g_assert_null (rc_session_lookup_vote (session, "2", &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_UNKNOWN_VOTE);
  g_assert_cmpstr (error->message, ==, "no vote '2' in session 'ga-es11-pv5' (it has 1 vote)");
}

/* A refusal quotes the event's codes and ids on one line of UTF-8, whatever they hold
 * (found by tests/fuzz/fuzz-jsonl: a decoded JSON string may hold "\n"). */
static void
test_refusals_one_line (Fixture *f, gconstpointer data)
{
  const char *id = rc_vote_get_id (f->vote);

  rc_test_apply (f->session, rc_event_new_vote_opened (T, id));
  expect_refused (f, rc_event_new_ballot (T, id, "FR\nA", RC_CHOICE_YES), RC_ERROR_UNKNOWN_MEMBER,
                  "FR\\nA is not a member");
  expect_refused (f, rc_event_new_ballot (T, "es\r\n11\x01", "FRA", RC_CHOICE_YES),
                  RC_ERROR_UNKNOWN_VOTE, "es\\r\\n11\\u0001");
  expect_refused (f, rc_event_new_ballot (T, id, "FR\xc3", RC_CHOICE_YES), RC_ERROR_UNKNOWN_MEMBER,
                  "FR\xef\xbf\xbd is not a member");
}

int
main (int argc, char *argv[])
{
  static RcVoteInfo after_lock = { .id = "v", .majority = RC_MAJORITY_TWO_THIRDS,
                                   .recorded = TRUE, .reveal = RC_REVEAL_AFTER_LOCK };
  static RcVoteInfo not_recorded = { .id = "v", .majority = RC_MAJORITY_SIMPLE,
                                     .recorded = FALSE, .reveal = RC_REVEAL_LIVE };
  static RcVoteInfo simple = { .id = "v", .majority = RC_MAJORITY_SIMPLE, .recorded = TRUE };

  g_test_init (&argc, &argv, NULL);
  g_test_add ("/session/lifecycle", Fixture, NULL, setup, test_lifecycle, teardown);
  g_test_add ("/session/refusals", Fixture, NULL, setup, test_refusals, teardown);
  g_test_add ("/session/refusals/one-line", Fixture, NULL, setup, test_refusals_one_line, teardown);
  g_test_add_func ("/session/before-session", test_before_session);
  g_test_add ("/session/reveal-after-lock", Fixture, &after_lock, setup,
              test_reveal_after_lock, teardown);
  g_test_add ("/session/hidden-revealed-by-lock", Fixture, &simple, setup,
              test_hidden_ballots_revealed_by_lock, teardown);
  g_test_add ("/session/not-recorded", Fixture, &not_recorded, setup, test_not_recorded,
              teardown);
  g_test_add ("/session/official-mismatch", Fixture, NULL, setup, test_official_mismatch,
              teardown);
  g_test_add ("/session/cancel-and-on-air", Fixture, NULL, setup, test_cancel_and_on_air,
              teardown);
  g_test_add_func ("/session/lookup", test_lookup);
  g_test_add ("/session/refusals/session", Fixture, NULL, setup, test_session_refusals,
              teardown);
  g_test_add ("/session/refusals/schedule", Fixture, NULL, setup, test_schedule_refusals,
              teardown);
  g_test_add_func ("/session/refusals/council-is-recorded", test_council_is_recorded);
  g_test_add ("/session/refusals/lock", Fixture, &simple, setup, test_lock_refusals, teardown);
  g_test_add ("/session/refusals/after-announcement", Fixture, NULL, setup,
              test_after_announcement_refusals, teardown);
  g_test_add ("/session/refusals/cancel-twice", Fixture, NULL, setup, test_cancel_twice,
              teardown);
  return g_test_run ();
}
