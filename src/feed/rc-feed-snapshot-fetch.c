/* rc-feed-snapshot-fetch.c — GET /v1/snapshot beside a feed's stream
 * (rc-feed-snapshot-fetch.h). */
#include "rc-feed-snapshot-fetch.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "codec/rc-codec.h"
#include "model/rc-error.h"

#define READ_CHUNK 65536

typedef struct {
  SoupMessage *msg;
  GInputStream *body;
  GByteArray *data;
  GCancellable *cancellable; /* the caller's, or ours for the timeout */
  guint timeout_id;
  gboolean timed_out;
} Fetch;

static void
fetch_free (Fetch *f)
{
  g_clear_handle_id (&f->timeout_id, g_source_remove);
  g_clear_object (&f->msg);
  g_clear_object (&f->body);
  g_byte_array_unref (f->data);
  g_clear_object (&f->cancellable);
  g_free (f);
}

GUri *
rc_feed_snapshot_uri (GUri *feed_uri)
{
  const char *scheme = g_uri_get_scheme (feed_uri);
  const char *path = g_uri_get_path (feed_uri);
  const char *slash = strrchr (path, '/');
  gboolean tls
    = g_ascii_strcasecmp (scheme, "wss") == 0 || g_ascii_strcasecmp (scheme, "https") == 0;
  g_autofree char *dir
    = slash != NULL ? g_strndup (path, (gsize) (slash - path)) : g_strdup ("/v1");
  g_autofree char *snapshot = g_strconcat (dir, "/snapshot", NULL);

  return g_uri_build (g_uri_get_flags (feed_uri) & ~G_URI_FLAGS_ENCODED_QUERY,
                      tls ? "https" : "http", g_uri_get_userinfo (feed_uri),
                      g_uri_get_host (feed_uri), g_uri_get_port (feed_uri), snapshot, NULL, NULL);
}

static void
fail (GTask *task, const char *reason)
{
  g_task_return_new_error (task, RC_ERROR, RC_ERROR_BAD_MESSAGE, _ ("snapshot: %s"), reason);
  g_object_unref (task);
}

static void on_read (GObject *source, GAsyncResult *result, gpointer data);

static void
read_more (GTask *task)
{
  Fetch *f = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (f->body, READ_CHUNK, G_PRIORITY_DEFAULT, f->cancellable, on_read,
                                   task);
}

static void
finish (GTask *task)
{
  Fetch *f = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (RcMessage) message
    = rc_codec_decode_message ((const char *) f->data->data, (gssize) f->data->len, &error);

  if (message == NULL)
    {
      fail (task, error->message);
      return;
    }
  if (message->kind != RC_MESSAGE_SNAPSHOT)
    {
      fail (task, _ ("the answer is not a snapshot"));
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&message), (GDestroyNotify) rc_message_free);
  g_object_unref (task);
}

static void
on_read (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  Fetch *f = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes
    = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);

  if (bytes == NULL)
    {
      fail (task, f->timed_out ? _ ("no answer from the server") : error->message);
      return;
    }
  if (g_bytes_get_size (bytes) == 0)
    {
      finish (task);
      return;
    }
  if (f->data->len + g_bytes_get_size (bytes) > RC_CODEC_MAX_MESSAGE)
    {
      fail (task, _ ("the answer is larger than a message may be (1 MiB)"));
      return;
    }
  g_byte_array_append (f->data, g_bytes_get_data (bytes, NULL), (guint) g_bytes_get_size (bytes));
  read_more (task);
}

static void
on_sent (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  Fetch *f = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  guint status;

  f->body = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (f->body == NULL)
    {
      fail (task, f->timed_out ? _ ("no answer from the server") : error->message);
      return;
    }
  status = soup_message_get_status (f->msg);
  if (status != SOUP_STATUS_OK)
    {
      g_autofree char *reason
        = g_strdup_printf ("HTTP %u %s", status, soup_message_get_reason_phrase (f->msg));

      g_strdelimit (reason, "\r\n", ' ');
      fail (task, reason);
      return;
    }
  read_more (task);
}

static gboolean
on_timeout (gpointer data)
{
  Fetch *f = data;

  f->timeout_id = 0;
  f->timed_out = TRUE;
  g_cancellable_cancel (f->cancellable);
  return G_SOURCE_REMOVE;
}

static void
on_cancelled (GCancellable *outer, gpointer data)
{
  g_cancellable_cancel (data);
}

void
rc_feed_snapshot_fetch_async (SoupSession *session, GUri *feed_uri, guint timeout_ms,
                              GCancellable *cancellable, GAsyncReadyCallback callback,
                              gpointer user_data)
{
  g_autoptr (GUri) uri = rc_feed_snapshot_uri (feed_uri);
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Fetch *f = g_new0 (Fetch, 1);

  g_task_set_task_data (task, f, (GDestroyNotify) fetch_free);
  f->data = g_byte_array_new ();
  f->msg = soup_message_new_from_uri (SOUP_METHOD_GET, uri);
  soup_message_add_flags (f->msg, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_headers_replace (soup_message_get_request_headers (f->msg), "Accept",
                                "application/json");
  /* A cancellable of our own, so that the timeout cancels this fetch only. */
  f->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled), g_object_ref (f->cancellable),
                           g_object_unref);
  f->timeout_id = g_timeout_add (timeout_ms, on_timeout, f);
  soup_session_send_async (session, f->msg, G_PRIORITY_DEFAULT, f->cancellable, on_sent, task);
}

RcMessage *
rc_feed_snapshot_fetch_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
