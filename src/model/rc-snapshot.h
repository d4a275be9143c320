/* rc-snapshot.h — a session's state without its history.
 *
 * What a feed sends a client that joins late or cannot resume (docs/feed-protocol.md,
 * "The snapshot"): the meeting, the chamber, the roster, every vote with its state,
 * ballots and totals, and what is on air, after event `seq`. A session folded from
 * events 1…N and one restored from the snapshot at N are the same state. */
#pragma once

#include "rc-session.h"

G_BEGIN_DECLS

typedef struct {
  RcVoteInfo *info;
  RcVoteState state;
  gint64 opened_at; /* µs since the epoch, 0 if not yet */
  gint64 locked_at;
  gint64 announced_at;
  GArray *ballots; /* of RcBallot: every member whose state is not pending */
  gboolean has_official;
  RcTally official;
  RcOutcome stated_outcome; /* RC_OUTCOME_PENDING: none (see RcEvent) */
  gboolean corrected;
  char *note;
} RcSnapshotVote;

typedef struct {
  gint64 seq;  /* the state after this event; 0 before any */
  gint64 time; /* the time of event seq */
  /* all three NULL before the session is described */
  RcSessionInfo *session;
  RcChamberInfo *chamber;
  RcRoster *roster;
  GPtrArray *votes; /* of RcSnapshotVote, in scheduling order */
  gboolean has_on_air; /* FALSE: nobody has said what the screens show yet */
  RcOnAir on_air;
  char *on_air_vote; /* with RC_ON_AIR_VOTE */
  char *on_air_text; /* with RC_ON_AIR_HOLDING: its line of text, or NULL */

  /*< private >*/
  gint ref_count;
} RcSnapshot;

RcSnapshot *rc_snapshot_new (void);
RcSnapshot *rc_snapshot_ref (RcSnapshot *snapshot);
void rc_snapshot_unref (RcSnapshot *snapshot);
/* Appends a vote (taking ownership of nothing: the values are copied). */
RcSnapshotVote *rc_snapshot_add_vote (RcSnapshot *snapshot, const RcVoteInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcSnapshot, rc_snapshot_unref)

/* The state of the session now. */
RcSnapshot *rc_session_snapshot (RcSession *session);
/* A new session in the snapshot's state. Checks it as the state machine would have:
 * members on the roster, states that exist, a verdict that can be computed, the on-air
 * vote known; on refusal returns NULL with an RcError. */
RcSession *rc_session_new_from_snapshot (const RcSnapshot *snapshot, GError **error);

G_END_DECLS
