/* rc-feed-server-sse.c — the feed as Server-Sent Events: GET /v1/events
 * (docs/feed-protocol.md §4 "Over Server-Sent Events").
 *
 * One chunked response per client that never ends on its own. libsoup writes a chunk
 * in three system calls (its size, the data, the end), each of which would leave the
 * socket as a packet of its own and wake the client: the socket is corked from when a
 * chunk is given to libsoup until "wrote-chunk" says it has gone, and a client is given
 * one chunk at a time: what comes meanwhile waits, and goes as one chunk. A client that keeps up takes each message as it comes; one behind (a
 * thousand clients take longer than the 5 ms between two ballots) takes all it missed
 * in one write, so the server catches up instead of falling further behind. The
 * messages wait as the bytes every client shares; a chunk of several is a copy, of at
 * most RC_FEED_SSE_CHUNK_BYTES. A client that falls too far behind has its response
 * ended and its socket shut, which frees what libsoup still held for it. */
#include "rc-feed-server-private.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <string.h>
#include <sys/socket.h>

/* First thing sent: how long an EventSource waits before reconnecting (§4). */
#define RC_FEED_SSE_RETRY "retry: 1000\n\n"

/* The most a chunk of several messages holds (a message over it goes alone, shared). */
#define RC_FEED_SSE_CHUNK_BYTES (16 * 1024)

static void
append_chunk (RcFeedSubscriber *sub, GBytes *chunk)
{
  soup_message_body_append_bytes (soup_server_message_get_response_body (sub->msg), chunk);
  soup_server_message_unpause (sub->msg);
}

/* Gives libsoup the next chunk: what waits, up to RC_FEED_SSE_CHUNK_BYTES. */
void
rc_feed_sse_flush (RcFeedSubscriber *sub)
{
  g_autoptr (GBytes) chunk = NULL;
  GBytes *head;

  if (sub->closed || sub->chunk_out || g_queue_is_empty (&sub->queue))
    return;
  head = g_queue_peek_head (&sub->queue);
  if (sub->queue.length == 1 || g_bytes_get_size (head) >= RC_FEED_SSE_CHUNK_BYTES)
    {
      chunk = g_queue_pop_head (&sub->queue);
      sub->chunk_messages = 1;
    }
  else
    {
      gsize size = 0;
      guint n = 0;
      char *data, *at;

      for (GList *l = sub->queue.head;
           l != NULL && size + g_bytes_get_size (l->data) <= RC_FEED_SSE_CHUNK_BYTES; l = l->next)
        {
          size += g_bytes_get_size (l->data);
          n++;
        }
      at = data = g_malloc (size);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr (GBytes) bytes = g_queue_pop_head (&sub->queue);

          memcpy (at, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
          at += g_bytes_get_size (bytes);
        }
      sub->chunk_messages = n;
      chunk = g_bytes_new_take (data, size);
    }
  sub->chunk_out = TRUE;
  sub->chunk_bytes = g_bytes_get_size (chunk);
  rc_feed_subscriber_cork (sub, TRUE);
  append_chunk (sub, chunk);
}

static void
on_wrote_chunk (SoupServerMessage *msg, gpointer data)
{
  RcFeedSubscriber *sub = data;

  if (!sub->chunk_out)
    return;
  sub->chunk_out = FALSE;
  rc_feed_subscriber_written (sub, sub->chunk_messages, sub->chunk_bytes);
  rc_feed_sse_flush (sub);
  if (!sub->chunk_out)
    rc_feed_subscriber_cork (sub, FALSE);
}

static void
on_finished (SoupServerMessage *msg, gpointer data)
{
  RcFeedSubscriber *sub = data;

  g_signal_handlers_disconnect_by_data (msg, sub);
  g_queue_clear_full (&sub->queue, (GDestroyNotify) g_bytes_unref);
  sub->chunk_out = FALSE;
  rc_feed_subscriber_ended (sub);
}

void
rc_feed_sse_end (RcFeedSubscriber *sub, gboolean abort)
{
  GBytes *bytes;

  /* Going away, the client gets what waits first; dropped, nothing more. */
  rc_feed_subscriber_cork (sub, FALSE);
  while ((bytes = g_queue_pop_head (&sub->queue)) != NULL)
    {
      if (!abort)
        append_chunk (sub, bytes);
      g_bytes_unref (bytes);
    }
  soup_message_body_complete (soup_server_message_get_response_body (sub->msg));
  soup_server_message_unpause (sub->msg);
  /* A client that does not read would never take the end: libsoup's next write
   * fails instead, and the response and what it still held are let go. */
  if (abort && sub->socket != NULL)
    g_socket_shutdown (sub->socket, FALSE, TRUE, NULL);
}

/* The client closed its side, or sent something after its request (an SSE client
 * sends nothing more): its subscription ends now. */
static gboolean
on_hangup (GSocket *socket, GIOCondition condition, gpointer data)
{
  RcFeedSubscriber *sub = data;
  char byte;
  gssize n = recv (g_socket_get_fd (socket), &byte, 1, MSG_PEEK | MSG_DONTWAIT);

  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
      && !(condition & (G_IO_HUP | G_IO_ERR)))
    return G_SOURCE_CONTINUE;
  g_clear_pointer (&sub->hangup, g_source_unref);
  if (!sub->closed)
    rc_feed_subscriber_left (sub, n > 0 ? "it sent data after its request" : "it closed");
  return G_SOURCE_REMOVE;
}

void
rc_feed_sse_clear (RcFeedSubscriber *sub)
{
  if (sub->hangup != NULL)
    {
      g_source_destroy (sub->hangup);
      g_clear_pointer (&sub->hangup, g_source_unref);
    }
  if (sub->msg != NULL)
    {
      g_signal_handlers_disconnect_by_data (sub->msg, sub);
      g_clear_object (&sub->msg);
    }
  g_queue_clear_full (&sub->queue, (GDestroyNotify) g_bytes_unref);
}

static void
handle_events (SoupServer *soup, SoupServerMessage *msg, const char *path, GHashTable *query,
               gpointer data)
{
  RcFeedServer *self = data;
  SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);
  const char *method = soup_server_message_get_method (msg);
  g_autoptr (RcFeedSubscriber) sub = NULL;
  g_autoptr (GBytes) retry = NULL;
  const char *last_event_id;

  if (!rc_feed_server_check_path (msg, "/v1/events"))
    return;
  if (!g_str_equal (method, SOUP_METHOD_GET))
    {
      soup_message_headers_replace (response, "Allow", "GET");
      rc_feed_server_refuse (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method",
                             _("%s is not a method of /v1/events"), method);
      return;
    }
  if (!rc_feed_server_admit (self, msg))
    return;

  /* What an EventSource sends when it reconnects wins over the query (§4). */
  last_event_id = soup_message_headers_get_one (request, "Last-Event-ID");
  if (last_event_id == NULL && query != NULL)
    last_event_id = g_hash_table_lookup (query, "last_event_id");

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_content_type (response, "text/event-stream", NULL);
  soup_message_headers_replace (response, "Cache-Control", "no-store");
  /* Reading is open to anyone (§1), from a page of any origin too. */
  soup_message_headers_replace (response, "Access-Control-Allow-Origin", "*");
  soup_message_headers_set_encoding (
    response, soup_server_message_get_http_version (msg) == SOUP_HTTP_1_0 ? SOUP_ENCODING_EOF
                                                                          : SOUP_ENCODING_CHUNKED);
  /* Written chunks are let go of, so the body holds only the backlog. */
  soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);

  sub = rc_feed_subscriber_new (RC_FEED_SUBSCRIBER_SSE, self, msg);
  sub->msg = g_object_ref (msg);
  g_signal_connect (msg, "wrote-chunk", G_CALLBACK (on_wrote_chunk), sub);
  g_signal_connect (msg, "finished", G_CALLBACK (on_finished), sub);
  /* The connection can go without the response finishing: the server shut down
   * while nothing was being written. */
  g_signal_connect (msg, "disconnected", G_CALLBACK (on_finished), sub);

  if (sub->socket != NULL)
    {
      sub->hangup = g_socket_create_source (sub->socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
      g_source_set_callback (sub->hangup, G_SOURCE_FUNC (on_hangup), sub, NULL);
      g_source_attach (sub->hangup, NULL);
    }

  retry = g_bytes_new_static (RC_FEED_SSE_RETRY, strlen (RC_FEED_SSE_RETRY));
  sub->backlog_messages++;
  sub->backlog_bytes += g_bytes_get_size (retry);
  g_queue_push_tail (&sub->queue, g_steal_pointer (&retry));
  rc_feed_server_subscribe (self, sub, last_event_id);
}

void
rc_feed_server_sse_register (RcFeedServer *self, SoupServer *soup)
{
  soup_server_add_handler (soup, "/v1/events", handle_events, self, NULL);
}
