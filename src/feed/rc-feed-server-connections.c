/* rc-feed-server-connections.c — every connection libsoup takes, for two things
 * libsoup 3.2 does not do: a deadline for a connection's first request, and shutting
 * them all at the end of a shutdown.
 *
 * libsoup starts a connection's first message ("request-started") as it takes it,
 * before its TLS handshake, and says when a whole request was read ("request-read").
 * A handshake runs in a thread of libsoup's that waits for the client: a client that
 * stalls would hold it as long as the server runs, and libsoup's own close of such a
 * connection waits for the handshake (forever, outside the main loop). Shutting the
 * socket ends any handshake at once. */
#include "rc-feed-server-private.h"

struct _RcFeedConnections
{
  SoupServer *soup;
  /* GSocket (a reference) -> gint64 *: when it was taken, or 0 once a request came.
   * Closed ones are let go on the next cut_silent(). */
  GHashTable *sockets;
};

static void
on_request_started (SoupServer *soup, SoupServerMessage *msg, gpointer data)
{
  RcFeedConnections *self = data;
  GSocket *socket = soup_server_message_get_socket (msg);

  /* A later request on a connection kept alive is not a new connection. */
  if (socket == NULL || g_hash_table_contains (self->sockets, socket))
    return;
  g_hash_table_insert (self->sockets, g_object_ref (socket),
                       g_memdup2 (&(gint64){ g_get_monotonic_time () }, sizeof (gint64)));
}

static void
on_request_read (SoupServer *soup, SoupServerMessage *msg, gpointer data)
{
  RcFeedConnections *self = data;
  GSocket *socket = soup_server_message_get_socket (msg);
  gint64 *taken = socket != NULL ? g_hash_table_lookup (self->sockets, socket) : NULL;

  if (taken != NULL)
    *taken = 0;
}

RcFeedConnections *
rc_feed_connections_new (SoupServer *soup)
{
  RcFeedConnections *self = g_new0 (RcFeedConnections, 1);

  self->soup = g_object_ref (soup);
  self->sockets = g_hash_table_new_full (NULL, NULL, g_object_unref, g_free);
  g_signal_connect (soup, "request-started", G_CALLBACK (on_request_started), self);
  g_signal_connect (soup, "request-read", G_CALLBACK (on_request_read), self);
  return self;
}

void
rc_feed_connections_free (RcFeedConnections *self)
{
  if (self == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->soup, self);
  g_object_unref (self->soup);
  g_hash_table_unref (self->sockets);
  g_free (self);
}

void
rc_feed_connections_cut_silent (RcFeedConnections *self, gint64 now, gint64 limit)
{
  GHashTableIter iter;
  gpointer socket, taken;

  g_hash_table_iter_init (&iter, self->sockets);
  while (g_hash_table_iter_next (&iter, &socket, &taken))
    if (g_socket_is_closed (socket))
      g_hash_table_iter_remove (&iter);
    else if (*(gint64 *) taken != 0 && now - *(gint64 *) taken > limit)
      {
        g_socket_shutdown (socket, TRUE, TRUE, NULL);
        g_hash_table_iter_remove (&iter);
      }
}

void
rc_feed_connections_shut_all (RcFeedConnections *self)
{
  GHashTableIter iter;
  gpointer socket;

  g_hash_table_iter_init (&iter, self->sockets);
  while (g_hash_table_iter_next (&iter, &socket, NULL))
    g_socket_shutdown (socket, TRUE, TRUE, NULL);
  g_hash_table_remove_all (self->sockets);
}
