/* rc-feed-client.h — a board's subscription to a feed (ws:// wss:// http:// https://).
 *
 * Connects over WebSocket (ws, wss) or SSE (http, https), applies the snapshot and the
 * events to its session, resumes with the last event id it applied after any drop,
 * reconnects with capped exponential back-off and full jitter, and says when it can no
 * longer vouch for what it shows (stale: nothing heard for 6 s). A malformed or
 * impossible message is refused with a logged reason, changes nothing, and makes the
 * client resynchronise. TLS certificates are verified (against the system's CAs, or a
 * chamber's own CA file). docs/feed-protocol.md is the contract. */
#pragma once

#include <gio/gio.h>

#include "model/rc-session.h"

G_BEGIN_DECLS

typedef enum {
  RC_FEED_CLIENT_CONNECTING = 0, /* never had the state yet */
  RC_FEED_CLIENT_LIVE,           /* synchronised and hearing from the server */
  RC_FEED_CLIENT_STALE,          /* connected but silent too long: cannot vouch */
  RC_FEED_CLIENT_RECONNECTING,   /* lost; retrying after a back-off */
} RcFeedClientState;

GType rc_feed_client_state_get_type (void);
#define RC_TYPE_FEED_CLIENT_STATE (rc_feed_client_state_get_type ())

#define RC_FEED_STALE_AFTER_MS 6000
#define RC_FEED_BACKOFF_BASE_MS 500
#define RC_FEED_BACKOFF_CAP_MS 30000

#define RC_TYPE_FEED_CLIENT (rc_feed_client_get_type ())
G_DECLARE_FINAL_TYPE (RcFeedClient, rc_feed_client, RC, FEED_CLIENT, GObject)

/* url: ws:// wss:// (WebSocket /v1/feed) or http:// https:// (SSE /v1/events); a
 * bare base URL gets the path added. Refuses another scheme with a one-line reason. */
RcFeedClient *rc_feed_client_new (const char *url, GError **error);
/* A CA certificate file (PEM) to trust instead of the system's; before start. */
gboolean rc_feed_client_set_ca_file (RcFeedClient *self, const char *path, GError **error);
/* Messages received and not yet applied, at most (default
 * RC_FEED_CLIENT_BACKLOG_DEFAULT), and their bytes (RC_FEED_CLIENT_BACKLOG_BYTES): at
 * either, the client reads nothing more until it has applied half of them. A server
 * that sends faster than the board applies fills its own buffers, not the board's
 * memory, and does not starve the board's frames. */
#define RC_FEED_CLIENT_BACKLOG_DEFAULT 5000
#define RC_FEED_CLIENT_BACKLOG_BYTES (8 * 1024 * 1024)
void rc_feed_client_set_backlog_limit (RcFeedClient *self, guint messages);
void rc_feed_client_start (RcFeedClient *self);
void rc_feed_client_stop (RcFeedClient *self);

RcFeedClientState rc_feed_client_get_state (RcFeedClient *self);
/* The session being shown; replaced by a new one when a snapshot arrives
 * ("notify::session"). Never NULL. */
RcSession *rc_feed_client_get_session (RcFeedClient *self);
/* "STREAM:SEQ" of the last event applied, or NULL */
const char *rc_feed_client_get_last_event_id (RcFeedClient *self);
/* One line for operators: "Live · 127.0.0.1:8080", "Reconnecting in 4 s — connection
 * refused", "Stale · reconnecting in 1 s — nothing heard for 6 s", … */
const char *rc_feed_client_get_status (RcFeedClient *self);

/* Properties: "state", "session", "status" (notify on change).
 * Signals: "message-refused" (const char *reason)  — also logged */

G_END_DECLS
