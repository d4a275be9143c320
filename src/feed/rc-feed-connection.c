/* rc-feed-connection.c — one attempt of a feed client to subscribe, and its end.
 *
 * A connection outlives the client's interest in it: the transports' pending reads and
 * handshakes hold references, and once the client lets go (conn->client NULL) their
 * callbacks only clean up. See rc-feed-client-private.h. */
#include "rc-feed-client-private.h"

#include <glib/gi18n-lib.h>

RcFeedConnection *
rc_feed_connection_new (RcFeedClient *client)
{
  RcFeedConnection *conn = g_new0 (RcFeedConnection, 1);

  conn->ref_count = 1;
  conn->client = client;
  conn->cancellable = g_cancellable_new ();
  return conn;
}

RcFeedConnection *
rc_feed_connection_ref (RcFeedConnection *conn)
{
  g_return_val_if_fail (conn != NULL, NULL);
  conn->ref_count++;
  return conn;
}

void
rc_feed_connection_unref (RcFeedConnection *conn)
{
  if (conn == NULL || --conn->ref_count > 0)
    return;
  g_assert (conn->client == NULL);
  g_assert (conn->ws == NULL);
  g_clear_object (&conn->body);
  g_clear_object (&conn->message);
  g_clear_pointer (&conn->sse, rc_sse_parser_free);
  g_free (conn->certificate_problem);
  g_object_unref (conn->cancellable);
  g_free (conn);
}

void
rc_feed_connection_close (RcFeedConnection *conn)
{
  g_return_if_fail (conn != NULL);

  conn->client = NULL;
  g_cancellable_cancel (conn->cancellable);
  if (conn->ws != NULL)
    {
      SoupWebsocketConnection *ws = g_steal_pointer (&conn->ws);

      g_signal_handlers_disconnect_by_data (ws, conn);
      if (soup_websocket_connection_get_state (ws) == SOUP_WEBSOCKET_STATE_OPEN)
        {
          /* The close handshake finishes by itself; the connection keeps itself until
           * then and goes with its "closed". */
          g_signal_connect (ws, "closed", G_CALLBACK (g_object_unref), NULL);
          soup_websocket_connection_close (ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
        }
      else if (soup_websocket_connection_get_state (ws) == SOUP_WEBSOCKET_STATE_CLOSING)
        g_signal_connect (ws, "closed", G_CALLBACK (g_object_unref), NULL);
      else
        g_object_unref (ws);
    }
  /* An SSE body goes with the cancelled read (and its connection with it). */
}

/* libsoup asks only about a certificate the TLS database refused; the handshake then
 * fails with G_TLS_ERROR_BAD_CERTIFICATE whatever was wrong with it: keep what was. */
static gboolean
on_accept_certificate (SoupMessage *message, GTlsCertificate *certificate,
                       GTlsCertificateFlags errors, RcFeedConnection *conn)
{
  const char *host = g_uri_get_host (soup_message_get_uri (message));

  g_clear_pointer (&conn->certificate_problem, g_free);
  /* An unknown CA makes the rest moot: "not trusted" (rc_feed_client_describe_error). */
  if (errors & G_TLS_CERTIFICATE_UNKNOWN_CA)
    return FALSE;
  if (errors & G_TLS_CERTIFICATE_BAD_IDENTITY)
    /* Translators: %s is the host of the feed's URL, "127.0.0.1" or "board.example" */
    conn->certificate_problem = g_strdup_printf (_("the server's certificate does not name %s"),
                                                 host);
  else if (errors & G_TLS_CERTIFICATE_EXPIRED)
    conn->certificate_problem = g_strdup (_("the server's certificate has expired"));
  else if (errors & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    conn->certificate_problem = g_strdup (_("the server's certificate is not valid yet"));
  return FALSE;
}

void
rc_feed_connection_watch_certificate (RcFeedConnection *conn, SoupMessage *message)
{
  g_signal_connect (message, "accept-certificate", G_CALLBACK (on_accept_certificate), conn);
}

void
rc_feed_connection_unwatch_certificate (RcFeedConnection *conn, SoupMessage *message)
{
  g_signal_handlers_disconnect_by_func (message, on_accept_certificate, conn);
}

char *
rc_feed_client_describe_error (RcFeedConnection *conn, const GError *error)
{
  if (error == NULL)
    return g_strdup (_("the connection was lost"));
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    return g_strdup (_("connection refused"));
  if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE))
    return g_strdup (conn->certificate_problem != NULL
                       ? conn->certificate_problem
                       : _("the server's certificate is not trusted"));
  if (g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND))
    return g_strdup (_("no such host"));
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_strdup (_("no answer from the server"));
  return g_strdup (error->message);
}
