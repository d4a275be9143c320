/* test-rules.c — the seed cases and the edges of each majority rule. */
#include "model/rc-rules.h"
#include "rc-test-seed.h"

static void
test_es_11_1 (void)
{
  g_autoptr (RcSession) session = rc_test_seed_final ("ga");
  RcVote *vote = rc_session_lookup_vote (session, "A/RES/ES-11/1", NULL);
  const RcTally *t = rc_vote_get_tally (vote);
  const RcVerdict *v = rc_vote_get_verdict (vote);
  RcRoster *roster = rc_session_get_roster (session);

  g_assert_nonnull (vote);
  g_assert_cmpuint (t->yes, ==, 141);
  g_assert_cmpuint (t->no, ==, 5);
  g_assert_cmpuint (t->abstain, ==, 35);
  g_assert_cmpuint (t->not_voting, ==, 12);
  g_assert_cmpuint (t->no_right, ==, 1);
  g_assert_cmpuint (t->members, ==, 193);
  g_assert_cmpuint (v->present_and_voting, ==, 146);
  g_assert_cmpuint (v->required, ==, 98);
  g_assert_cmpint (v->outcome, ==, RC_OUTCOME_ADOPTED);
  g_assert_cmpint (v->reason, ==, RC_REASON_MAJORITY_REACHED);
  g_assert_cmpint (rc_vote_get_choice (vote, rc_roster_find (roster, "VEN")), ==,
                   RC_CHOICE_NO_RIGHT);
  g_assert_cmpint (rc_vote_get_choice (vote, rc_roster_find (roster, "RUS")), ==, RC_CHOICE_NO);
  g_assert_cmpint (rc_vote_get_choice (vote, rc_roster_find (roster, "CHN")), ==,
                   RC_CHOICE_ABSTAIN);
}

static void
test_s_2022_155 (void)
{
  g_autoptr (RcSession) session = rc_test_seed_final ("sc");
  RcVote *vote = rc_session_lookup_vote (session, "S/2022/155", NULL);
  const RcTally *t = rc_vote_get_tally (vote);
  const RcVerdict *v = rc_vote_get_verdict (vote);
  RcRoster *roster = rc_session_get_roster (session);

  g_assert_cmpuint (t->yes, ==, 11);
  g_assert_cmpuint (t->no, ==, 1);
  g_assert_cmpuint (t->abstain, ==, 3);
  g_assert_cmpuint (t->not_voting, ==, 0);
  g_assert_cmpint (v->outcome, ==, RC_OUTCOME_NOT_ADOPTED);
  g_assert_cmpint (v->reason, ==, RC_REASON_VETO);
  g_assert_cmpint (v->veto_member, ==, rc_roster_find (roster, "RUS"));
  g_assert_cmpstr (rc_roster_get_member (roster, v->veto_member)->name, ==,
                   "Russian Federation");
}

/* A roster of n members; the first `vetoes` hold a veto. */
static RcRoster *
make_roster (guint n, guint vetoes)
{
  g_autofree RcMember *members = g_new0 (RcMember, n);

  for (guint i = 0; i < n; i++)
    {
      members[i].code = g_strdup_printf ("M%02u", i);
      members[i].name = g_strdup_printf ("Member %02u", i);
      members[i].veto = i < vetoes;
    }
  return rc_roster_new (members, n, NULL);
}

static RcVerdict
decide_stated (RcMajority majority, RcRoster *roster, const char *ballots, RcOutcome stated)
{
  RcRules rules = { .council_affirmative = 9 };
  g_autofree RcChoice *choices = g_new0 (RcChoice, rc_roster_get_size (roster));
  RcTally tally;
  RcVerdict verdict;

  for (guint i = 0; i < rc_roster_get_size (roster); i++)
    choices[i] = ballots[i] == 'Y' ? RC_CHOICE_YES
                 : ballots[i] == 'N' ? RC_CHOICE_NO
                 : ballots[i] == 'A' ? RC_CHOICE_ABSTAIN
                                     : RC_CHOICE_NOT_VOTING;
  rc_tally_compute (&tally, choices, rc_roster_get_size (roster));
  rc_rules_verdict (&verdict, majority, &rules, roster, choices, &tally, stated);
  return verdict;
}

static RcVerdict
decide (RcMajority majority, RcRoster *roster, const char *ballots)
{
  return decide_stated (majority, roster, ballots, RC_OUTCOME_PENDING);
}

static void
test_simple (void)
{
  g_autoptr (RcRoster) r = make_roster (6, 0);
  RcVerdict v;

  v = decide (RC_MAJORITY_SIMPLE, r, "YYYNNA");
  g_assert_cmpint (v.outcome, ==, RC_OUTCOME_ADOPTED);
  g_assert_cmpuint (v.required, ==, 3);
  v = decide (RC_MAJORITY_SIMPLE, r, "YYNNAA"); /* a tie is lost */
  g_assert_cmpint (v.outcome, ==, RC_OUTCOME_NOT_ADOPTED);
  g_assert_cmpint (v.reason, ==, RC_REASON_TIE);
  g_assert_cmpuint (v.required, ==, 3);
  v = decide (RC_MAJORITY_SIMPLE, r, "YNNAAA"); /* fewer yes than no: no tie */
  g_assert_cmpint (v.reason, ==, RC_REASON_MAJORITY_MISSED);
  v = decide (RC_MAJORITY_SIMPLE, r, "YAAAAA"); /* abstentions do not count */
  g_assert_cmpint (v.outcome, ==, RC_OUTCOME_ADOPTED);
  g_assert_cmpuint (v.present_and_voting, ==, 1);
  v = decide (RC_MAJORITY_SIMPLE, r, "AAAXXX");
  g_assert_cmpint (v.outcome, ==, RC_OUTCOME_NOT_ADOPTED);
  g_assert_cmpint (v.reason, ==, RC_REASON_NO_VOTES_CAST);
}

static void
test_two_thirds (void)
{
  g_autoptr (RcRoster) r = make_roster (6, 0);
  RcVerdict v;

  v = decide (RC_MAJORITY_TWO_THIRDS, r, "YYNAAA"); /* exactly two thirds */
  g_assert_cmpuint (v.required, ==, 2);
  g_assert_cmpint (v.outcome, ==, RC_OUTCOME_ADOPTED);
  v = decide (RC_MAJORITY_TWO_THIRDS, r, "YYYNNA"); /* 3 of 5 < 2/3 */
  g_assert_cmpuint (v.required, ==, 4);
  g_assert_cmpint (v.outcome, ==, RC_OUTCOME_NOT_ADOPTED);
  v = decide (RC_MAJORITY_TWO_THIRDS, r, "YYYYNX");
  g_assert_cmpint (v.outcome, ==, RC_OUTCOME_ADOPTED);
}

static void
test_council (void)
{
  g_autoptr (RcRoster) r = make_roster (15, 5);
  RcVerdict v;

  /* nine yes, permanent members abstaining: adopted */
  v = decide (RC_MAJORITY_COUNCIL, r, "AAAAAYYYYYYYYYN");
  g_assert_cmpint (v.outcome, ==, RC_OUTCOME_ADOPTED);
  /* eight yes: not adopted, whatever the permanent members did */
  v = decide (RC_MAJORITY_COUNCIL, r, "NAAAAYYYYYYYYAA");
  g_assert_cmpint (v.outcome, ==, RC_OUTCOME_NOT_ADOPTED);
  g_assert_cmpint (v.reason, ==, RC_REASON_MAJORITY_MISSED);
  g_assert_cmpint (v.veto_member, ==, 0);
  /* fourteen yes and one permanent no: vetoed */
  v = decide (RC_MAJORITY_COUNCIL, r, "YYYNYYYYYYYYYYY");
  g_assert_cmpint (v.outcome, ==, RC_OUTCOME_NOT_ADOPTED);
  g_assert_cmpint (v.reason, ==, RC_REASON_VETO);
  g_assert_cmpint (v.veto_member, ==, 3);
  /* an elected member's no is no veto */
  v = decide (RC_MAJORITY_COUNCIL, r, "YYYYYYYYYYNNNNN");
  g_assert_cmpint (v.outcome, ==, RC_OUTCOME_ADOPTED);
}

/* The Council's procedural rule: nine affirmative votes of any members; a permanent
 * member's no is one vote against, not a veto (Charter Art. 27.2). */
static void
test_procedural (void)
{
  g_autoptr (RcRoster) r = make_roster (15, 5);
  RcVerdict v;

  /* S/RES/2623's shape: eleven yes, one permanent no, three abstentions */
  v = decide (RC_MAJORITY_PROCEDURAL, r, "NAYYAYYYYYYYYYA");
  g_assert_cmpint (v.outcome, ==, RC_OUTCOME_ADOPTED);
  g_assert_cmpint (v.reason, ==, RC_REASON_MAJORITY_REACHED);
  g_assert_cmpint (v.veto_member, ==, -1);
  g_assert_cmpuint (v.required, ==, 9);
  /* the same ballots on substance: vetoed */
  v = decide (RC_MAJORITY_COUNCIL, r, "NAYYAYYYYYYYYYA");
  g_assert_cmpint (v.reason, ==, RC_REASON_VETO);
  /* eight yes: lost, even with no one against */
  v = decide (RC_MAJORITY_PROCEDURAL, r, "YYYYYYYYAAAAAAA");
  g_assert_cmpint (v.outcome, ==, RC_OUTCOME_NOT_ADOPTED);
  g_assert_cmpint (v.reason, ==, RC_REASON_MAJORITY_MISSED);
  /* nine yes against six no: adopted */
  v = decide (RC_MAJORITY_PROCEDURAL, r, "NNNNNNYYYYYYYYY");
  g_assert_cmpint (v.outcome, ==, RC_OUTCOME_ADOPTED);
}

/* Elections (e.g. of the ICJ, Statute Art. 10): yes from more than half of all the
 * members, present or not. */
static void
test_absolute (void)
{
  g_autoptr (RcRoster) r = make_roster (15, 5);
  RcVerdict v;

  v = decide (RC_MAJORITY_ABSOLUTE, r, "YYYYYYYYXXXXXXX"); /* 8 of 15 */
  g_assert_cmpuint (v.required, ==, 8);
  g_assert_cmpint (v.outcome, ==, RC_OUTCOME_ADOPTED);
  v = decide (RC_MAJORITY_ABSOLUTE, r, "YYYYYYYXXXXXXXX"); /* 7 of 15, none against */
  g_assert_cmpint (v.outcome, ==, RC_OUTCOME_NOT_ADOPTED);
  g_assert_cmpint (v.reason, ==, RC_REASON_MAJORITY_MISSED);
}

/* A record that does not state the rule: no verdict is computed; the record's outcome
 * is shown as the record's, and without one there is none. */
static void
test_unknown (void)
{
  g_autoptr (RcRoster) r = make_roster (6, 0);
  RcVerdict v;

  v = decide (RC_MAJORITY_UNKNOWN, r, "YYYYYN");
  g_assert_cmpint (v.outcome, ==, RC_OUTCOME_UNKNOWN);
  g_assert_cmpint (v.reason, ==, RC_REASON_RULE_UNKNOWN);
  g_assert_cmpuint (v.required, ==, 0);
  v = decide_stated (RC_MAJORITY_UNKNOWN, r, "YNNNNN", RC_OUTCOME_ADOPTED);
  g_assert_cmpint (v.outcome, ==, RC_OUTCOME_ADOPTED);
  g_assert_cmpint (v.reason, ==, RC_REASON_AS_RECORDED);
  v = decide_stated (RC_MAJORITY_UNKNOWN, r, "YYYYYN", RC_OUTCOME_NOT_ADOPTED);
  g_assert_cmpint (v.outcome, ==, RC_OUTCOME_NOT_ADOPTED);
  g_assert_cmpint (v.reason, ==, RC_REASON_AS_RECORDED);
  /* a known rule ignores a stated outcome: the verdict is computed */
  v = decide_stated (RC_MAJORITY_SIMPLE, r, "YNNNNN", RC_OUTCOME_ADOPTED);
  g_assert_cmpint (v.outcome, ==, RC_OUTCOME_NOT_ADOPTED);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rules/seed/es-11-1", test_es_11_1);
  g_test_add_func ("/rules/seed/s-2022-155", test_s_2022_155);
  g_test_add_func ("/rules/simple", test_simple);
  g_test_add_func ("/rules/two-thirds", test_two_thirds);
  g_test_add_func ("/rules/council", test_council);
  g_test_add_func ("/rules/procedural", test_procedural);
  g_test_add_func ("/rules/absolute", test_absolute);
  g_test_add_func ("/rules/unknown", test_unknown);
  return g_test_run ();
}
