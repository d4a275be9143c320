/* rc-replay.h — plays a journal into a session in its original time × speed.
 *
 * The recording is the feed: replay feeds the journal's events to the same state
 * machine (RcSession). Seeking folds the journal to a time into a fresh session.
 * Time runs on the GLib main loop. */
#pragma once

#include <glib-object.h>

#include "rc-session.h"

G_BEGIN_DECLS

/* Applies every event with time <= until (µs since the epoch; G_MAXINT64 for all) to
 * session. A refused event (a damaged journal) changes nothing and is skipped; the
 * first refusal is reported in error. Returns the number applied. */
guint rc_session_fold (RcSession *session, GPtrArray *events, gint64 until, GError **error);

/* Does the journal ever say what the hall screens show? If not (an import, a journal
 * kept by a system without operators), a board shows the vote being taken. */
gboolean rc_journal_has_on_air (GPtrArray *events);

/* The one range of replay speeds of every tool: rollcall --speed, rollcall-feed
 * --speed, the window's + and - keys (docs/model.md). */
#define RC_REPLAY_MIN_SPEED 0.25
#define RC_REPLAY_MAX_SPEED 64.0

#define RC_TYPE_REPLAY (rc_replay_get_type ())
G_DECLARE_FINAL_TYPE (RcReplay, rc_replay, RC, REPLAY, GObject)

/* events: GPtrArray of RcEvent (a reference is taken) */
RcReplay *rc_replay_new (GPtrArray *events);
/* The session being driven; replaced by a fresh one on a backwards seek
 * ("notify::session"). */
RcSession *rc_replay_get_session (RcReplay *self);
void rc_replay_play (RcReplay *self);
void rc_replay_pause (RcReplay *self);
gboolean rc_replay_is_playing (RcReplay *self);
/* clamped to [RC_REPLAY_MIN_SPEED, RC_REPLAY_MAX_SPEED] */
void rc_replay_set_speed (RcReplay *self, double speed);
double rc_replay_get_speed (RcReplay *self);
void rc_replay_set_loop (RcReplay *self, gboolean loop);
/* Position in µs from the first event's time. */
gint64 rc_replay_get_position (RcReplay *self);
gint64 rc_replay_get_duration (RcReplay *self);
/* The journal time (µs since the epoch) of position 0: the first event's. */
gint64 rc_replay_get_start_time (RcReplay *self);
void rc_replay_seek (RcReplay *self, gint64 position);
/* How many of the journal's events the session has had so far (applied or, damaged,
 * skipped): the next one due is at this index. */
guint rc_replay_get_n_applied (RcReplay *self);
/* The journal's events (borrowed), and the position of one of them. */
GPtrArray *rc_replay_get_events (RcReplay *self);
gint64 rc_replay_get_event_position (RcReplay *self, guint index);
/* Signals:
 *   "finished" ()   the last event has been applied (and not looping)
 *   "event-refused" (const RcEvent *event, GError *error)
 *                   a damaged journal: the event was skipped (also logged) */

G_END_DECLS
