/* rc-types.h — the vocabulary of the model: choices, vote states, rules, verdicts.
 *
 * Plain enums and value structs shared by every layer. GLib only. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A member's state in one vote (BRIEF: "A member's state in a vote"). */
typedef enum {
  RC_CHOICE_PENDING = 0, /* not yet voted */
  RC_CHOICE_HIDDEN,      /* has voted, choice not (yet) published */
  RC_CHOICE_YES,
  RC_CHOICE_NO,
  RC_CHOICE_ABSTAIN,
  RC_CHOICE_NOT_VOTING, /* did not vote: absent, or present and not voting */
  RC_CHOICE_NO_RIGHT,   /* without the right to vote (UN Charter Art. 19) */
  RC_CHOICE_N
} RcChoice;

/* Lifecycle: scheduled → open → locked → announced (→ corrected); or cancelled. */
typedef enum {
  RC_VOTE_SCHEDULED = 0,
  RC_VOTE_OPEN,
  RC_VOTE_LOCKED,
  RC_VOTE_ANNOUNCED,
  RC_VOTE_CANCELLED,
} RcVoteState;

/* The rules of both UN chambers (docs/model.md, "Majority rules and the verdict"). */
typedef enum {
  RC_MAJORITY_SIMPLE = 0, /* more yes than no among present and voting */
  RC_MAJORITY_TWO_THIRDS, /* two-thirds of present and voting (Charter Art. 18.2) */
  RC_MAJORITY_COUNCIL,    /* substantive: N affirmative votes, no negative vote of a veto
                           * holder (Art. 27.3) */
  RC_MAJORITY_PROCEDURAL, /* N affirmative votes of any members; no veto (Art. 27.2) */
  RC_MAJORITY_ABSOLUTE,   /* yes from more than half of all the members, present or not
                           * (elections, e.g. of the ICJ: Statute Art. 10) */
  RC_MAJORITY_UNKNOWN,    /* the record does not say: no verdict is computed */
  RC_MAJORITY_N
} RcMajority;

typedef enum {
  RC_REVEAL_LIVE = 0,    /* every choice shown as it is cast */
  RC_REVEAL_AFTER_LOCK,  /* only "has voted" until the vote is locked */
} RcReveal;

/* When the hall sees a vote's result (its totals and verdict). */
typedef enum {
  RC_RESULT_WHEN_ANNOUNCED = 0, /* once the President has announced it */
  RC_RESULT_AT_LOCK,            /* as soon as the vote is locked */
} RcResultShown;

typedef enum {
  RC_OUTCOME_PENDING = 0, /* not decided yet (vote not locked) */
  RC_OUTCOME_ADOPTED,
  RC_OUTCOME_NOT_ADOPTED,
  RC_OUTCOME_UNKNOWN, /* closed under an unknown rule, and the record states no outcome */
  RC_OUTCOME_N
} RcOutcome;

typedef enum {
  RC_REASON_NONE = 0,
  RC_REASON_MAJORITY_REACHED, /* adopted */
  RC_REASON_MAJORITY_MISSED,  /* not adopted: not enough yes votes */
  RC_REASON_VETO,             /* not adopted: a veto holder voted no */
  RC_REASON_NO_VOTES_CAST,    /* not adopted: nobody present and voting */
  RC_REASON_TIE,              /* not adopted: as many yes as no (simple majority) */
  RC_REASON_AS_RECORDED,      /* the rule is unknown; the outcome is the record's */
  RC_REASON_RULE_UNKNOWN,     /* the rule is unknown and the record states no outcome */
} RcReason;

/* Totals by category, always computed from ballots (or stated by a source). */
typedef struct {
  guint yes;
  guint no;
  guint abstain;
  guint not_voting; /* did not vote, including no right to vote */
  guint no_right;   /* of which without the right to vote */
  guint hidden;     /* voted, choice not published */
  guint pending;    /* not yet voted */
  guint members;    /* everyone on the roster */
} RcTally;

typedef struct {
  RcOutcome outcome;
  RcReason reason;
  guint present_and_voting; /* yes + no */
  guint required;           /* yes votes needed, 0 when it does not apply */
  int veto_member;          /* roster index of the first vetoing member, -1 if none */
} RcVerdict;

const char *rc_choice_to_string (RcChoice choice);
gboolean rc_choice_from_string (const char *text, RcChoice *out);
const char *rc_vote_state_to_string (RcVoteState state);
gboolean rc_vote_state_from_string (const char *text, RcVoteState *out);
const char *rc_majority_to_string (RcMajority majority);
gboolean rc_majority_from_string (const char *text, RcMajority *out);
const char *rc_reveal_to_string (RcReveal reveal);
gboolean rc_reveal_from_string (const char *text, RcReveal *out);
const char *rc_result_shown_to_string (RcResultShown result_shown);
gboolean rc_result_shown_from_string (const char *text, RcResultShown *out);
const char *rc_outcome_to_string (RcOutcome outcome);
/* "adopted" or "not-adopted" only: the outcomes a record may state. */
gboolean rc_outcome_from_string (const char *text, RcOutcome *out);
const char *rc_reason_to_string (RcReason reason);

/* The longest id that comes from outside (a session's, a vote's, a member's code, a
 * chamber's), in bytes of UTF-8: a session id becomes the stream id in every message
 * (docs/events.md, "What is JSON here"). */
#define RC_ID_MAX 64
/* The longest text (a title, a name, a note, a symbol…), in bytes of UTF-8. */
#define RC_TEXT_MAX 1024

/* A real calendar date written YYYY-MM-DD (the only date format in files and on the
 * wire; such dates compare as strings). */
gboolean rc_iso_date_valid (const char *text);

/* The whole second a time (µs since 1970) is in, rounded down: before 1970 (a vote of
 * 1946) times are negative, and division rounds toward zero. */
static inline gint64
rc_time_second (gint64 time)
{
  return time / G_USEC_PER_SEC - (time % G_USEC_PER_SEC < 0);
}

/* Whether the rule needs the chamber's number of affirmative votes (the Council's). */
static inline gboolean
rc_majority_is_council (RcMajority m)
{
  return m == RC_MAJORITY_COUNCIL || m == RC_MAJORITY_PROCEDURAL;
}

/* TRUE for the three choices that count as "voted" with a published choice. */
static inline gboolean
rc_choice_is_cast (RcChoice c)
{
  return c == RC_CHOICE_YES || c == RC_CHOICE_NO || c == RC_CHOICE_ABSTAIN;
}

G_END_DECLS
