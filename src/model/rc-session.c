/* rc-session.c — the session state machine: the one place events become state.
 *
 * rc_session_apply() first checks the whole event against the state (check_event),
 * then applies it; applying cannot fail, so a refused event changes nothing. After a
 * change to a vote, the members whose *shown* light changed get a "ballot" signal
 * each, which is what lets a board repaint only those cells. */
#include "rc-session.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>

#include "rc-error.h"
#include "rc-session-private.h"
#include "rc-vote-private.h"

struct _RcSession
{
  GObject parent_instance;

  RcSessionInfo *info;
  RcChamberInfo *chamber;
  RcRoster *roster;
  GPtrArray *votes;       /* of RcVote, in scheduling order */
  GHashTable *votes_by_id; /* id → RcVote */
  RcOnAir on_air;
  RcVote *on_air_vote;
  char *on_air_text;   /* the holding slide's line, or NULL */
  gboolean has_on_air; /* an on-air event was applied */
  gint64 last_seq;
  gint64 last_time;
  gboolean timed; /* last_time is an event's (times before 1970 are negative) */
};

G_DEFINE_FINAL_TYPE (RcSession, rc_session, G_TYPE_OBJECT)

enum {
  SESSION_CHANGED,
  VOTE_ADDED,
  VOTE_CHANGED,
  BALLOT,
  ON_AIR_CHANGED,
  APPLIED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
rc_session_finalize (GObject *object)
{
  RcSession *self = RC_SESSION (object);

  rc_session_info_free (self->info);
  rc_chamber_info_free (self->chamber);
  g_clear_pointer (&self->roster, rc_roster_unref);
  g_hash_table_unref (self->votes_by_id);
  g_ptr_array_unref (self->votes);
  g_free (self->on_air_text);

  G_OBJECT_CLASS (rc_session_parent_class)->finalize (object);
}

static void
rc_session_class_init (RcSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rc_session_finalize;

  signals[SESSION_CHANGED] = g_signal_new ("session-changed", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 0);
  signals[VOTE_ADDED] = g_signal_new ("vote-added", G_TYPE_FROM_CLASS (klass),
                                      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE,
                                      1, G_TYPE_POINTER);
  signals[VOTE_CHANGED] = g_signal_new ("vote-changed", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 1, G_TYPE_POINTER);
  signals[BALLOT] = g_signal_new ("ballot", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_POINTER,
                                  G_TYPE_UINT);
  signals[ON_AIR_CHANGED] = g_signal_new ("on-air-changed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 0);
  signals[APPLIED] = g_signal_new ("applied", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
}

static void
rc_session_init (RcSession *self)
{
  self->votes = g_ptr_array_new_with_free_func ((GDestroyNotify) rc_vote_free);
  self->votes_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->on_air = RC_ON_AIR_HOLDING;
}

RcSession *
rc_session_new (void)
{
  return g_object_new (RC_TYPE_SESSION, NULL);
}

static gboolean
refuse (GError **error, RcError code, const char *format, ...) G_GNUC_PRINTF (3, 4);

static gboolean
refuse (GError **error, RcError code, const char *format, ...)
{
  va_list args;
  GError *local;

  if (error == NULL)
    return FALSE;
  va_start (args, format);
  local = g_error_new_valist (RC_ERROR, code, format, args);
  va_end (args);
  /* It quotes the event's codes and ids, which may hold anything. */
  rc_error_make_one_line (local);
  g_propagate_error (error, local);
  return FALSE;
}

/* An id that comes from outside: RC_ID_MAX bounds it, since a session's becomes the
 * stream id of every message and a vote's is in every event of it. */
static gboolean
valid_id (const char *id)
{
  return id != NULL && *id != '\0' && strlen (id) <= RC_ID_MAX && g_utf8_validate (id, -1, NULL);
}

/* Which choices a ballot may carry while the vote is open. */
static gboolean
ballot_choice_ok (RcChoice c)
{
  return c == RC_CHOICE_PENDING || c == RC_CHOICE_HIDDEN || rc_choice_is_cast (c)
         || c == RC_CHOICE_NO_RIGHT;
}

static gboolean
check_member (RcSession *self, const char *member, int *index, GError **error)
{
  *index = rc_roster_find (self->roster, member);
  if (*index < 0)
    return refuse (error, RC_ERROR_UNKNOWN_MEMBER, _("%s is not a member of the %s on %s"),
                   member ? member : "(none)", self->chamber->name, self->info->date);
  return TRUE;
}

static gboolean
check_vote (RcSession *self, const RcEvent *e, RcVote **vote, GError **error)
{
  *vote = e->vote_id ? g_hash_table_lookup (self->votes_by_id, e->vote_id) : NULL;
  if (*vote == NULL)
    return refuse (error, RC_ERROR_UNKNOWN_VOTE, _("%s: no vote '%s' in this session"),
                   rc_event_type_to_string (e->type), e->vote_id ? e->vote_id : "");
  return TRUE;
}

static gboolean
check_state (const RcEvent *e, RcVote *vote, RcVoteState wanted, GError **error)
{
  if (vote->state != wanted)
    return refuse (error, RC_ERROR_LIFECYCLE, _("%s: vote '%s' is %s, not %s"),
                   rc_event_type_to_string (e->type), vote->info->id,
                   rc_vote_state_to_string (vote->state), rc_vote_state_to_string (wanted));
  return TRUE;
}

/* The final ballots a lock may carry, and what must be known once it is applied. */
static gboolean
check_lock (RcSession *self, const RcEvent *e, RcVote *vote, GError **error)
{
  guint n = rc_roster_get_size (vote->roster);
  g_autofree RcChoice *after = g_memdup2 (vote->choices, sizeof (RcChoice) * MAX (n, 1));
  g_autofree gboolean *listed = g_new0 (gboolean, MAX (n, 1));
  int index;

  for (guint i = 0; e->ballots != NULL && i < e->ballots->len; i++)
    {
      const RcBallot *b = &g_array_index (e->ballots, RcBallot, i);

      if (!check_member (self, b->member, &index, error))
        return FALSE;
      if (listed[index])
        return refuse (error, RC_ERROR_BAD_MESSAGE,
                       _("vote-locked: %s is listed twice among the final choices"), b->member);
      listed[index] = TRUE;
      if ((guint) b->choice >= RC_CHOICE_N
          || !(rc_choice_is_cast (b->choice) || b->choice == RC_CHOICE_NOT_VOTING
               || b->choice == RC_CHOICE_NO_RIGHT))
        return refuse (error, RC_ERROR_BAD_MESSAGE,
                       _("vote-locked: %s's final choice must be yes, no, abstain, "
                       "not-voting or no-right"), b->member);
      if (!vote->info->recorded && rc_choice_is_cast (b->choice))
        return refuse (error, RC_ERROR_LIFECYCLE,
                       _("vote-locked: vote '%s' is not recorded: no member's choice is published"),
                       vote->info->id);
      if (vote->choices[index] == RC_CHOICE_NO_RIGHT && b->choice != RC_CHOICE_NO_RIGHT)
        return refuse (error, RC_ERROR_LIFECYCLE, _("vote-locked: %s has no right to vote in '%s'"),
                       b->member, vote->info->id);
      after[index] = b->choice;
    }
  /* A recorded vote's result is computed from its ballots: every choice must be known
   * once the machine is closed. */
  for (guint i = 0; vote->info->recorded && i < n; i++)
    if (after[i] == RC_CHOICE_HIDDEN)
      return refuse (error, RC_ERROR_LIFECYCLE,
                     _("vote-locked: the choice of %s is still hidden; the lock must reveal it"),
                     rc_roster_get_member (vote->roster, i)->code);
  return TRUE;
}

/* Whether the session may take e. What an event gets wrong by itself, whatever the
 * session (no id, a choice a ballot cannot make, a member listed twice…), is
 * RC_ERROR_BAD_MESSAGE; what the session's state does not allow (the vote's state or
 * settings, the chamber's rules, the roster's size) is RC_ERROR_LIFECYCLE, or
 * RC_ERROR_UNKNOWN_VOTE / _MEMBER, RC_ERROR_SEQUENCE. The control API answers them
 * 400, 409, 404 / 422 and 409 (docs/feed-protocol.md §7). */
static gboolean
check_event (RcSession *self, const RcEvent *e, GError **error)
{
  RcVote *vote = NULL;
  int index;

  if ((guint) e->type >= RC_EVENT_N_TYPES)
    return refuse (error, RC_ERROR_BAD_MESSAGE, _("unknown event type %d"), (int) e->type);
  if (e->type == RC_EVENT_HEARTBEAT)
    return TRUE;
  if (e->seq != 0 && e->seq != self->last_seq + 1)
    return refuse (error, RC_ERROR_SEQUENCE,
                   _ ("%s: sequence %" PRId64 " where %" PRId64 " was expected"),
                   rc_event_type_to_string (e->type), e->seq, self->last_seq + 1);
  if (self->timed && e->time < self->last_time)
    return refuse (error, RC_ERROR_SEQUENCE,
                   _ ("%s: time goes backwards (%" PRId64 " µs before the last event)"),
                   rc_event_type_to_string (e->type), self->last_time - e->time);
  if (e->type != RC_EVENT_SESSION && self->info == NULL)
    return refuse (error, RC_ERROR_LIFECYCLE, _("%s before the session was described"),
                   rc_event_type_to_string (e->type));

  switch (e->type)
    {
    case RC_EVENT_SESSION:
      if (e->session == NULL || e->chamber == NULL || e->roster == NULL
          || !valid_id (e->session->id))
        return refuse (error, RC_ERROR_BAD_MESSAGE,
                       _("session: needs a session id (at most %d bytes), a chamber and a roster"),
                       RC_ID_MAX);
      if (rc_roster_get_size (e->roster) == 0)
        return refuse (error, RC_ERROR_BAD_MESSAGE, _("session: the roster is empty"));
      if (self->info != NULL && g_strcmp0 (self->info->id, e->session->id) != 0)
        return refuse (error, RC_ERROR_LIFECYCLE, _("session: this is session '%s', not '%s'"),
                       self->info->id, e->session->id);
      if (self->votes->len > 0 && !rc_roster_equal (self->roster, e->roster))
        return refuse (error, RC_ERROR_LIFECYCLE,
                       _("session: the roster cannot change once votes exist"));
      /* a chamber decides by a rule it knows ("unknown" is a record's, docs/model.md) */
      if ((guint) e->chamber->rules.default_majority >= RC_MAJORITY_N
          || e->chamber->rules.default_majority == RC_MAJORITY_UNKNOWN)
        return refuse (error, RC_ERROR_BAD_MESSAGE,
                       _ ("session: a chamber's rule is never 'unknown' (only a vote's, in a "
                          "record that does not state it)"));
      if (self->votes->len > 0 && !rc_chamber_info_equal (self->chamber, e->chamber))
        return refuse (error, RC_ERROR_LIFECYCLE,
                       _("session: the chamber (its names, rules and colours) cannot change "
                         "once votes exist"));
      return TRUE;

    case RC_EVENT_VOTE_SCHEDULED:
      if (e->vote == NULL || !valid_id (e->vote->id) || g_strcmp0 (e->vote->id, e->vote_id))
        return refuse (error, RC_ERROR_BAD_MESSAGE,
                       _("vote-scheduled: needs a vote id (at most %d bytes)"), RC_ID_MAX);
      /* Until it opens, a vote's description may be given again, changed: what the hall
       * sees at each stage (reveal, result_shown) is the operator's to set then. */
      vote = g_hash_table_lookup (self->votes_by_id, e->vote->id);
      if (vote != NULL && vote->state != RC_VOTE_SCHEDULED)
        return refuse (error, RC_ERROR_LIFECYCLE,
                       _ ("vote-scheduled: vote '%s' exists already and is %s: only a scheduled "
                          "vote can be described again"),
                       e->vote->id, rc_vote_state_to_string (vote->state));
      if ((guint) e->vote->majority >= RC_MAJORITY_N
          || (guint) e->vote->reveal > RC_REVEAL_AFTER_LOCK
          || (guint) e->vote->result_shown > RC_RESULT_AT_LOCK)
        return refuse (error, RC_ERROR_BAD_MESSAGE,
                       _ ("vote-scheduled: bad majority, reveal or result_shown"));
      if (rc_majority_is_council (e->vote->majority)
          && self->chamber->rules.council_affirmative == 0)
        return refuse (error, RC_ERROR_LIFECYCLE, _ ("vote-scheduled: the %s has no %s majority"),
                       self->chamber->name, rc_majority_to_string (e->vote->majority));
      if (e->vote->majority == RC_MAJORITY_COUNCIL && !e->vote->recorded)
        return refuse (error, RC_ERROR_BAD_MESSAGE,
                       _("vote-scheduled: a council vote is recorded (a veto needs names)"));
      return TRUE;

    case RC_EVENT_VOTE_OPENED:
      if (!check_vote (self, e, &vote, error) || !check_state (e, vote, RC_VOTE_SCHEDULED, error))
        return FALSE;
      if (!self->chamber->rules.concurrent_votes)
        for (guint i = 0; i < self->votes->len; i++)
          {
            RcVote *other = g_ptr_array_index (self->votes, i);

            if (other->state == RC_VOTE_OPEN)
              return refuse (error, RC_ERROR_LIFECYCLE,
                             _("vote-opened: vote '%s' is still open"), other->info->id);
          }
      return TRUE;

    case RC_EVENT_BALLOT:
      if (!check_vote (self, e, &vote, error))
        return FALSE;
      if (vote->state != RC_VOTE_OPEN)
        return refuse (error, RC_ERROR_LIFECYCLE, _("ballot: vote '%s' is %s, not open"),
                       vote->info->id, rc_vote_state_to_string (vote->state));
      if (!check_member (self, e->member, &index, error))
        return FALSE;
      if ((guint) e->choice >= RC_CHOICE_N || !ballot_choice_ok (e->choice))
        return refuse (error, RC_ERROR_BAD_MESSAGE, _("ballot: %s is not a choice a ballot can make"),
                       (guint) e->choice < RC_CHOICE_N ? rc_choice_to_string (e->choice) : "?");
      if (vote->choices[index] == RC_CHOICE_NO_RIGHT && e->choice != RC_CHOICE_NO_RIGHT)
        return refuse (error, RC_ERROR_LIFECYCLE, _("ballot: %s has no right to vote in '%s'"),
                       e->member, vote->info->id);
      if (!vote->info->recorded && rc_choice_is_cast (e->choice))
        return refuse (error, RC_ERROR_LIFECYCLE,
                       _("ballot: vote '%s' is not recorded: a ballot may only say 'voted'"),
                       vote->info->id);
      return TRUE;

    case RC_EVENT_VOTE_LOCKED:
      if (!check_vote (self, e, &vote, error) || !check_state (e, vote, RC_VOTE_OPEN, error))
        return FALSE;
      return check_lock (self, e, vote, error);

    case RC_EVENT_VOTE_ANNOUNCED:
      if (!check_vote (self, e, &vote, error) || !check_state (e, vote, RC_VOTE_LOCKED, error))
        return FALSE;
      if (e->has_official
          && (guint64) e->official.yes + e->official.no + e->official.abstain
                 + e->official.not_voting > rc_roster_get_size (vote->roster))
        return refuse (error, RC_ERROR_LIFECYCLE,
                       _("vote-announced: the official totals add up to more than the %u members"),
                       rc_roster_get_size (vote->roster));
      if (!e->has_official && !vote->info->recorded)
        return refuse (error, RC_ERROR_LIFECYCLE,
                       _("vote-announced: vote '%s' is not recorded: its totals must be announced"),
                       vote->info->id);
      /* The verdict is computed from the rule, never typed: only a record whose rule is
       * not known may state it. */
      if (e->stated_outcome != RC_OUTCOME_PENDING
          && (e->stated_outcome != RC_OUTCOME_ADOPTED
              && e->stated_outcome != RC_OUTCOME_NOT_ADOPTED))
        return refuse (error, RC_ERROR_BAD_MESSAGE,
                       _ ("vote-announced: outcome is adopted or not-adopted"));
      if (e->stated_outcome != RC_OUTCOME_PENDING && vote->info->majority != RC_MAJORITY_UNKNOWN)
        return refuse (error, RC_ERROR_LIFECYCLE,
                       _ ("vote-announced: vote '%s' has the %s rule: its verdict is computed, "
                          "not stated (outcome goes only with the unknown rule)"),
                       vote->info->id, rc_majority_to_string (vote->info->majority));
      return TRUE;

    case RC_EVENT_VOTE_CORRECTED:
      if (!check_vote (self, e, &vote, error) || !check_state (e, vote, RC_VOTE_ANNOUNCED, error))
        return FALSE;
      if (!check_member (self, e->member, &index, error))
        return FALSE;
      if ((guint) e->choice >= RC_CHOICE_N
          || !(rc_choice_is_cast (e->choice) || e->choice == RC_CHOICE_NOT_VOTING))
        return refuse (error, RC_ERROR_BAD_MESSAGE,
                       _("vote-corrected: a correction records yes, no, abstain or not-voting"));
      if (vote->choices[index] == RC_CHOICE_NO_RIGHT)
        return refuse (error, RC_ERROR_LIFECYCLE, _("vote-corrected: %s had no right to vote"),
                       e->member);
      if (!vote->info->recorded)
        return refuse (error, RC_ERROR_LIFECYCLE,
                       _("vote-corrected: vote '%s' is not recorded: it has no choices to correct"),
                       vote->info->id);
      return TRUE;

    case RC_EVENT_VOTE_CANCELLED:
      if (!check_vote (self, e, &vote, error))
        return FALSE;
      if (vote->state == RC_VOTE_ANNOUNCED || vote->state == RC_VOTE_CANCELLED)
        return refuse (error, RC_ERROR_LIFECYCLE, _("vote-cancelled: vote '%s' is already %s"),
                       vote->info->id, rc_vote_state_to_string (vote->state));
      return TRUE;

    case RC_EVENT_ON_AIR:
      if ((guint) e->on_air > RC_ON_AIR_HOLDING)
        return refuse (error, RC_ERROR_BAD_MESSAGE, _("on-air: unknown mode"));
      if (e->on_air == RC_ON_AIR_VOTE)
        return check_vote (self, e, &vote, error);
      return TRUE;

    case RC_EVENT_HEARTBEAT:
    case RC_EVENT_N_TYPES:
    default:
      g_assert_not_reached ();
    }
}

gboolean
rc_session_check (RcSession *self, const RcEvent *event, GError **error)
{
  g_return_val_if_fail (RC_IS_SESSION (self), FALSE);
  g_return_val_if_fail (event != NULL, FALSE);
  return check_event (self, event, error);
}

static RcChoice *
shown_choices (const RcVote *vote)
{
  guint n = rc_roster_get_size (vote->roster);
  RcChoice *shown = g_new (RcChoice, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    shown[i] = rc_vote_get_shown_choice (vote, i);
  return shown;
}

/* Emits "ballot" for each member whose shown light differs from before, then
 * "vote-changed". */
static void
emit_vote_changes (RcSession *self, RcVote *vote, const RcChoice *before)
{
  guint n = rc_roster_get_size (vote->roster);

  for (guint i = 0; i < n; i++)
    if (before[i] != rc_vote_get_shown_choice (vote, i))
      g_signal_emit (self, signals[BALLOT], 0, vote, i);
  g_signal_emit (self, signals[VOTE_CHANGED], 0, vote);
}

static void
apply_session (RcSession *self, const RcEvent *e)
{
  rc_session_info_free (self->info);
  self->info = rc_session_info_copy (e->session);
  rc_chamber_info_free (self->chamber);
  self->chamber = rc_chamber_info_copy (e->chamber);
  g_clear_pointer (&self->roster, rc_roster_unref);
  self->roster = rc_roster_ref (e->roster);
  g_signal_emit (self, signals[SESSION_CHANGED], 0);
}

/* A ballot changes one member's choice and nothing that decides what the others
 * show (the vote's state, its reveal): only that light can change. Floods are
 * thousands of ballots a second, so this does not compare the whole roster. */
static void
apply_ballot (RcSession *self, const RcEvent *e, RcVote *vote)
{
  int index = rc_roster_find (vote->roster, e->member);
  RcChoice before = rc_vote_get_shown_choice (vote, index);

  vote->choices[index] = e->choice;
  rc_vote_update (vote);
  if (before != rc_vote_get_shown_choice (vote, index))
    g_signal_emit (self, signals[BALLOT], 0, vote, (guint) index);
  g_signal_emit (self, signals[VOTE_CHANGED], 0, vote);
}

static void
apply_to_vote (RcSession *self, const RcEvent *e, RcVote *vote)
{
  g_autofree RcChoice *before = NULL;
  guint n = rc_roster_get_size (vote->roster);

  if (e->type == RC_EVENT_BALLOT)
    {
      apply_ballot (self, e, vote);
      return;
    }
  before = shown_choices (vote);
  switch (e->type)
    {
    case RC_EVENT_VOTE_OPENED:
      vote->state = RC_VOTE_OPEN;
      vote->opened_at = e->time;
      break;
    case RC_EVENT_VOTE_LOCKED:
      for (guint i = 0; e->ballots != NULL && i < e->ballots->len; i++)
        {
          const RcBallot *b = &g_array_index (e->ballots, RcBallot, i);
          vote->choices[rc_roster_find (vote->roster, b->member)] = b->choice;
        }
      /* Who never pressed a button when the machine closed did not vote. */
      for (guint i = 0; i < n; i++)
        if (vote->choices[i] == RC_CHOICE_PENDING)
          vote->choices[i] = RC_CHOICE_NOT_VOTING;
      vote->state = RC_VOTE_LOCKED;
      vote->locked_at = e->time;
      break;
    case RC_EVENT_VOTE_ANNOUNCED:
      vote->has_official = e->has_official;
      vote->official = e->official;
      vote->official.members = n;
      vote->stated_outcome = e->stated_outcome;
      vote->state = RC_VOTE_ANNOUNCED;
      vote->announced_at = e->time;
      break;
    case RC_EVENT_VOTE_CORRECTED:
      vote->choices[rc_roster_find (vote->roster, e->member)] = e->choice;
      vote->corrected = TRUE;
      g_free (vote->note);
      vote->note = g_strdup (e->note);
      break;
    case RC_EVENT_VOTE_CANCELLED:
      vote->state = RC_VOTE_CANCELLED;
      g_free (vote->note);
      vote->note = g_strdup (e->note);
      break;
    default:
      g_assert_not_reached ();
    }
  rc_vote_update (vote);
  emit_vote_changes (self, vote, before);
}

gboolean
rc_session_apply (RcSession *self, const RcEvent *e, GError **error)
{
  RcVote *vote;

  g_return_val_if_fail (RC_IS_SESSION (self), FALSE);
  g_return_val_if_fail (e != NULL, FALSE);

  if (!check_event (self, e, error))
    return FALSE;

  /* A handler may drop the last reference to the session (a replay seeking back
   * replaces it): keep it alive until every signal of this event is out. */
  g_object_ref (self);

  if (e->type != RC_EVENT_HEARTBEAT)
    {
      if (e->seq != 0)
        self->last_seq = e->seq;
    }
  if (!self->timed || e->time > self->last_time)
    self->last_time = e->time;
  self->timed = TRUE;

  switch (e->type)
    {
    case RC_EVENT_SESSION:
      apply_session (self, e);
      break;
    case RC_EVENT_VOTE_SCHEDULED:
      vote = g_hash_table_lookup (self->votes_by_id, e->vote->id);
      if (vote != NULL)
        {
          /* described again: the same vote, in its place, with its new description */
          RcVoteInfo *old = vote->info;

          vote->info = rc_vote_info_copy (e->vote);
          g_hash_table_replace (self->votes_by_id, vote->info->id, vote);
          rc_vote_info_free (old);
          g_signal_emit (self, signals[VOTE_CHANGED], 0, vote);
          break;
        }
      vote = rc_vote_new (e->vote, self->roster, &self->chamber->rules);
      g_ptr_array_add (self->votes, vote);
      g_hash_table_insert (self->votes_by_id, vote->info->id, vote);
      g_signal_emit (self, signals[VOTE_ADDED], 0, vote);
      break;
    case RC_EVENT_ON_AIR:
      self->on_air = e->on_air;
      self->has_on_air = TRUE;
      g_free (self->on_air_text);
      self->on_air_text = e->on_air == RC_ON_AIR_HOLDING ? g_strdup (e->note) : NULL;
      self->on_air_vote = e->on_air == RC_ON_AIR_VOTE
                            ? g_hash_table_lookup (self->votes_by_id, e->vote_id)
                            : NULL;
      g_signal_emit (self, signals[ON_AIR_CHANGED], 0);
      break;
    case RC_EVENT_HEARTBEAT:
      break;
    default:
      apply_to_vote (self, e, g_hash_table_lookup (self->votes_by_id, e->vote_id));
      break;
    }

  g_signal_emit (self, signals[APPLIED], 0, (gpointer) e);
  g_object_unref (self);
  return TRUE;
}

void
rc_session_set_position (RcSession *self, gint64 seq, gint64 time)
{
  g_return_if_fail (RC_IS_SESSION (self));
  self->last_seq = seq;
  self->last_time = time;
  self->timed = seq > 0;
}

gboolean
rc_session_skip (RcSession *self, const RcEvent *event)
{
  g_return_val_if_fail (RC_IS_SESSION (self), FALSE);
  g_return_val_if_fail (event != NULL, FALSE);

  if (event->seq == 0 || event->seq != self->last_seq + 1)
    return FALSE;
  self->last_seq = event->seq;
  return TRUE;
}

const RcSessionInfo *
rc_session_get_info (RcSession *self)
{
  g_return_val_if_fail (RC_IS_SESSION (self), NULL);
  return self->info;
}

const RcChamberInfo *
rc_session_get_chamber (RcSession *self)
{
  g_return_val_if_fail (RC_IS_SESSION (self), NULL);
  return self->chamber;
}

RcRoster *
rc_session_get_roster (RcSession *self)
{
  g_return_val_if_fail (RC_IS_SESSION (self), NULL);
  return self->roster;
}

guint
rc_session_get_n_votes (RcSession *self)
{
  g_return_val_if_fail (RC_IS_SESSION (self), 0);
  return self->votes->len;
}

RcVote *
rc_session_get_vote (RcSession *self, guint position)
{
  g_return_val_if_fail (RC_IS_SESSION (self), NULL);
  g_return_val_if_fail (position < self->votes->len, NULL);
  return g_ptr_array_index (self->votes, position);
}

RcVote *
rc_session_find_vote (RcSession *self, const char *vote_id)
{
  g_return_val_if_fail (RC_IS_SESSION (self), NULL);
  return vote_id ? g_hash_table_lookup (self->votes_by_id, vote_id) : NULL;
}

static gboolean
all_digits (const char *s)
{
  if (*s == '\0')
    return FALSE;
  for (; *s; s++)
    if (!g_ascii_isdigit (*s))
      return FALSE;
  return TRUE;
}

RcVote *
rc_session_lookup_vote (RcSession *self, const char *selector, GError **error)
{
  RcVote *found = NULL;

  g_return_val_if_fail (RC_IS_SESSION (self), NULL);
  g_return_val_if_fail (selector != NULL, NULL);

  if ((found = g_hash_table_lookup (self->votes_by_id, selector)) != NULL)
    return found;

  /* A document symbol: the adopted text's, or the draft's. */
  for (guint i = 0; i < self->votes->len; i++)
    {
      RcVote *v = g_ptr_array_index (self->votes, i);

      if (g_strcmp0 (v->info->symbol, selector) == 0 || g_strcmp0 (v->info->draft, selector) == 0)
        {
          if (found != NULL && found != v)
            {
              g_set_error (error, RC_ERROR, RC_ERROR_AMBIGUOUS,
                           _("'%s' names more than one vote ('%s' and '%s'); give the vote id"),
                           selector, found->info->id, v->info->id);
              return NULL;
            }
          found = v;
        }
    }
  if (found != NULL)
    return found;

  if (all_digits (selector))
    {
      guint64 pos = g_ascii_strtoull (selector, NULL, 10);

      if (pos >= 1 && pos <= self->votes->len)
        return g_ptr_array_index (self->votes, pos - 1);
    }

  g_set_error (error, RC_ERROR, RC_ERROR_UNKNOWN_VOTE,
               g_dngettext (GETTEXT_PACKAGE, "no vote '%s' in session '%s' (it has %u vote)",
                            "no vote '%s' in session '%s' (it has %u votes)", self->votes->len),
               selector, self->info ? self->info->id : "?", self->votes->len);
  return NULL;
}

RcOnAir
rc_session_get_on_air (RcSession *self)
{
  g_return_val_if_fail (RC_IS_SESSION (self), RC_ON_AIR_HOLDING);
  return self->on_air;
}

RcVote *
rc_session_get_on_air_vote (RcSession *self)
{
  g_return_val_if_fail (RC_IS_SESSION (self), NULL);
  return self->on_air_vote;
}

const char *
rc_session_get_on_air_text (RcSession *self)
{
  g_return_val_if_fail (RC_IS_SESSION (self), NULL);
  return self->on_air_text;
}

/* A pure function of the state (a session restored from a snapshot agrees): the open
 * vote; else the one whose machine last moved (its result stays up until the next
 * vote opens); else the first vote still to be taken. */
RcVote *
rc_session_get_current_vote (RcSession *self)
{
  RcVote *best = NULL;
  gint64 best_time = 0;

  g_return_val_if_fail (RC_IS_SESSION (self), NULL);

  for (guint i = 0; i < self->votes->len; i++)
    {
      RcVote *v = g_ptr_array_index (self->votes, i);

      if (v->state == RC_VOTE_OPEN && (best == NULL || v->opened_at >= best->opened_at))
        best = v;
    }
  if (best != NULL)
    return best;
  for (guint i = 0; i < self->votes->len; i++)
    {
      RcVote *v = g_ptr_array_index (self->votes, i);
      gint64 t = v->opened_at;

      /* the latest of the times set (0: not set; before 1970 a real time is negative) */
      if (v->locked_at != 0)
        t = MAX (t, v->locked_at);
      if (v->announced_at != 0)
        t = MAX (t, v->announced_at);
      if (v->opened_at != 0 && (best == NULL || t >= best_time))
        {
          best = v;
          best_time = t;
        }
    }
  if (best != NULL)
    return best;
  for (guint i = 0; i < self->votes->len; i++)
    {
      RcVote *v = g_ptr_array_index (self->votes, i);

      if (v->state == RC_VOTE_SCHEDULED)
        return v;
    }
  return self->votes->len > 0 ? g_ptr_array_index (self->votes, self->votes->len - 1) : NULL;
}

gboolean
rc_session_has_on_air (RcSession *self)
{
  g_return_val_if_fail (RC_IS_SESSION (self), FALSE);
  return self->has_on_air;
}

gint64
rc_session_get_last_seq (RcSession *self)
{
  g_return_val_if_fail (RC_IS_SESSION (self), 0);
  return self->last_seq;
}

gint64
rc_session_get_last_time (RcSession *self)
{
  g_return_val_if_fail (RC_IS_SESSION (self), 0);
  return self->last_time;
}
