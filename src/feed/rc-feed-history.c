/* rc-feed-history.c — what went on air before the desk connected: the stream's events
 * from its start, read once over Server-Sent Events from position STREAM:0
 * (docs/feed-protocol.md §4: a server that still keeps them sends every event from
 * seq 1, without a snapshot), the on-air ones kept, up to the position the desk's own
 * subscription started from. A server that no longer keeps them answers with a
 * snapshot: then there is no earlier history to give (RC_ERROR_SEQUENCE), as when the
 * events do not come from seq 1 in order. A feed is given FETCH_SECONDS and
 * FETCH_MAX_BYTES for the whole, and no redirection. */
#include "rc-feed-history.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "model/rc-error.h"
#include "codec/rc-codec.h"
#include "codec/rc-message.h"
#include "rc-sse-parser.h"

#define READ_CHUNK 16384
/* The whole history, at most: a feed that trickles is left after this… */
#define FETCH_SECONDS 60
/* …or after this much (10,000 events of a sitting are a few MB). */
#define FETCH_MAX_BYTES (64 * 1024 * 1024)

typedef struct {
  SoupSession *soup;
  SoupMessage *message;
  GInputStream *stream;
  RcSseParser *parser;
  char *stream_name;
  gint64 up_to;
  gint64 next_seq;   /* the sequence number the next event must have */
  gsize bytes;       /* read so far */
  GPtrArray *on_air; /* of RcEvent */
  gboolean done;
  GError *error;
  GCancellable *cancel; /* ours: cancelled by the caller's, or by the deadline */
  GCancellable *caller;
  gulong caller_handler;
  guint deadline_id;
  gboolean timed_out;
  guint8 buffer[READ_CHUNK];
} Fetch;

static void
fetch_free (Fetch *f)
{
  g_clear_handle_id (&f->deadline_id, g_source_remove);
  if (f->caller != NULL)
    g_cancellable_disconnect (f->caller, f->caller_handler);
  g_clear_object (&f->caller);
  g_clear_object (&f->stream);
  g_clear_object (&f->message);
  g_clear_object (&f->soup);
  g_clear_object (&f->cancel);
  g_clear_pointer (&f->parser, rc_sse_parser_free);
  g_clear_pointer (&f->on_air, g_ptr_array_unref);
  g_clear_error (&f->error);
  g_free (f->stream_name);
  g_free (f);
}

/* No history to give: the feed keeps no more of it, or sent it out of order. */
static gboolean
none (Fetch *f)
{
  g_set_error (&f->error, RC_ERROR, RC_ERROR_SEQUENCE,
               _ ("the feed no longer keeps the sitting's first events"));
  return FALSE;
}

/* One message of the stream: FALSE once there is no more to read. */
static gboolean
on_data (const char *data, gsize length, gpointer user_data)
{
  Fetch *f = user_data;
  g_autoptr (RcMessage) message = rc_codec_decode_message (data, length, &f->error);

  if (message == NULL)
    return FALSE;
  if (message->kind == RC_MESSAGE_HEARTBEAT)
    return TRUE;
  if (message->kind == RC_MESSAGE_SNAPSHOT || g_strcmp0 (message->stream, f->stream_name) != 0)
    return none (f);
  /* the stream from its start, in order */
  if (message->event->seq != f->next_seq)
    return none (f);
  f->next_seq++;
  if (message->event->type == RC_EVENT_ON_AIR)
    g_ptr_array_add (f->on_air, rc_event_ref (message->event));
  if (message->event->seq >= f->up_to)
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

  if (f->timed_out)
    {
      g_clear_error (&f->error);
      g_set_error (&f->error, RC_ERROR, RC_ERROR_FAILED,
                   _ ("the feed did not send the history within %d s"), FETCH_SECONDS);
    }
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
  f->bytes += (gsize) n;
  if (f->bytes > FETCH_MAX_BYTES)
    {
      g_set_error (&f->error, RC_ERROR, RC_ERROR_BAD_MESSAGE,
                   _ ("the feed sent more than %d MiB of history"), FETCH_MAX_BYTES >> 20);
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
  g_input_stream_read_async (f->stream, f->buffer, sizeof f->buffer, G_PRIORITY_LOW, f->cancel,
                             on_read, task);
}

static void
on_sent (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  Fetch *f = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  const char *type;

  f->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (f->stream == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        f->error = g_steal_pointer (&error);
      else
        g_set_error (&f->error, RC_ERROR, RC_ERROR_FAILED, _ ("the feed could not be reached: %s"),
                     error->message);
      finish (task);
      return;
    }
  type
    = soup_message_headers_get_content_type (soup_message_get_response_headers (f->message), NULL);
  if (soup_message_get_status (f->message) != SOUP_STATUS_OK
      || g_strcmp0 (type, "text/event-stream") != 0)
    {
      g_set_error (&f->error, RC_ERROR, RC_ERROR_FAILED,
                   _ ("the feed answered %u, not an event stream"),
                   soup_message_get_status (f->message));
      finish (task);
      return;
    }
  g_input_stream_read_async (f->stream, f->buffer, sizeof f->buffer, G_PRIORITY_LOW, f->cancel,
                             on_read, task);
}

static void
on_caller_cancelled (GCancellable *caller, gpointer data)
{
  g_cancellable_cancel (data);
}

static gboolean
on_deadline (gpointer data)
{
  Fetch *f = g_task_get_task_data (data);

  f->deadline_id = 0;
  f->timed_out = TRUE;
  g_cancellable_cancel (f->cancel);
  return G_SOURCE_REMOVE;
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
  g_autofree char *escaped = g_uri_escape_string (id, NULL, FALSE);
  g_autofree char *query = g_strdup_printf ("last_event_id=%s", escaped);

  g_task_set_source_tag (task, rc_feed_history_fetch_async);
  g_task_set_task_data (task, f, (GDestroyNotify) fetch_free);
  f->stream_name = g_strdup (stream);
  f->up_to = up_to;
  f->next_seq = 1;
  f->on_air = g_ptr_array_new_with_free_func ((GDestroyNotify) rc_event_unref);
  f->parser = rc_sse_parser_new (RC_CODEC_MAX_MESSAGE);
  if (up_to <= 0)
    {
      finish (task);
      return;
    }

  f->cancel = g_cancellable_new ();
  if (cancellable != NULL)
    {
      f->caller = g_object_ref (cancellable);
      f->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (on_caller_cancelled),
                                                 g_object_ref (f->cancel), g_object_unref);
    }
  f->deadline_id = g_timeout_add_seconds (FETCH_SECONDS, on_deadline, task);
  /* No compression asked for. */
  f->soup = soup_session_new_with_options ("timeout", FETCH_SECONDS, NULL);
  soup_session_remove_feature_by_type (f->soup, SOUP_TYPE_CONTENT_DECODER);
  if (ca != NULL)
    soup_session_set_tls_database (f->soup, ca);
  /* (the position as a query parameter, which holds any stream id a header might not) */
  uri = g_uri_build (G_URI_FLAGS_ENCODED_QUERY, g_uri_get_scheme (base), NULL,
                     g_uri_get_host (base), g_uri_get_port (base), "/v1/events", query, NULL);
  f->message = soup_message_new_from_uri (SOUP_METHOD_GET, uri);
  soup_message_add_flags (f->message, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_headers_replace (soup_message_get_request_headers (f->message), "Accept",
                                "text/event-stream");
  soup_session_send_async (f->soup, f->message, G_PRIORITY_LOW, f->cancel, on_sent, task);
}

GPtrArray *
rc_feed_history_fetch_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
