/* rc-feed-client-ws.c — a feed client's WebSocket transport (ws://, wss://):
 * GET /v1/feed with the subprotocol rollcall.v1 and the last event id in the query
 * (docs/feed-protocol.md §4, "Over WebSocket"). Each text frame is one message.
 *
 * The handshake is done here, on a connection of our own (GSocketClient; TLS verified
 * against the session's CA database, as libsoup's would be), and libsoup's
 * SoupWebsocketConnection then reads the frames through an RcFeedWsGuard
 * (rc-feed-ws-guard.h). libsoup's session would hand the socket itself to the
 * WebSocket, which reads it without end while a server floods it and joins fragments
 * without limit. Doing the handshake here also bounds the server's answer (16 KiB),
 * follows no redirect (the board shows what the server it was given says, or nothing)
 * and says what was wrong with an answer in the board's words (RFC 6455 §4.1). */
#include "rc-feed-client-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "model/rc-error.h"
#include "codec/rc-codec.h"

#define RC_FEED_WS_PROTOCOL "rollcall.v1"
#define WS_GUID "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
/* The server's answer to the handshake, at most: a 101 takes a few hundred bytes. */
#define HEAD_MAX (16 * 1024)
/* What of the server's text a reason quotes, at most. */
#define QUOTE_MAX 80

/* ---------------------------------------------------------------- the connection */

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
  rc_feed_client_connection_message (conn, data != NULL ? data : "", length, NULL);
}

static void
on_ws_error (SoupWebsocketConnection *ws, GError *error, RcFeedConnection *conn)
{
  g_autoptr (RcFeedConnection) hold = rc_feed_connection_ref (conn);

  /* libsoup checks these before we see the message, the guard before libsoup; they
   * are refusals all the same. */
  if (g_error_matches (error, SOUP_WEBSOCKET_ERROR, SOUP_WEBSOCKET_CLOSE_TOO_BIG))
    {
      g_autofree char *reason = g_strdup_printf (_("a message longer than %d bytes"),
                                                 RC_CODEC_MAX_MESSAGE);

      rc_feed_client_connection_refused (conn, reason);
    }
  else if (g_error_matches (error, SOUP_WEBSOCKET_ERROR, SOUP_WEBSOCKET_CLOSE_BAD_DATA))
    rc_feed_client_connection_refused (conn, _("a text message that is not valid UTF-8"));
  else if (error->domain == SOUP_WEBSOCKET_ERROR || error->domain == RC_ERROR)
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
        {
          g_autofree char *said = g_utf8_make_valid (data, -1);

          /* A close's reason is at most 123 bytes; it is the server's, so kept on
           * one line. */
          g_strdelimit (said, "\r\n\t", ' ');
          /* Translators: a WebSocket close code and the server's reason */
          reason = g_strdup_printf (_("closed by the server (%u: %s)"), code, said);
        }
      else
        reason = g_strdup_printf (_("closed by the server (%u)"), code);
      break;
    }
  rc_feed_client_connection_lost (conn, reason);
}

/* The handshake is through: libsoup reads the frames, through the guard. */
static void
open_websocket (RcFeedConnection *conn, GBytes *early)
{
  g_autoptr (GIOStream) stream = g_steal_pointer (&conn->stream);

  conn->guard = rc_feed_ws_guard_new (
    stream, g_socket_connection_get_socket (G_SOCKET_CONNECTION (stream)), early,
    RC_CODEC_MAX_MESSAGE, RC_FEED_READ_PRIORITY);
  rc_feed_ws_guard_set_paused (conn->guard, conn->paused);
  conn->ws = soup_websocket_connection_new (G_IO_STREAM (conn->guard), conn->uri,
                                            SOUP_WEBSOCKET_CONNECTION_CLIENT, NULL,
                                            RC_FEED_WS_PROTOCOL, NULL);
  /* libsoup's own limit per frame (128 KiB by default) is smaller than a snapshot may
   * be; the guard holds a whole message to the protocol's 1 MiB. */
  soup_websocket_connection_set_max_incoming_payload_size (conn->ws, RC_CODEC_MAX_MESSAGE);
  g_signal_connect (conn->ws, "message", G_CALLBACK (on_ws_message), conn);
  g_signal_connect (conn->ws, "error", G_CALLBACK (on_ws_error), conn);
  g_signal_connect (conn->ws, "closed", G_CALLBACK (on_ws_closed), conn);
  rc_feed_client_connection_opened (conn);
}

/* ---------------------------------------------------------------- the answer */

/* Some of the server's text, for a reason: one line of UTF-8 (rc_error_one_line()),
 * short. */
static char *
quote (const char *text)
{
  g_autofree char *line = rc_error_one_line (text != NULL ? text : "");

  if (g_utf8_strlen (line, -1) <= QUOTE_MAX)
    return g_steal_pointer (&line);
  *g_utf8_offset_to_pointer (line, QUOTE_MAX) = '\0';
  return g_strconcat (line, "…", NULL);
}

static char *
expected_accept (const char *key)
{
  g_autoptr (GChecksum) sha1 = g_checksum_new (G_CHECKSUM_SHA1);
  guint8 digest[20];
  gsize length = sizeof digest;

  g_checksum_update (sha1, (const guchar *) key, -1);
  g_checksum_update (sha1, (const guchar *) WS_GUID, -1);
  g_checksum_get_digest (sha1, digest, &length);
  return g_base64_encode (digest, length);
}

/* Why the head (status line and headers, its blank line included) does not open the
 * WebSocket, or NULL when it does. */
static char *
check_answer (RcFeedConnection *conn, const char *head, gsize length)
{
  g_autoptr (SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autofree char *phrase = NULL;
  g_autofree char *accept = NULL;
  SoupHTTPVersion version;
  guint status;
  const char *value;

  if (!soup_headers_parse_response (head, (int) length, headers, &version, &status, &phrase))
    {
      g_autofree char *line = g_strndup (head, strcspn (head, "\r\n"));
      g_autofree char *first = quote (line);

      /* Translators: %s is the start of what the server sent, "SSH-2.0-OpenSSH_9.2" */
      return g_strdup_printf (_("the server's answer is not HTTP (“%s”)"), first);
    }
  if (status != SOUP_STATUS_SWITCHING_PROTOCOLS)
    {
      g_autofree char *said = quote (phrase);

      if (SOUP_STATUS_IS_REDIRECTION (status))
        {
          g_autofree char *where = quote (soup_message_headers_get_one (headers, "Location"));

          /* Translators: an HTTP status and its phrase, "302 Found", then where the
           * server sends the board */
          return g_strdup_printf (_("HTTP %u %s to “%s”: a board follows no redirect"), status,
                                  said, where);
        }
      if (status == SOUP_STATUS_OK)
        /* Translators: "HTTP 200 OK" */
        return g_strdup_printf (_("HTTP %u %s: not a WebSocket"), status, said);
      return g_strdup_printf ("HTTP %u %s", status, said);
    }
  if (!soup_message_headers_header_equals (headers, "Upgrade", "websocket")
      || !soup_message_headers_header_contains (headers, "Connection", "upgrade"))
    return g_strdup (_("the server answered 101 but not for a WebSocket"));
  accept = expected_accept (conn->key);
  value = soup_message_headers_get_one (headers, "Sec-WebSocket-Accept");
  if (g_strcmp0 (value, accept) != 0)
    return g_strdup (_("the server's Sec-WebSocket-Accept does not answer the board's key"));
  value = soup_message_headers_get_list (headers, "Sec-WebSocket-Extensions");
  if (value != NULL && value[0] != '\0')
    {
      g_autofree char *what = quote (value);

      /* Translators: %s is a WebSocket extension, "permessage-deflate" */
      return g_strdup_printf (_("the server asked for a WebSocket extension the board did not "
                                "offer (%s)"), what);
    }
  if (g_strcmp0 (soup_message_headers_get_one (headers, "Sec-WebSocket-Protocol"),
                 RC_FEED_WS_PROTOCOL) != 0)
    return g_strdup (_("the server does not speak rollcall.v1"));
  return NULL;
}

static void read_answer (RcFeedConnection *conn);

/* Where the head ends (after its blank line) in what was read, or 0. */
static gsize
head_end (GByteArray *head)
{
  for (gsize i = 0; i + 1 < head->len; i++)
    if (head->data[i] == '\n' &&
        (head->data[i + 1] == '\n' ||
         (i + 2 < head->len && head->data[i + 1] == '\r' && head->data[i + 2] == '\n')))
      return i + (head->data[i + 1] == '\n' ? 2 : 3);
  return 0;
}

static void
on_answer_read (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (RcFeedConnection) conn = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result,
                                                               &error);
  g_autoptr (GBytes) early = NULL;
  g_autofree char *refused = NULL;
  gsize end;

  if (conn->client == NULL)
    return;
  if (bytes == NULL)
    {
      g_autofree char *reason = rc_feed_client_describe_error (conn, error);

      rc_feed_client_connection_lost (conn, reason);
      return;
    }
  if (g_bytes_get_size (bytes) == 0)
    {
      rc_feed_client_connection_lost (conn, _("the server closed the connection without "
                                              "answering"));
      return;
    }
  g_byte_array_append (conn->head, g_bytes_get_data (bytes, NULL),
                       (guint) g_bytes_get_size (bytes));
  end = head_end (conn->head);
  if (end == 0 && conn->head->len >= HEAD_MAX)
    {
      g_autofree char *reason =
        /* Translators: %d is a number of KiB */
        g_strdup_printf (_("the server's answer to the handshake is longer than %d KiB"),
                         HEAD_MAX / 1024);

      rc_feed_client_connection_lost (conn, reason);
      return;
    }
  if (end == 0)
    {
      read_answer (conn);
      return;
    }

  /* What came after the head is already the frames. */
  early = g_bytes_new (conn->head->data + end, conn->head->len - end);
  g_byte_array_set_size (conn->head, (guint) end);
  g_byte_array_append (conn->head, (const guint8 *) "", 1);
  refused = check_answer (conn, (const char *) conn->head->data, end);
  g_clear_pointer (&conn->head, g_byte_array_unref);
  if (refused != NULL)
    {
      rc_feed_client_connection_lost (conn, refused);
      return;
    }
  open_websocket (conn, early);
}

static void
read_answer (RcFeedConnection *conn)
{
  GInputStream *in = g_io_stream_get_input_stream (conn->stream);

  /* Never more than the head may hold: a server cannot make the board read on. */
  g_input_stream_read_bytes_async (in, HEAD_MAX - conn->head->len, RC_FEED_READ_PRIORITY,
                                   conn->cancellable, on_answer_read,
                                   rc_feed_connection_ref (conn));
}

/* ---------------------------------------------------------------- the request */

static void
on_request_written (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (RcFeedConnection) conn = data;
  g_autoptr (GError) error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      if (conn->client != NULL)
        {
          g_autofree char *reason = rc_feed_client_describe_error (conn, error);

          rc_feed_client_connection_lost (conn, reason);
        }
      return;
    }
  if (conn->client == NULL)
    return;
  conn->head = g_byte_array_new ();
  read_answer (conn);
}

static void
on_socket_event (GSocketClient *client, GSocketClientEvent event, GSocketConnectable *connectable,
                 GIOStream *connection, RcFeedConnection *conn)
{
  GTlsDatabase *database = g_object_get_data (G_OBJECT (client), "rc-feed-database");

  static const char *const http1[] = { "http/1.1", NULL };

  if (event != G_SOCKET_CLIENT_TLS_HANDSHAKING || !G_IS_TLS_CONNECTION (connection))
    return;
  /* As libsoup's own connections: a server that goes without a TLS close_notify has
   * lost the connection, not sent something wrong; and a handshake is HTTP/1.1. */
  g_tls_connection_set_require_close_notify (G_TLS_CONNECTION (connection), FALSE);
  g_tls_connection_set_advertised_protocols (G_TLS_CONNECTION (connection), http1);
  if (database != NULL)
    g_tls_connection_set_database (G_TLS_CONNECTION (connection), database);
  rc_feed_connection_watch_tls (conn, G_TLS_CONNECTION (connection));
}

static void
on_connected (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (RcFeedConnection) conn = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocketConnection) connection =
    g_socket_client_connect_to_uri_finish (G_SOCKET_CLIENT (source), result, &error);
  GOutputStream *out;

  if (connection != NULL && G_IS_TCP_WRAPPER_CONNECTION (connection))
    {
      GIOStream *base = g_tcp_wrapper_connection_get_base_io_stream (
        G_TCP_WRAPPER_CONNECTION (connection));

      if (G_IS_TLS_CONNECTION (base))
        rc_feed_connection_unwatch_tls (conn, G_TLS_CONNECTION (base));
    }
  if (conn->client == NULL)
    {
      if (connection != NULL)
        {
          g_socket_shutdown (g_socket_connection_get_socket (connection), TRUE, TRUE, NULL);
          g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
        }
      return;
    }
  if (connection == NULL)
    {
      g_autofree char *reason = rc_feed_client_describe_error (conn, error);

      rc_feed_client_connection_lost (conn, reason);
      return;
    }
  conn->stream = G_IO_STREAM (g_steal_pointer (&connection));
  out = g_io_stream_get_output_stream (conn->stream);
  g_output_stream_write_all_async (out, g_bytes_get_data (conn->request, NULL),
                                   g_bytes_get_size (conn->request), RC_FEED_READ_PRIORITY,
                                   conn->cancellable, on_request_written,
                                   rc_feed_connection_ref (conn));
}

/* The handshake's request (RFC 6455 §4.1), for the path and query of uri. */
static GBytes *
make_request (RcFeedConnection *conn, const char *last_event_id)
{
  GUri *uri = conn->uri;
  const char *host = g_uri_get_host (uri);
  gboolean tls = g_ascii_strcasecmp (g_uri_get_scheme (uri), "wss") == 0;
  int port = g_uri_get_port (uri);
  g_autofree char *target = g_uri_join (g_uri_get_flags (uri), NULL, NULL, NULL, -1,
                                        g_uri_get_path (uri), g_uri_get_query (uri), NULL);
  GString *request = g_string_new (NULL);
  guint8 nonce[16];

  for (guint i = 0; i < sizeof nonce; i++)
    nonce[i] = (guint8) g_random_int_range (0, 256);
  conn->key = g_base64_encode (nonce, sizeof nonce);

  g_string_append_printf (request, "GET %s HTTP/1.1\r\n", target[0] != '\0' ? target : "/");
  g_string_append_printf (request, strchr (host, ':') != NULL ? "Host: [%s]" : "Host: %s", host);
  if (port > 0 && port != (tls ? 443 : 80))
    g_string_append_printf (request, ":%d", port);
  g_string_append_printf (request,
                          "\r\n"
                          "Upgrade: websocket\r\n"
                          "Connection: Upgrade\r\n"
                          "Sec-WebSocket-Key: %s\r\n"
                          "Sec-WebSocket-Version: 13\r\n"
                          "Sec-WebSocket-Protocol: " RC_FEED_WS_PROTOCOL "\r\n",
                          conn->key);
  /* The id is in the query too (escaped there): a header cannot hold every stream id
   * a server may have named. */
  if (last_event_id != NULL && rc_feed_fits_header (last_event_id))
    g_string_append_printf (request, "Last-Event-ID: %s\r\n", last_event_id);
  g_string_append (request, "\r\n");
  return g_string_free_to_bytes (request);
}

void
rc_feed_ws_connect (RcFeedConnection *conn, SoupSession *session, GUri *uri,
                    const char *last_event_id)
{
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  gboolean tls = g_ascii_strcasecmp (g_uri_get_scheme (uri), "wss") == 0;
  g_autofree char *address = NULL;
  const char *host = g_uri_get_host (uri);
  int port = g_uri_get_port (uri);

  conn->uri = g_uri_ref (uri);
  conn->request = make_request (conn, last_event_id);

  /* http(s), so that a proxy is chosen for it as libsoup's session would. */
  address = g_strdup_printf (strchr (host, ':') != NULL ? "%s://[%s]:%d" : "%s://%s:%d",
                             tls ? "https" : "http", host, port > 0 ? port : tls ? 443 : 80);
  g_socket_client_set_tls (client, tls);
  /* The session's database: the system's, or the chamber's CA file (set_ca_file). Asked
   * for only over TLS: the system's is loaded when first asked for (~10 MB of memory). */
  if (tls && soup_session_get_tls_database (session) != NULL)
    g_object_set_data_full (G_OBJECT (client), "rc-feed-database",
                            g_object_ref (soup_session_get_tls_database (session)),
                            g_object_unref);
  g_signal_connect (client, "event", G_CALLBACK (on_socket_event), conn);
  g_socket_client_connect_to_uri_async (client, address, tls ? 443 : 80, conn->cancellable,
                                        on_connected, rc_feed_connection_ref (conn));
}
