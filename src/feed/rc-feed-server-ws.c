/* rc-feed-server-ws.c — the feed over WebSocket: GET /v1/feed, subprotocol
 * rollcall.v1 (docs/feed-protocol.md §4 "Over WebSocket").
 *
 * libsoup queues without limit whatever it is given to send, so a client's messages
 * wait in our own queue, counted against its backlog, and go to libsoup only while the
 * socket can take more: libsoup's queue then holds at most what one write could not
 * place. Clients send nothing but pongs and their close: a data frame closes the
 * connection (1003). libsoup pings; a client whose pongs stop is closed by the
 * server's timer (rc-feed-server.c). */
#include "rc-feed-server-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define RC_FEED_WS_PROTOCOL "rollcall.v1"

/* How much may go to libsoup between two looks at the socket. */
#define RC_FEED_WS_CHECK_BYTES (16 * 1024)

static const char *const ws_protocols[] = { RC_FEED_WS_PROTOCOL, NULL };

/* ---------------------------------------------------------------- sending */

static void flush (RcFeedSubscriber *sub);

static gboolean
is_open (RcFeedSubscriber *sub)
{
  return sub->ws != NULL
         && soup_websocket_connection_get_state (sub->ws) == SOUP_WEBSOCKET_STATE_OPEN;
}

static gboolean
on_writable (GSocket *socket, GIOCondition condition, gpointer data)
{
  RcFeedSubscriber *sub = data;

  g_clear_pointer (&sub->writable, g_source_unref);
  flush (sub);
  return G_SOURCE_REMOVE;
}

static void
wait_writable (RcFeedSubscriber *sub)
{
  if (sub->writable != NULL)
    return;
  sub->writable = g_socket_create_source (sub->socket, G_IO_OUT, NULL);
  g_source_set_callback (sub->writable, G_SOURCE_FUNC (on_writable), rc_feed_subscriber_ref (sub),
                         (GDestroyNotify) rc_feed_subscriber_unref);
  g_source_attach (sub->writable, NULL);
}

/* Hands queued messages to libsoup while the socket takes them. Asking the socket
 * is a system call, so it is asked once every RC_FEED_WS_CHECK_BYTES: libsoup then
 * holds at most that much beyond what the socket refused. libsoup writes each frame
 * at once, in a system call of its own: several are corked, so that they leave the
 * socket together, and wake the client once. */
static void
flush (RcFeedSubscriber *sub)
{
  if (sub->queue.length > 1)
    rc_feed_subscriber_cork (sub, TRUE);
  while (!g_queue_is_empty (&sub->queue))
    {
      g_autoptr (GBytes) bytes = NULL;

      /* The peer may have begun closing (a client leaving as a heartbeat goes out):
       * nothing more can be sent, and "closed" will forget the subscriber. */
      if (!is_open (sub))
        {
          g_queue_clear_full (&sub->queue, (GDestroyNotify) g_bytes_unref);
          break;
        }

      if (sub->unchecked >= RC_FEED_WS_CHECK_BYTES && sub->socket != NULL)
        {
          /* An error or a hang-up is libsoup's to notice when it writes. */
          if (g_socket_condition_check (sub->socket, G_IO_OUT | G_IO_ERR | G_IO_HUP) == 0)
            {
              wait_writable (sub);
              break;
            }
          sub->unchecked = 0;
        }
      bytes = g_queue_pop_head (&sub->queue);
      sub->unchecked += g_bytes_get_size (bytes);
      soup_websocket_connection_send_message (sub->ws, SOUP_WEBSOCKET_DATA_TEXT, bytes);
      rc_feed_subscriber_written (sub, 1, g_bytes_get_size (bytes));
    }
  rc_feed_subscriber_cork (sub, FALSE);
}

void
rc_feed_ws_flush (RcFeedSubscriber *sub)
{
  /* Waiting for room, it goes on when the socket has some. */
  if (sub->writable == NULL)
    flush (sub);
}

static void
forget_queue (RcFeedSubscriber *sub)
{
  if (sub->writable != NULL)
    {
      g_source_destroy (sub->writable);
      g_clear_pointer (&sub->writable, g_source_unref);
    }
  g_queue_clear_full (&sub->queue, (GDestroyNotify) g_bytes_unref);
}

void
rc_feed_ws_close (RcFeedSubscriber *sub, gushort code, const char *reason, gboolean deliver)
{
  /* libsoup sends a close of ours after the frames queued before it, so the client
   * gets everything first. A write that fails closes the connection: nothing more
   * can go then (what waits for the flush may be many messages). */
  while (deliver && is_open (sub) && !g_queue_is_empty (&sub->queue))
    {
      g_autoptr (GBytes) bytes = g_queue_pop_head (&sub->queue);

      soup_websocket_connection_send_message (sub->ws, SOUP_WEBSOCKET_DATA_TEXT, bytes);
    }
  forget_queue (sub);
  if (!is_open (sub))
    return;
  /* Alive until libsoup has finished the close handshake (or given up on it). */
  if (!sub->closing)
    {
      sub->closing = TRUE;
      rc_feed_subscriber_ref (sub);
    }
  soup_websocket_connection_close (sub->ws, code, reason);
}

void
rc_feed_ws_clear (RcFeedSubscriber *sub)
{
  forget_queue (sub);
  if (sub->ws != NULL)
    {
      g_signal_handlers_disconnect_by_data (sub->ws, sub);
      g_clear_object (&sub->ws);
    }
}

/* ---------------------------------------------------------------- signals */

static void
on_message (SoupWebsocketConnection *ws, SoupWebsocketDataType type, GBytes *message, gpointer data)
{
  RcFeedSubscriber *sub = data;
  g_autofree char *reason = g_strdup_printf (
    "a client sends nothing over the feed, got a %s message of %" G_GSIZE_FORMAT " bytes",
    type == SOUP_WEBSOCKET_DATA_TEXT ? "text" : "binary", g_bytes_get_size (message));

  rc_feed_subscriber_close_refused (sub, reason);
}

/* libsoup's own refusals, such as a frame too big to read (it then drops the
 * connection without a close frame): said in the log, as every refusal is. */
static void
on_error (SoupWebsocketConnection *ws, GError *error, gpointer data)
{
  RcFeedSubscriber *sub = data;

  rc_feed_log ("feed: %s: %s; the connection is dropped", sub->peer, error->message);
}

static void
on_pong (SoupWebsocketConnection *ws, GBytes *message, gpointer data)
{
  RcFeedSubscriber *sub = data;

  sub->last_pong = g_get_monotonic_time ();
}

static void
on_closed (SoupWebsocketConnection *ws, gpointer data)
{
  g_autoptr (RcFeedSubscriber) sub = rc_feed_subscriber_ref (data);

  g_signal_handlers_disconnect_by_data (ws, sub);
  /* nothing more will be written: let go of the queue and the writable source */
  forget_queue (sub);
  rc_feed_subscriber_ended (sub);
  if (sub->closing)
    {
      sub->closing = FALSE;
      rc_feed_subscriber_unref (sub);
    }
}

/* ---------------------------------------------------------------- handlers */

#define UPGRADE_REQUIRED 426 /* RFC 7231 §6.5.15 */

static void G_GNUC_PRINTF (2, 3)
refuse_upgrade (SoupServerMessage *msg, const char *format, ...)
{
  SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);
  g_autofree char *reason = NULL;
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);
  soup_message_headers_replace (response, "Upgrade", "websocket");
  soup_message_headers_replace (response, "Sec-WebSocket-Version", "13");
  rc_feed_server_refuse (msg, UPGRADE_REQUIRED, "upgrade", "%s", reason);
  /* libsoup 3.2 does not know the status's phrase */
  soup_server_message_set_status (msg, UPGRADE_REQUIRED, "Upgrade Required");
}

/* RFC 6455 §4.2.1: base64 of 16 bytes, 24 characters. */
static gboolean
key_valid (const char *key)
{
  guchar buffer[18];
  int state = 0;
  guint save = 0;

  return key != NULL && strlen (key) == 24
         && g_base64_decode_step (key, 24, buffer, &state, &save) == 16;
}

/* The client's list of subprotocols names ours, exactly. */
static gboolean
asks_for_protocol (const char *protocols)
{
  g_auto (GStrv) names = protocols != NULL ? g_strsplit_set (protocols, ", ", -1) : NULL;

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    if (g_str_equal (names[i], RC_FEED_WS_PROTOCOL))
      return TRUE;
  return FALSE;
}

/* Runs before libsoup's handshake: a status set here refuses the request. */
static void
check_request (SoupServer *soup, SoupServerMessage *msg, const char *path, GHashTable *query,
               gpointer data)
{
  RcFeedServer *self = data;
  SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);
  const char *upgrade = soup_message_headers_get_list (request, "Upgrade");
  const char *connection = soup_message_headers_get_list (request, "Connection");
  const char *version = soup_message_headers_get_one (request, "Sec-WebSocket-Version");

  if (!rc_feed_server_check_path (msg, "/v1/feed"))
    return;
  if (!g_str_equal (soup_server_message_get_method (msg), SOUP_METHOD_GET))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", "GET");
      rc_feed_server_refuse (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method",
                             _("%s is not a method of /v1/feed"),
                             soup_server_message_get_method (msg));
      return;
    }
  /* Not a WebSocket handshake, or another version of it: RFC 6455's 426, which
   * says what to ask for, in our error form (libsoup's own answer is an HTML 400). */
  if (upgrade == NULL || g_ascii_strcasecmp (upgrade, "websocket") != 0
      || !soup_header_contains (connection != NULL ? connection : "", "upgrade"))
    {
      refuse_upgrade (msg, _("/v1/feed is a WebSocket: ask to upgrade to websocket, with "
                             "Connection: Upgrade (or read /v1/events)"));
      return;
    }
  if (version == NULL || !g_str_equal (version, "13"))
    {
      refuse_upgrade (msg, _("WebSocket version %s is not spoken here, 13 is"),
                      version != NULL ? version : "(none)");
      return;
    }
  /* What libsoup checks after this handler, checked first so that the refusal is in
   * the protocol's form, not libsoup's bare one. */
  if (!key_valid (soup_message_headers_get_one (request, "Sec-WebSocket-Key")))
    {
      rc_feed_server_refuse (msg, SOUP_STATUS_BAD_REQUEST, "bad-message",
                             _("a WebSocket handshake needs a Sec-WebSocket-Key: 16 bytes in "
                               "base64"));
      return;
    }
  /* libsoup would accept a handshake that names no subprotocol; the protocol's
   * version must be agreed on, and subprotocols are compared exactly (RFC 6455
   * §4.1: ROLLCALL.V1 is not rollcall.v1). */
  if (!asks_for_protocol (soup_message_headers_get_one (request, "Sec-WebSocket-Protocol")))
    {
      rc_feed_server_refuse (msg, SOUP_STATUS_BAD_REQUEST, "bad-message",
                             _("a WebSocket subscription must ask for the subprotocol %s"),
                             RC_FEED_WS_PROTOCOL);
      return;
    }
  if (!rc_feed_server_admit (self, msg))
    return;
  /* The connection is upgraded, not closed after the answer (libsoup says so). */
  soup_message_headers_remove (soup_server_message_get_response_headers (msg), "Connection");
}

static void
accepted (SoupServer *soup, SoupServerMessage *msg, const char *path, SoupWebsocketConnection *ws,
          gpointer data)
{
  RcFeedServer *self = data;
  g_autoptr (RcFeedSubscriber) sub = rc_feed_subscriber_new (RC_FEED_SUBSCRIBER_WS, self, msg);
  const char *query = g_uri_get_query (soup_server_message_get_uri (msg));
  g_autoptr (GHashTable) form = query != NULL ? soup_form_decode (query) : NULL;
  const char *last_event_id = NULL;

  sub->ws = g_object_ref (ws);
  /* What the client may send from now on (rc-feed-gate.h): a frame of at most
   * RC_FEED_WS_MAX_FRAME, and so much a second. */
  soup_websocket_connection_set_max_incoming_payload_size (ws, RC_FEED_WS_MAX_FRAME);
  if (rc_feed_message_get_gate (msg) != NULL)
    rc_feed_gate_set_upgraded (rc_feed_message_get_gate (msg));
  sub->ping_interval = rc_feed_server_get_ping_interval (self);
  soup_websocket_connection_set_keepalive_interval (ws, sub->ping_interval);
  g_signal_connect (ws, "message", G_CALLBACK (on_message), sub);
  g_signal_connect (ws, "pong", G_CALLBACK (on_pong), sub);
  g_signal_connect (ws, "error", G_CALLBACK (on_error), sub);
  g_signal_connect (ws, "closed", G_CALLBACK (on_closed), sub);

  /* A browser cannot set headers on a WebSocket, so the query comes first (§4). */
  if (form != NULL)
    last_event_id = g_hash_table_lookup (form, "last_event_id");
  if (last_event_id == NULL)
    last_event_id = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                  "Last-Event-ID");
  rc_feed_server_subscribe (self, sub, last_event_id);
}

void
rc_feed_server_ws_register (RcFeedServer *self, SoupServer *soup)
{
  soup_server_add_handler (soup, "/v1/feed", check_request, self, NULL);
  soup_server_add_websocket_handler (soup, "/v1/feed", NULL, (char **) ws_protocols, accepted, self,
                                     NULL);
}
