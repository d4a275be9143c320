/* rc-vote.c — one vote's state, read-only to all but the session state machine. */
#include "rc-vote-private.h"

#include "rc-rules.h"

RcVoteInfo *
rc_vote_info_copy (const RcVoteInfo *info)
{
  RcVoteInfo *copy;

  g_return_val_if_fail (info != NULL, NULL);
  copy = g_new0 (RcVoteInfo, 1);
  *copy = *info;
  copy->id = g_strdup (info->id);
  copy->symbol = g_strdup (info->symbol);
  copy->draft = g_strdup (info->draft);
  copy->title = g_strdup (info->title);
  return copy;
}

void
rc_vote_info_free (RcVoteInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->id);
  g_free (info->symbol);
  g_free (info->draft);
  g_free (info->title);
  g_free (info);
}

RcVote *
rc_vote_new (const RcVoteInfo *info, RcRoster *roster, const RcRules *rules)
{
  RcVote *vote = g_new0 (RcVote, 1);

  vote->info = rc_vote_info_copy (info);
  vote->roster = rc_roster_ref (roster);
  vote->rules = *rules;
  vote->state = RC_VOTE_SCHEDULED;
  vote->choices = g_new0 (RcChoice, MAX (1, rc_roster_get_size (roster)));
  rc_vote_update (vote);
  return vote;
}

void
rc_vote_free (RcVote *vote)
{
  if (vote == NULL)
    return;
  rc_vote_info_free (vote->info);
  rc_roster_unref (vote->roster);
  g_free (vote->choices);
  g_free (vote->note);
  g_free (vote);
}

void
rc_vote_update (RcVote *vote)
{
  guint n = rc_roster_get_size (vote->roster);

  rc_tally_compute (&vote->tally, vote->choices, n);
  /* A vote that is not recorded publishes totals only: once announced, the official
   * totals are its tally (its ballots say at most who has voted). */
  if (!vote->info->recorded && vote->has_official)
    {
      guint no_right = vote->tally.no_right;

      vote->tally = vote->official;
      vote->tally.no_right = MIN (no_right, vote->tally.not_voting);
      vote->tally.members = n;
    }
  /* Under a rule the record does not state, the result is the announcement's (it may
   * state one): nothing to say before it. */
  if ((vote->state == RC_VOTE_ANNOUNCED
       || (vote->state == RC_VOTE_LOCKED && vote->info->majority != RC_MAJORITY_UNKNOWN))
      && vote->tally.hidden == 0 && vote->tally.pending == 0)
    rc_rules_verdict (&vote->verdict, vote->info->majority, &vote->rules, vote->roster,
                      vote->choices, &vote->tally, vote->stated_outcome);
  else
    vote->verdict = (RcVerdict){
      .outcome = RC_OUTCOME_PENDING,
      .present_and_voting = vote->tally.yes + vote->tally.no,
      .required = rc_rules_required (vote->info->majority, &vote->rules, &vote->tally),
      .veto_member = -1,
    };
}

const RcVoteInfo *
rc_vote_get_info (const RcVote *vote)
{
  return vote->info;
}

const char *
rc_vote_get_id (const RcVote *vote)
{
  return vote->info->id;
}

RcVoteState
rc_vote_get_state (const RcVote *vote)
{
  return vote->state;
}

gboolean
rc_vote_is_corrected (const RcVote *vote)
{
  return vote->corrected;
}

const RcRoster *
rc_vote_get_roster (const RcVote *vote)
{
  return vote->roster;
}

RcChoice
rc_vote_get_choice (const RcVote *vote, guint index)
{
  g_return_val_if_fail (index < rc_roster_get_size (vote->roster), RC_CHOICE_PENDING);
  return vote->choices[index];
}

const RcChoice *
rc_vote_get_choices (const RcVote *vote)
{
  return vote->choices;
}

/* Hides what the reveal policy or a non-recorded vote keeps from the board. A
 * cancelled vote has no result, and shows none: no member's choice, no one "did not
 * vote"; only the loss of the right to vote (Art. 19) stays, which no vote decides. */
static RcChoice
shown (const RcVote *vote, RcChoice c)
{
  if (vote->state == RC_VOTE_CANCELLED)
    return c == RC_CHOICE_NO_RIGHT ? c : RC_CHOICE_PENDING;
  if (!rc_choice_is_cast (c))
    return c;
  if (!vote->info->recorded)
    return RC_CHOICE_HIDDEN;
  if (vote->info->reveal == RC_REVEAL_AFTER_LOCK
      && (vote->state == RC_VOTE_SCHEDULED || vote->state == RC_VOTE_OPEN))
    return RC_CHOICE_HIDDEN;
  return c;
}

RcChoice
rc_vote_get_shown_choice (const RcVote *vote, guint index)
{
  g_return_val_if_fail (index < rc_roster_get_size (vote->roster), RC_CHOICE_PENDING);
  return shown (vote, vote->choices[index]);
}

gboolean
rc_vote_shows_result (const RcVote *vote)
{
  return vote->state == RC_VOTE_ANNOUNCED
         || (vote->state == RC_VOTE_LOCKED && vote->info->result_shown == RC_RESULT_AT_LOCK);
}

const RcTally *
rc_vote_get_tally (const RcVote *vote)
{
  return &vote->tally;
}

void
rc_vote_get_shown_tally (const RcVote *vote, RcTally *out)
{
  *out = vote->tally;
  if (vote->state == RC_VOTE_CANCELLED)
    {
      /* as shown(): no one has voted in a vote that has no result */
      out->yes = out->no = out->abstain = out->hidden = 0;
      out->not_voting = out->no_right;
      out->pending = out->members - out->no_right;
      return;
    }
  /* A non-recorded vote still publishes its totals; only a choice kept until the
   * lock is withheld from the totals too, and every count by choice until the result
   * may be shown. */
  if ((vote->info->reveal == RC_REVEAL_AFTER_LOCK
       && (vote->state == RC_VOTE_SCHEDULED || vote->state == RC_VOTE_OPEN))
      || (vote->state == RC_VOTE_LOCKED && !rc_vote_shows_result (vote)))
    {
      out->hidden += out->yes + out->no + out->abstain;
      out->yes = out->no = out->abstain = 0;
    }
}

const RcTally *
rc_vote_get_official (const RcVote *vote)
{
  return vote->has_official ? &vote->official : NULL;
}

gboolean
rc_vote_has_mismatch (const RcVote *vote)
{
  /* a non-recorded vote's tally is the official one: nothing to compare */
  return vote->has_official && vote->info->recorded
         && !rc_tally_equal_totals (&vote->official, &vote->tally);
}

const RcVerdict *
rc_vote_get_verdict (const RcVote *vote)
{
  return &vote->verdict;
}

gint64
rc_vote_get_opened_at (const RcVote *vote)
{
  return vote->opened_at;
}

gint64
rc_vote_get_locked_at (const RcVote *vote)
{
  return vote->locked_at;
}

gint64
rc_vote_get_announced_at (const RcVote *vote)
{
  return vote->announced_at;
}

const char *
rc_vote_get_note (const RcVote *vote)
{
  return vote->note;
}
