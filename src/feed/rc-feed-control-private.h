/* rc-feed-control-private.h — what the control API's two halves share: the HTTP side
 * (rc-feed-control.c: routing, token, limits, statuses) asks the body side
 * (rc-feed-control-body.c) for the event a request's JSON body describes. */
#pragma once

#include <glib.h>

#include "model/rc-event.h"

G_BEGIN_DECLS

/* The largest request body the control API reads (docs/feed-protocol.md §8). */
#define RC_FEED_CONTROL_MAX_BODY (64 * 1024)

/* The event that a body asks for: type is the path's event, vote_id the vote named in
 * the path (NULL for /v1/session, /v1/votes and /v1/on-air). The body is read as
 * strictly as a wire message, by the same decoder. The event's seq and time are 0: the
 * hub assigns them. Errors: RC_ERROR_BAD_MESSAGE for anything the client got wrong;
 * RC_ERROR_BAD_FILE when the server's own chamber files cannot be read. */
RcEvent *rc_feed_control_decode_body (RcEventType type, const char *vote_id, const char *body,
                                      gsize length, GError **error);

G_END_DECLS
