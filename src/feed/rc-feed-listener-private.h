/* rc-feed-listener-private.h — what the parts of the listener share: a connection
 * taken (RcFeedConn) and the listener's own state. rc-feed-listener.c accepts,
 * serves and keeps the deadlines; rc-feed-listener-tls.c runs the TLS handshakes. Not
 * for use outside the listener. */
#pragma once

#include "rc-feed-listener.h"

G_BEGIN_DECLS

typedef enum {
  PHASE_HELLO,     /* TLS: waiting for the client's whole hello */
  PHASE_QUEUED,    /* TLS: the hello is there, waiting for a place among the handshakes */
  PHASE_HANDSHAKE, /* TLS: the handshake runs */
  PHASE_SERVED,    /* libsoup has it */
} Phase;

typedef struct {
  gint ref_count;
  RcFeedListener *listener; /* NULL once the listener let go */
  GSocket *socket;
  GSocketAddress *remote; /* the key: libsoup hands it back with each message */
  char *peer;             /* "ADDRESS:PORT", for the log */
  char *address;          /* "ADDRESS" */
  Phase phase;
  gint64 accepted;          /* monotonic µs */
  gint64 handshake_started; /* its hello whole: it waits for a place */
  gint64 handshake_running; /* it has a place: it runs */
  gint64 read_at;           /* when its request was read whole, 0 before */
  gboolean subscribed;
  gboolean shut;
  /* TLS */
  GTlsConnection *tls;
  GCancellable *cancellable;
  GSource *hello_source;
  guint hello_retry_id;
  guint hello_delay; /* ms */
  /* once served */
  RcFeedGate *gate;
} RcFeedConn;

struct _RcFeedListener {
  SoupServer *soup;
  GTlsCertificate *tls;
  GPtrArray *listening; /* of Listening */
  GPtrArray *sockets;   /* their sockets, for rc_feed_listener_get_sockets() */
  GHashTable *conns;    /* GSocketAddress * → RcFeedConn * */
  guint max_clients;
  guint fds_at_listen;
  int reserve_fd; /* kept open to answer one client when the descriptors are out */
  gboolean closed;

  /* TLS handshakes under way: each holds one of GLib's worker threads (of which there
   * are ten at first) while it waits for the client; at most
   * RC_FEED_TLS_HANDSHAKES_MAX, the others wait in `queued` (rc_feed_listener_cut_stalled). */
  GQueue running; /* of RcFeedConn (a reference each), oldest first */
  GQueue queued;  /* of RcFeedConn (a reference each), oldest first; next_queued() picks */
  guint stall_check_id; /* rc_feed_listener_cut_stalled, often, while some wait */

  /* refusing for want of room: since when, how many */
  gboolean shedding;
  guint64 shed;
  gint64 shed_logged;
};

RcFeedConn *rc_feed_conn_ref (RcFeedConn *conn);
void rc_feed_conn_unref (RcFeedConn *conn);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcFeedConn, rc_feed_conn_unref)

/* Shuts the connection's socket: whoever reads or writes it next fails, and lets go.
 * A handshake under way is cancelled. */
void rc_feed_conn_shut (RcFeedConn *conn);
/* Forgets a connection that is over (closed by libsoup, or never handed to it). */
void rc_feed_conn_forget (RcFeedConn *conn);
/* A connection that ends here, before libsoup had it. */
void rc_feed_conn_drop (RcFeedConn *conn);
/* The connection is libsoup's from now on, through a gate; stream: the socket's, or
 * the TLS connection over it. */
void rc_feed_conn_hand_over (RcFeedConn *conn, GIOStream *stream);

/* rc-feed-listener-tls.c: a connection just taken on a TLS listener waits for its
 * client's hello (in the main loop), then for a place among the handshakes, then its
 * handshake runs; it is handed over when that succeeds, dropped otherwise. */
void rc_feed_conn_start_tls (RcFeedConn *conn);
/* Drops a connection whose handshake has not begun (PHASE_HELLO, PHASE_QUEUED). */
void rc_feed_conn_drop_waiting (RcFeedConn *conn);
/* Cuts the handshakes that stalled or waited too long (see there); now: monotonic µs. */
void rc_feed_listener_cut_stalled (RcFeedListener *self, gint64 now);

G_END_DECLS
