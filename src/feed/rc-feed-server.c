/* rc-feed-server.c — serves a hub's stream over HTTP (docs/feed-protocol.md): the
 * subscriptions (§4; the transports are rc-feed-server-ws.c and
 * rc-feed-server-sse.c), GET /v1/snapshot, GET /v1/health, heartbeats (§5) and the
 * clients' liveness, fan-out of every published event, limits (§8).
 *
 * Each published event is encoded once and the same bytes are queued for every
 * client; each client's backlog is bounded (rc-feed-subscriber.c), so the number of
 * clients costs references, not copies, and a slow one costs only itself.
 *
 * It listens on sockets of its own, for their backlog (a hall reconnecting at once),
 * and shuts down in order: every client is sent the rest of its queue and its end,
 * and only then, or after a grace period for a client that takes nothing, are the
 * connections closed (§11). */
#include "rc-feed-server-private.h"

#include <gio/gnetworking.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "model/rc-error.h"
#include "codec/rc-codec.h"
#include "rc-feed-log.h"
#include "rc-feed-timing.h"
#include "codec/rc-json-writer.h"

#define RC_FEED_PING_INTERVAL_MS 10000
#define RC_FEED_PONG_TIMEOUT_MS 30000

struct _RcFeedServer {
  GObject parent_instance;

  RcFeedHub *hub;
  SoupServer *soup;
  gboolean tls;
  GPtrArray *subscribers; /* of RcFeedSubscriber */
  guint iterating;        /* loops over subscribers in progress */
  gboolean needs_sweep;   /* some ended meanwhile: remove them after the loop */
  guint max_clients;
  guint ping_interval; /* seconds, 0: none */
  guint tick_id;
  gint64 last_tick;   /* monotonic µs */
  GSource *flush;     /* every client's queue to its transport, soon */
  gint64 flush_since; /* monotonic µs: the oldest message waiting for it */
  guint flush_next;   /* the client the next slice of the flush starts at */
  gboolean flush_more; /* queued for, or moved in the list, during this flush */
  gboolean shut_down; /* the clients have been told */
  gboolean closed;    /* their connections are closed and nothing listens */
  guint drain_id;     /* after shut_down: the grace period, or the end once all left */
  RcFeedListener *listener; /* the sockets listened on, every connection taken */

  /* What the clients have been sent of the hub's stream. The hub may have moved on
   * while it is still emitting (a handler publishing), so this, not the hub, says
   * where the next event goes. */
  char *fanout_stream;
  gint64 fanout_seq;
  /* The snapshot sent to the last client that subscribed, for the next ones while
   * nothing was published meanwhile: a hall reconnecting at once is one encoding. */
  RcFeedOut *snapshot;
};

G_DEFINE_FINAL_TYPE (RcFeedServer, rc_feed_server, G_TYPE_OBJECT)

/* ---------------------------------------------------------------- helpers */

guint
rc_feed_server_get_ping_interval (RcFeedServer *self)
{
  return self->ping_interval;
}

/* How long a WebSocket client pinged every `interval` s may go without a pong: two
 * intervals (libsoup's second timers may run late by up to one) and the time it has
 * to answer. */
static gint64
pong_deadline (guint interval)
{
  return 2 * (gint64) interval * G_USEC_PER_SEC
         + (gint64) rc_feed_timing_ms (RC_FEED_PONG_TIMEOUT_MS) * 1000;
}

char *
rc_feed_server_peer (SoupServerMessage *msg)
{
  GSocketAddress *address = soup_server_message_get_remote_address (msg);
  const char *host = soup_server_message_get_remote_host (msg);

  if (G_IS_INET_SOCKET_ADDRESS (address))
    return g_strdup_printf ("%s:%u", host != NULL ? host : "?",
                            g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address)));
  return g_strdup (host != NULL ? host : "?");
}

/* Every answer of the reading side, a refusal too, may be read by a page of any
 * origin (feed-protocol.md §1). */
static void
add_cors (SoupServerMessage *msg)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Access-Control-Allow-Origin", "*");
}

/* Takes json (one JSON object, rc-json-writer.h) as the body. */
static void
set_json (SoupServerMessage *msg, guint status, GString *json)
{
  gsize length = json->len;
  char *body = g_string_free (json, FALSE);

  soup_server_message_set_status (msg, status, NULL);
  add_cors (msg);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Cache-Control",
                                "no-store");
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, body, length);
}

void
rc_feed_server_refuse (SoupServerMessage *msg, guint status, const char *code, const char *format,
                       ...)
{
  GString *json = g_string_new (NULL);
  g_autofree char *reason = NULL;
  g_autofree char *peer = rc_feed_server_peer (msg);
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);
  rc_feed_log ("feed: %s: %s %s refused (%u %s): %s", peer, soup_server_message_get_method (msg),
               g_uri_get_path (soup_server_message_get_uri (msg)), status, code, reason);

  rc_json_begin_object (json);
  rc_json_add_int (json, "v", RC_CODEC_VERSION);
  rc_json_add_object (json, "error");
  rc_json_add_string (json, "code", code);
  rc_json_add_string (json, "message", reason);
  rc_json_end_object (json);
  rc_json_end_object (json);
  set_json (msg, status, json);
  rc_feed_message_answer_early (msg);
}

gboolean
rc_feed_server_check_path (SoupServerMessage *msg, const char *path)
{
  const char *asked = g_uri_get_path (soup_server_message_get_uri (msg));

  if (g_str_equal (asked, path))
    return TRUE;
  rc_feed_server_refuse (msg, SOUP_STATUS_NOT_FOUND, "not-found", _("%s: no such path"), asked);
  return FALSE;
}

/* GET (and HEAD, which libsoup answers from the GET) or 405. */
static gboolean
check_get (SoupServerMessage *msg)
{
  const char *method = soup_server_message_get_method (msg);

  if (g_str_equal (method, SOUP_METHOD_GET) || g_str_equal (method, SOUP_METHOD_HEAD))
    return TRUE;
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow",
                                "GET, HEAD");
  rc_feed_server_refuse (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method",
                         _("%s is not a method of %s"), method,
                         g_uri_get_path (soup_server_message_get_uri (msg)));
  return FALSE;
}

/* A subscription that ends while the list is being walked (a send can end one) is
 * only marked (sub->server NULL) and removed when the walk is over: the list is
 * walked for every event, so it is not copied for each. */
static void
begin_walk (RcFeedServer *self)
{
  self->iterating++;
}

static void check_drained (RcFeedServer *self);

static void
end_walk (RcFeedServer *self)
{
  if (--self->iterating > 0 || !self->needs_sweep)
    return;
  self->needs_sweep = FALSE;
  for (guint i = self->subscribers->len; i-- > 0;)
    if (((RcFeedSubscriber *) g_ptr_array_index (self->subscribers, i))->server == NULL)
      {
        g_ptr_array_remove_index_fast (self->subscribers, i);
        /* The last client moved: a flush in slices may have passed its new place. */
        self->flush_more = self->flush != NULL;
      }
  check_drained (self);
}

static void
broadcast (RcFeedServer *self, RcFeedOut *out)
{
  gint64 now = g_get_monotonic_time ();

  begin_walk (self);
  for (guint i = 0; i < self->subscribers->len; i++)
    {
      RcFeedSubscriber *sub = g_ptr_array_index (self->subscribers, i);

      if (sub->server != NULL)
        rc_feed_subscriber_send (sub, out, now);
    }
  end_walk (self);
}

/* ---------------------------------------------------------------- sending */

/* Below the priority of libsoup's reading and writing: the control API's requests
 * are answered, and the events of the moment queued, before clients are written to.
 * A thousand clients take longer to write to than the 5 ms between two ballots; what
 * came meanwhile then goes to each client in one write. */
#define RC_FEED_FLUSH_PRIORITY (G_PRIORITY_DEFAULT + 10)
/* A flush that has waited this long for the server to have nothing more urgent to do
 * waits no longer (a flood of requests does not starve the clients). */
#define RC_FEED_FLUSH_WAIT_MS 20
/* A flush goes in slices of about this long, so that ten thousand clients, which take
 * longer than 100 ms to write to, do not keep a clerk's request waiting as long. */
#define RC_FEED_FLUSH_SLICE_US 25000

static gboolean
flush_slice (gpointer data)
{
  RcFeedServer *self = data;
  gint64 until = g_get_monotonic_time () + RC_FEED_FLUSH_SLICE_US;
  guint i;

  begin_walk (self);
  for (i = self->flush_next; i < self->subscribers->len; i++)
    {
      RcFeedSubscriber *sub = g_ptr_array_index (self->subscribers, i);

      if (sub->server != NULL)
        rc_feed_subscriber_flush (sub);
      if (i % 64 == 63 && g_get_monotonic_time () > until)
        {
          i++;
          break;
        }
    }
  self->flush_next = i;
  end_walk (self);
  if (self->flush_next < self->subscribers->len)
    return G_SOURCE_CONTINUE;
  /* Clients queued for after the slice that had them, or moved in the list: once more. */
  if (self->flush_more)
    {
      self->flush_more = FALSE;
      self->flush_next = 0;
      return G_SOURCE_CONTINUE;
    }
  g_clear_pointer (&self->flush, g_source_unref);
  return G_SOURCE_REMOVE;
}

void
rc_feed_server_want_flush (RcFeedServer *self, gint64 now)
{
  if (self->flush != NULL)
    {
      self->flush_more = TRUE;
      if (now - self->flush_since > RC_FEED_FLUSH_WAIT_MS * 1000
          && g_source_get_priority (self->flush) != G_PRIORITY_DEFAULT)
        g_source_set_priority (self->flush, G_PRIORITY_DEFAULT);
      return;
    }
  self->flush_since = now;
  self->flush_next = 0;
  self->flush_more = FALSE;
  self->flush = g_idle_source_new ();
  g_source_set_priority (self->flush, RC_FEED_FLUSH_PRIORITY);
  g_source_set_callback (self->flush, flush_slice, self, NULL);
  g_source_attach (self->flush, NULL);
}

static void
cancel_flush (RcFeedServer *self)
{
  if (self->flush != NULL)
    {
      g_source_destroy (self->flush);
      g_clear_pointer (&self->flush, g_source_unref);
    }
}

/* ---------------------------------------------------------------- the stream */

static void
on_published (RcFeedHub *hub, const RcEvent *event, gpointer data)
{
  RcFeedServer *self = data;
  g_autoptr (RcFeedOut) out = NULL;

  if (event->seq <= self->fanout_seq)
    return;
  g_clear_pointer (&self->snapshot, rc_feed_out_unref);
  out = rc_feed_out_new_event (event, self->fanout_stream);
  self->fanout_seq = event->seq;
  broadcast (self, out);
}

static void
on_restarted (RcFeedHub *hub, gpointer data)
{
  RcFeedServer *self = data;
  g_autoptr (RcSnapshot) empty = rc_snapshot_new ();
  g_autoptr (RcFeedOut) out = NULL;

  /* A new stream starts empty; its events follow the snapshot as they are emitted. */
  g_clear_pointer (&self->snapshot, rc_feed_out_unref);
  g_free (self->fanout_stream);
  self->fanout_stream = g_strdup (rc_feed_hub_get_stream (hub));
  self->fanout_seq = 0;
  out = rc_feed_out_new_snapshot (empty, self->fanout_stream);
  broadcast (self, out);
}

/* The missed events if there are few enough to send (half a backlog at most, so
 * that a resuming client is not dropped at once), else NULL: a snapshot then. */
static GPtrArray *
catch_up (RcFeedServer *self, const char *last_event_id, RcFeedSubscriberKind kind)
{
  const char *stream = rc_feed_hub_get_stream (self->hub);
  g_autofree char *id_stream = NULL;
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (GPtrArray) outs = NULL;
  gsize bytes = 0;
  gint64 seq;

  if (last_event_id == NULL || !rc_event_id_parse (last_event_id, &id_stream, &seq)
      || !g_str_equal (id_stream, stream))
    return NULL;
  /* Too far behind: a snapshot, without copying the stream to find out. */
  if (rc_feed_hub_get_last_seq (self->hub) - seq > RC_FEED_BACKLOG_MESSAGES / 2)
    return NULL;
  events = rc_feed_hub_events_since (self->hub, seq);
  if (events == NULL || events->len > RC_FEED_BACKLOG_MESSAGES / 2)
    return NULL;
  outs = g_ptr_array_new_full (events->len, (GDestroyNotify) rc_feed_out_unref);
  for (guint i = 0; i < events->len; i++)
    {
      RcFeedOut *out = rc_feed_out_new_event (g_ptr_array_index (events, i), stream);

      g_ptr_array_add (outs, out);
      bytes += g_bytes_get_size (kind == RC_FEED_SUBSCRIBER_WS ? out->json : out->sse);
      if (bytes > RC_FEED_BACKLOG_BYTES / 2)
        return NULL;
    }
  return g_steal_pointer (&outs);
}

void
rc_feed_server_subscribe (RcFeedServer *self, RcFeedSubscriber *sub, const char *last_event_id)
{
  g_autoptr (GPtrArray) outs = NULL;
  gint64 now = g_get_monotonic_time ();

  /* A handshake that completes as the server goes away. */
  if (self->shut_down)
    {
      sub->server = NULL;
      rc_feed_subscriber_close_going_away (sub);
      return;
    }
  outs = catch_up (self, last_event_id, sub->kind);
  g_ptr_array_add (self->subscribers, rc_feed_subscriber_ref (sub));
  if (outs != NULL)
    {
      g_autoptr (RcFeedOut) heartbeat = NULL;

      for (guint i = 0; i < outs->len; i++)
        rc_feed_subscriber_send (sub, g_ptr_array_index (outs, i), now);
      /* Caught up: say so now. A client shows live again once a heartbeat confirms it
       * has everything, and under a steady flow of events the next one could be far. */
      heartbeat = rc_feed_out_new_heartbeat (self->fanout_stream, self->fanout_seq);
      rc_feed_subscriber_send (sub, heartbeat, now);
    }
  else
    {
      /* The hub's state now; the cache holds only what was built at the same seq of
       * the same stream (a published event or a restart lets it go). */
      if (self->snapshot == NULL)
        {
          g_autoptr (RcSnapshot) snapshot = rc_feed_hub_snapshot (self->hub);

          self->snapshot = rc_feed_out_new_snapshot (snapshot, rc_feed_hub_get_stream (self->hub));
        }
      rc_feed_subscriber_send (sub, self->snapshot, now);
    }
}

void
rc_feed_server_unsubscribe (RcFeedServer *self, RcFeedSubscriber *sub)
{
  sub->server = NULL;
  if (self->iterating > 0)
    self->needs_sweep = TRUE;
  else
    {
      g_ptr_array_remove_fast (self->subscribers, sub);
      self->flush_more = self->flush != NULL;
      check_drained (self);
    }
}

gboolean
rc_feed_server_admit (RcFeedServer *self, SoupServerMessage *msg)
{
  if (self->subscribers->len < self->max_clients)
    return TRUE;
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", "5");
  rc_feed_server_refuse (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "busy",
                         _("the feed serves %u clients, as many as it takes"), self->max_clients);
  return FALSE;
}

/* ---------------------------------------------------------------- liveness */

/* Heartbeats to every client that has been sent nothing for (almost) an interval,
 * and the end of WebSocket clients that stopped answering pings. */
static gboolean
tick (gpointer data)
{
  RcFeedServer *self = data;
  gint64 now = g_get_monotonic_time ();
  gint64 interval = (gint64) rc_feed_timing_ms (RC_FEED_HEARTBEAT_INTERVAL_MS) * 1000;
  g_autoptr (RcFeedOut) heartbeat = NULL;
  /* When this process could not run for a while (a long publish, a loaded
   * machine), the pongs that came meanwhile are not read yet: silence then says
   * nothing about the clients. */
  gboolean stalled = now - self->last_tick > pong_deadline (0) / 2;

  self->last_tick = now;
  /* Connections past their deadlines: a handshake, a request, an answer not taken. */
  rc_feed_listener_tick (self->listener, now);
  begin_walk (self);
  for (guint i = 0; i < self->subscribers->len; i++)
    {
      RcFeedSubscriber *sub = g_ptr_array_index (self->subscribers, i);

      if (sub->closed || sub->server == NULL)
        continue;
      if (stalled)
        sub->last_pong = MAX (sub->last_pong, now - interval);
      if (sub->kind == RC_FEED_SUBSCRIBER_WS && sub->ping_interval > 0
          && now - sub->last_pong > pong_deadline (sub->ping_interval))
        {
          rc_feed_subscriber_close_silent (sub);
          continue;
        }
      /* The timer runs four times an interval, so no client waits much longer. */
      if (now - sub->last_sent >= interval - interval / 4)
        {
          if (heartbeat == NULL)
            heartbeat = rc_feed_out_new_heartbeat (self->fanout_stream, self->fanout_seq);
          rc_feed_subscriber_send (sub, heartbeat, now);
        }
    }
  end_walk (self);
  return G_SOURCE_CONTINUE;
}

/* ---------------------------------------------------------------- handlers */

static void
handle_unknown (SoupServer *soup, SoupServerMessage *msg, const char *path, GHashTable *query,
                gpointer data)
{
  rc_feed_server_refuse (msg, SOUP_STATUS_NOT_FOUND, "not-found", _("no such path: %s"), path);
}

static void
handle_snapshot (SoupServer *soup, SoupServerMessage *msg, const char *path, GHashTable *query,
                 gpointer data)
{
  RcFeedServer *self = data;
  g_autoptr (RcSnapshot) snapshot = NULL;
  char *body;

  if (!rc_feed_server_check_path (msg, "/v1/snapshot") || !check_get (msg))
    return;
  snapshot = rc_feed_hub_snapshot (self->hub);
  body = rc_codec_encode_snapshot (snapshot, rc_feed_hub_get_stream (self->hub));
  add_cors (msg);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Cache-Control",
                                "no-store");
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, body, strlen (body));
}

char *
rc_feed_server_health_json (RcFeedServer *self)
{
  GString *json = g_string_new (NULL);

  g_return_val_if_fail (RC_IS_FEED_SERVER (self), NULL);
  rc_json_begin_object (json);
  rc_json_add_int (json, "v", RC_CODEC_VERSION);
  rc_json_add_string (json, "stream", rc_feed_hub_get_stream (self->hub));
  rc_json_add_int (json, "seq", rc_feed_hub_get_last_seq (self->hub));
  rc_json_add_int (json, "clients", self->subscribers->len);
  rc_json_end_object (json);
  return g_string_free (json, FALSE);
}

static void
handle_health (SoupServer *soup, SoupServerMessage *msg, const char *path, GHashTable *query,
               gpointer data)
{
  RcFeedServer *self = data;
  g_autofree char *json = NULL;

  if (!rc_feed_server_check_path (msg, "/v1/health") || !check_get (msg))
    return;
  json = rc_feed_server_health_json (self);
  set_json (msg, SOUP_STATUS_OK, g_string_new (json));
}

/* ---------------------------------------------------------------- the object */

static guint close_connections (RcFeedServer *self);

static void
rc_feed_server_dispose (GObject *object)
{
  RcFeedServer *self = RC_FEED_SERVER (object);

  if (!self->shut_down)
    rc_feed_server_shutdown (self);
  cancel_flush (self);
  /* No more waiting for clients to take their end: the server is going. */
  close_connections (self);
  /* Clients still closing end on their own; they no longer reach the server. */
  if (self->subscribers != NULL)
    for (guint i = 0; i < self->subscribers->len; i++)
      ((RcFeedSubscriber *) g_ptr_array_index (self->subscribers, i))->server = NULL;
  g_clear_pointer (&self->subscribers, g_ptr_array_unref);
  g_clear_pointer (&self->listener, rc_feed_listener_free);
  g_clear_object (&self->soup);
  g_clear_object (&self->hub);

  G_OBJECT_CLASS (rc_feed_server_parent_class)->dispose (object);
}

static void
rc_feed_server_finalize (GObject *object)
{
  RcFeedServer *self = RC_FEED_SERVER (object);

  g_free (self->fanout_stream);
  g_clear_pointer (&self->snapshot, rc_feed_out_unref);

  G_OBJECT_CLASS (rc_feed_server_parent_class)->finalize (object);
}

static void
rc_feed_server_class_init (RcFeedServerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = rc_feed_server_dispose;
  G_OBJECT_CLASS (klass)->finalize = rc_feed_server_finalize;
}

static void
rc_feed_server_init (RcFeedServer *self)
{
  self->subscribers = g_ptr_array_new_with_free_func ((GDestroyNotify) rc_feed_subscriber_unref);
  self->max_clients = RC_FEED_MAX_CLIENTS_DEFAULT;
  /* libsoup pings in whole seconds. */
  self->ping_interval = MAX (1, rc_feed_timing_ms (RC_FEED_PING_INTERVAL_MS) / 1000);
}

RcFeedServer *
rc_feed_server_new (RcFeedHub *hub, GTlsCertificate *tls, GError **error)
{
  g_autoptr (RcFeedServer) self = NULL;
  guint period;

  g_return_val_if_fail (RC_IS_FEED_HUB (hub), NULL);
  g_return_val_if_fail (tls == NULL || G_IS_TLS_CERTIFICATE (tls), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (tls != NULL && !g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_set_error (error, RC_ERROR, RC_ERROR_FAILED,
                   _("TLS is not available here (is glib-networking installed?)"));
      return NULL;
    }

  self = g_object_new (RC_TYPE_FEED_SERVER, NULL);
  self->hub = g_object_ref (hub);
  self->tls = tls != NULL;
  /* The server's listener does TLS itself (rc-feed-listener.c). */
  self->soup = soup_server_new ("server-header", "rollcall-feed ", NULL);
  /* A board sends no data: nothing to compress, and a compressed frame could inflate
   * to any size (libsoup 3.2 bounds frames, not what they inflate to). */
  soup_server_remove_websocket_extension (self->soup, SOUP_TYPE_WEBSOCKET_EXTENSION_DEFLATE);
  self->fanout_stream = g_strdup (rc_feed_hub_get_stream (hub));
  self->fanout_seq = rc_feed_hub_get_last_seq (hub);

  rc_feed_server_ws_register (self, self->soup);
  rc_feed_server_sse_register (self, self->soup);
  soup_server_add_handler (self->soup, "/v1/snapshot", handle_snapshot, self, NULL);
  soup_server_add_handler (self->soup, "/v1/health", handle_health, self, NULL);
  /* Anything else: the JSON refusal every client of the API expects, not an empty 404. */
  soup_server_add_handler (self->soup, NULL, handle_unknown, self, NULL);
  self->listener = rc_feed_listener_new (self->soup, tls);

  g_signal_connect_object (hub, "published", G_CALLBACK (on_published), self, 0);
  g_signal_connect_object (hub, "restarted", G_CALLBACK (on_restarted), self, 0);

  period = MAX (1, rc_feed_timing_ms (RC_FEED_HEARTBEAT_INTERVAL_MS) / 4);
  self->last_tick = g_get_monotonic_time ();
  self->tick_id = g_timeout_add (period, tick, self);
  return g_steal_pointer (&self);
}

gboolean
rc_feed_server_listen (RcFeedServer *self, const char *address, guint port, GError **error)
{
  g_return_val_if_fail (RC_IS_FEED_SERVER (self), FALSE);
  g_return_val_if_fail (port <= G_MAXUINT16, FALSE);

  return rc_feed_listener_listen (self->listener, address, port, error);
}

guint
rc_feed_server_get_port (RcFeedServer *self)
{
  g_return_val_if_fail (RC_IS_FEED_SERVER (self), 0);
  return rc_feed_listener_get_port (self->listener);
}

char *
rc_feed_server_get_url (RcFeedServer *self)
{
  g_return_val_if_fail (RC_IS_FEED_SERVER (self), NULL);
  return rc_feed_listener_get_url (self->listener);
}

GPtrArray *
rc_feed_server_get_sockets (RcFeedServer *self)
{
  g_return_val_if_fail (RC_IS_FEED_SERVER (self), NULL);
  return rc_feed_listener_get_sockets (self->listener);
}

guint
rc_feed_server_get_n_connections (RcFeedServer *self)
{
  g_return_val_if_fail (RC_IS_FEED_SERVER (self), 0);
  return rc_feed_listener_get_n_connections (self->listener);
}

RcFeedListener *
rc_feed_server_get_listener (RcFeedServer *self)
{
  return self->listener;
}

SoupServer *
rc_feed_server_get_soup_server (RcFeedServer *self)
{
  g_return_val_if_fail (RC_IS_FEED_SERVER (self), NULL);
  return self->soup;
}

RcFeedHub *
rc_feed_server_get_hub (RcFeedServer *self)
{
  g_return_val_if_fail (RC_IS_FEED_SERVER (self), NULL);
  return self->hub;
}

guint
rc_feed_server_get_n_clients (RcFeedServer *self)
{
  g_return_val_if_fail (RC_IS_FEED_SERVER (self), 0);
  return self->subscribers->len;
}

gsize
rc_feed_server_get_backlog_bytes (RcFeedServer *self)
{
  gsize total = 0;

  g_return_val_if_fail (RC_IS_FEED_SERVER (self), 0);
  for (guint i = 0; i < self->subscribers->len; i++)
    total += ((RcFeedSubscriber *) g_ptr_array_index (self->subscribers, i))->backlog_bytes;
  return total;
}

void
rc_feed_server_set_max_clients (RcFeedServer *self, guint max_clients)
{
  g_return_if_fail (RC_IS_FEED_SERVER (self));
  self->max_clients = max_clients;
  rc_feed_listener_set_max_clients (self->listener, max_clients);
}

void
rc_feed_server_set_ping_interval (RcFeedServer *self, guint seconds)
{
  g_return_if_fail (RC_IS_FEED_SERVER (self));
  self->ping_interval = seconds;
}

/* ---------------------------------------------------------------- shutdown */

/* The end of a shutdown: clients that have not taken their end are cut, every
 * connection is closed and nothing listens any more. Returns how many were cut. */
static guint
close_connections (RcFeedServer *self)
{
  guint cut = 0;

  if (self->closed)
    return 0;
  self->closed = TRUE;
  g_clear_handle_id (&self->drain_id, g_source_remove);
  begin_walk (self);
  for (guint i = 0; i < self->subscribers->len; i++)
    {
      RcFeedSubscriber *sub = g_ptr_array_index (self->subscribers, i);

      if (sub->server != NULL)
        {
          rc_feed_subscriber_cut (sub);
          cut++;
        }
    }
  end_walk (self);
  /* Nothing more is accepted, every connection is shut (a TLS handshake under way
   * ends at once), and libsoup lets go of those it has. */
  rc_feed_listener_close (self->listener);
  soup_server_disconnect (self->soup);
  return cut;
}

static gboolean
on_drain_over (gpointer data)
{
  RcFeedServer *self = data;
  guint cut;

  self->drain_id = 0;
  cut = close_connections (self);
  if (cut > 0)
    g_message ("feed: shutdown: %u of the clients had not taken the end of their subscription "
               "after %.1f s; cut",
               cut, RC_FEED_SHUTDOWN_GRACE_MS / 1000.0);
  return G_SOURCE_REMOVE;
}

/* Once the last client has taken its end, the server need not wait any longer. Not
 * at once: this runs in libsoup's handlers of the connection that just ended. */
static void
check_drained (RcFeedServer *self)
{
  if (!self->shut_down || self->closed || self->iterating > 0 || self->subscribers->len > 0)
    return;
  g_clear_handle_id (&self->drain_id, g_source_remove);
  self->drain_id = g_idle_add (on_drain_over, self);
}

void
rc_feed_server_shutdown (RcFeedServer *self)
{
  g_return_if_fail (RC_IS_FEED_SERVER (self));
  if (self->shut_down)
    return;
  self->shut_down = TRUE;
  g_clear_handle_id (&self->tick_id, g_source_remove);
  self->drain_id = g_timeout_add (RC_FEED_SHUTDOWN_GRACE_MS, on_drain_over, self);
  begin_walk (self);
  for (guint i = 0; i < self->subscribers->len; i++)
    rc_feed_subscriber_close_going_away (g_ptr_array_index (self->subscribers, i));
  end_walk (self);
  check_drained (self);
}

gboolean
rc_feed_server_is_closed (RcFeedServer *self)
{
  g_return_val_if_fail (RC_IS_FEED_SERVER (self), FALSE);
  return self->closed;
}
