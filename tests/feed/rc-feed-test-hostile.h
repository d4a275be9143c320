/* rc-feed-test-hostile.h — a feed server played by an attacker, for the tests of the
 * board's client (RcFeedClient) and of its window.
 *
 * A TCP server on 127.0.0.1 whose every connection runs a script in a thread of its
 * own, with blocking writes: it can answer a WebSocket or SSE request properly or with
 * junk, send raw bytes, frames and SSE blocks as fast as the socket takes them (a
 * flood), one byte at a time (a drip), or nothing at all. The scripts run outside the
 * test's main loop, so a flood goes on whatever the client does; the test reads what
 * the peer counted (connections, bytes it managed to write). Nothing here is our code:
 * the frames and blocks are written by hand from RFC 6455 and the SSE specification. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _RcHostile RcHostile;
typedef struct _RcHostileConn RcHostileConn;

/* One connection's script, in the peer's thread. It returns when it is done; the
 * connection is then closed (rc_hostile_hold() keeps it open until the client goes). */
typedef void (*RcHostileScript) (RcHostileConn *conn, gpointer data);

/* Listens on 127.0.0.1, any port; reads each request's head (up to a blank line) before
 * the script runs. */
RcHostile *rc_hostile_new (RcHostileScript script, gpointer data);
/* receive_buffer > 0: every connection's socket receive buffer that small (bytes), so
 * that a client whose data the peer does not read is blocked soon. */
RcHostile *rc_hostile_new_full (RcHostileScript script, gpointer data, int receive_buffer);
/* Stops the scripts (every write, read and pause fails from then on), closes the
 * listener and waits for the scripts' threads to end. */
void rc_hostile_free (RcHostile *h);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcHostile, rc_hostile_free)

/* "ws://127.0.0.1:PORT" with scheme "ws" (or "http", "wss", "https"). */
char *rc_hostile_url (RcHostile *h, const char *scheme);
/* Connections accepted so far. */
guint rc_hostile_connections (RcHostile *h);
/* Bytes the scripts' writes handed to the kernel so far, over every connection. */
guint64 rc_hostile_bytes_sent (RcHostile *h);
/* The monotonic time (µs) connection i (0-based) was accepted. */
gint64 rc_hostile_connected_at (RcHostile *h, guint i);
/* Connection i's request head ("" until it has come whole). */
char *rc_hostile_request (RcHostile *h, guint i);

/* ---------------------------------------------------------------- in a script */

guint rc_hostile_conn_index (RcHostileConn *conn);
/* The request's head as received, and whether it asked for a WebSocket. */
const char *rc_hostile_conn_request (RcHostileConn *conn);
gboolean rc_hostile_conn_is_websocket (RcHostileConn *conn);

/* Each returns FALSE once the client has gone or the peer is stopping: the script then
 * ends. */
gboolean rc_hostile_send (RcHostileConn *conn, const void *data, gsize size);
gboolean rc_hostile_send_text (RcHostileConn *conn, const char *text);
/* Waits, watching for the client to go. */
gboolean rc_hostile_pause (RcHostileConn *conn, guint ms);
/* Waits until the client goes (what it sends is read and dropped). */
void rc_hostile_hold (RcHostileConn *conn);

/* A proper answer: a 101 with the Sec-WebSocket-Accept the key calls for and, unless
 * protocol is NULL, Sec-WebSocket-Protocol; or a 200 with the content type for SSE
 * (the body ends when the connection does). extra_headers: whole lines, or NULL. */
gboolean rc_hostile_accept_ws (RcHostileConn *conn, const char *protocol,
                               const char *extra_headers);
gboolean rc_hostile_accept_sse (RcHostileConn *conn, const char *content_type,
                                const char *extra_headers);
/* Whichever of the two the request asked for, done properly. */
gboolean rc_hostile_accept (RcHostileConn *conn);

/* A server's WebSocket frame (never masked): first is FIN and the opcode
 * (0x81 a whole text frame, 0x01 the first of several, 0x00 a continuation, 0x80 the
 * last one, 0x89 a ping). */
void rc_hostile_append_frame (GByteArray *out, guint8 first, const void *payload, gsize size);
/* One message as the connection's transport says it: a text frame, or a data: line
 * and a blank one. */
void rc_hostile_append_message (RcHostileConn *conn, GByteArray *out, const char *json);
gboolean rc_hostile_send_message (RcHostileConn *conn, const char *json);

G_END_DECLS
