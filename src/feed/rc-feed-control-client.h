/* rc-feed-control-client.h — the desk's side of the control API (docs/feed-protocol.md
 * §7): what the operator's console asks of a feed, over HTTP(S) with the bearer token.
 *
 * Every request is asynchronous (the console never waits on the network) and ends in
 * success or one GError whose message is one line saying why, as the server worded it
 * ("lock: vote 'es-11-1' is locked, not open") or why the server was not reached. The
 * client changes nothing of its own: what the hall shows is what the feed then says. */
#pragma once

#include <gio/gio.h>

#include "model/rc-event.h"
#include "model/rc-vote.h"

G_BEGIN_DECLS

#define RC_TYPE_FEED_CONTROL_CLIENT (rc_feed_control_client_get_type ())
G_DECLARE_FINAL_TYPE (RcFeedControlClient, rc_feed_control_client, RC, FEED_CONTROL_CLIENT, GObject)

/* The control API of the feed at url (ws:// wss:// http:// https://; the path is
 * ignored), with this token. A one-line reason when the URL will not do. */
RcFeedControlClient *rc_feed_control_client_new (const char *url, const char *token,
                                                 GError **error);
/* Trust the server's certificate if this CA (PEM file) signed it. */
gboolean rc_feed_control_client_set_ca_file (RcFeedControlClient *self, const char *path,
                                             GError **error);

/* POST /v1/on-air: a vote (vote_id), blank, or the holding slide with an optional line
 * of text (NULL or "" for none). */
void rc_feed_control_client_take_async (RcFeedControlClient *self, RcOnAir show,
                                        const char *vote_id, const char *text,
                                        GCancellable *cancellable, GAsyncReadyCallback callback,
                                        gpointer user_data);
/* POST /v1/votes/{id}/{action}: "open", "lock", "announce" or "cancel"; note (cancel
 * only) may be NULL. */
void rc_feed_control_client_vote_action_async (RcFeedControlClient *self, const char *vote_id,
                                               const char *action, const char *note,
                                               GCancellable *cancellable,
                                               GAsyncReadyCallback callback, gpointer user_data);
/* POST /v1/votes/{id}/correct: member's recorded choice becomes choice, with a note. */
void rc_feed_control_client_correct_async (RcFeedControlClient *self, const char *vote_id,
                                           const char *member, RcChoice choice, const char *note,
                                           GCancellable *cancellable, GAsyncReadyCallback callback,
                                           gpointer user_data);
/* POST /v1/votes: a vote described (again, while it is scheduled: what the hall sees
 * at each stage, reveal and result_shown, is set this way). */
void rc_feed_control_client_describe_async (RcFeedControlClient *self, const RcVoteInfo *vote,
                                            GCancellable *cancellable, GAsyncReadyCallback callback,
                                            gpointer user_data);
/* What went on air on the feed's stream before position up_to (rc-feed-history.h),
 * through this client's connection settings (its CA). Finish with
 * rc_feed_history_fetch_finish(). */
void rc_feed_control_client_fetch_history_async (RcFeedControlClient *self, const char *stream,
                                                 gint64 up_to, GCancellable *cancellable,
                                                 GAsyncReadyCallback callback, gpointer user_data);
/* Finishes any of the requests above: FALSE and the one-line reason if refused. */
gboolean rc_feed_control_client_finish (RcFeedControlClient *self, GAsyncResult *result,
                                        GError **error);

G_END_DECLS
