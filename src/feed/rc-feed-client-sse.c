/* rc-feed-client-sse.c — a feed client's Server-Sent Events transport (http://,
 * https://): GET /v1/events with Accept: text/event-stream and Last-Event-ID
 * (docs/feed-protocol.md §4, "Over Server-Sent Events").
 *
 * The body is read in chunks and split into events by rc-sse-parser.c rather than with
 * GDataInputStream: its read_line grows its buffer without limit, and a server must
 * not be able to make a board hold an endless line. A line or an event's data longer
 * than a message may be (1 MiB) is refused as soon as it is. */
#include "rc-feed-client-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "codec/rc-codec.h"

#define READ_CHUNK 16384

static void read_next (RcFeedConnection *conn);

static void
refuse_too_long (RcFeedConnection *conn)
{
  g_autofree char *reason =
    g_strdup_printf (_("a message longer than %d bytes"), RC_CODEC_MAX_MESSAGE);

  rc_feed_client_connection_refused (conn, reason);
}

/* An event's data: a message. FALSE once the client let go (stop reading). */
static gboolean
on_data (const char *data, gsize length, gpointer user_data)
{
  RcFeedConnection *conn = user_data;

  rc_feed_client_connection_message (conn, data, length, rc_sse_parser_get_last_id (conn->sse));
  return conn->client != NULL;
}

static void
on_read (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (RcFeedConnection) conn = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result,
                                                               &error);
  gsize n;
  const guint8 *p;

  if (conn->client == NULL)
    return;
  if (bytes == NULL)
    {
      g_autofree char *reason = rc_feed_client_describe_error (conn, error);

      rc_feed_client_connection_lost (conn, reason);
      return;
    }
  p = g_bytes_get_data (bytes, &n);
  if (n == 0)
    {
      rc_feed_client_connection_lost (conn, _("the server ended the stream"));
      return;
    }
  switch (rc_sse_parser_feed (conn->sse, p, n, on_data, conn))
    {
    case RC_SSE_PARSER_MORE:
      /* The client holds too much not yet applied: it says when to read on. */
      if (conn->client != NULL && conn->paused)
        conn->stalled = TRUE;
      else if (conn->client != NULL)
        read_next (conn);
      break;
    case RC_SSE_PARSER_TOO_LONG: refuse_too_long (conn); break;
    case RC_SSE_PARSER_STOPPED: break;
    }
}

/* One chunk a turn of the main loop, after painting and applying (RC_FEED_READ_PRIORITY). */
static void
read_next (RcFeedConnection *conn)
{
  g_input_stream_read_bytes_async (conn->body, READ_CHUNK, RC_FEED_READ_PRIORITY,
                                   conn->cancellable, on_read, rc_feed_connection_ref (conn));
}

static void
resume (RcFeedConnection *conn)
{
  if (conn->stalled && conn->client != NULL)
    {
      conn->stalled = FALSE;
      read_next (conn);
    }
}

static void
on_sent (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (RcFeedConnection) conn = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GInputStream) body = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  guint status;
  const char *type;
  const char *encoding;

  rc_feed_connection_unwatch_certificate (conn, conn->message);
  if (conn->client == NULL)
    return;
  if (body == NULL)
    {
      g_autofree char *reason = rc_feed_client_describe_error (conn, error);

      rc_feed_client_connection_lost (conn, reason);
      return;
    }

  status = soup_message_get_status (conn->message);
  type = soup_message_headers_get_content_type (soup_message_get_response_headers (conn->message),
                                                NULL);
  if (SOUP_STATUS_IS_REDIRECTION (status))
    {
      /* The board shows what the server it was given says, or nothing. */
      const char *where = soup_message_headers_get_one (
        soup_message_get_response_headers (conn->message), "Location");
      g_autofree char *reason =
        /* Translators: an HTTP status and its phrase, "302 Found", then where the server
         * sends the board */
        g_strdup_printf (_("HTTP %u %s to “%s”: a board follows no redirect"), status,
                         soup_message_get_reason_phrase (conn->message),
                         where != NULL ? where : "");

      rc_feed_client_connection_lost (conn, reason);
      return;
    }
  if (status != SOUP_STATUS_OK)
    {
      g_autofree char *reason =
        g_strdup_printf ("HTTP %u %s", status, soup_message_get_reason_phrase (conn->message));

      rc_feed_client_connection_lost (conn, reason);
      return;
    }
  encoding = soup_message_headers_get_one (soup_message_get_response_headers (conn->message),
                                           "Content-Encoding");
  if (encoding != NULL && g_ascii_strcasecmp (encoding, "identity") != 0)
    {
      /* The board asks for none (a compressed stream would cost it more to read than the
       * server to send). */
      rc_feed_client_connection_lost (conn, _("the server compressed the event stream"));
      return;
    }
  if (g_strcmp0 (type, "text/event-stream") != 0)
    {
      g_autofree char *reason =
        /* Translators: %s is a MIME type such as text/html */
        g_strdup_printf (_("the server answered %s, not an event stream"),
                         type != NULL ? type : _("without a content type"));

      rc_feed_client_connection_lost (conn, reason);
      return;
    }

  conn->body = g_steal_pointer (&body);
  conn->resume = resume;
  rc_feed_client_connection_opened (conn);
  if (conn->client != NULL)
    read_next (conn);
}

void
rc_feed_sse_connect (RcFeedConnection *conn, SoupSession *session, GUri *uri,
                     const char *last_event_id)
{
  SoupMessageHeaders *headers;

  conn->message = soup_message_new_from_uri (SOUP_METHOD_GET, uri);
  soup_message_add_flags (conn->message, SOUP_MESSAGE_NO_REDIRECT);
  headers = soup_message_get_request_headers (conn->message);
  soup_message_headers_replace (headers, "Accept", "text/event-stream");
  soup_message_headers_replace (headers, "Cache-Control", "no-cache");
  /* (One a header cannot hold is in the query: rc-feed-client.c.) */
  if (last_event_id != NULL && rc_feed_fits_header (last_event_id))
    soup_message_headers_replace (headers, "Last-Event-ID", last_event_id);

  conn->sse = rc_sse_parser_new (RC_CODEC_MAX_MESSAGE);
  rc_feed_connection_watch_certificate (conn, conn->message);
  soup_session_send_async (session, conn->message, G_PRIORITY_DEFAULT, conn->cancellable,
                           on_sent, rc_feed_connection_ref (conn));
}
