/* rc-feed-gate.h — the stream a feed server's connection is read through: libsoup
 * reads the client's bytes only through its gate.
 *
 * The gate checks a request's head before libsoup parses it (rc-feed-http-head.h)
 * and answers a bad one itself, in the protocol's form; it counts the body against
 * the server's limit; it can answer a request at once, while its body is still
 * coming, and then drop the rest of the body for a moment (so that the client reads
 * the answer) instead of reading it all first; and once a WebSocket is open it holds
 * the client to what a board sends — pongs and a close — with a budget of bytes, so
 * that a stream of continuation frames or an endless message cannot grow memory.
 *
 * Closing the gate closes its base stream (the socket, or the TLS connection over
 * it) without waiting for the peer; "closed" tells whoever counts connections. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Once upgraded to a WebSocket, what the client may send: this many bytes at once,
 * then this many a second (a board sends a pong every few seconds, and its close). */
#define RC_FEED_GATE_WS_BURST (16 * 1024)
#define RC_FEED_GATE_WS_RATE 1024
/* After an answer given before the request was read whole, how long and how much of
 * the rest is read and dropped, so that the client sees the answer rather than a
 * reset, before the connection is cut. */
#define RC_FEED_GATE_DRAIN_MS 1000
#define RC_FEED_GATE_DRAIN_BYTES (256 * 1024)

#define RC_TYPE_FEED_GATE (rc_feed_gate_get_type ())
G_DECLARE_FINAL_TYPE (RcFeedGate, rc_feed_gate, RC, FEED_GATE, GIOStream)

/* A gate over base (a GSocketConnection, or a GTlsConnection over one); socket is
 * base's socket, shut when a refused connection must end. */
RcFeedGate *rc_feed_gate_new (GIOStream *base, GSocket *socket);

/* The request's head was let through and its body has not yet been read whole. */
gboolean rc_feed_gate_body_pending (RcFeedGate *self);
/* Answers the request now with status and body (JSON), without reading what is left
 * of its body: written as is, then the connection ends (see above). headers: more
 * header lines, each ending in "\r\n", or NULL. Returns FALSE if an answer was
 * already given. */
gboolean rc_feed_gate_answer_now (RcFeedGate *self, guint status, const char *reason_phrase,
                                  const char *headers, const char *json);
/* libsoup has read the whole request (its body too, chunked or not). */
void rc_feed_gate_set_request_read (RcFeedGate *self);
/* The connection is a WebSocket now: the client is held to the budget above. */
void rc_feed_gate_set_upgraded (RcFeedGate *self);
gboolean rc_feed_gate_is_closed (RcFeedGate *self);

/* Signals:
 *   "refused" (guint status, const char *code, const char *reason)
 *       the gate refused the connection's request itself, or a WebSocket client
 *       went over its budget (status 0); the reason is one line
 *   "closed" ()  the gate was closed (or finalized unclosed) */

G_END_DECLS
