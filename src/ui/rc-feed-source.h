/* rc-feed-source.h — where the app's board gets its session from a feed.
 *
 * Either a subscription to a server (`rollcall --feed URL`), or an embedded feed
 * (`rollcall` with no arguments): a hub, a server on 127.0.0.1 (a free port) and a
 * replay of an archived session, all in this process, with a client subscribed to it
 * over WebSocket like any other board. The board then always goes through the
 * network path: what `./run` shows is what a hall's screen would show. */
#pragma once

#include <glib.h>

#include "feed/rc-feed-client.h"
#include "feed/rc-feed-control-client.h"
#include "feed/rc-feed-hub.h"
#include "feed/rc-feed-replay.h"
#include "feed/rc-feed-server.h"
#include "rc-replay-plan.h"

G_BEGIN_DECLS

typedef struct {
  RcFeedClient *client;
  /* the control API of the feed, for the desk; NULL without a token */
  RcFeedControlClient *control;
  gboolean clerk; /* the feed takes the clerk's actions (a live one), not only on-air */
  /* the embedded feed, or all NULL */
  RcFeedHub *hub;
  RcFeedServer *server;
  RcFeedReplay *replay;
} RcFeedSource;

/* A subscription to url (ws:// wss:// http:// https://); ca_file (PEM) may be NULL;
 * token (may be NULL) reaches its control API, as a clerk's desk. A one-line reason
 * when the URL or the CA file will not do. */
RcFeedSource *rc_feed_source_new_remote (const char *url, const char *ca_file, const char *token,
                                         GError **error);
/* A feed replaying the plan's session at speed, and a client of it. It listens on
 * host:port (NULL and 0: 127.0.0.1, any free port; another address serves kiosks of a
 * rehearsal). With with_control, the feed takes POST /v1/on-air with a token made for
 * this process alone, and the source's control client holds it. */
RcFeedSource *rc_feed_source_new_embedded (const RcReplayPlan *plan, double speed,
                                           gboolean with_control, const char *host, guint port,
                                           GError **error);
/* Replays another session through the same embedded feed (a new stream: every board on
 * it takes its snapshot), at the same speed. */
void rc_feed_source_replay (RcFeedSource *self, const RcReplayPlan *plan);
/* Starts the replay (if embedded) and the subscription. */
void rc_feed_source_start (RcFeedSource *self);
void rc_feed_source_free (RcFeedSource *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcFeedSource, rc_feed_source_free)

G_END_DECLS
