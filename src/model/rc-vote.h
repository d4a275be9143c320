/* rc-vote.h — one vote: what is voted on, how, its lifecycle state and its ballots.
 *
 * RcVote is owned and mutated only by RcSession (the state machine); everyone else
 * reads it through the getters. Totals are always recomputed from the ballots; the
 * official totals a source states are kept beside them, never instead of them. */
#pragma once

#include <glib.h>

#include "rc-chamber.h"
#include "rc-roster.h"
#include "rc-types.h"

G_BEGIN_DECLS

/* What is known of a vote when it is scheduled. */
typedef struct {
  char *id;         /* stable within the session: "v1", "es-11-1" */
  char *symbol;     /* document symbol of the outcome, e.g. "A/RES/ES-11/1" (may be NULL) */
  char *draft;      /* draft symbol, e.g. "A/ES-11/L.1" (may be NULL) */
  char *title;      /* "Aggression against Ukraine" */
  RcMajority majority;
  gboolean recorded; /* FALSE: totals only, no member's choice is shown */
  RcReveal reveal;
  RcResultShown result_shown; /* when the hall sees the totals and the verdict */
} RcVoteInfo;

RcVoteInfo *rc_vote_info_copy (const RcVoteInfo *info);
void rc_vote_info_free (RcVoteInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcVoteInfo, rc_vote_info_free)

typedef struct _RcVote RcVote;

const RcVoteInfo *rc_vote_get_info (const RcVote *vote);
const char *rc_vote_get_id (const RcVote *vote);
RcVoteState rc_vote_get_state (const RcVote *vote);
gboolean rc_vote_is_corrected (const RcVote *vote);
const RcRoster *rc_vote_get_roster (const RcVote *vote);
/* The recorded choice of member i (what the source said). */
RcChoice rc_vote_get_choice (const RcVote *vote, guint index);
const RcChoice *rc_vote_get_choices (const RcVote *vote);
/* What a board may show for member i: applies the reveal policy and "recorded"; a
 * cancelled vote shows no choice (pending, or no right to vote). */
RcChoice rc_vote_get_shown_choice (const RcVote *vote, guint index);
/* Whether the hall may see the vote's result — its totals by choice and its verdict:
 * once announced, or from the lock when the vote says RC_RESULT_AT_LOCK. Until then a
 * locked vote shows who voted and who did not, and its lights (as its reveal says). */
gboolean rc_vote_shows_result (const RcVote *vote);
const RcTally *rc_vote_get_tally (const RcVote *vote);
/* The tally a board may show: hidden choices count as "hidden" until lock, and every
 * choice until the result may be shown (rc_vote_shows_result); a cancelled vote's
 * members all count as pending (or without the right to vote). */
void rc_vote_get_shown_tally (const RcVote *vote, RcTally *out);
/* Official totals stated by the source at announcement; NULL if none. */
const RcTally *rc_vote_get_official (const RcVote *vote);
/* TRUE when the source stated totals that differ from the ballots' */
gboolean rc_vote_has_mismatch (const RcVote *vote);
/* Valid once locked; outcome PENDING before. */
const RcVerdict *rc_vote_get_verdict (const RcVote *vote);
/* Journal times (µs since the Unix epoch) of the transitions, 0 if not yet. */
gint64 rc_vote_get_opened_at (const RcVote *vote);
gint64 rc_vote_get_locked_at (const RcVote *vote);
gint64 rc_vote_get_announced_at (const RcVote *vote);
/* Free text of the last correction or cancellation, or NULL. */
const char *rc_vote_get_note (const RcVote *vote);

G_END_DECLS
