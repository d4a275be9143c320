/* rc-session.h — the session state machine: the one place events become state.
 *
 * Every source (live feed, replay, import) feeds RcEvents to rc_session_apply(). It
 * either applies the event whole and emits signals saying what changed, or refuses
 * it with an RcError and changes nothing. Sequence numbers must increase by one
 * (events with seq 0 are not checked). */
#pragma once

#include <glib-object.h>

#include "rc-event.h"
#include "rc-vote.h"

G_BEGIN_DECLS

#define RC_TYPE_SESSION (rc_session_get_type ())
G_DECLARE_FINAL_TYPE (RcSession, rc_session, RC, SESSION, GObject)

RcSession *rc_session_new (void);

/* Validates and applies one event. On refusal returns FALSE, sets error, and the
 * session is exactly as before. */
gboolean rc_session_apply (RcSession *self, const RcEvent *event, GError **error);
/* A journal's event that was refused (a damaged journal) still took its place in the
 * sequence: consume its sequence number so that the events after it apply. Nothing
 * else changes. Returns FALSE if the event is not the next in sequence. */
gboolean rc_session_skip (RcSession *self, const RcEvent *event);
/* Checks what apply would do, without doing it. */
gboolean rc_session_check (RcSession *self, const RcEvent *event, GError **error);

/* NULL until a SESSION event was applied */
const RcSessionInfo *rc_session_get_info (RcSession *self);
const RcChamberInfo *rc_session_get_chamber (RcSession *self);
RcRoster *rc_session_get_roster (RcSession *self);

guint rc_session_get_n_votes (RcSession *self);
RcVote *rc_session_get_vote (RcSession *self, guint position); /* 0-based */
RcVote *rc_session_find_vote (RcSession *self, const char *vote_id);
/* A selector as on the command line: id, document or draft symbol, or 1-based position */
RcVote *rc_session_lookup_vote (RcSession *self, const char *selector, GError **error);
/* The vote the hall screens show (NULL when blank or holding) */
RcOnAir rc_session_get_on_air (RcSession *self);
RcVote *rc_session_get_on_air_vote (RcSession *self);
/* The holding slide's line of text, while the holding slide is on air and has one. */
const char *rc_session_get_on_air_text (RcSession *self);
/* The vote being taken: the open one; else the one whose machine last moved (opened,
 * locked, announced); else the first still scheduled. NULL if none. A function of the
 * state alone. */
RcVote *rc_session_get_current_vote (RcSession *self);
/* Has anyone said what the hall screens show? If not, a board shows the current vote
 * rather than the holding slide. */
gboolean rc_session_has_on_air (RcSession *self);

gint64 rc_session_get_last_seq (RcSession *self);
gint64 rc_session_get_last_time (RcSession *self);

/* Signals:
 *   "session-changed" ()               a SESSION event (meeting, chamber, roster)
 *   "vote-added"      (RcVote *vote)
 *   "vote-changed"    (RcVote *vote)    state, totals, official totals, verdict
 *   "ballot"          (RcVote *vote, guint member_index)  one member's light changed
 *   "on-air-changed"  ()
 *   "applied"         (gpointer event)  after every applied event, last */

G_END_DECLS
