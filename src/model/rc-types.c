/* rc-types.c — the names of the model's enums, as written in files and on the wire. */
#include "rc-types.h"

#include <stdlib.h>
#include <string.h>

static const char *const choice_names[RC_CHOICE_N] = {
  [RC_CHOICE_PENDING] = "pending",
  [RC_CHOICE_HIDDEN] = "voted",
  [RC_CHOICE_YES] = "yes",
  [RC_CHOICE_NO] = "no",
  [RC_CHOICE_ABSTAIN] = "abstain",
  [RC_CHOICE_NOT_VOTING] = "not-voting",
  [RC_CHOICE_NO_RIGHT] = "no-right",
};

static const char *const state_names[] = {
  [RC_VOTE_SCHEDULED] = "scheduled",
  [RC_VOTE_OPEN] = "open",
  [RC_VOTE_LOCKED] = "locked",
  [RC_VOTE_ANNOUNCED] = "announced",
  [RC_VOTE_CANCELLED] = "cancelled",
};

static const char *const majority_names[] = {
  [RC_MAJORITY_SIMPLE] = "simple",     [RC_MAJORITY_TWO_THIRDS] = "two-thirds",
  [RC_MAJORITY_COUNCIL] = "council",   [RC_MAJORITY_PROCEDURAL] = "procedural",
  [RC_MAJORITY_ABSOLUTE] = "absolute", [RC_MAJORITY_UNKNOWN] = "unknown",
};

static const char *const reveal_names[] = {
  [RC_REVEAL_LIVE] = "live",
  [RC_REVEAL_AFTER_LOCK] = "after-lock",
};

static const char *const result_shown_names[] = {
  [RC_RESULT_WHEN_ANNOUNCED] = "when-announced",
  [RC_RESULT_AT_LOCK] = "at-lock",
};

static const char *const outcome_names[] = {
  [RC_OUTCOME_PENDING] = "pending",
  [RC_OUTCOME_ADOPTED] = "adopted",
  [RC_OUTCOME_NOT_ADOPTED] = "not-adopted",
  [RC_OUTCOME_UNKNOWN] = "unknown",
};

static const char *const reason_names[] = {
  [RC_REASON_NONE] = "none",
  [RC_REASON_MAJORITY_REACHED] = "majority-reached",
  [RC_REASON_MAJORITY_MISSED] = "majority-missed",
  [RC_REASON_VETO] = "veto",
  [RC_REASON_NO_VOTES_CAST] = "no-votes-cast",
  [RC_REASON_TIE] = "tie",
  [RC_REASON_AS_RECORDED] = "as-recorded",
  [RC_REASON_RULE_UNKNOWN] = "rule-unknown",
};

static gboolean
lookup (const char *const *names, guint n, const char *text, int *out)
{
  if (text == NULL)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      if (names[i] != NULL && strcmp (names[i], text) == 0)
        {
          *out = (int) i;
          return TRUE;
        }
    }
  return FALSE;
}

#define DEFINE_NAMES(Type, prefix, table)                                                  \
  const char *prefix##_to_string (Type value)                                             \
  {                                                                                        \
    g_return_val_if_fail ((guint) value < G_N_ELEMENTS (table), NULL);                     \
    return table[value];                                                                   \
  }                                                                                        \
  gboolean prefix##_from_string (const char *text, Type *out)                              \
  {                                                                                        \
    int v;                                                                                 \
    if (!lookup (table, G_N_ELEMENTS (table), text, &v))                                   \
      return FALSE;                                                                        \
    *out = (Type) v;                                                                       \
    return TRUE;                                                                           \
  }

DEFINE_NAMES (RcChoice, rc_choice, choice_names)
DEFINE_NAMES (RcVoteState, rc_vote_state, state_names)
DEFINE_NAMES (RcMajority, rc_majority, majority_names)
DEFINE_NAMES (RcReveal, rc_reveal, reveal_names)
DEFINE_NAMES (RcResultShown, rc_result_shown, result_shown_names)

const char *
rc_outcome_to_string (RcOutcome outcome)
{
  g_return_val_if_fail ((guint) outcome < G_N_ELEMENTS (outcome_names), NULL);
  return outcome_names[outcome];
}

gboolean
rc_outcome_from_string (const char *text, RcOutcome *out)
{
  int v;

  if (!lookup (outcome_names, G_N_ELEMENTS (outcome_names), text, &v)
      || (v != RC_OUTCOME_ADOPTED && v != RC_OUTCOME_NOT_ADOPTED))
    return FALSE;
  *out = (RcOutcome) v;
  return TRUE;
}

const char *
rc_reason_to_string (RcReason reason)
{
  g_return_val_if_fail ((guint) reason < G_N_ELEMENTS (reason_names), NULL);
  return reason_names[reason];
}

gboolean
rc_iso_date_valid (const char *s)
{
  if (s == NULL || strlen (s) != 10 || s[4] != '-' || s[7] != '-')
    return FALSE;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (s[i]))
      return FALSE;
  return g_date_valid_dmy ((GDateDay) atoi (s + 8), (GDateMonth) atoi (s + 5),
                           (GDateYear) atoi (s));
}
