/* rc-feed-server-private.h — what the feed server (rc-feed-server.c) shares with its
 * subscribers (rc-feed-subscriber.c) and their two transports (rc-feed-server-ws.c:
 * WebSocket; rc-feed-server-sse.c: Server-Sent Events).
 *
 * A message is encoded once, in both wire forms, and the same bytes are queued for
 * every client (RcFeedOut). Each client (RcFeedSubscriber) counts what it was given
 * and has not yet written to its socket — its backlog — and is dropped when that
 * passes the protocol's limits, so one slow client costs at most its backlog and
 * never holds up the others. */
#pragma once

#include "rc-feed-listener.h"
#include "rc-feed-log.h"
#include "rc-feed-server.h"
#include "codec/rc-message.h"

G_BEGIN_DECLS

/* ---------------------------------------------------------------- messages */

typedef struct {
  gint ref_count;
  RcMessageKind kind;
  GBytes *json; /* the JSON text: one WebSocket text frame */
  GBytes *sse;  /* the same as one SSE block (or two, for a snapshot) */
} RcFeedOut;

RcFeedOut *rc_feed_out_new_event (const RcEvent *event, const char *stream);
RcFeedOut *rc_feed_out_new_snapshot (const RcSnapshot *snapshot, const char *stream);
/* A heartbeat stamped with the wall clock now. */
RcFeedOut *rc_feed_out_new_heartbeat (const char *stream, gint64 last_seq);
RcFeedOut *rc_feed_out_ref (RcFeedOut *out);
void rc_feed_out_unref (RcFeedOut *out);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcFeedOut, rc_feed_out_unref)

/* ---------------------------------------------------------------- subscribers */

typedef enum {
  RC_FEED_SUBSCRIBER_WS,
  RC_FEED_SUBSCRIBER_SSE,
} RcFeedSubscriberKind;

typedef struct {
  gint ref_count;
  RcFeedSubscriberKind kind;
  RcFeedServer *server; /* not a reference; NULL once the server let go */
  char *peer;           /* "127.0.0.1:40312 (WebSocket)", for the log */
  GSocket *socket;
  gint64 last_sent; /* monotonic µs when a message was last queued */
  guint backlog_messages;
  gsize backlog_bytes;
  gboolean closed; /* nothing more is sent */
  gboolean corked; /* TCP_CORK set */

  /* Messages not yet given to libsoup (GBytes, the same for every client). WebSocket:
   * they wait while the socket cannot take more, so that libsoup's own queue never
   * holds more than one burst. SSE: they wait while libsoup holds a chunk (below). */
  GQueue queue;

  /* WebSocket */
  SoupWebsocketConnection *ws;
  GSource *writable;
  gsize unchecked;     /* bytes handed to libsoup since the socket last said it had room */
  gint64 last_pong;    /* monotonic µs */
  guint ping_interval; /* s; 0: not pinged, never closed for silence */
  gboolean closing;    /* holds a reference on itself until libsoup says "closed" */

  /* SSE: the response gets one chunk at a time: the messages that came while libsoup
   * was writing the one before go together in the next, so that a client behind
   * takes several in one write ("wrote-chunk" says the chunk has gone). */
  SoupServerMessage *msg;
  gboolean chunk_out; /* libsoup holds a chunk */
  guint chunk_messages;
  gsize chunk_bytes;
  /* libsoup reads nothing of a client while it streams to it: this watch notices
   * when the client leaves (or sends what an SSE client does not), at once rather than
   * at the next write. */
  GSource *hangup;
} RcFeedSubscriber;

RcFeedSubscriber *rc_feed_subscriber_new (RcFeedSubscriberKind kind, RcFeedServer *server,
                                          SoupServerMessage *msg);
RcFeedSubscriber *rc_feed_subscriber_ref (RcFeedSubscriber *sub);
void rc_feed_subscriber_unref (RcFeedSubscriber *sub);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcFeedSubscriber, rc_feed_subscriber_unref)

/* Queues out, or drops the client when its backlog would pass the limits. now:
 * g_get_monotonic_time(), read once for all the clients of a message. */
void rc_feed_subscriber_send (RcFeedSubscriber *sub, RcFeedOut *out, gint64 now);
/* Called by a transport when queued messages were written to the socket. */
void rc_feed_subscriber_written (RcFeedSubscriber *sub, guint messages, gsize bytes);
/* End the subscription from the server's side (each logs why, in one line). */
void rc_feed_subscriber_drop_slow (RcFeedSubscriber *sub);
/* The client left (SSE: it closed its side); why: a few words for the debug log. */
void rc_feed_subscriber_left (RcFeedSubscriber *sub, const char *why);
/* At shutdown: what is queued is still sent, then the end. */
void rc_feed_subscriber_close_going_away (RcFeedSubscriber *sub);
/* At the end of a shutdown, a client that has not taken its end: its socket is shut,
 * so that libsoup's next read or write fails and lets go of the connection. */
void rc_feed_subscriber_cut (RcFeedSubscriber *sub);
/* A WebSocket client that sent data (close 1003); reason is one line. */
void rc_feed_subscriber_close_refused (RcFeedSubscriber *sub, const char *reason);
/* A WebSocket client that stopped answering pings. */
void rc_feed_subscriber_close_silent (RcFeedSubscriber *sub);
/* Called by a transport when the connection has ended, whoever ended it. */
void rc_feed_subscriber_ended (RcFeedSubscriber *sub);

/* Gives the transport what waits in the queue, as much as it takes now. The server
 * calls it for every client once the events of the moment are queued
 * (rc_feed_server_want_flush), so that a client behind takes several at once. */
void rc_feed_subscriber_flush (RcFeedSubscriber *sub);
/* Holds back (or lets go) the socket's partial segments while several writes go, so
 * that they leave as one (TCP_CORK). */
void rc_feed_subscriber_cork (RcFeedSubscriber *sub, gboolean cork);

/* The transports' halves of the above. */
void rc_feed_ws_flush (RcFeedSubscriber *sub);
/* deliver: what is queued goes before the close frame; else it is dropped */
void rc_feed_ws_close (RcFeedSubscriber *sub, gushort code, const char *reason, gboolean deliver);
void rc_feed_ws_clear (RcFeedSubscriber *sub);
void rc_feed_sse_flush (RcFeedSubscriber *sub);
/* abort: also shut the socket, for a client that does not read what is queued */
void rc_feed_sse_end (RcFeedSubscriber *sub, gboolean abort);
void rc_feed_sse_clear (RcFeedSubscriber *sub);

/* ---------------------------------------------------------------- the server */

/* Registers the handlers of /v1/feed and /v1/events. */
void rc_feed_server_ws_register (RcFeedServer *self, SoupServer *soup);
void rc_feed_server_sse_register (RcFeedServer *self, SoupServer *soup);

/* Whether another client may subscribe; if not, refuses msg (503) and logs it. */
gboolean rc_feed_server_admit (RcFeedServer *self, SoupServerMessage *msg);
/* Starts a client's subscription (docs/feed-protocol.md §4): a snapshot or the
 * events it missed, then everything published. last_event_id may be NULL. */
void rc_feed_server_subscribe (RcFeedServer *self, RcFeedSubscriber *sub,
                               const char *last_event_id);
/* Messages were queued for a client at `now` (monotonic µs): every client's queue is
 * flushed once the server has nothing more urgent to do (the control API's requests,
 * new connections), or within RC_FEED_FLUSH_WAIT_MS whatever it has to do. */
void rc_feed_server_want_flush (RcFeedServer *self, gint64 now);
/* Forgets a client whose connection has ended. */
void rc_feed_server_unsubscribe (RcFeedServer *self, RcFeedSubscriber *sub);

/* WebSocket liveness (docs/feed-protocol.md §4): pings every this many seconds (0:
 * none, and no client is closed for silence). */
guint rc_feed_server_get_ping_interval (RcFeedServer *self);

/* Refuses a request: status, a JSON error body {"v":1,"error":{"code","message"}}
 * and one log line naming the peer. */
void rc_feed_server_refuse (SoupServerMessage *msg, guint status, const char *code,
                            const char *format, ...) G_GNUC_PRINTF (4, 5);
/* "ADDRESS:PORT" of the client, for the log. */
char *rc_feed_server_peer (SoupServerMessage *msg);
/* The request's path is exactly `path` (a handler also sees the paths below it). */
gboolean rc_feed_server_check_path (SoupServerMessage *msg, const char *path);

/* The server's listening sockets and connections (rc-feed-listener.h). */
RcFeedListener *rc_feed_server_get_listener (RcFeedServer *self);

G_END_DECLS
