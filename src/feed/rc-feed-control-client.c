/* rc-feed-control-client.c — the desk's side of the control API.
 *
 * One SoupSession, bodies written with rc-json-writer, replies read with the strict
 * reader. A refusal's reason is the server's own message (§7 "Errors"); what is not
 * such a reply (a proxy's page, a dropped connection) is worded from the status. */
#include "rc-feed-control-client.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "model/rc-error.h"
#include "codec/rc-json-reader.h"
#include "rc-feed-history.h"
#include "rc-feed-tls.h"
#include "codec/rc-json-writer.h"

/* A desk that waits longer than this for an answer has lost its feed: say so. */
#define REQUEST_TIMEOUT_SECONDS 10
/* The longest refusal read (a server's error is a few hundred bytes). */
#define REPLY_MAX (64 * 1024)

struct _RcFeedControlClient {
  GObject parent_instance;

  SoupSession *soup;
  GUri *base; /* http(s)://host:port */
  char *authorization;
  /* One request at a time, in the order asked: a take and a blank sent a millisecond
   * apart must reach the feed in that order, which two connections would not promise. */
  GQueue waiting; /* of GTask */
  gboolean busy;
};

G_DEFINE_FINAL_TYPE (RcFeedControlClient, rc_feed_control_client, G_TYPE_OBJECT)

static void
rc_feed_control_client_finalize (GObject *object)
{
  RcFeedControlClient *self = RC_FEED_CONTROL_CLIENT (object);

  /* (a waiting request holds the client: none is left at finalize) */
  g_clear_object (&self->soup);
  g_clear_pointer (&self->base, g_uri_unref);
  if (self->authorization != NULL)
    memset (self->authorization, 0, strlen (self->authorization));
  g_free (self->authorization);
  G_OBJECT_CLASS (rc_feed_control_client_parent_class)->finalize (object);
}

static void
rc_feed_control_client_class_init (RcFeedControlClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rc_feed_control_client_finalize;
}

static void
rc_feed_control_client_init (RcFeedControlClient *self)
{
  g_queue_init (&self->waiting);
}

RcFeedControlClient *
rc_feed_control_client_new (const char *url, const char *token, GError **error)
{
  g_autoptr (RcFeedControlClient) self = NULL;
  g_autoptr (GUri) uri = NULL;
  g_autoptr (GError) local = NULL;
  const char *scheme;
  gboolean secure;

  g_return_val_if_fail (url != NULL && token != NULL, NULL);

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, &local);
  if (uri == NULL)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_ARGUMENT, _ ("'%s' is not a URL: %s"), url,
                   local->message);
      return NULL;
    }
  scheme = g_uri_get_scheme (uri);
  secure = g_ascii_strcasecmp (scheme, "wss") == 0 || g_ascii_strcasecmp (scheme, "https") == 0;
  if (!secure && g_ascii_strcasecmp (scheme, "ws") != 0 && g_ascii_strcasecmp (scheme, "http") != 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_ARGUMENT,
                   _ ("'%s': a feed's URL starts with ws://, wss://, http:// or https://"), url);
      return NULL;
    }
  if (g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_ARGUMENT, _ ("'%s' names no server"), url);
      return NULL;
    }

  self = g_object_new (RC_TYPE_FEED_CONTROL_CLIENT, NULL);
  /* The control API is on the feed's host and port, over HTTP(S) whatever the
   * subscription's transport. */
  self->base = g_uri_build (G_URI_FLAGS_NONE, secure ? "https" : "http", NULL, g_uri_get_host (uri),
                            g_uri_get_port (uri), "", NULL, NULL);
  self->authorization = g_strdup_printf ("Bearer %s", token);
  self->soup
    = soup_session_new_with_options ("timeout", REQUEST_TIMEOUT_SECONDS, "idle-timeout", 60, NULL);
  return g_steal_pointer (&self);
}

gboolean
rc_feed_control_client_set_ca_file (RcFeedControlClient *self, const char *path, GError **error)
{
  g_autoptr (GTlsDatabase) database = NULL;

  g_return_val_if_fail (RC_IS_FEED_CONTROL_CLIENT (self), FALSE);

  database = rc_feed_tls_ca_database_new (path, error);
  if (database == NULL)
    return FALSE;
  soup_session_set_tls_database (self->soup, database);
  return TRUE;
}

/* ---- one request ------------------------------------------------------------------ */

/* The reason in a refusal's body, or NULL if the body is not one (§7 "Errors"). */
static char *
refusal_reason (GBytes *body)
{
  g_autoptr (json_t) root = NULL;
  json_t *error_object;
  json_t *message;
  gsize size;
  const char *data;

  if (body == NULL)
    return NULL;
  data = g_bytes_get_data (body, &size);
  if (size == 0 || !g_utf8_validate_len (data, size, NULL) || memchr (data, '\0', size) != NULL)
    return NULL;
  root = rc_json_parse (data, size, NULL);
  if (root == NULL)
    return NULL;
  error_object = json_object_get (root, "error");
  message = json_is_object (error_object) ? json_object_get (error_object, "message") : NULL;
  if (!json_is_string (message) || json_string_value (message)[0] == '\0')
    return NULL;
  /* One line, whatever the server sent. */
  return g_strdelimit (g_strdup (json_string_value (message)), "\r\n", ' ');
}

static void send_next (RcFeedControlClient *self);

/* The reply read whole (which lets the connection serve the next request): success,
 * or the refusal's reason. */
static void
on_body_read (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GTask) task = data;
  RcFeedControlClient *self = g_task_get_source_object (task);
  SoupMessage *message = g_task_get_task_data (task);
  g_autoptr (GBytes) body = NULL;
  g_autofree char *reason = NULL;
  guint status = soup_message_get_status (message);

  body = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, NULL);
  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    g_task_return_boolean (task, TRUE);
  else
    {
      reason = refusal_reason (body);
      if (reason == NULL)
        reason = g_strdup (soup_message_get_reason_phrase (message) != NULL
                               && soup_message_get_reason_phrase (message)[0] != '\0'
                             ? soup_message_get_reason_phrase (message)
                             : soup_status_get_phrase (status));
      g_task_return_new_error (task, RC_ERROR,
                               status == 409   ? RC_ERROR_LIFECYCLE
                               : status == 404 ? RC_ERROR_UNKNOWN_VOTE
                               : status == 422 ? RC_ERROR_UNKNOWN_MEMBER
                                               : RC_ERROR_FAILED,
                               /* Translators: a refusal from the feed: its reason, the
                                * HTTP status */
                               _ ("%s (%u)"), reason, status);
    }
  send_next (self);
}

static void
on_sent (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GTask) task = data;
  RcFeedControlClient *self = g_task_get_source_object (task);
  g_autoptr (GInputStream) stream = NULL;
  g_autoptr (GError) error = NULL;
  GCancellable *cancellable;

  stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (stream == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, RC_ERROR, RC_ERROR_FAILED,
                                 _ ("the feed could not be reached: %s"), error->message);
      send_next (self);
      return;
    }
  cancellable = g_task_get_cancellable (task);
  g_input_stream_read_bytes_async (stream, REPLY_MAX, G_PRIORITY_DEFAULT, cancellable, on_body_read,
                                   g_steal_pointer (&task));
}

static void
send_task (RcFeedControlClient *self, GTask *task)
{
  self->busy = TRUE;
  soup_session_send_async (self->soup, g_task_get_task_data (task), G_PRIORITY_DEFAULT,
                           g_task_get_cancellable (task), on_sent, task);
}

/* The last request is answered: the next one, if any. */
static void
send_next (RcFeedControlClient *self)
{
  GTask *task = g_queue_pop_head (&self->waiting);

  self->busy = FALSE;
  if (task != NULL)
    send_task (self, task);
}

static void
post (RcFeedControlClient *self, const char *path, GString *body, GCancellable *cancellable,
      GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (GUri) uri = NULL;
  g_autoptr (GBytes) bytes = g_string_free_to_bytes (body);
  SoupMessage *message;

  g_task_set_source_tag (task, post);
  uri = g_uri_build (G_URI_FLAGS_ENCODED_PATH, g_uri_get_scheme (self->base), NULL,
                     g_uri_get_host (self->base), g_uri_get_port (self->base), path, NULL, NULL);
  message = soup_message_new_from_uri (SOUP_METHOD_POST, uri);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization",
                                self->authorization);
  soup_message_set_request_body_from_bytes (message, "application/json", bytes);
  g_task_set_task_data (task, message, g_object_unref);
  if (self->busy)
    g_queue_push_tail (&self->waiting, task);
  else
    send_task (self, task);
}

/* /v1/votes/{id}/action, the id escaped as a path segment. */
static char *
vote_path (const char *vote_id, const char *action)
{
  g_autofree char *escaped = g_uri_escape_string (vote_id, NULL, FALSE);

  return g_strdup_printf ("/v1/votes/%s/%s", escaped, action);
}

void
rc_feed_control_client_take_async (RcFeedControlClient *self, RcOnAir show, const char *vote_id,
                                   const char *text, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data)
{
  GString *body = g_string_new (NULL);

  g_return_if_fail (RC_IS_FEED_CONTROL_CLIENT (self));
  g_return_if_fail (show != RC_ON_AIR_VOTE || vote_id != NULL);

  rc_json_begin_object (body);
  rc_json_add_string (body, "show", rc_on_air_to_string (show));
  if (show == RC_ON_AIR_VOTE)
    rc_json_add_string (body, "vote", vote_id);
  if (show == RC_ON_AIR_HOLDING && text != NULL && text[0] != '\0')
    rc_json_add_string (body, "text", text);
  rc_json_end_object (body);
  post (self, "/v1/on-air", body, cancellable, callback, user_data);
}

void
rc_feed_control_client_vote_action_async (RcFeedControlClient *self, const char *vote_id,
                                          const char *action, const char *note,
                                          GCancellable *cancellable, GAsyncReadyCallback callback,
                                          gpointer user_data)
{
  GString *body = g_string_new (NULL);
  g_autofree char *path = NULL;

  g_return_if_fail (RC_IS_FEED_CONTROL_CLIENT (self));
  g_return_if_fail (vote_id != NULL && action != NULL);

  rc_json_begin_object (body);
  if (note != NULL && note[0] != '\0')
    rc_json_add_string (body, "note", note);
  rc_json_end_object (body);
  path = vote_path (vote_id, action);
  post (self, path, body, cancellable, callback, user_data);
}

void
rc_feed_control_client_correct_async (RcFeedControlClient *self, const char *vote_id,
                                      const char *member, RcChoice choice, const char *note,
                                      GCancellable *cancellable, GAsyncReadyCallback callback,
                                      gpointer user_data)
{
  GString *body = g_string_new (NULL);
  g_autofree char *path = NULL;

  g_return_if_fail (RC_IS_FEED_CONTROL_CLIENT (self));
  g_return_if_fail (vote_id != NULL && member != NULL);

  rc_json_begin_object (body);
  rc_json_add_string (body, "member", member);
  rc_json_add_string (body, "choice", rc_choice_to_string (choice));
  if (note != NULL && note[0] != '\0')
    rc_json_add_string (body, "note", note);
  rc_json_end_object (body);
  path = vote_path (vote_id, "correct");
  post (self, path, body, cancellable, callback, user_data);
}

void
rc_feed_control_client_describe_async (RcFeedControlClient *self, const RcVoteInfo *vote,
                                       GCancellable *cancellable, GAsyncReadyCallback callback,
                                       gpointer user_data)
{
  GString *body = g_string_new (NULL);

  g_return_if_fail (RC_IS_FEED_CONTROL_CLIENT (self));
  g_return_if_fail (vote != NULL && vote->id != NULL);

  rc_json_begin_object (body);
  rc_json_add_string (body, "vote", vote->id);
  if (vote->symbol != NULL)
    rc_json_add_string (body, "symbol", vote->symbol);
  if (vote->draft != NULL)
    rc_json_add_string (body, "draft", vote->draft);
  rc_json_add_string (body, "title", vote->title != NULL ? vote->title : "");
  rc_json_add_string (body, "majority", rc_majority_to_string (vote->majority));
  rc_json_add_bool (body, "recorded", vote->recorded);
  rc_json_add_string (body, "reveal", rc_reveal_to_string (vote->reveal));
  rc_json_add_string (body, "result_shown", rc_result_shown_to_string (vote->result_shown));
  rc_json_end_object (body);
  post (self, "/v1/votes", body, cancellable, callback, user_data);
}

void
rc_feed_control_client_fetch_history_async (RcFeedControlClient *self, const char *stream,
                                            gint64 up_to, GCancellable *cancellable,
                                            GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (RC_IS_FEED_CONTROL_CLIENT (self));
  g_return_if_fail (stream != NULL);

  rc_feed_history_fetch_async (self->base, soup_session_get_tls_database (self->soup), stream,
                               up_to, cancellable, callback, user_data);
}

gboolean
rc_feed_control_client_finish (RcFeedControlClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
