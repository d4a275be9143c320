/* rc-feed-subscriber.c — one client of the feed and its bounded backlog, and the
 * messages queued for clients, encoded once for all of them.
 *
 * The backlog limits are the protocol's (docs/feed-protocol.md §8): a client given
 * more than RC_FEED_BACKLOG_MESSAGES messages or RC_FEED_BACKLOG_BYTES bytes that its
 * socket has not yet taken is dropped — WebSocket close 4001 "too slow", SSE response
 * cut — and resumes like any other client. The transports (rc-feed-server-ws.c,
 * rc-feed-server-sse.c) say when queued bytes are written. */
#include "rc-feed-server-private.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>

#include "codec/rc-codec.h"

/* ---------------------------------------------------------------- messages */

static RcFeedOut *
out_new (RcMessageKind kind, char *json, GString *sse)
{
  RcFeedOut *out = g_new0 (RcFeedOut, 1);

  out->ref_count = 1;
  out->kind = kind;
  out->json = g_bytes_new_take (json, strlen (json));
  out->sse = g_string_free_to_bytes (sse);
  return out;
}

RcFeedOut *
rc_feed_out_new_event (const RcEvent *event, const char *stream)
{
  char *json = rc_codec_encode_stream_event (event, stream);
  GString *sse = g_string_new (NULL);

  /* The JSON is one line (the codec escapes newlines in strings), so one data: field. */
  g_string_append_printf (sse, "id: %s:%" G_GINT64_FORMAT "\nevent: %s\ndata: %s\n\n", stream,
                          event->seq, rc_event_type_to_string (event->type), json);
  return out_new (RC_MESSAGE_EVENT, json, sse);
}

RcFeedOut *
rc_feed_out_new_snapshot (const RcSnapshot *snapshot, const char *stream)
{
  char *json = rc_codec_encode_snapshot (snapshot, stream);
  GString *sse = g_string_new (NULL);

  /* The id on a block of its own, after the data, so that an EventSource's last
   * event id is the snapshot's even if no event follows before a drop (§4). */
  g_string_append_printf (
    sse, "event: snapshot\ndata: %s\n\n: snapshot\nid: %s:%" G_GINT64_FORMAT "\n\n", json, stream,
    snapshot->seq);
  return out_new (RC_MESSAGE_SNAPSHOT, json, sse);
}

RcFeedOut *
rc_feed_out_new_heartbeat (const char *stream, gint64 last_seq)
{
  char *json = rc_codec_encode_heartbeat (stream, last_seq, g_get_real_time ());
  GString *sse = g_string_new (NULL);

  g_string_append_printf (sse, "event: heartbeat\ndata: %s\n\n", json);
  return out_new (RC_MESSAGE_HEARTBEAT, json, sse);
}

RcFeedOut *
rc_feed_out_ref (RcFeedOut *out)
{
  g_atomic_int_inc (&out->ref_count);
  return out;
}

void
rc_feed_out_unref (RcFeedOut *out)
{
  if (out == NULL || !g_atomic_int_dec_and_test (&out->ref_count))
    return;
  g_bytes_unref (out->json);
  g_bytes_unref (out->sse);
  g_free (out);
}

/* ---------------------------------------------------------------- subscribers */

RcFeedSubscriber *
rc_feed_subscriber_new (RcFeedSubscriberKind kind, RcFeedServer *server, SoupServerMessage *msg)
{
  RcFeedSubscriber *sub = g_new0 (RcFeedSubscriber, 1);
  g_autofree char *peer = rc_feed_server_peer (msg);
  GSocket *socket = rc_feed_message_get_socket (msg);

  sub->ref_count = 1;
  sub->kind = kind;
  sub->server = server;
  sub->peer
    = g_strdup_printf ("%s (%s)", peer, kind == RC_FEED_SUBSCRIBER_WS ? "WebSocket" : "SSE");
  sub->socket = socket != NULL ? g_object_ref (socket) : NULL;
  /* Its connection now lasts as long as it subscribes. */
  rc_feed_message_set_subscribed (msg);
  sub->last_sent = g_get_monotonic_time ();
  sub->last_pong = sub->last_sent;
  g_queue_init (&sub->queue);
  return sub;
}

RcFeedSubscriber *
rc_feed_subscriber_ref (RcFeedSubscriber *sub)
{
  sub->ref_count++;
  return sub;
}

void
rc_feed_subscriber_unref (RcFeedSubscriber *sub)
{
  if (sub == NULL || --sub->ref_count > 0)
    return;
  if (sub->kind == RC_FEED_SUBSCRIBER_WS)
    rc_feed_ws_clear (sub);
  else
    rc_feed_sse_clear (sub);
  g_clear_object (&sub->socket);
  g_free (sub->peer);
  g_free (sub);
}

void
rc_feed_subscriber_send (RcFeedSubscriber *sub, RcFeedOut *out, gint64 now)
{
  GBytes *bytes;
  gsize size;

  if (sub->closed)
    return;
  bytes = sub->kind == RC_FEED_SUBSCRIBER_WS ? out->json : out->sse;
  size = g_bytes_get_size (bytes);
  if (sub->backlog_messages + 1 > RC_FEED_BACKLOG_MESSAGES
      || sub->backlog_bytes + size > RC_FEED_BACKLOG_BYTES)
    {
      rc_feed_subscriber_drop_slow (sub);
      return;
    }
  sub->backlog_messages++;
  sub->backlog_bytes += size;
  sub->last_sent = now;
  g_queue_push_tail (&sub->queue, g_bytes_ref (bytes));
  if (sub->server != NULL)
    rc_feed_server_want_flush (sub->server, now);
  else
    rc_feed_subscriber_flush (sub);
}

void
rc_feed_subscriber_flush (RcFeedSubscriber *sub)
{
  if (sub->closed || g_queue_is_empty (&sub->queue))
    return;
  if (sub->kind == RC_FEED_SUBSCRIBER_WS)
    rc_feed_ws_flush (sub);
  else
    rc_feed_sse_flush (sub);
}

void
rc_feed_subscriber_cork (RcFeedSubscriber *sub, gboolean cork)
{
  int value = cork ? 1 : 0;

  if (sub->corked == cork || sub->socket == NULL)
    return;
  /* Not a TCP socket (a test's socket pair): nothing to hold back. */
  if (setsockopt (g_socket_get_fd (sub->socket), IPPROTO_TCP, TCP_CORK, &value, sizeof value) == 0)
    sub->corked = cork;
}

void
rc_feed_subscriber_written (RcFeedSubscriber *sub, guint messages, gsize bytes)
{
  /* A client that was let go has no backlog left to count down. */
  if (sub->closed)
    return;
  g_assert (sub->backlog_messages >= messages && sub->backlog_bytes >= bytes);
  sub->backlog_messages -= messages;
  sub->backlog_bytes -= bytes;
}

/* Stops sending and lets go of what is queued: its memory is what the limits bound. */
static void
stop (RcFeedSubscriber *sub)
{
  sub->closed = TRUE;
  sub->backlog_messages = 0;
  sub->backlog_bytes = 0;
}

void
rc_feed_subscriber_left (RcFeedSubscriber *sub, const char *why)
{
  if (sub->closed)
    return;
  stop (sub);
  /* Not worth a line each: a board that closes is ordinary. */
  g_debug ("feed: %s left: %s", sub->peer, why);
  if (sub->kind == RC_FEED_SUBSCRIBER_WS)
    rc_feed_ws_close (sub, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL, FALSE);
  else
    rc_feed_sse_end (sub, TRUE);
}

void
rc_feed_subscriber_drop_slow (RcFeedSubscriber *sub)
{
  if (sub->closed)
    return;
  rc_feed_log ("feed: %s dropped: too slow (%u messages, %" G_GSIZE_FORMAT
               " bytes not yet taken); it may resume",
               sub->peer, sub->backlog_messages, sub->backlog_bytes);
  stop (sub);
  if (sub->kind == RC_FEED_SUBSCRIBER_WS)
    rc_feed_ws_close (sub, 4001, "too slow", FALSE);
  else
    rc_feed_sse_end (sub, TRUE);
}

void
rc_feed_subscriber_close_going_away (RcFeedSubscriber *sub)
{
  if (sub->closed)
    return;
  stop (sub);
  if (sub->kind == RC_FEED_SUBSCRIBER_WS)
    rc_feed_ws_close (sub, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "server going away", TRUE);
  else
    rc_feed_sse_end (sub, FALSE);
}

void
rc_feed_subscriber_cut (RcFeedSubscriber *sub)
{
  stop (sub);
  /* Not a close: over TLS that would try to write to a client that takes nothing. */
  if (sub->socket != NULL)
    g_socket_shutdown (sub->socket, TRUE, TRUE, NULL);
}

void
rc_feed_subscriber_close_refused (RcFeedSubscriber *sub, const char *reason)
{
  if (sub->closed)
    return;
  rc_feed_log ("feed: %s refused: %s; closing with 1003", sub->peer, reason);
  stop (sub);
  rc_feed_ws_close (sub, SOUP_WEBSOCKET_CLOSE_UNSUPPORTED_DATA, reason, FALSE);
}

void
rc_feed_subscriber_close_silent (RcFeedSubscriber *sub)
{
  if (sub->closed)
    return;
  rc_feed_log ("feed: %s closed: no answer to pings for %.1f s", sub->peer,
               (g_get_monotonic_time () - sub->last_pong) / (double) G_USEC_PER_SEC);
  stop (sub);
  rc_feed_ws_close (sub, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "no answer to pings", FALSE);
}

void
rc_feed_subscriber_ended (RcFeedSubscriber *sub)
{
  g_autoptr (RcFeedSubscriber) self = rc_feed_subscriber_ref (sub);

  stop (sub);
  if (sub->server != NULL)
    rc_feed_server_unsubscribe (sub->server, sub);
}
