/* rc-replay-plan.h — what `rollcall --replay` plays, resolved from the command line.
 *
 * Opens the archive, resolves the session and vote selectors (as the brief defines
 * them: id, symbol, date or position), and loads the session's journal, so that every
 * mistake on the command line is found and reported in one line before any window
 * opens. Uses the archive layer's API only: no SQL here. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  char *archive_path;
  char *session_id;
  char *vote_id;       /* the vote asked for with --vote, NULL to follow the session */
  GPtrArray *events;   /* of RcEvent, the session's journal in order */
  gboolean has_on_air; /* the journal says what the hall screens show */
  gint64 start_time;   /* journal time of the first event (µs since the epoch) */
  gint64 duration;     /* µs from the first event to the last */
  char *note;          /* a remark for the user (a session chosen for them), or NULL */
} RcReplayPlan;

/* archive_path NULL: the bundled demo archive and its General Assembly meeting.
 * session_selector and vote_selector may be NULL. On failure, error holds a
 * one-line reason (RC_ERROR_*). */
RcReplayPlan *rc_replay_plan_load (const char *archive_path, const char *session_selector,
                                   const char *vote_selector, GError **error);
void rc_replay_plan_free (RcReplayPlan *plan);

/* Parses a --speed value: a number from RC_REPLAY_MIN_SPEED to RC_REPLAY_MAX_SPEED. */
gboolean rc_replay_plan_parse_speed (const char *text, double *speed, GError **error);
/* Parses an --at value: seconds from the journal's start (>= 0), or "end". */
gboolean rc_replay_plan_parse_at (const char *text, gint64 *position, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcReplayPlan, rc_replay_plan_free)

G_END_DECLS
