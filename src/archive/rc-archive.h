/* rc-archive.h — the archive: one SQLite file (WAL) of sessions and their journals.
 *
 * A session's journal is the sequence of RcEvents that made it, each committed
 * before it is published. Schema and invariants: docs/archive.md. */
#pragma once

#include <glib-object.h>

#include "model/rc-event.h"
#include "model/rc-session.h"

G_BEGIN_DECLS

/* "RCLL": tells our files from any other SQLite database (PRAGMA application_id). */
#define RC_ARCHIVE_APPLICATION_ID 0x52434C4C

/* A session's checkpoint (its state beside its journal, docs/archive.md) is renewed
 * when at least this many events have been appended since the last one, and payload
 * bytes of at least 1/RC_ARCHIVE_CHECKPOINT_RATIO of its size: loading folds at most
 * about that many events, and checkpoints add a bounded share to what is written. */
#define RC_ARCHIVE_CHECKPOINT_EVENTS 256
#define RC_ARCHIVE_CHECKPOINT_RATIO 4

#define RC_TYPE_ARCHIVE (rc_archive_get_type ())
G_DECLARE_FINAL_TYPE (RcArchive, rc_archive, RC, ARCHIVE, GObject)

typedef enum {
  RC_ARCHIVE_READ_ONLY = 0,
  RC_ARCHIVE_READ_WRITE = 1 << 0,
  RC_ARCHIVE_CREATE = 1 << 1, /* create the file (and schema) if missing */
} RcArchiveFlags;

RcArchive *rc_archive_open (const char *path, RcArchiveFlags flags, GError **error);

typedef struct {
  char *id;
  char *meeting;
  char *date;
  char *title;
  char *chamber_id;
  guint n_votes;
  gint64 n_events;
  gint64 first_time; /* µs since the epoch */
  gint64 last_time;
} RcArchiveSessionRow;

void rc_archive_session_row_free (RcArchiveSessionRow *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcArchiveSessionRow, rc_archive_session_row_free)

/* GPtrArray of RcArchiveSessionRow, in date order */
GPtrArray *rc_archive_list_sessions (RcArchive *self, GError **error);

/* Resolves a session selector (id, meeting symbol, or date) to a session id. With
 * selector NULL: the only session, or, with vote_selector given, the one session that
 * has such a vote. Errors: RC_ERROR_UNKNOWN_SESSION, RC_ERROR_AMBIGUOUS. */
char *rc_archive_resolve_session (RcArchive *self, const char *selector,
                                  const char *vote_selector, GError **error);

/* The one rule of every tool that takes an archive and an optional --session and
 * --vote: as rc_archive_resolve_session(), except that with neither selector an
 * archive of several sessions gives the latest (the last of rc_archive_list_sessions),
 * and *note (NULL on entry) a one-line sentence saying so, for the user. */
char *rc_archive_choose_session (RcArchive *self, const char *selector, const char *vote_selector,
                                 char **note, GError **error);

/* The session's events in sequence order: GPtrArray of RcEvent (owned). Refused
 * (RC_ERROR_ARCHIVE) when the journal is not what Rollcall writes: a gap, a payload
 * the codec refuses or whose seq differs from its row, a first event that is not this
 * session's own session event. */
GPtrArray *rc_archive_load_events (RcArchive *self, const char *session_id, GError **error);

/* The session's events with after < seq <= last (G_MAXINT64: to the end), in order, read
 * by the journal's index and checked as rc_archive_load_events() checks them; a range
 * that runs past the journal's end, or has a gap, is refused (RC_ERROR_ARCHIVE). */
/* The part of a damaged journal that can still be read: the events before its first
 * bad row (a payload that is not an event, a gap, a seq at odds with its row), with
 * *broken saying where and why; the whole journal, *broken unset, when nothing is
 * wrong. NULL with error only when the journal cannot be read at all. What the state
 * machine makes of those events is the caller's to check (rc_session_fold stops at the
 * first event it refuses). */
GPtrArray *rc_archive_load_events_partial (RcArchive *self, const char *session_id, GError **broken,
                                           GError **error);
GPtrArray *rc_archive_load_events_range (RcArchive *self, const char *session_id, gint64 after,
                                         gint64 last, GError **error);

/* A vote of the archive, with its session and its result. */
typedef struct {
  char *session_id;
  char *date;
  char *meeting;
  char *chamber_id;
  char *session_title;
  char *vote_id;
  guint position; /* 1-based, in its session */
  char *symbol;
  char *draft;
  char *title;
  gboolean known; /* the result below is known (FALSE: its journal cannot be folded) */
  char *problem;  /* then why, in one line */
  RcVoteState state;
  RcMajority majority;
  RcTally tally; /* yes, no, abstain, not_voting */
  RcOutcome outcome;
  RcReason reason;
} RcArchiveVoteRow;

void rc_archive_vote_row_free (RcArchiveVoteRow *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcArchiveVoteRow, rc_archive_vote_row_free)

/* Every vote, by date, session and position, with its result — kept beside the
 * journal by imports, else folded (docs/archive.md, "The index of votes"). */
GPtrArray *rc_archive_list_votes (RcArchive *self, GError **error);
/* The votes the query finds: every word of it (case aside) in the vote's symbol,
 * draft, title, date, meeting, session title, session id or chamber. "" finds all. */
GPtrArray *rc_archive_find_votes (RcArchive *self, const char *query, GError **error);
gboolean rc_archive_query_matches (const RcArchiveVoteRow *row, const char *query);
/* The same query for a session: every word in the session's fields or its votes'
 * (votes: rows of rc_archive_list_votes, any session's). */
gboolean rc_archive_query_matches_session (const RcArchiveSessionRow *session, GPtrArray *votes,
                                           const char *query);

/* The session's state after its whole journal — what folding every event with the state
 * machine gives — without reading the whole journal: from its checkpoint and the events
 * after it, which go to *tail (optional; all the events when there is no usable
 * checkpoint). A journal the state machine refuses is RC_ERROR_ARCHIVE naming the
 * event; an unknown session RC_ERROR_UNKNOWN_SESSION. */
RcSession *rc_archive_load_state (RcArchive *self, const char *session_id, GPtrArray **tail,
                                  GError **error);

/* Appends one event to the session's journal (its first event must be SESSION, which
 * creates the session). Refused, with nothing written: a seq other than the session's
 * last seq + 1 or a time before its last event's (RC_ERROR_SEQUENCE), a heartbeat
 * (never journalled), anything the session state machine refuses after the journal
 * so far (its RcError: unknown member or vote, a ballot after the lock, …), and what
 * the codec could not read back. The row is committed when this returns TRUE. */
gboolean rc_archive_append (RcArchive *self, const char *session_id, const RcEvent *event,
                            GError **error);
/* Appends many in one transaction: all or nothing. */
gboolean rc_archive_append_all (RcArchive *self, const char *session_id, GPtrArray *events,
                                GError **error);
gint64 rc_archive_get_last_seq (RcArchive *self, const char *session_id, GError **error);
/* The session begun last (whose first event is the latest; NULL in *out_id when the
 * archive has none), found without reading the journals. */
gboolean rc_archive_get_latest_session (RcArchive *self, char **out_id, GError **error);

/* Checkpoints every `events` events exactly (0: none, as an archive written before
 * checkpoints existed), instead of RC_ARCHIVE_CHECKPOINT_EVENTS and its share of size.
 * For tests and benchmarks; ROLLCALL_ARCHIVE_TEST_CHECKPOINT_EVERY=N in the environment
 * does the same for every archive a process opens. */
void rc_archive_set_checkpoint_every (RcArchive *self, guint events);

/* The path the archive was opened with, for messages. */
const char *rc_archive_get_path (RcArchive *self);
/* Sets *out_has; FALSE only when the archive cannot be read. */
gboolean rc_archive_has_session (RcArchive *self, const char *session_id, gboolean *out_has,
                                 GError **error);
/* Writes whole sessions (GPtrArray of GPtrArray of RcEvent, each starting with its
 * SESSION event) in one transaction: all or nothing. A session already in the archive
 * is refused (RC_ERROR_FAILED naming it), or with replace deleted first. This is what
 * an import does. */
gboolean rc_archive_write_sessions (RcArchive *self, GPtrArray *journals, gboolean replace,
                                    GError **error);
/* The same, for journals made one at a time (an import of a whole history): next
 * returns the next session's journal (transfer full), or NULL at the end (error
 * unset) or on a refusal, which abandons the whole import. Memory: one journal. */
typedef GPtrArray *(*RcArchiveJournalSource) (gpointer data, GError **error);
gboolean rc_archive_write_sessions_from (RcArchive *self, RcArchiveJournalSource next,
                                         gpointer data, gboolean replace, GError **error);

G_END_DECLS
