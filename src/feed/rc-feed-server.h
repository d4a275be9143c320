/* rc-feed-server.h — serves a hub's stream over HTTP: WebSocket (GET /v1/feed), SSE
 * (GET /v1/events), GET /v1/snapshot, GET /v1/health (docs/feed-protocol.md).
 *
 * Fan-out to any number of clients, each with a bounded backlog: a client that falls
 * too far behind is dropped (it resumes like any other), never allowed to stall the
 * others or grow memory without bound. Heartbeats every 2 s. The control API
 * (rc-feed-control.h) registers its handlers on the same SoupServer. */
#pragma once

#include <libsoup/soup.h>

#include "rc-feed-hub.h"

G_BEGIN_DECLS

#define RC_FEED_HEARTBEAT_INTERVAL_MS 2000
#define RC_FEED_BACKLOG_MESSAGES 4096
#define RC_FEED_BACKLOG_BYTES (4 * 1024 * 1024)
#define RC_FEED_MAX_CLIENTS_DEFAULT 4096
/* Connections the kernel completes and holds for the server until it accepts them
 * (GLib's default is 10): a hall's boards reconnect all at once after a restart, and
 * those beyond the backlog would wait for their SYN to be sent again (1 s, 3 s, 7 s…).
 * Linux caps it at net.core.somaxconn (4096 since 5.4). */
#define RC_FEED_LISTEN_BACKLOG 4096
/* At shutdown, how long clients get to take what was queued for them and the end of
 * their subscription before their connections are cut anyway. */
#define RC_FEED_SHUTDOWN_GRACE_MS 2000
/* A connection must give a whole request within this (its TLS handshake included)
 * or it is shut. Divided like the protocol's intervals in tests (rc-feed-timing.h). */
#define RC_FEED_REQUEST_TIMEOUT_MS 10000
/* The largest WebSocket frame a client may announce (a board sends only control
 * frames, of 125 bytes at most); see also RC_FEED_GATE_WS_BURST. */
#define RC_FEED_WS_MAX_FRAME 4096

#define RC_TYPE_FEED_SERVER (rc_feed_server_get_type ())
G_DECLARE_FINAL_TYPE (RcFeedServer, rc_feed_server, RC, FEED_SERVER, GObject)

/* tls: a certificate with its key for https/wss, or NULL */
RcFeedServer *rc_feed_server_new (RcFeedHub *hub, GTlsCertificate *tls, GError **error);
/* Listens on address (NULL: loopback, 127.0.0.1 and ::1 when there is IPv6) and port
 * (0: any free one), with a backlog of RC_FEED_LISTEN_BACKLOG. */
gboolean rc_feed_server_listen (RcFeedServer *self, const char *address, guint port,
                                GError **error);
/* The port it listens on (after listen), and its base URL as bound
 * ("http://127.0.0.1:8080"; "http://0.0.0.0:8080" when it listens on every address). */
guint rc_feed_server_get_port (RcFeedServer *self);
char *rc_feed_server_get_url (RcFeedServer *self);
/* The sockets it listens on (borrowed, GSocket). */
GPtrArray *rc_feed_server_get_sockets (RcFeedServer *self);
/* Connections open now: subscribers, requests, TLS handshakes. */
guint rc_feed_server_get_n_connections (RcFeedServer *self);
SoupServer *rc_feed_server_get_soup_server (RcFeedServer *self);
RcFeedHub *rc_feed_server_get_hub (RcFeedServer *self);
/* The body of GET /v1/health now: {"v":1,"stream":…,"seq":N,"clients":N}. */
char *rc_feed_server_health_json (RcFeedServer *self);
guint rc_feed_server_get_n_clients (RcFeedServer *self);
/* What the clients were given and their sockets have not yet taken, in bytes: the
 * memory their backlogs hold (at most RC_FEED_BACKLOG_BYTES each). */
gsize rc_feed_server_get_backlog_bytes (RcFeedServer *self);
void rc_feed_server_set_max_clients (RcFeedServer *self, guint max_clients);
/* WebSocket pings every `seconds` (default 10, scaled by ROLLCALL_FEED_TEST_TIMING);
 * a client that answers none for two intervals and 30 s is closed. 0: no pings, and
 * no client is closed for silence. Applies to clients that connect afterwards. */
void rc_feed_server_set_ping_interval (RcFeedServer *self, guint seconds);
/* Ends every subscription in order: each client is sent what was queued for it, then
 * its end (WebSocket close 1001 "going away"; SSE: the response ends). Returns at
 * once; once every client has taken its end, or after RC_FEED_SHUTDOWN_GRACE_MS, the
 * connections left are cut and the server stops listening (rc_feed_server_is_closed).
 * Disposing the server meanwhile cuts them at once. */
void rc_feed_server_shutdown (RcFeedServer *self);
gboolean rc_feed_server_is_closed (RcFeedServer *self);

G_END_DECLS
