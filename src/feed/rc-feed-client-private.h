/* rc-feed-client-private.h — what RcFeedClient shares with its two transports
 * (rc-feed-client-ws.c: WebSocket; rc-feed-client-sse.c: Server-Sent Events) and with
 * rc-feed-connection.c (one attempt to subscribe).
 *
 * One RcFeedConnection is one attempt to subscribe: the transport opens it, hands
 * every message's text to the client, and says when it is lost. The client lets go
 * of a connection by rc_feed_connection_close(): from then on the transport's late
 * callbacks (a cancelled read, a close handshake) find conn->client NULL and only
 * clean up, so the client can be stopped or finalised at any moment. */
#pragma once

#include <libsoup/soup.h>

#include "rc-feed-client.h"
#include "rc-feed-ws-guard.h"
#include "rc-sse-parser.h"

G_BEGIN_DECLS

typedef struct _RcFeedConnection RcFeedConnection;

/* What the transports read at: after GTK's painting (GDK_PRIORITY_REDRAW,
 * G_PRIORITY_HIGH_IDLE + 20) and after the decoder's hand-back of what was read (the
 * same priority), before idle work. Under a flood the socket is always readable: read
 * at a higher priority, it would starve both. */
#define RC_FEED_READ_PRIORITY (G_PRIORITY_HIGH_IDLE + 30)

struct _RcFeedConnection
{
  gint ref_count;
  RcFeedClient *client; /* not a reference; NULL once the client let go */
  GCancellable *cancellable;
  char *certificate_problem; /* why the server's certificate was refused, if it was */

  /* Back-pressure: while the client holds too much read and not yet applied, the
   * transport reads nothing (rc_feed_connection_set_paused()); resume is how the
   * transport starts again. */
  gboolean paused;
  void (*resume) (RcFeedConnection *conn);

  /* WebSocket: the handshake (ours, on a connection of our own), then libsoup's
   * connection reading through the guard */
  GIOStream *stream;    /* the TCP (or TLS) connection, until the guard has it */
  GBytes *request;      /* the handshake's request, being written */
  char *key;            /* its Sec-WebSocket-Key */
  GByteArray *head;     /* the server's answer, as it comes */
  GUri *uri;
  RcFeedWsGuard *guard;
  SoupWebsocketConnection *ws;

  /* SSE */
  SoupMessage *message;
  GInputStream *body;
  RcSseParser *sse;    /* the body, split into events */
  gboolean stalled;    /* a read was not started: the connection is paused */
};

RcFeedConnection *rc_feed_connection_new (RcFeedClient *client);
RcFeedConnection *rc_feed_connection_ref (RcFeedConnection *conn);
void rc_feed_connection_unref (RcFeedConnection *conn);
/* Lets go: no more callbacks to the client; cancels what is pending, closes the
 * WebSocket or drops the SSE response. Idempotent. */
void rc_feed_connection_close (RcFeedConnection *conn);
/* Keeps why the TLS handshake of message refuses the server's certificate (never
 * accepting it), for rc_feed_client_describe_error(). The transport calls
 * rc_feed_connection_unwatch_certificate() when the request is answered or fails. */
void rc_feed_connection_watch_certificate (RcFeedConnection *conn, SoupMessage *message);
void rc_feed_connection_unwatch_certificate (RcFeedConnection *conn, SoupMessage *message);
/* The same for a TLS connection of the transport's own, to the host of conn->uri,
 * while its handshake runs. */
void rc_feed_connection_watch_tls (RcFeedConnection *conn, GTlsConnection *tls);
void rc_feed_connection_unwatch_tls (RcFeedConnection *conn, GTlsConnection *tls);
/* Stops (TRUE) or restarts (FALSE) the transport's reading. */
void rc_feed_connection_set_paused (RcFeedConnection *conn, gboolean paused);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcFeedConnection, rc_feed_connection_unref)

/* The transports: start the request (uri already has the path and query). */
void rc_feed_ws_connect (RcFeedConnection *conn, SoupSession *session, GUri *uri,
                         const char *last_event_id);
void rc_feed_sse_connect (RcFeedConnection *conn, SoupSession *session, GUri *uri,
                          const char *last_event_id);

/* What the transports tell the client (rc-feed-client.c). Each does nothing when the
 * client has let go of conn. */
void rc_feed_client_connection_opened (RcFeedConnection *conn);
/* id: the transport's id of the message (SSE's last event id), or NULL. */
void rc_feed_client_connection_message (RcFeedConnection *conn, const char *text, gsize length,
                                        const char *id);
/* The transport refused what the server sent (too long, not UTF-8, binary): a
 * refusal like the codec's. */
void rc_feed_client_connection_refused (RcFeedConnection *conn, const char *reason);
/* Closed or failed; reason is one line for the operator's status. */
void rc_feed_client_connection_lost (RcFeedConnection *conn, const char *reason);

/* Whether text can be sent as a header's value: a stream id (the first part of the last
 * event id) is the server's, and may hold a line end. The id then goes in the query. */
gboolean rc_feed_fits_header (const char *text);

/* A one-line reason for an I/O, TLS or HTTP failure of conn, in the operator's words. */
char *rc_feed_client_describe_error (RcFeedConnection *conn, const GError *error);

G_END_DECLS
