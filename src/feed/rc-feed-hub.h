/* rc-feed-hub.h — one stream of a feed: its session, its journal, its subscribers.
 *
 * Every source (the live control API, a replay, an operator's on-air switch) publishes
 * through the hub: it numbers the event (seq = last + 1; time never earlier than the
 * last), checks it with the session state machine, commits it to its journal when it
 * has one, applies it, and only then hands it to the subscribers. The transports
 * (rc-feed-server.c: WebSocket, SSE) are subscribers; so is the in-process board of
 * `./run`. docs/feed-protocol.md is the contract. */
#pragma once

#include <glib-object.h>

#include "archive/rc-archive.h"
#include "model/rc-session.h"
#include "model/rc-snapshot.h"

G_BEGIN_DECLS

/* How many of the newest events a hub keeps in memory for clients that resume
 * (docs/feed-protocol.md §8): at ~0.5 KB an event, about 5 MB. A client further
 * behind gets a snapshot; the journal, not memory, keeps the whole stream. */
#define RC_FEED_HUB_HISTORY_DEFAULT 10000

#define RC_TYPE_FEED_HUB (rc_feed_hub_get_type ())
G_DECLARE_FINAL_TYPE (RcFeedHub, rc_feed_hub, RC, FEED_HUB, GObject)

/* A hub for stream `stream`. With a journal (an archive open read-write) and a
 * session_id, the session's state is loaded from the journal (from its checkpoint and
 * the events after it, not the whole journal) and the stream goes on from its last seq
 * (a restart after a crash); without, the stream lives in memory.
 * (A journal without a session_id journals under the id of the first session event
 * published. The stream id must hold no ':' — RC_ERROR_BAD_ARGUMENT.) */
RcFeedHub *rc_feed_hub_new (const char *stream, RcArchive *journal, const char *session_id,
                            GError **error);
/* The same, keeping the newest `history` events for resuming (RC_FEED_HUB_HISTORY_DEFAULT
 * for rc_feed_hub_new()). A hub restarted on a journal holds only the events after the
 * checkpoint in memory at first; older ones within that bound are read back from the
 * journal when a client resumes from there. */
RcFeedHub *rc_feed_hub_new_full (const char *stream, RcArchive *journal, const char *session_id,
                                 guint history, GError **error);

const char *rc_feed_hub_get_stream (RcFeedHub *self);
RcSession *rc_feed_hub_get_session (RcFeedHub *self);
gint64 rc_feed_hub_get_last_seq (RcFeedHub *self);

/* Numbers, checks, journals, applies and publishes one event (its seq is ignored; its
 * time is raised to the last event's if earlier; time 0 means "now"). Returns the
 * event as published, or NULL with an RcError, and then nothing changed. */
RcEvent *rc_feed_hub_publish (RcFeedHub *self, const RcEvent *event, GError **error);

/* The published events after seq, in order (a new array of references), or NULL when
 * the stream cannot resume from there: seq greater than the last, or older than the
 * history kept (the client then needs a snapshot). With a journal, events within the
 * history's bound but no longer in memory (after a restart) are read back from it. */
GPtrArray *rc_feed_hub_events_since (RcFeedHub *self, gint64 seq);
/* The bound on the events kept for resuming, and how many are in memory now (at most
 * the bound: the newest). Lowering the bound lets go of the oldest at once. */
void rc_feed_hub_set_history (RcFeedHub *self, guint history);
guint rc_feed_hub_get_history (RcFeedHub *self);
guint rc_feed_hub_get_n_kept (RcFeedHub *self);
RcSnapshot *rc_feed_hub_snapshot (RcFeedHub *self);

/* Starts a new, empty stream (a replay looping, a new meeting): subscribers receive
 * "restarted" and must resynchronise (the server sends each a snapshot). With a
 * journal, session_id names the new session's journal (a session not in it yet; NULL:
 * the id of the next session event). */
void rc_feed_hub_restart (RcFeedHub *self, const char *stream, const char *session_id);

/* A restart whose new stream begins with `first` (a new meeting's session event):
 * the event is checked and committed before anything changes or anyone hears of it;
 * on refusal (NULL, an RcError) the old stream goes on as it was. */
RcEvent *rc_feed_hub_restart_with (RcFeedHub *self, const char *stream, const char *session_id,
                                   const RcEvent *first, GError **error);

/* Signals:
 *   "published" (const RcEvent *event)  after an event is committed and applied
 *   "restarted" ()                      a new stream began */

G_END_DECLS
