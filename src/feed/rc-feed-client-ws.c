/* rc-feed-client-ws.c — a feed client's WebSocket transport (ws://, wss://):
 * GET /v1/feed with the subprotocol rollcall.v1 and the last event id in the query
 * (docs/feed-protocol.md §4, "Over WebSocket"). Each text frame is one message. */
#include "rc-feed-client-private.h"

#include <glib/gi18n-lib.h>

#include "rc-codec.h"

#define RC_FEED_WS_PROTOCOL "rollcall.v1"

static void
on_ws_message (SoupWebsocketConnection *ws, SoupWebsocketDataType type, GBytes *message,
               RcFeedConnection *conn)
{
  g_autoptr (RcFeedConnection) hold = rc_feed_connection_ref (conn);
  gsize length;
  const char *data = g_bytes_get_data (message, &length);

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    {
      rc_feed_client_connection_refused (conn, _("a binary WebSocket message (messages are "
                                                 "JSON text)"));
      return;
    }
  rc_feed_client_connection_message (conn, data != NULL ? data : "", length);
}

static void
on_ws_error (SoupWebsocketConnection *ws, GError *error, RcFeedConnection *conn)
{
  g_autoptr (RcFeedConnection) hold = rc_feed_connection_ref (conn);

  /* libsoup checks these before we see the message; they are refusals all the same. */
  if (g_error_matches (error, SOUP_WEBSOCKET_ERROR, SOUP_WEBSOCKET_CLOSE_TOO_BIG))
    {
      g_autofree char *reason = g_strdup_printf (_("a message longer than %d bytes"),
                                                 RC_CODEC_MAX_MESSAGE);

      rc_feed_client_connection_refused (conn, reason);
    }
  else if (g_error_matches (error, SOUP_WEBSOCKET_ERROR, SOUP_WEBSOCKET_CLOSE_BAD_DATA))
    rc_feed_client_connection_refused (conn, _("a text message that is not valid UTF-8"));
  else if (error->domain == SOUP_WEBSOCKET_ERROR)
    rc_feed_client_connection_refused (conn, error->message);
  else
    {
      g_autofree char *reason = rc_feed_client_describe_error (conn, error);

      rc_feed_client_connection_lost (conn, reason);
    }
}

static void
on_ws_closed (SoupWebsocketConnection *ws, RcFeedConnection *conn)
{
  g_autoptr (RcFeedConnection) hold = rc_feed_connection_ref (conn);
  gushort code = soup_websocket_connection_get_close_code (ws);
  const char *data = soup_websocket_connection_get_close_data (ws);
  g_autofree char *reason = NULL;

  switch (code)
    {
    case SOUP_WEBSOCKET_CLOSE_GOING_AWAY:
      reason = g_strdup (_("the server went away"));
      break;
    case 4001:
      /* docs/feed-protocol.md §8: a client too far behind is dropped. */
      reason = g_strdup (_("dropped by the server: too slow"));
      break;
    case 0:
    case SOUP_WEBSOCKET_CLOSE_NO_STATUS:
    case SOUP_WEBSOCKET_CLOSE_ABNORMAL:
      reason = g_strdup (_("the connection was lost"));
      break;
    default:
      if (data != NULL && data[0] != '\0')
        /* Translators: a WebSocket close code and the server's reason */
        reason = g_strdup_printf (_("closed by the server (%u: %s)"), code, data);
      else
        reason = g_strdup_printf (_("closed by the server (%u)"), code);
      break;
    }
  rc_feed_client_connection_lost (conn, reason);
}

static void
on_ws_connected (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (RcFeedConnection) conn = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (SoupWebsocketConnection) ws = NULL;
  SoupMessage *message = soup_session_get_async_result_message (SOUP_SESSION (source), result);

  ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  if (message != NULL)
    rc_feed_connection_unwatch_certificate (conn, message);
  if (conn->client == NULL)
    {
      if (ws != NULL)
        soup_websocket_connection_close (ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      return;
    }
  if (ws == NULL)
    {
      g_autofree char *reason = NULL;
      guint status = message != NULL ? soup_message_get_status (message) : 0;

      /* A refused handshake is better told by its HTTP status than by libsoup's
       * "The server did not accept the WebSocket handshake". */
      if (status >= 300 && status != SOUP_STATUS_SWITCHING_PROTOCOLS)
        reason = g_strdup_printf ("HTTP %u %s", status, soup_message_get_reason_phrase (message));
      else
        reason = rc_feed_client_describe_error (conn, error);
      rc_feed_client_connection_lost (conn, reason);
      return;
    }
  if (g_strcmp0 (soup_websocket_connection_get_protocol (ws), RC_FEED_WS_PROTOCOL) != 0)
    {
      soup_websocket_connection_close (ws, SOUP_WEBSOCKET_CLOSE_PROTOCOL_ERROR, NULL);
      rc_feed_client_connection_lost (conn, _("the server does not speak rollcall.v1"));
      return;
    }

  /* libsoup's default (128 KiB) is smaller than a snapshot may be; the protocol's
   * limit is 1 MiB, and a longer frame is refused before it is buffered whole. */
  soup_websocket_connection_set_max_incoming_payload_size (ws, RC_CODEC_MAX_MESSAGE);
  conn->ws = g_steal_pointer (&ws);
  g_signal_connect (conn->ws, "message", G_CALLBACK (on_ws_message), conn);
  g_signal_connect (conn->ws, "error", G_CALLBACK (on_ws_error), conn);
  g_signal_connect (conn->ws, "closed", G_CALLBACK (on_ws_closed), conn);
  rc_feed_client_connection_opened (conn);
}

void
rc_feed_ws_connect (RcFeedConnection *conn, SoupSession *session, GUri *uri,
                    const char *last_event_id)
{
  char *protocols[] = { (char *) RC_FEED_WS_PROTOCOL, NULL };
  g_autoptr (SoupMessage) message = soup_message_new_from_uri (SOUP_METHOD_GET, uri);

  /* The id travels in the query (browsers cannot set headers on a WebSocket); the
   * header says the same for servers that prefer it. */
  if (last_event_id != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (message), "Last-Event-ID",
                                  last_event_id);
  rc_feed_connection_watch_certificate (conn, message);
  soup_session_websocket_connect_async (session, message, NULL, protocols, G_PRIORITY_DEFAULT,
                                        conn->cancellable, on_ws_connected,
                                        rc_feed_connection_ref (conn));
}
