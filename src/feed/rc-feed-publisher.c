/* rc-feed-publisher.c — the origin's side of an nginx + nchan edge (rc-feed-publisher.h,
 * docs/deploy.md). */
#include "rc-feed-publisher.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <stdlib.h>
#include <string.h>

#include "codec/rc-codec.h"
#include "model/rc-error.h"
#include "rc-backoff.h"
#include "rc-feed-hub.h"
#include "rc-feed-log.h"
#include "rc-feed-timing.h"

/* Back-off between attempts at an edge that is away (not scaled for tests: the
 * tests restart edges and want them found again soon, as a hall would). */
#define RETRY_BASE_MS 250
#define RETRY_CAP_MS 10000
/* A request the edge does not answer within this is a failure (nchan answers at once,
 * but holds a post while its Redis is away: the sooner it is tried again the better). */
#define REQUEST_TIMEOUT_S 5
/* What is read of an edge's answer (nchan's channel figures). */
#define ANSWER_READ 4096
/* The snapshot channel: at most this often while events come. */
#define SNAPSHOT_EVERY_MS 250

typedef enum {
  CHANNEL_EVENTS,
  CHANNEL_SNAPSHOT,
  CHANNEL_HEALTH,
} Channel;

static const char *const channel_names[] = { "events", "snapshot", "health" };

/* A message for the events channel. */
typedef struct {
  char *type;   /* its X-EventSource-Event */
  GBytes *body; /* the JSON text */
  char *stream;
  gint64 seq; /* an event's; 0 for a heartbeat */
} Item;

static void
item_free (Item *item)
{
  g_free (item->type);
  if (item->body != NULL)
    g_bytes_unref (item->body);
  g_free (item->stream);
  g_free (item);
}

typedef enum {
  POST_ITEM,     /* the queue's head */
  POST_SNAPSHOT, /* a snapshot to the events channel (then the snapshot channel) */
  POST_LATEST,   /* the newest snapshot to the snapshot channel */
  POST_HEALTH,
  CHECK_CHANNEL, /* GET: is the events channel still there? */
} Request;

struct _RcFeedPublisher {
  GObject parent_instance;

  RcFeedServer *server;
  RcFeedHub *hub;
  char *url; /* the prefix, ending in '/' */
  SoupSession *soup;
  GRand *rand;
  gboolean running;
  GCancellable *cancellable; /* of the request in flight */
  gboolean in_flight;
  Request request;
  char *request_stream; /* POST_SNAPSHOT: the snapshot's stream and seq */
  gint64 request_seq;

  GQueue queue;  /* of Item: for the events channel, in order */
  Item *sending; /* POST_ITEM: the item in flight, out of the queue */
  guint cleared; /* counts clear_queue(): an item that failed goes back only if none came */
  guint sending_cleared;
  gboolean need_snapshot; /* the events channel starts (again) from a snapshot */
  guint snapshot_wanted;  /* counts the reasons for one: a snapshot built before the
                           * last of them does not satisfy it */
  guint request_wanted;   /* POST_SNAPSHOT: snapshot_wanted when it was built */
  gboolean need_check;    /* after a failure: does the edge still hold the channel? */
  gboolean up;
  guint attempt;
  guint retry_id;
  char *why; /* why the last attempt failed, for the log */

  char *posted_stream; /* what the events channel has from this origin */
  gint64 posted_seq;
  guint since_snapshot; /* messages posted to it after its last snapshot */
  guint n_snapshots;
  gint64 last_post;      /* monotonic µs, events channel */
  gint64 last_heartbeat; /* monotonic µs, when one was last queued */
  guint backlog;         /* messages kept for an edge that is away, at most */

  gboolean latest_dirty; /* the snapshot channel is behind the hub */
  gint64 latest_posted;  /* monotonic µs */
  gboolean health_due;
  guint tick_id;
  guint latest_id;
};

G_DEFINE_FINAL_TYPE (RcFeedPublisher, rc_feed_publisher, G_TYPE_OBJECT)

static void pump (RcFeedPublisher *self);

static void
want_snapshot (RcFeedPublisher *self)
{
  self->need_snapshot = TRUE;
  self->snapshot_wanted++;
}

/* ---------------------------------------------------------------- the queue */

static void
clear_queue (RcFeedPublisher *self)
{
  Item *item;

  while ((item = g_queue_pop_head (&self->queue)) != NULL)
    item_free (item);
  self->cleared++;
}

static void
enqueue (RcFeedPublisher *self, const char *type, char *json, const char *stream, gint64 seq)
{
  Item *item;

  if (self->queue.length >= self->backlog)
    {
      /* Away too long: a snapshot will say it all when the edge is back. */
      rc_feed_log ("edge %s: %u messages waiting; dropped, the edge will get a snapshot", self->url,
                   self->queue.length);
      clear_queue (self);
      want_snapshot (self);
      g_free (json);
      return;
    }
  item = g_new0 (Item, 1);
  item->type = g_strdup (type);
  item->body = json != NULL ? g_bytes_new_take (json, strlen (json)) : NULL;
  item->stream = g_strdup (stream);
  item->seq = seq;
  g_queue_push_tail (&self->queue, item);
}

/* The events a snapshot holds, and everything of another stream, are not posted
 * after it; neither are heartbeats written before it. */
static void
drop_covered (RcFeedPublisher *self, const char *stream, gint64 seq)
{
  GList *l = self->queue.head;

  while (l != NULL)
    {
      GList *next = l->next;
      Item *item = l->data;

      if (!g_str_equal (item->stream, stream) || item->seq <= seq)
        {
          item_free (item);
          g_queue_delete_link (&self->queue, l);
        }
      l = next;
    }
}

static void
mark_latest_dirty (RcFeedPublisher *self)
{
  self->latest_dirty = TRUE;
}

static void
on_published (RcFeedHub *hub, const RcEvent *event, gpointer data)
{
  RcFeedPublisher *self = data;
  const char *stream = rc_feed_hub_get_stream (hub);

  if (!self->running)
    return;
  mark_latest_dirty (self);
  /* Queued even while a snapshot is due: one being posted may not hold it; those
   * that do drop it (drop_covered). */
  enqueue (self, rc_event_type_to_string (event->type),
           rc_codec_encode_stream_event (event, stream), stream, event->seq);
  pump (self);
}

static void
on_restarted (RcFeedHub *hub, gpointer data)
{
  RcFeedPublisher *self = data;

  if (!self->running)
    return;
  /* A new stream: the channel's subscribers need its snapshot, as the origin's own
   * clients get one. */
  clear_queue (self);
  want_snapshot (self);
  mark_latest_dirty (self);
  pump (self);
}

/* ---------------------------------------------------------------- requests */

static GBytes *
snapshot_json (RcFeedPublisher *self, char **stream, gint64 *seq)
{
  g_autoptr (RcSnapshot) snapshot = rc_feed_hub_snapshot (self->hub);
  char *json;

  *stream = g_strdup (rc_feed_hub_get_stream (self->hub));
  *seq = rc_feed_hub_get_last_seq (self->hub);
  json = rc_codec_encode_snapshot (snapshot, *stream);
  return g_bytes_new_take (json, strlen (json));
}

static SoupMessage *
new_post (RcFeedPublisher *self, Channel channel, const char *type, GBytes *body)
{
  g_autofree char *uri = g_strconcat (self->url, channel_names[channel], NULL);
  SoupMessage *msg = soup_message_new (SOUP_METHOD_POST, uri);
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);

  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (type != NULL)
    soup_message_headers_replace (headers, "X-EventSource-Event", type);
  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  return msg;
}

/* nchan's answer to a post: {"messages": N, …}, the messages its channel holds. */
static gint64
messages_in (GBytes *answer)
{
  g_autoptr (GRegex) regex = g_regex_new ("\"messages\"\\s*:\\s*([0-9]{1,9})", 0, 0, NULL);
  g_autoptr (GMatchInfo) match = NULL;
  g_autofree char *text = NULL;
  g_autofree char *digits = NULL;
  gsize size;
  const char *data;

  if (answer == NULL)
    return -1;
  data = g_bytes_get_data (answer, &size);
  text = g_strndup (data, MIN (size, 4096));
  if (!g_regex_match (regex, text, 0, &match))
    return -1;
  digits = g_match_info_fetch (match, 1);
  return g_ascii_strtoll (digits, NULL, 10);
}

static gboolean
on_retry (gpointer data)
{
  RcFeedPublisher *self = data;

  self->retry_id = 0;
  pump (self);
  return G_SOURCE_REMOVE;
}

static void
failed (RcFeedPublisher *self, const char *why)
{
  guint delay = rc_backoff_delay_ms (self->attempt, RETRY_BASE_MS, RETRY_CAP_MS, self->rand);

  if (self->up || self->attempt == 0 || g_strcmp0 (why, self->why) != 0)
    rc_feed_log ("edge %s: %s; trying again", self->url, why);
  g_free (self->why);
  self->why = g_strdup (why);
  self->up = FALSE;
  self->need_check = TRUE;
  self->attempt++;
  self->retry_id = g_timeout_add (MAX (delay, 1u), on_retry, self);
}

static void
succeeded (RcFeedPublisher *self)
{
  if (!self->up)
    rc_feed_log ("edge %s: up", self->url);
  self->up = TRUE;
  self->attempt = 0;
  g_clear_pointer (&self->why, g_free);
}

static void
posted_to_events (RcFeedPublisher *self, gint64 messages)
{
  if (self->request == POST_SNAPSHOT)
    {
      g_free (self->posted_stream);
      self->posted_stream = g_steal_pointer (&self->request_stream);
      self->posted_seq = self->request_seq;
      self->since_snapshot = 0;
      self->n_snapshots++;
      /* Another is due if the stream restarted or the channel was lost while this one
       * was on its way; what waits is then of the next stream, or covered by the next. */
      if (self->request_wanted == self->snapshot_wanted)
        {
          self->need_snapshot = FALSE;
          drop_covered (self, self->posted_stream, self->posted_seq);
        }
      /* The edge's GET /v1/snapshot and /v1/health, at once. */
      self->latest_dirty = TRUE;
      self->latest_posted = 0;
      self->health_due = TRUE;
    }
  else
    {
      Item *item = g_steal_pointer (&self->sending);

      if (item->seq > 0)
        self->posted_seq = item->seq;
      self->since_snapshot++;
      item_free (item);
      /* The channel held the snapshot and what followed: one message now means it
       * was made anew since (the edge restarted between two posts). */
      if (messages == 1)
        {
          rc_feed_log ("edge %s: its channel was emptied; posting a snapshot", self->url);
          want_snapshot (self);
        }
    }
  self->last_post = g_get_monotonic_time ();
}

/* The answer to the request in flight: answer is the first ANSWER_READ bytes of its
 * body, or NULL when the request failed (error). Takes the reference on self. */
static void
answered (RcFeedPublisher *self, SoupMessage *msg, GBytes *answer, GError *error)
{
  guint status = answer != NULL ? soup_message_get_status (msg) : 0;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_object_unref (self);
      return;
    }
  self->in_flight = FALSE;
  g_clear_object (&self->cancellable);
  if (!self->running)
    {
      g_object_unref (self);
      return;
    }

  if (self->request == CHECK_CHANNEL
      && (status == SOUP_STATUS_NOT_FOUND || SOUP_STATUS_IS_SUCCESSFUL (status)))
    {
      /* Gone (or emptied): the channel starts again from a snapshot. Still there: what
       * waits follows what it has. */
      if (status == SOUP_STATUS_NOT_FOUND || messages_in (answer) == 0)
        {
          rc_feed_log ("edge %s: its channel is new; posting a snapshot", self->url);
          clear_queue (self);
          want_snapshot (self);
        }
      self->need_check = FALSE;
    }
  else if (answer == NULL || !SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_autofree char *why
        = answer == NULL
            ? g_strdup (error->message)
            : g_strdup_printf ("HTTP %u %s", status, soup_message_get_reason_phrase (msg));

      g_clear_pointer (&self->request_stream, g_free);
      /* An event that did not go goes first next time, unless what waits was dropped
       * meanwhile (a snapshot will cover it). */
      if (self->sending != NULL && self->sending_cleared == self->cleared)
        g_queue_push_head (&self->queue, g_steal_pointer (&self->sending));
      g_clear_pointer (&self->sending, item_free);
      failed (self, why);
      g_object_unref (self);
      return;
    }
  else
    {
      succeeded (self);
      switch (self->request)
        {
        case POST_ITEM:
        case POST_SNAPSHOT:
          posted_to_events (self, messages_in (answer));
          break;
        case POST_LATEST:
          self->latest_posted = g_get_monotonic_time ();
          break;
        case POST_HEALTH:
          self->health_due = FALSE;
          break;
        case CHECK_CHANNEL:
          break;
        }
    }
  pump (self);
  g_object_unref (self);
}

typedef struct {
  RcFeedPublisher *self; /* a reference */
  SoupMessage *msg;
  GInputStream *body;
} Answer;

static void
answer_free (Answer *a)
{
  g_clear_object (&a->body);
  g_clear_object (&a->msg);
  g_free (a);
}

static void
on_body (GObject *source, GAsyncResult *result, gpointer data)
{
  Answer *a = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes
    = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);

  /* The rest of a longer answer is not read: the connection is closed with the stream. */
  answered (a->self, a->msg, bytes, error);
  answer_free (a);
}

static void
on_sent (GObject *source, GAsyncResult *result, gpointer data)
{
  Answer *a = data;
  g_autoptr (GError) error = NULL;

  a->body = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (a->body == NULL)
    {
      answered (a->self, a->msg, NULL, error);
      answer_free (a);
      return;
    }
  /* nchan's answer is a line of channel figures: no more than this is read of it. */
  g_input_stream_read_bytes_async (a->body, ANSWER_READ, G_PRIORITY_DEFAULT, a->self->cancellable,
                                   on_body, a);
}

static void
send (RcFeedPublisher *self, Request request, SoupMessage *msg)
{
  Answer *a = g_new0 (Answer, 1);

  self->request = request;
  self->in_flight = TRUE;
  self->cancellable = g_cancellable_new ();
  a->self = g_object_ref (self);
  a->msg = msg;
  soup_session_send_async (self->soup, msg, G_PRIORITY_DEFAULT, self->cancellable, on_sent, a);
}

static gboolean
on_latest_due (gpointer data)
{
  RcFeedPublisher *self = data;

  self->latest_id = 0;
  pump (self);
  return G_SOURCE_REMOVE;
}

/* The next request, if none is in flight: the check after a failure, then the events
 * channel's snapshot, the snapshot channel when due, the events in order, health. */
static void
pump (RcFeedPublisher *self)
{
  gint64 now = g_get_monotonic_time ();
  gint64 latest_at = self->latest_posted + (gint64) SNAPSHOT_EVERY_MS * 1000;

  if (!self->running || self->in_flight || self->retry_id != 0)
    return;
  if (self->need_check)
    {
      g_autofree char *uri = g_strconcat (self->url, channel_names[CHANNEL_EVENTS], NULL);
      SoupMessage *msg = soup_message_new (SOUP_METHOD_GET, uri);

      soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept",
                                    "application/json");
      send (self, CHECK_CHANNEL, msg);
      return;
    }
  if (self->need_snapshot)
    {
      g_autoptr (GBytes) body = snapshot_json (self, &self->request_stream, &self->request_seq);

      self->request_wanted = self->snapshot_wanted;
      send (self, POST_SNAPSHOT, new_post (self, CHANNEL_EVENTS, "snapshot", body));
      return;
    }
  if (self->latest_dirty && (now >= latest_at || self->queue.length == 0))
    {
      if (now < latest_at)
        {
          /* Once it is due: the events go on meanwhile. */
          if (self->latest_id == 0)
            self->latest_id
              = g_timeout_add ((guint) ((latest_at - now) / 1000) + 1, on_latest_due, self);
        }
      else
        {
          g_autofree char *stream = NULL;
          gint64 seq;
          g_autoptr (GBytes) body = snapshot_json (self, &stream, &seq);

          self->latest_dirty = FALSE;
          send (self, POST_LATEST, new_post (self, CHANNEL_SNAPSHOT, NULL, body));
          return;
        }
    }
  if (self->queue.length > 0)
    {
      Item *item = g_queue_pop_head (&self->queue);

      if (item->body == NULL)
        {
          /* A heartbeat says what the channel has when it goes. */
          char *json
            = rc_codec_encode_heartbeat (self->posted_stream, self->posted_seq, g_get_real_time ());

          item->body = g_bytes_new_take (json, strlen (json));
        }
      self->sending = item;
      self->sending_cleared = self->cleared;
      send (self, POST_ITEM, new_post (self, CHANNEL_EVENTS, item->type, item->body));
      return;
    }
  if (self->health_due)
    {
      char *json = rc_feed_server_health_json (self->server);
      g_autoptr (GBytes) body = g_bytes_new_take (json, strlen (json));

      send (self, POST_HEALTH, new_post (self, CHANNEL_HEALTH, NULL, body));
    }
}

/* Heartbeats to the events channel when nothing was posted for most of an interval,
 * each with a health post. */
static gboolean
tick (gpointer data)
{
  RcFeedPublisher *self = data;
  gint64 interval = (gint64) rc_feed_timing_ms (RC_FEED_HEARTBEAT_INTERVAL_MS) * 1000;
  gint64 now = g_get_monotonic_time ();

  /* Also while events flow: a client that took a snapshot beside the stream is live
   * again only at a heartbeat that says it has everything (docs/feed-protocol.md §4). */
  if (self->up && !self->need_snapshot && self->posted_stream != NULL
      && now - self->last_heartbeat >= interval - interval / 4)
    {
      /* Its body is made when it goes: the channel's last seq then. */
      enqueue (self, "heartbeat", NULL, self->posted_stream, 0);
      self->last_heartbeat = now;
      self->health_due = TRUE;
      pump (self);
    }
  return G_SOURCE_CONTINUE;
}

/* ---------------------------------------------------------------- the object */

static void
rc_feed_publisher_dispose (GObject *object)
{
  RcFeedPublisher *self = RC_FEED_PUBLISHER (object);

  rc_feed_publisher_stop (self);
  if (self->hub != NULL)
    g_signal_handlers_disconnect_by_data (self->hub, self);
  g_clear_object (&self->hub);
  g_clear_object (&self->server);
  g_clear_object (&self->soup);
  G_OBJECT_CLASS (rc_feed_publisher_parent_class)->dispose (object);
}

static void
rc_feed_publisher_finalize (GObject *object)
{
  RcFeedPublisher *self = RC_FEED_PUBLISHER (object);

  clear_queue (self);
  g_free (self->url);
  g_free (self->why);
  g_free (self->posted_stream);
  g_free (self->request_stream);
  g_rand_free (self->rand);
  G_OBJECT_CLASS (rc_feed_publisher_parent_class)->finalize (object);
}

static void
rc_feed_publisher_class_init (RcFeedPublisherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rc_feed_publisher_dispose;
  object_class->finalize = rc_feed_publisher_finalize;
}

static void
rc_feed_publisher_init (RcFeedPublisher *self)
{
  g_queue_init (&self->queue);
  self->backlog = RC_FEED_PUBLISHER_BACKLOG;
  self->rand = g_rand_new ();
  /* The origin's start: the channel's subscribers get a snapshot first. */
  self->need_snapshot = TRUE;
}

RcFeedPublisher *
rc_feed_publisher_new (RcFeedServer *server, const char *url, GError **error)
{
  g_autoptr (GUri) uri = NULL;
  g_autoptr (GError) parse_error = NULL;
  RcFeedPublisher *self;
  const char *scheme;
  const char *path;

  g_return_val_if_fail (RC_IS_FEED_SERVER (server), NULL);
  g_return_val_if_fail (url != NULL, NULL);

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, &parse_error);
  if (uri == NULL)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_ARGUMENT, _ ("--publish %s: %s"), url,
                   parse_error->message);
      return NULL;
    }
  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_ARGUMENT,
                   _ ("--publish %s: an edge's publisher is reached over http:// or https://"),
                   url);
      return NULL;
    }
  if (g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0'
      || g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL
      || g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_ARGUMENT,
                   _ ("--publish %s: give the edge's publisher prefix, "
                      "http://HOST:PORT/publish/, without a query, a fragment or a user"),
                   url);
      return NULL;
    }

  self = g_object_new (RC_TYPE_FEED_PUBLISHER, NULL);
  self->server = g_object_ref (server);
  self->hub = g_object_ref (rc_feed_server_get_hub (server));
  path = g_uri_get_path (uri);
  self->url = g_str_has_suffix (path, "/") ? g_uri_to_string (uri) : g_strconcat (url, "/", NULL);
  /* One connection, kept open between posts: the order of the posts is the order of
   * the stream. No redirect is followed, no proxy from the environment is used. */
  self->soup = soup_session_new_with_options ("max-conns-per-host", 1, "timeout", REQUEST_TIMEOUT_S,
                                              "idle-timeout", 60, "proxy-resolver", NULL, NULL);
  soup_session_remove_feature_by_type (self->soup, SOUP_TYPE_CONTENT_DECODER);
  g_signal_connect_object (self->hub, "published", G_CALLBACK (on_published), self, 0);
  g_signal_connect_object (self->hub, "restarted", G_CALLBACK (on_restarted), self, 0);
  return self;
}

void
rc_feed_publisher_start (RcFeedPublisher *self)
{
  g_return_if_fail (RC_IS_FEED_PUBLISHER (self));

  if (self->running)
    return;
  self->running = TRUE;
  /* What was published while stopped never went: the channel starts from a snapshot. */
  if (self->n_snapshots > 0)
    want_snapshot (self);
  self->tick_id = g_timeout_add (rc_feed_timing_ms (RC_FEED_HEARTBEAT_INTERVAL_MS) / 4, tick, self);
  pump (self);
}

void
rc_feed_publisher_stop (RcFeedPublisher *self)
{
  g_return_if_fail (RC_IS_FEED_PUBLISHER (self));

  self->running = FALSE;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->in_flight = FALSE;
  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_clear_handle_id (&self->latest_id, g_source_remove);
  g_clear_pointer (&self->sending, item_free);
  clear_queue (self);
}

void
rc_feed_publisher_set_backlog (RcFeedPublisher *self, guint messages)
{
  g_return_if_fail (RC_IS_FEED_PUBLISHER (self));
  g_return_if_fail (messages > 0);
  self->backlog = messages;
}

const char *
rc_feed_publisher_get_url (RcFeedPublisher *self)
{
  g_return_val_if_fail (RC_IS_FEED_PUBLISHER (self), NULL);
  return self->url;
}

gboolean
rc_feed_publisher_is_up (RcFeedPublisher *self)
{
  g_return_val_if_fail (RC_IS_FEED_PUBLISHER (self), FALSE);
  return self->up;
}

gint64
rc_feed_publisher_get_posted_seq (RcFeedPublisher *self)
{
  g_return_val_if_fail (RC_IS_FEED_PUBLISHER (self), 0);
  return self->posted_seq;
}

guint
rc_feed_publisher_get_n_snapshots (RcFeedPublisher *self)
{
  g_return_val_if_fail (RC_IS_FEED_PUBLISHER (self), 0);
  return self->n_snapshots;
}

guint
rc_feed_publisher_get_n_waiting (RcFeedPublisher *self)
{
  g_return_val_if_fail (RC_IS_FEED_PUBLISHER (self), 0);
  return self->queue.length;
}
