/* rc-feed-snapshot-fetch.h — GET /v1/snapshot beside a feed's stream, for a client of
 * protocol 1.1 that finds a gap its subscription cannot fill (an nginx + nchan edge
 * does not resume from a position; docs/feed-protocol.md §4).
 *
 * The snapshot's URL is the stream's with its last path segment replaced
 * (ws://h:p/v1/feed and http://h:p/v1/events → http://h:p/v1/snapshot; wss and https
 * → https). No redirect is followed, no compression asked for, and no more than
 * RC_CODEC_MAX_MESSAGE bytes are read; the answer must be a snapshot (the codec's
 * strict reading). */
#pragma once

#include <libsoup/soup.h>

#include "codec/rc-message.h"

G_BEGIN_DECLS

/* The URL of the snapshot beside the stream at feed_uri (new reference). */
GUri *rc_feed_snapshot_uri (GUri *feed_uri);

/* Gives up after timeout_ms. Finishes with the snapshot message, or NULL and a
 * one-line reason. */
void rc_feed_snapshot_fetch_async (SoupSession *session, GUri *feed_uri, guint timeout_ms,
                                   GCancellable *cancellable, GAsyncReadyCallback callback,
                                   gpointer user_data);
RcMessage *rc_feed_snapshot_fetch_finish (GAsyncResult *result, GError **error);

G_END_DECLS
