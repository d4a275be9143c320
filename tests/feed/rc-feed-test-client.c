/* rc-feed-test-client.c — a real client of the feed for the tests (WebSocket or
 * SSE through a SoupSession of its own) that checks what it receives as a board
 * would: rc-feed-test-util.h. */
#include "rc-feed-test-util.h"

#include <string.h>

#include "codec/rc-codec.h"
#include "model/rc-snapshot.h"

struct _RcTestClient {
  char *base_url;
  RcTestTransport transport;
  char *start_id;
  RcTestIdPlace id_place;
  char *protocol;
  GTlsDatabase *tls_database;

  SoupSession *session;
  SoupMessage *msg;
  GCancellable *cancellable;
  SoupWebsocketConnection *ws;
  GDataInputStream *lines;
  guint pending; /* async calls in flight: the client outlives them */

  gboolean open;
  gboolean closed;
  gboolean stopped; /* closed by the test: what comes after is not looked at */
  guint status;
  GString *refusal;
  char *refusal_body;
  gushort close_code;

  GPtrArray *frames;
  RcSession *state;
  char *stream; /* the stream of its position, NULL before any */
  gint64 last_seq;
  char *last_event_id;
  const RcMessage *last_heartbeat;

  /* SSE parser */
  GString *data;
  gboolean has_data;
  char *event;
  char *sse_last_id;
  gint64 retry;
};

static void
frame_free (gpointer data)
{
  RcTestFrame *frame = data;

  rc_message_free (frame->message);
  g_free (frame->text);
  g_free (frame->sse_event);
  g_free (frame->sse_id);
  g_free (frame);
}

RcTestClient *
rc_test_client_new (const char *base_url, RcTestTransport transport)
{
  RcTestClient *c = g_new0 (RcTestClient, 1);

  c->base_url = g_strdup (base_url);
  c->transport = transport;
  c->protocol = g_strdup ("rollcall.v1");
  c->frames = g_ptr_array_new_with_free_func (frame_free);
  c->state = rc_session_new ();
  c->last_seq = -1;
  c->retry = -1;
  c->data = g_string_new (NULL);
  c->cancellable = g_cancellable_new ();
  return c;
}

void
rc_test_client_set_last_event_id (RcTestClient *c, const char *id, RcTestIdPlace place)
{
  g_autofree char *stream = NULL;
  gint64 seq;

  g_free (c->start_id);
  c->start_id = g_strdup (id);
  c->id_place = place;
  /* A client that gives an id is at that position: what follows must continue it. */
  if (id != NULL && rc_event_id_parse (id, &stream, &seq))
    {
      g_free (c->stream);
      c->stream = g_steal_pointer (&stream);
      c->last_seq = seq;
      g_free (c->last_event_id);
      c->last_event_id = g_strdup (id);
    }
}

void
rc_test_client_set_session (RcTestClient *c, RcSession *session)
{
  g_set_object (&c->state, session);
}

void
rc_test_client_set_protocol (RcTestClient *c, const char *protocol)
{
  g_free (c->protocol);
  c->protocol = g_strdup (protocol);
}

void
rc_test_client_set_tls_database (RcTestClient *c, GTlsDatabase *database)
{
  g_set_object (&c->tls_database, database);
}

/* Checks one message as a board would, and keeps it. */
static void
receive (RcTestClient *c, const char *text, gsize length, const char *sse_event)
{
  g_autoptr (GError) error = NULL;
  RcMessage *message;
  RcTestFrame *frame;

  if (c->stopped)
    return;
  message = rc_codec_decode_message (text, length, &error);
  if (message == NULL)
    g_error ("the server sent a message a client must refuse (%s): %.*s", error->message,
             (int) MIN (length, 300), text);

  frame = g_new0 (RcTestFrame, 1);
  frame->message = message;
  frame->text = g_strndup (text, length);
  frame->sse_event = g_strdup (sse_event);
  frame->sse_id = g_strdup (c->sse_last_id);
  g_ptr_array_add (c->frames, frame);

  switch (message->kind)
    {
    case RC_MESSAGE_SNAPSHOT:
      g_clear_object (&c->state);
      c->state = rc_session_new_from_snapshot (message->snapshot, &error);
      g_assert_no_error (error);
      g_free (c->stream);
      c->stream = g_strdup (message->stream);
      c->last_seq = message->snapshot->seq;
      break;

    case RC_MESSAGE_EVENT:
      if (c->stream == NULL)
        g_error ("event %" G_GINT64_FORMAT " arrived before any snapshot", message->event->seq);
      if (g_strcmp0 (c->stream, message->stream) != 0)
        g_error ("event of stream '%s' while the client follows '%s'", message->stream, c->stream);
      if (message->event->seq != c->last_seq + 1)
        g_error ("event %" G_GINT64_FORMAT " arrived after %" G_GINT64_FORMAT " (lost or repeated)",
                 message->event->seq, c->last_seq);
      rc_session_apply (c->state, message->event, &error);
      g_assert_no_error (error);
      c->last_seq = message->event->seq;
      break;

    case RC_MESSAGE_HEARTBEAT:
      c->last_heartbeat = message;
      return;

    default:
      g_assert_not_reached ();
    }
  g_free (c->last_event_id);
  c->last_event_id = rc_event_id_format (c->stream, c->last_seq);
}

/* -------- WebSocket */

static void
ws_message (SoupWebsocketConnection *ws, SoupWebsocketDataType type, GBytes *bytes, gpointer data)
{
  RcTestClient *c = data;
  gsize length;
  const char *text = g_bytes_get_data (bytes, &length);

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    g_error ("the server sent a binary WebSocket message");
  receive (c, text, length, NULL);
}

static void
ws_closed (SoupWebsocketConnection *ws, gpointer data)
{
  RcTestClient *c = data;

  c->closed = TRUE;
  c->close_code = soup_websocket_connection_get_close_code (ws);
}

static void
ws_connected (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GError) error = NULL;
  SoupWebsocketConnection *ws;
  RcTestClient *c;

  ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  c = data;
  c->pending--;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  c->status = soup_message_get_status (c->msg);
  if (ws == NULL)
    {
      c->closed = TRUE;
      return;
    }
  c->ws = ws;
  c->open = TRUE;
  g_signal_connect (ws, "message", G_CALLBACK (ws_message), c);
  g_signal_connect (ws, "closed", G_CALLBACK (ws_closed), c);
}

/* -------- Server-Sent Events */

static void read_line (RcTestClient *c);

static void
sse_field (RcTestClient *c, const char *line)
{
  const char *colon = strchr (line, ':');
  g_autofree char *name = NULL;
  const char *value;

  if (line[0] == ':')
    return; /* a comment */
  if (colon != NULL)
    {
      name = g_strndup (line, colon - line);
      value = colon[1] == ' ' ? colon + 2 : colon + 1;
    }
  else
    {
      name = g_strdup (line);
      value = "";
    }
  if (g_str_equal (name, "data"))
    {
      g_string_append (c->data, value);
      g_string_append_c (c->data, '\n');
      c->has_data = TRUE;
    }
  else if (g_str_equal (name, "event"))
    {
      g_free (c->event);
      c->event = g_strdup (value);
    }
  else if (g_str_equal (name, "id"))
    {
      g_free (c->sse_last_id);
      c->sse_last_id = g_strdup (value);
    }
  else if (g_str_equal (name, "retry"))
    c->retry = g_ascii_strtoll (value, NULL, 10);
}

static void
sse_dispatch (RcTestClient *c)
{
  if (c->has_data)
    {
      /* The data buffer ends with the newline of its last line. */
      g_string_truncate (c->data, c->data->len - 1);
      receive (c, c->data->str, c->data->len, c->event != NULL ? c->event : "message");
    }
  g_string_truncate (c->data, 0);
  c->has_data = FALSE;
  g_clear_pointer (&c->event, g_free);
}

static void
line_read (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GError) error = NULL;
  gsize length;
  g_autofree char *line
    = g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (source), result, &length, &error);
  RcTestClient *c = data;

  c->pending--;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || c->stopped)
    return;
  if (line == NULL)
    {
      /* The end of the response: an unfinished block is dropped, as EventSource does. */
      if (c->refusal != NULL)
        c->refusal_body = g_string_free (g_steal_pointer (&c->refusal), FALSE);
      c->closed = TRUE;
      return;
    }
  if (length > 0 && line[length - 1] == '\r')
    line[--length] = '\0';
  if (c->refusal != NULL)
    g_string_append (c->refusal, line);
  else if (length == 0)
    sse_dispatch (c);
  else
    sse_field (c, line);
  read_line (c);
}

static void
read_line (RcTestClient *c)
{
  c->pending++;
  g_data_input_stream_read_line_async (c->lines, G_PRIORITY_DEFAULT, c->cancellable, line_read, c);
}

static void
sse_sent (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GInputStream) stream
    = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  RcTestClient *c = data;

  c->pending--;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  c->status = soup_message_get_status (c->msg);
  if (stream == NULL)
    {
      c->closed = TRUE;
      return;
    }
  c->lines = g_data_input_stream_new (stream);
  g_data_input_stream_set_newline_type (c->lines, G_DATA_STREAM_NEWLINE_TYPE_LF);
  if (c->status == SOUP_STATUS_OK)
    {
      g_assert_cmpstr (
        soup_message_headers_get_content_type (soup_message_get_response_headers (c->msg), NULL),
        ==, "text/event-stream");
      c->open = TRUE;
    }
  else
    c->refusal = g_string_new (NULL);
  read_line (c);
}

void
rc_test_client_start (RcTestClient *c)
{
  g_autofree char *query = NULL;
  g_autofree char *url = NULL;
  SoupMessageHeaders *headers;

  g_assert_null (c->session);
  c->session = soup_session_new_with_options ("timeout", 0, "idle-timeout", 0, NULL);
  if (c->tls_database != NULL)
    soup_session_set_tls_database (c->session, c->tls_database);
  if (c->start_id != NULL && c->id_place == RC_TEST_ID_QUERY)
    {
      g_autofree char *escaped = g_uri_escape_string (c->start_id, NULL, FALSE);

      query = g_strconcat ("?last_event_id=", escaped, NULL);
    }
  url = g_strconcat (c->base_url, c->transport == RC_TEST_WS ? "/v1/feed" : "/v1/events",
                     query != NULL ? query : "", NULL);
  c->msg = soup_message_new ("GET", url);
  g_assert_nonnull (c->msg);
  headers = soup_message_get_request_headers (c->msg);
  if (c->start_id != NULL && c->id_place == RC_TEST_ID_HEADER)
    soup_message_headers_replace (headers, "Last-Event-ID", c->start_id);

  if (c->transport == RC_TEST_WS)
    {
      const char *protocols[] = { c->protocol, NULL };

      c->pending++;
      soup_session_websocket_connect_async (c->session, c->msg, NULL,
                                            c->protocol != NULL ? (char **) protocols : NULL,
                                            G_PRIORITY_DEFAULT, c->cancellable, ws_connected, c);
    }
  else
    {
      soup_message_headers_replace (headers, "Accept", "text/event-stream");
      c->pending++;
      soup_session_send_async (c->session, c->msg, G_PRIORITY_DEFAULT, c->cancellable, sse_sent, c);
    }
}

RcTestClient *
rc_test_client_connect (const char *base_url, RcTestTransport transport, const char *last_event_id)
{
  RcTestClient *c = rc_test_client_new (base_url, transport);

  rc_test_client_set_last_event_id (c, last_event_id,
                                    transport == RC_TEST_WS ? RC_TEST_ID_QUERY : RC_TEST_ID_HEADER);
  rc_test_client_start (c);
  RC_TEST_WAIT_FOR (c->open || c->closed);
  if (!c->open)
    g_error ("the feed refused a client: HTTP %u %s", c->status,
             c->refusal_body != NULL ? c->refusal_body : "");
  return c;
}

RcTestClient *
rc_test_client_reconnect (RcTestClient *old)
{
  RcTestClient *c = rc_test_client_new (old->base_url, old->transport);

  g_assert_nonnull (old->last_event_id);
  rc_test_client_set_last_event_id (
    c, old->last_event_id, old->transport == RC_TEST_WS ? RC_TEST_ID_QUERY : RC_TEST_ID_HEADER);
  rc_test_client_set_session (c, old->state);
  rc_test_client_start (c);
  RC_TEST_WAIT_FOR (c->open || c->closed);
  if (!c->open)
    g_error ("the feed refused a reconnecting client: HTTP %u", c->status);
  return c;
}

/* Cancels what is in flight and waits for it, so that no callback outlives c. */
static void
cancel_pending (RcTestClient *c)
{
  g_cancellable_cancel (c->cancellable);
  if (c->pending > 0)
    RC_TEST_WAIT_FOR (c->pending == 0);
}

void
rc_test_client_close (RcTestClient *c)
{
  c->stopped = TRUE;
  if (c->ws != NULL && soup_websocket_connection_get_state (c->ws) == SOUP_WEBSOCKET_STATE_OPEN)
    {
      soup_websocket_connection_close (c->ws, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
      RC_TEST_WAIT_FOR (c->closed);
      return;
    }
  cancel_pending (c);
  /* Closing a response before its end closes its connection. */
  if (c->lines != NULL)
    g_input_stream_close (G_INPUT_STREAM (c->lines), NULL, NULL);
  if (c->session != NULL)
    soup_session_abort (c->session);
  c->closed = TRUE;
}

void
rc_test_client_free (RcTestClient *c)
{
  if (c == NULL)
    return;
  cancel_pending (c);
  if (c->ws != NULL)
    {
      g_signal_handlers_disconnect_by_data (c->ws, c);
      if (soup_websocket_connection_get_state (c->ws) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (c->ws, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
      g_object_unref (c->ws);
    }
  if (c->lines != NULL)
    g_input_stream_close (G_INPUT_STREAM (c->lines), NULL, NULL);
  if (c->session != NULL)
    soup_session_abort (c->session);
  g_clear_object (&c->lines);
  g_clear_object (&c->msg);
  g_clear_object (&c->session);
  g_clear_object (&c->cancellable);
  g_clear_object (&c->tls_database);
  g_clear_object (&c->state);
  g_ptr_array_unref (c->frames);
  if (c->refusal != NULL)
    g_string_free (c->refusal, TRUE);
  g_string_free (c->data, TRUE);
  g_free (c->refusal_body);
  g_free (c->event);
  g_free (c->sse_last_id);
  g_free (c->stream);
  g_free (c->last_event_id);
  g_free (c->start_id);
  g_free (c->protocol);
  g_free (c->base_url);
  g_free (c);
}

gboolean
rc_test_client_is_open (RcTestClient *c)
{
  return c->open;
}

gboolean
rc_test_client_is_closed (RcTestClient *c)
{
  return c->closed;
}

guint
rc_test_client_get_http_status (RcTestClient *c)
{
  return c->status;
}

const char *
rc_test_client_get_refusal_body (RcTestClient *c)
{
  return c->refusal_body;
}

gushort
rc_test_client_get_close_code (RcTestClient *c)
{
  return c->close_code;
}

SoupWebsocketConnection *
rc_test_client_get_websocket (RcTestClient *c)
{
  return c->ws;
}

GPtrArray *
rc_test_client_get_frames (RcTestClient *c)
{
  return c->frames;
}

guint
rc_test_client_count (RcTestClient *c, RcMessageKind kind)
{
  guint n = 0;

  for (guint i = 0; i < c->frames->len; i++)
    n += ((RcTestFrame *) g_ptr_array_index (c->frames, i))->message->kind == kind;
  return n;
}

const RcMessage *
rc_test_client_get_last_heartbeat (RcTestClient *c)
{
  return c->last_heartbeat;
}

const char *
rc_test_client_get_last_event_id (RcTestClient *c)
{
  return c->last_event_id;
}

gint64
rc_test_client_get_last_seq (RcTestClient *c)
{
  return c->last_seq;
}

RcSession *
rc_test_client_get_session (RcTestClient *c)
{
  return c->state;
}

const char *
rc_test_client_get_sse_last_event_id (RcTestClient *c)
{
  return c->sse_last_id;
}

gint64
rc_test_client_get_sse_retry (RcTestClient *c)
{
  return c->retry;
}

const RcTestFrame *
rc_test_client_first_frame (RcTestClient *c, RcMessageKind kind)
{
  for (guint i = 0; i < c->frames->len; i++)
    if (((RcTestFrame *) g_ptr_array_index (c->frames, i))->message->kind == kind)
      return g_ptr_array_index (c->frames, i);
  return NULL;
}

void
rc_test_client_wait_caught_up (RcTestClient *c, RcFeedHub *hub)
{
  RC_TEST_WAIT_FOR (c->last_seq == rc_feed_hub_get_last_seq (hub));
}

void
rc_test_client_assert_state (RcTestClient *c, RcTestFeed *feed)
{
  g_autofree char *expected = rc_test_feed_dump (feed);
  g_autofree char *got = rc_test_session_dump (c->state);

  g_assert_cmpstr (got, ==, expected);
}
