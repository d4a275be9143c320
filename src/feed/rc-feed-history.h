/* rc-feed-history.h — what went on air on a feed's stream before a desk connected
 * (the desk's on-air history "from the journal"), read once from the stream's start. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Reads the stream's events from its start from the feed at base (http(s)://host:port)
 * over SSE, and keeps the on-air events up to sequence number up_to (the position the
 * desk's subscription started from). Finishes with a GPtrArray of RcEvent, in order;
 * or NULL and a one-line reason: RC_ERROR_SEQUENCE when the server no longer keeps the
 * stream's early events (it answers with a snapshot). ca: the CA database to trust,
 * or NULL. */
void rc_feed_history_fetch_async (GUri *base, GTlsDatabase *ca, const char *stream, gint64 up_to,
                                  GCancellable *cancellable, GAsyncReadyCallback callback,
                                  gpointer user_data);
GPtrArray *rc_feed_history_fetch_finish (GAsyncResult *result, GError **error);

G_END_DECLS
