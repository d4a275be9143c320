/* rc-event.h — the events every source produces: the journal and the wire messages.
 *
 * One event type for the live feed, the replay of an archive and an import. The
 * archive journals exactly these, and the feed protocol (docs/feed-protocol.md)
 * sends exactly these. An event is an immutable, reference-counted value once made;
 * the constructors below are the only way to make one. */
#pragma once

#include <glib.h>

#include "rc-chamber.h"
#include "rc-roster.h"
#include "rc-types.h"
#include "rc-vote.h"

G_BEGIN_DECLS

typedef enum {
  RC_EVENT_SESSION = 0,    /* the meeting: its chamber and roster of the day */
  RC_EVENT_VOTE_SCHEDULED,
  RC_EVENT_VOTE_OPENED,
  RC_EVENT_BALLOT,         /* a member votes or changes its vote while open */
  RC_EVENT_VOTE_LOCKED,    /* the machine is closed; may reveal hidden choices */
  RC_EVENT_VOTE_ANNOUNCED, /* result announced, with the official totals if stated */
  RC_EVENT_VOTE_CORRECTED, /* a recorded choice changed after the announcement */
  RC_EVENT_VOTE_CANCELLED,
  RC_EVENT_ON_AIR,         /* which vote the hall screens show */
  RC_EVENT_HEARTBEAT,
  RC_EVENT_N_TYPES
} RcEventType;

typedef enum {
  RC_ON_AIR_VOTE = 0, /* the vote named by vote_id */
  RC_ON_AIR_BLANK,    /* screens dark */
  RC_ON_AIR_HOLDING,  /* the holding slide */
} RcOnAir;

typedef struct {
  char *id;        /* stable id of the session in its archive, "ga-es11-2022-03-02" */
  char *meeting;   /* meeting symbol, e.g. "A/ES-11/PV.5" */
  char *date;      /* YYYY-MM-DD */
  char *title;     /* "Eleventh emergency special session, 5th plenary meeting" */
  char *timezone;  /* IANA zone of the hall for the board's clock, "America/New_York" */
  gboolean synthesized; /* the timeline was made up by an importer, not recorded */
} RcSessionInfo;

RcSessionInfo *rc_session_info_copy (const RcSessionInfo *info);
void rc_session_info_free (RcSessionInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcSessionInfo, rc_session_info_free)

typedef struct {
  char *member; /* member code */
  RcChoice choice;
} RcBallot;

typedef struct {
  RcEventType type;
  gint64 seq;  /* 1, 2, 3… within the session; 0 for a heartbeat or an unsequenced event */
  gint64 time; /* µs since the Unix epoch (journal time) */
  char *vote_id;

  /* SESSION */
  RcSessionInfo *session;
  RcChamberInfo *chamber;
  RcRoster *roster;
  /* VOTE_SCHEDULED */
  RcVoteInfo *vote;
  /* BALLOT, VOTE_CORRECTED: one member; VOTE_LOCKED may reveal many */
  char *member;
  RcChoice choice;
  GArray *ballots; /* of RcBallot, or NULL */
  /* VOTE_ANNOUNCED */
  gboolean has_official;
  RcTally official;
  /* the outcome the record states, for a vote whose rule is unknown; else
   * RC_OUTCOME_PENDING (none) */
  RcOutcome stated_outcome;
  /* ON_AIR */
  RcOnAir on_air;
  /* CORRECTED, CANCELLED: the note; ON_AIR holding: the line the operator typed for
   * the holding slide (NULL: none) */
  char *note;

  /*< private >*/
  gint ref_count;
} RcEvent;

RcEvent *rc_event_ref (RcEvent *event);
void rc_event_unref (RcEvent *event);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcEvent, rc_event_unref)

const char *rc_event_type_to_string (RcEventType type);
gboolean rc_event_type_from_string (const char *text, RcEventType *out);
const char *rc_on_air_to_string (RcOnAir on_air);
gboolean rc_on_air_from_string (const char *text, RcOnAir *out);

/* Constructors copy their arguments. seq is set by whoever journals the event. */
RcEvent *rc_event_new_session (gint64 time, const RcSessionInfo *session,
                               const RcChamberInfo *chamber, RcRoster *roster);
RcEvent *rc_event_new_vote_scheduled (gint64 time, const RcVoteInfo *vote);
RcEvent *rc_event_new_vote_opened (gint64 time, const char *vote_id);
RcEvent *rc_event_new_ballot (gint64 time, const char *vote_id, const char *member,
                              RcChoice choice);
/* ballots may be NULL */
RcEvent *rc_event_new_vote_locked (gint64 time, const char *vote_id, const GArray *ballots);
/* official may be NULL */
RcEvent *rc_event_new_vote_announced (gint64 time, const char *vote_id,
                                      const RcTally *official);
RcEvent *rc_event_new_vote_corrected (gint64 time, const char *vote_id, const char *member,
                                      RcChoice choice, const char *note);
RcEvent *rc_event_new_vote_cancelled (gint64 time, const char *vote_id, const char *note);
RcEvent *rc_event_new_on_air (gint64 time, RcOnAir on_air, const char *vote_id);
/* The holding slide, with a line of text (NULL or "": none). */
RcEvent *rc_event_new_on_air_holding (gint64 time, const char *text);
RcEvent *rc_event_new_heartbeat (gint64 time);

/* A copy with another sequence number (events are immutable once shared). */
RcEvent *rc_event_with_seq (const RcEvent *event, gint64 seq);

G_END_DECLS
