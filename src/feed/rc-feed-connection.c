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
  g_assert (conn->stream == NULL);
  g_clear_pointer (&conn->request, g_bytes_unref);
  g_free (conn->key);
  g_clear_pointer (&conn->head, g_byte_array_unref);
  g_clear_pointer (&conn->uri, g_uri_unref);
  g_clear_object (&conn->guard);
  g_clear_object (&conn->body);
  g_clear_object (&conn->message);
  g_clear_pointer (&conn->sse, rc_sse_parser_free);
  g_free (conn->certificate_problem);
  g_object_unref (conn->cancellable);
  g_free (conn);
}

/* Closes a connection of our own without waiting for the server: a TLS close would
 * write its close_notify, and could wait in the main loop on a server that reads
 * nothing. */
static void
close_stream (GIOStream *stream)
{
  if (G_IS_SOCKET_CONNECTION (stream))
    g_socket_shutdown (g_socket_connection_get_socket (G_SOCKET_CONNECTION (stream)), TRUE, TRUE,
                       NULL);
  g_io_stream_close (stream, NULL, NULL);
}

void
rc_feed_connection_close (RcFeedConnection *conn)
{
  g_return_if_fail (conn != NULL);

  conn->client = NULL;
  conn->resume = NULL;
  g_cancellable_cancel (conn->cancellable);
  if (conn->stream != NULL)
    {
      g_autoptr (GIOStream) stream = g_steal_pointer (&conn->stream);

      close_stream (stream);
    }
  /* Whatever the server goes on sending, only its close is read now. */
  if (conn->guard != NULL)
    rc_feed_ws_guard_shut (conn->guard);
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

void
rc_feed_connection_set_paused (RcFeedConnection *conn, gboolean paused)
{
  g_return_if_fail (conn != NULL);

  if (conn->paused == paused)
    return;
  conn->paused = paused;
  if (conn->guard != NULL)
    rc_feed_ws_guard_set_paused (conn->guard, paused);
  if (!paused && conn->resume != NULL)
    conn->resume (conn);
}

/* A TLS handshake asks only about a certificate its database refused; it then fails
 * with G_TLS_ERROR_BAD_CERTIFICATE whatever was wrong with it: keep what was. */
static void
note_certificate_problem (RcFeedConnection *conn, const char *host, GTlsCertificateFlags errors)
{
  g_clear_pointer (&conn->certificate_problem, g_free);
  /* An unknown CA makes the rest moot: "not trusted" (rc_feed_client_describe_error). */
  if (errors & G_TLS_CERTIFICATE_UNKNOWN_CA)
    return;
  if (errors & G_TLS_CERTIFICATE_BAD_IDENTITY)
    /* Translators: %s is the host of the feed's URL, "127.0.0.1" or "board.example" */
    conn->certificate_problem = g_strdup_printf (_("the server's certificate does not name %s"),
                                                 host);
  else if (errors & G_TLS_CERTIFICATE_EXPIRED)
    conn->certificate_problem = g_strdup (_("the server's certificate has expired"));
  else if (errors & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    conn->certificate_problem = g_strdup (_("the server's certificate is not valid yet"));
}

static gboolean
on_accept_certificate (SoupMessage *message, GTlsCertificate *certificate,
                       GTlsCertificateFlags errors, RcFeedConnection *conn)
{
  note_certificate_problem (conn, g_uri_get_host (soup_message_get_uri (message)), errors);
  return FALSE;
}

static gboolean
on_tls_accept_certificate (GTlsConnection *tls, GTlsCertificate *certificate,
                           GTlsCertificateFlags errors, RcFeedConnection *conn)
{
  note_certificate_problem (conn, g_uri_get_host (conn->uri), errors);
  return FALSE;
}

void
rc_feed_connection_watch_tls (RcFeedConnection *conn, GTlsConnection *tls)
{
  g_signal_connect (tls, "accept-certificate", G_CALLBACK (on_tls_accept_certificate), conn);
}

void
rc_feed_connection_unwatch_tls (RcFeedConnection *conn, GTlsConnection *tls)
{
  g_signal_handlers_disconnect_by_func (tls, on_tls_accept_certificate, conn);
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

gboolean
rc_feed_fits_header (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      return FALSE;
  return TRUE;
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
