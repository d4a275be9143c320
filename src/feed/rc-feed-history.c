/* rc-feed-history.c — what went on air before the desk connected: the stream's events
 * from its start, read once over Server-Sent Events from position STREAM:0
 * (docs/feed-protocol.md §4: a server that still keeps them sends every event from
 * seq 1, without a snapshot), the on-air ones kept, up to the position the desk's own
 * subscription started from. A server that no longer keeps them answers with a
 * snapshot: then there is no earlier history to give, and the request says so. */
#include "rc-feed-history.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "model/rc-error.h"
#include "rc-codec.h"
#include "rc-message.h"
#include "rc-sse-parser.h"

#define READ_CHUNK 16384

typedef struct {
  SoupSession *soup;
  SoupMessage *message;
  GInputStream *stream;
  RcSseParser *parser;
  char *stream_name;
  gint64 up_to;
  GPtrArray *on_air; /* of RcEvent */
  gboolean kept;     /* the server had the events from the start */
  gint64 messages;   /* read so far: a server that never gets there is left */
  gboolean done;
  GError *error;
  guint8 buffer[READ_CHUNK];
} Fetch;

static void
fetch_free (Fetch *f)
{
  g_clear_object (&f->stream);
  g_clear_object (&f->message);
  g_clear_object (&f->soup);
  g_clear_pointer (&f->parser, rc_sse_parser_free);
  g_clear_pointer (&f->on_air, g_ptr_array_unref);
  g_clear_error (&f->error);
  g_free (f->stream_name);
  g_free (f);
}

/* One message of the stream: FALSE once there is no more to read. */
static gboolean
on_data (const char *data, gsize length, gpointer user_data)
{
  Fetch *f = user_data;
  g_autoptr (RcMessage) message = rc_codec_decode_message (data, length, &f->error);

  if (message == NULL)
    return FALSE;
  /* up_to events, and the heartbeats of their time, at most: not an endless stream */
  if (++f->messages > f->up_to + 1000)
    {
      g_set_error (&f->error, RC_ERROR, RC_ERROR_BAD_MESSAGE,
                   _ ("the feed sent more than the %" G_GINT64_FORMAT
                      " events before the desk's position"),
                   f->up_to);
      return FALSE;
    }
  if (message->kind == RC_MESSAGE_HEARTBEAT)
    return TRUE;
  if (message->kind == RC_MESSAGE_SNAPSHOT || g_strcmp0 (message->stream, f->stream_name) != 0)
    {
      /* not kept any more (or another stream by now): no history to give */
      f->done = TRUE;
      return FALSE;
    }
  f->kept = TRUE;
  if (message->event->seq > f->up_to)
    {
      f->done = TRUE;
      return FALSE;
    }
  if (message->event->type == RC_EVENT_ON_AIR)
    g_ptr_array_add (f->on_air, rc_event_ref (message->event));
  if (message->event->seq == f->up_to)
    {
      f->done = TRUE;
      return FALSE;
    }
  return TRUE;
}

static void
finish (GTask *task)
{
  Fetch *f = g_task_get_task_data (task);

  if (f->error != NULL)
    g_task_return_error (task, g_steal_pointer (&f->error));
  else
    g_task_return_pointer (task, g_steal_pointer (&f->on_air), (GDestroyNotify) g_ptr_array_unref);
  g_object_unref (task);
}

static void
on_read (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  Fetch *f = g_task_get_task_data (task);
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &f->error);
  RcSseParserResult r;

  if (n < 0)
    {
      finish (task);
      return;
    }
  if (n == 0)
    {
      if (!f->done)
        g_set_error (&f->error, RC_ERROR, RC_ERROR_FAILED,
                     _ ("the feed closed the stream before the desk's position"));
      finish (task);
      return;
    }
  r = rc_sse_parser_feed (f->parser, f->buffer, (gsize) n, on_data, f);
  if (r == RC_SSE_PARSER_TOO_LONG)
    g_set_error (&f->error, RC_ERROR, RC_ERROR_BAD_MESSAGE, _ ("a message longer than %d bytes"),
                 RC_CODEC_MAX_MESSAGE);
  if (r != RC_SSE_PARSER_MORE || f->done || f->error != NULL)
    {
      finish (task);
      return;
    }
  g_input_stream_read_async (f->stream, f->buffer, sizeof f->buffer, G_PRIORITY_LOW,
                             g_task_get_cancellable (task), on_read, task);
}

static void
on_sent (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  Fetch *f = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;

  f->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (f->stream == NULL)
    {
      g_set_error (&f->error, RC_ERROR, RC_ERROR_FAILED, _ ("the feed could not be reached: %s"),
                   error->message);
      finish (task);
      return;
    }
  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (f->message)))
    {
      g_set_error (&f->error, RC_ERROR, RC_ERROR_FAILED, _ ("the feed answered %u"),
                   soup_message_get_status (f->message));
      finish (task);
      return;
    }
  g_input_stream_read_async (f->stream, f->buffer, sizeof f->buffer, G_PRIORITY_LOW,
                             g_task_get_cancellable (task), on_read, task);
}

void
rc_feed_history_fetch_async (GUri *base, GTlsDatabase *ca, const char *stream, gint64 up_to,
                             GCancellable *cancellable, GAsyncReadyCallback callback,
                             gpointer user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Fetch *f = g_new0 (Fetch, 1);
  g_autoptr (GUri) uri = NULL;
  g_autofree char *id = rc_event_id_format (stream, 0);

  g_task_set_source_tag (task, rc_feed_history_fetch_async);
  g_task_set_task_data (task, f, (GDestroyNotify) fetch_free);
  f->stream_name = g_strdup (stream);
  f->up_to = up_to;
  f->on_air = g_ptr_array_new_with_free_func ((GDestroyNotify) rc_event_unref);
  f->parser = rc_sse_parser_new (RC_CODEC_MAX_MESSAGE);
  /* No compression asked for; a minute at most for the whole history. */
  f->soup = soup_session_new_with_options ("timeout", 60, NULL);
  soup_session_remove_feature_by_type (f->soup, SOUP_TYPE_CONTENT_DECODER);
  if (ca != NULL)
    soup_session_set_tls_database (f->soup, ca);
  uri = g_uri_build (G_URI_FLAGS_NONE, g_uri_get_scheme (base), NULL, g_uri_get_host (base),
                     g_uri_get_port (base), "/v1/events", NULL, NULL);
  f->message = soup_message_new_from_uri (SOUP_METHOD_GET, uri);
  soup_message_headers_replace (soup_message_get_request_headers (f->message), "Last-Event-ID", id);
  soup_message_headers_replace (soup_message_get_request_headers (f->message), "Accept",
                                "text/event-stream");
  if (up_to <= 0)
    {
      finish (task);
      return;
    }
  soup_session_send_async (f->soup, f->message, G_PRIORITY_LOW, cancellable, on_sent, task);
}

GPtrArray *
rc_feed_history_fetch_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
