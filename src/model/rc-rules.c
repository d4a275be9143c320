/* rc-rules.c — tallies and verdicts, as pure functions of the ballots.
 *
 * "Present and voting" is yes + no: abstentions and non-voters never count
 * (UN GA rules of procedure 86 and 126; UN Charter Art. 18 and 27). */
#include "rc-rules.h"

void
rc_tally_compute (RcTally *tally, const RcChoice *choices, guint n)
{
  g_return_if_fail (tally != NULL);
  g_return_if_fail (choices != NULL || n == 0);

  *tally = (RcTally){ .members = n };
  for (guint i = 0; i < n; i++)
    {
      switch (choices[i])
        {
        case RC_CHOICE_PENDING: tally->pending++; break;
        case RC_CHOICE_HIDDEN: tally->hidden++; break;
        case RC_CHOICE_YES: tally->yes++; break;
        case RC_CHOICE_NO: tally->no++; break;
        case RC_CHOICE_ABSTAIN: tally->abstain++; break;
        case RC_CHOICE_NO_RIGHT:
          tally->no_right++;
          tally->not_voting++;
          break;
        case RC_CHOICE_NOT_VOTING: tally->not_voting++; break;
        case RC_CHOICE_N:
        default: g_assert_not_reached ();
        }
    }
}

gboolean
rc_tally_equal_totals (const RcTally *a, const RcTally *b)
{
  return a->yes == b->yes && a->no == b->no && a->abstain == b->abstain
         && a->not_voting == b->not_voting;
}

guint
rc_rules_required (RcMajority majority, const RcRules *rules, const RcTally *tally)
{
  guint present = tally->yes + tally->no;

  switch (majority)
    {
    case RC_MAJORITY_SIMPLE:
      /* more yes than no: a tie is lost */
      return present == 0 ? 0 : present / 2 + 1;
    case RC_MAJORITY_TWO_THIRDS:
      /* at least two thirds: ceil (2 × present / 3); 146 present → 98 */
      return (2 * present + 2) / 3;
    case RC_MAJORITY_COUNCIL:
    case RC_MAJORITY_PROCEDURAL:
      return rules->council_affirmative;
    case RC_MAJORITY_ABSOLUTE:
      /* more than half of all the members, whoever voted: 193 → 97, 15 → 8 */
      return tally->members / 2 + 1;
    case RC_MAJORITY_UNKNOWN:
      return 0;
    default:
      g_return_val_if_reached (0);
    }
}

void
rc_rules_verdict (RcVerdict *verdict, RcMajority majority, const RcRules *rules,
                  const RcRoster *roster, const RcChoice *choices, const RcTally *tally,
                  RcOutcome stated)
{
  g_return_if_fail (verdict != NULL && rules != NULL && roster != NULL && tally != NULL);

  *verdict = (RcVerdict){
    .outcome = RC_OUTCOME_NOT_ADOPTED,
    .reason = RC_REASON_MAJORITY_MISSED,
    .present_and_voting = tally->yes + tally->no,
    .required = rc_rules_required (majority, rules, tally),
    .veto_member = -1,
  };

  switch (majority)
    {
    case RC_MAJORITY_UNKNOWN:
      /* No rule is invented: the outcome is the record's, or none. */
      if (stated == RC_OUTCOME_ADOPTED || stated == RC_OUTCOME_NOT_ADOPTED)
        verdict->outcome = stated, verdict->reason = RC_REASON_AS_RECORDED;
      else
        verdict->outcome = RC_OUTCOME_UNKNOWN, verdict->reason = RC_REASON_RULE_UNKNOWN;
      return;

    case RC_MAJORITY_COUNCIL:
      for (guint i = 0; i < rc_roster_get_size (roster); i++)
        {
          if (rc_roster_get_member (roster, i)->veto && choices[i] == RC_CHOICE_NO)
            {
              verdict->veto_member = (int) i;
              break;
            }
        }
      /* Without the nine affirmative votes a draft fails whatever the permanent
       * members did; with them, one negative permanent vote is a veto. */
      if (tally->yes < verdict->required)
        verdict->reason = RC_REASON_MAJORITY_MISSED;
      else if (verdict->veto_member >= 0)
        verdict->reason = RC_REASON_VETO;
      else
        verdict->outcome = RC_OUTCOME_ADOPTED, verdict->reason = RC_REASON_MAJORITY_REACHED;
      return;

    case RC_MAJORITY_PROCEDURAL:
    case RC_MAJORITY_ABSOLUTE:
      /* A number of yes votes, whoever else voted how: a permanent member's no is
       * one vote against (S/RES/2623: 11–1–3, adopted). */
      if (tally->yes >= verdict->required && verdict->required > 0)
        verdict->outcome = RC_OUTCOME_ADOPTED, verdict->reason = RC_REASON_MAJORITY_REACHED;
      else if (verdict->present_and_voting == 0)
        verdict->reason = RC_REASON_NO_VOTES_CAST;
      return;

    case RC_MAJORITY_SIMPLE:
    case RC_MAJORITY_TWO_THIRDS:
    default:
      if (verdict->present_and_voting == 0)
        verdict->reason = RC_REASON_NO_VOTES_CAST;
      else if (tally->yes >= verdict->required)
        verdict->outcome = RC_OUTCOME_ADOPTED, verdict->reason = RC_REASON_MAJORITY_REACHED;
      else if (majority == RC_MAJORITY_SIMPLE && tally->yes == tally->no)
        verdict->reason = RC_REASON_TIE;
      return;
    }
}
