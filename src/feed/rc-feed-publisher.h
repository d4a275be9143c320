/* rc-feed-publisher.h — the origin's side of an nginx + nchan edge (docs/deploy.md):
 * every message the feed serves, posted in order to the edge's publisher locations.
 *
 * `rollcall-feed --publish URL` makes one per edge. URL is the edge's publisher prefix
 * (http://edge:8090/publish/); three channels are posted to below it:
 *
 *   events    the stream as the origin serves it: a snapshot first, then every event,
 *             and a heartbeat whenever nothing was posted for 1.5 s (§5), each the
 *             same JSON text a WebSocket client gets, its type in X-EventSource-Event
 *             (nchan's SSE "event:" line);
 *   snapshot  the origin's newest snapshot (the edge's GET /v1/snapshot), at most
 *             every 250 ms while events come, and once they stop;
 *   health    the origin's GET /v1/health answer, with every heartbeat.
 *
 * One request at a time, in order. An edge that does not answer or refuses is tried
 * again with capped exponential back-off (0.25 s to 10 s, full jitter); what it missed
 * meanwhile is kept (up to RC_FEED_PUBLISHER_BACKLOG messages, else a snapshot replaces
 * it) and posted when it is back, unless its channel is gone (a restarted edge with the
 * memory store, a restarted Redis): then the channel starts again from a fresh
 * snapshot. A channel that went away between two posts is noticed by nchan's answer
 * (one message where there were more) and is started again the same way. The origin's
 * own start is a fresh snapshot too. Clients of protocol 1.1 take a snapshot anywhere
 * in the stream (docs/feed-protocol.md §4). */
#pragma once

#include "rc-feed-server.h"

G_BEGIN_DECLS

/* Messages kept for an edge that is away; beyond, the backlog is dropped and the edge
 * gets a snapshot when it is back. */
#define RC_FEED_PUBLISHER_BACKLOG 10000

#define RC_TYPE_FEED_PUBLISHER (rc_feed_publisher_get_type ())
G_DECLARE_FINAL_TYPE (RcFeedPublisher, rc_feed_publisher, RC, FEED_PUBLISHER, GObject)

/* Checks url (http or https, a host, no query or fragment; a missing final '/' is
 * added): NULL and RC_ERROR_BAD_ARGUMENT with a one-line reason otherwise. Nothing is
 * posted before rc_feed_publisher_start(). */
RcFeedPublisher *rc_feed_publisher_new (RcFeedServer *server, const char *url, GError **error);
void rc_feed_publisher_start (RcFeedPublisher *self);
/* Stops posting; a request in flight is cancelled. */
void rc_feed_publisher_stop (RcFeedPublisher *self);

/* The messages kept for an edge that is away (RC_FEED_PUBLISHER_BACKLOG unless set). */
void rc_feed_publisher_set_backlog (RcFeedPublisher *self, guint messages);

/* For tests and the log: the prefix posted to, whether the edge answered the last post,
 * the last event's seq the events channel has from this origin (0: none yet), how many
 * snapshots were posted to the events channel, and how many messages wait. */
const char *rc_feed_publisher_get_url (RcFeedPublisher *self);
gboolean rc_feed_publisher_is_up (RcFeedPublisher *self);
gint64 rc_feed_publisher_get_posted_seq (RcFeedPublisher *self);
guint rc_feed_publisher_get_n_snapshots (RcFeedPublisher *self);
guint rc_feed_publisher_get_n_waiting (RcFeedPublisher *self);

G_END_DECLS
