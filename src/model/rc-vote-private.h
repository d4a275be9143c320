/* rc-vote-private.h — the parts of RcVote that only the state machine may touch. */
#pragma once

#include "rc-vote.h"

G_BEGIN_DECLS

struct _RcVote
{
  RcVoteInfo *info;
  RcRoster *roster;
  RcRules rules; /* the chamber's, which cannot change once votes exist */
  RcVoteState state;
  RcChoice *choices;
  RcTally tally;
  gboolean has_official;
  RcTally official;
  RcOutcome stated_outcome; /* the record's, under an unknown rule; PENDING: none */
  RcVerdict verdict;
  gboolean corrected;
  gint64 opened_at;
  gint64 locked_at;
  gint64 announced_at;
  char *note;
};

RcVote *rc_vote_new (const RcVoteInfo *info, RcRoster *roster, const RcRules *rules);
void rc_vote_free (RcVote *vote);
/* Recomputes the tally and, once the vote is closed, the verdict. */
void rc_vote_update (RcVote *vote);

G_END_DECLS
