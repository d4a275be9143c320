/* rc-feed-listener.h — a feed server's listening sockets and every connection it
 * takes, before and while libsoup serves it.
 *
 * libsoup 3.2.3's own listener stops accepting for good after one failed accept()
 * (out of descriptors), runs every TLS handshake in a worker thread that waits for
 * the client for as long as it likes, and never lets go of a kept-alive connection
 * that its client closed. So the server accepts here instead: it keeps accepting
 * whatever accept() says, and when the descriptors run short it refuses new
 * connections with a 503 and says so in its log; a TLS handshake starts only once the
 * client's hello has arrived (a silent client costs no thread), and must end within a
 * deadline; each connection then serves one request (Connection: close) through a
 * gate (rc-feed-gate.h) and is handed to libsoup with soup_server_accept_iostream().
 * The deadlines of a connection — its first whole request, its answer taken — are
 * kept here (docs/feed-protocol.md §8, docs/security.md). */
#pragma once

#include <libsoup/soup.h>

#include "rc-feed-gate.h"

G_BEGIN_DECLS

/* Connections beyond the subscribers that may be open at once (requests being read
 * or answered, handshakes); fewer if the descriptors allow fewer. */
#define RC_FEED_CONNECTIONS_SPARE 1024
/* Descriptors kept free for the server's own use (its journal, its loop). */
#define RC_FEED_DESCRIPTORS_SPARE 16
/* A TLS handshake, once the client's whole hello has come, must end within this,
 * waiting for a place included (its work is one round trip of the client's). Before
 * its hello a client has RC_FEED_REQUEST_TIMEOUT_MS. */
#define RC_FEED_TLS_HANDSHAKE_MS 2000
/* At most this many TLS handshakes run at once (each holds one of GLib's worker
 * threads, of which there are ten at first), and at most half of them of one address;
 * the others wait for a place, the newest of the address with the fewest first. A
 * handshake whose client has not answered the server's part for the grace time has
 * stalled (a client answers within a round trip), and is cut when a waiting handshake
 * needs its place, the longest silent first. */
#define RC_FEED_TLS_HANDSHAKES_MAX 8
#define RC_FEED_TLS_HANDSHAKES_PER_ADDRESS 4
#define RC_FEED_TLS_HANDSHAKE_GRACE_MS 250
/* Once three quarters of the connections allowed are open, a connection must give a
 * whole request within this, not RC_FEED_REQUEST_TIMEOUT_MS. */
#define RC_FEED_REQUEST_TIMEOUT_PRESSED_MS 1000
/* An answer (not a subscription) must be taken by the client within this. */
#define RC_FEED_ANSWER_TIMEOUT_MS 30000
/* A connection whose peer acknowledges nothing for this long is dropped by the
 * kernel (TCP_USER_TIMEOUT): a board that vanished without closing. */
#define RC_FEED_TCP_USER_TIMEOUT_MS 30000

typedef struct _RcFeedListener RcFeedListener;

/* Connections are handed to soup; tls: the certificate for https/wss, or NULL. */
RcFeedListener *rc_feed_listener_new (SoupServer *soup, GTlsCertificate *tls);
void rc_feed_listener_free (RcFeedListener *self);

/* Listens on address (NULL: 127.0.0.1 and ::1 when there is IPv6) and port (0: any
 * free one), with a backlog of RC_FEED_LISTEN_BACKLOG. */
gboolean rc_feed_listener_listen (RcFeedListener *self, const char *address, guint port,
                                  GError **error);
/* The sockets it listens on (borrowed; empty before listen). */
GPtrArray *rc_feed_listener_get_sockets (RcFeedListener *self);
/* The port (0 before listen) and "http://ADDRESS:PORT" of the first socket, IPv4
 * first, as bound ("http://0.0.0.0:8080" for every interface); NULL before listen. */
guint rc_feed_listener_get_port (RcFeedListener *self);
char *rc_feed_listener_get_url (RcFeedListener *self);

/* Subscribers the server takes (the connections allowed are these and the spare). */
void rc_feed_listener_set_max_clients (RcFeedListener *self, guint max_clients);
/* Connections open now (handshakes included), and how many may be. */
guint rc_feed_listener_get_n_connections (RcFeedListener *self);
guint rc_feed_listener_get_max_connections (RcFeedListener *self);

/* The socket and the gate of the connection msg came on (NULL if it did not come
 * through a listener). */
GSocket *rc_feed_message_get_socket (SoupServerMessage *msg);
RcFeedGate *rc_feed_message_get_gate (SoupServerMessage *msg);
/* msg's connection now carries a subscription: no deadline for its answer. */
void rc_feed_message_set_subscribed (SoupServerMessage *msg);
/* The answer set on msg (status, headers, body) is also written at once when the
 * request's body is still coming, so that the client is not read to its end first
 * (rc-feed-gate.h); otherwise libsoup writes it as usual. */
void rc_feed_message_answer_early (SoupServerMessage *msg);

/* The deadlines: shuts what has gone past its own; lets go of what has closed. */
void rc_feed_listener_tick (RcFeedListener *self, gint64 now);
/* At the end of a shutdown: stops listening and shuts every connection (a TLS
 * handshake ends at once); they are then libsoup's to close. */
void rc_feed_listener_close (RcFeedListener *self);

/* Raises this process's soft limit on open descriptors to its hard limit (a server
 * of many clients); returns the limit now. */
guint rc_feed_raise_descriptor_limit (void);

G_END_DECLS
