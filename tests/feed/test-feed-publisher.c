/* test-feed-publisher.c — the origin's side of an edge (rc-feed-publisher.c) against an
 * edge played by a SoupServer on 127.0.0.1 that answers as nchan does ({"messages":
 * N, …}) and can hold a post unanswered, so that the stream can move on while a post is
 * in flight: a restart of the stream, the backlog overflowing, the edge refusing. The
 * real nginx + nchan is test-feed-edge.c's.
 *
 * What goes to the events channel must always be a snapshot and then exactly the
 * events after it, in order, whatever happens meanwhile, and the origin must not fall
 * over. */
#include <string.h>

#include "codec/rc-codec.h"
#include "feed/rc-feed-publisher.h"
#include "rc-feed-test-util.h"

typedef struct {
  SoupServer *server;
  char *url;           /* the publisher prefix, http://127.0.0.1:PORT/publish/ */
  GPtrArray *events;   /* of RcMessage: the events channel as posted, in order */
  guint channel_count; /* what nchan would say it holds */
  gboolean hold;       /* hold the next events post unanswered */
  SoupServerMessage *held;
  guint refuse; /* answer this many posts with 507 */
} FakeEdge;

static void
answer_posted (FakeEdge *e, SoupServerMessage *msg, guint status)
{
  g_autofree char *body = g_strdup_printf ("{\"messages\": %u, \"requested\": -1, "
                                           "\"subscribers\": 0, \"last_message_id\": \"1:0\" }",
                                           e->channel_count);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/json", SOUP_MEMORY_COPY, body, strlen (body));
}

static void
on_publish (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
            gpointer data)
{
  FakeEdge *e = data;
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr (GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr (GError) error = NULL;
  RcMessage *message;

  if (!g_str_equal (path, "/publish/events"))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_ACCEPTED, NULL);
      return;
    }
  if (g_str_equal (soup_server_message_get_method (msg), "GET"))
    {
      /* nchan: the channel's figures, or 404 when it has none. */
      if (e->channel_count > 0)
        answer_posted (e, msg, SOUP_STATUS_OK);
      else
        soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }
  if (e->refuse > 0)
    {
      e->refuse--;
      soup_server_message_set_status (msg, 507, NULL);
      return;
    }
  message = rc_codec_decode_message (g_bytes_get_data (bytes, NULL),
                                     (gssize) g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  g_ptr_array_add (e->events, message);
  e->channel_count++;
  if (e->hold)
    {
      e->hold = FALSE;
      e->held = msg;
      soup_server_message_pause (msg);
      return;
    }
  answer_posted (e, msg, SOUP_STATUS_ACCEPTED);
}

static FakeEdge *
fake_edge_new (void)
{
  FakeEdge *e = g_new0 (FakeEdge, 1);
  g_autoptr (GError) error = NULL;
  GSList *uris;

  e->events = g_ptr_array_new_with_free_func ((GDestroyNotify) rc_message_free);
  e->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (e->server, "/publish", on_publish, e, NULL);
  soup_server_listen_local (e->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (e->server);
  e->url = g_strdup_printf ("http://127.0.0.1:%d/publish/", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return e;
}

static void
fake_edge_release (FakeEdge *e)
{
  g_assert_nonnull (e->held);
  answer_posted (e, e->held, SOUP_STATUS_ACCEPTED);
  soup_server_message_unpause (e->held);
  e->held = NULL;
}

static void
fake_edge_free (FakeEdge *e)
{
  soup_server_disconnect (e->server);
  g_object_unref (e->server);
  g_ptr_array_unref (e->events);
  g_free (e->url);
  g_free (e);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FakeEdge, fake_edge_free)

/* The events channel as a client sees it: from its last snapshot, the events after it
 * are exactly seq + 1, seq + 2, … of that snapshot's stream (heartbeats aside), up to
 * `last`. */
static gboolean
channel_ends_at (FakeEdge *e, const char *stream, gint64 last)
{
  gint64 expected = -1;

  for (guint i = 0; i < e->events->len; i++)
    {
      RcMessage *m = g_ptr_array_index (e->events, i);

      if (m->kind == RC_MESSAGE_SNAPSHOT)
        expected = g_str_equal (m->stream, stream) ? m->snapshot->seq : -1;
      else if (m->kind == RC_MESSAGE_EVENT && expected >= 0 && g_str_equal (m->stream, stream))
        {
          if (m->event->seq <= expected)
            continue; /* said again: a client drops it */
          if (m->event->seq != expected + 1)
            g_error ("the channel skips from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT, expected,
                     m->event->seq);
          expected = m->event->seq;
        }
    }
  return expected == last;
}

typedef struct {
  FakeEdge *edge;
  RcTestFeed *feed;
  RcFeedPublisher *publisher;
} Waiting;

static gboolean
caught_up (gpointer data)
{
  Waiting *w = data;

  gint64 last = rc_feed_hub_get_last_seq (w->feed->hub);

  /* (and the publisher has had the edge's answer to the last post) */
  return channel_ends_at (w->edge, rc_feed_hub_get_stream (w->feed->hub), last)
         && rc_feed_publisher_get_posted_seq (w->publisher) == last;
}

#define WAIT_UNTIL(cond)                                                             \
  G_STMT_START                                                                       \
  {                                                                                  \
    gint64 deadline_ = g_get_monotonic_time () + RC_TEST_TIMEOUT_MS * (gint64) 1000; \
    while (!(cond))                                                                  \
      rc_test_wait_step (deadline_, #cond);                                          \
  }                                                                                  \
  G_STMT_END

/* The stream restarts while an event's post is in flight: the channel gets the new
 * stream's snapshot and its events, none lost, the origin unharmed. */
static void
test_restart_while_posting (void)
{
  g_autoptr (FakeEdge) e = fake_edge_new ();
  g_autoptr (RcTestFeed) feed = rc_test_feed_new (NULL, NULL, NULL);
  g_autoptr (GPtrArray) events = rc_test_vote_events ("s1", 12);
  g_autoptr (GError) error = NULL;
  g_autoptr (RcFeedPublisher) publisher = rc_feed_publisher_new (feed->server, e->url, &error);
  Waiting w = { e, feed, publisher };

  g_assert_no_error (error);
  rc_feed_publisher_start (publisher);
  rc_test_feed_publish_range (feed, events, 0, 5);
  WAIT_UNTIL (caught_up (&w));
  e->hold = TRUE;
  rc_test_feed_publish_range (feed, events, 5, 6);
  WAIT_UNTIL (e->held != NULL);
  /* A new stream while that post waits; nothing else waits when it is answered. */
  rc_feed_hub_restart (feed->hub, "run-2", NULL);
  fake_edge_release (e);
  rc_test_feed_publish_range (feed, events, 0, 4);
  WAIT_UNTIL (caught_up (&w));
  g_assert_cmpstr (rc_feed_hub_get_stream (feed->hub), ==, "run-2");
  g_assert_cmpuint (rc_feed_publisher_get_n_snapshots (publisher), >=, 2);
}

/* The backlog overflows while a post is in flight (an edge far away): what waits is
 * dropped, a snapshot replaces it, and the channel goes on from there. */
static void
test_overflow_while_posting (void)
{
  g_autoptr (FakeEdge) e = fake_edge_new ();
  g_autoptr (RcTestFeed) feed = rc_test_feed_new (NULL, NULL, NULL);
  g_autoptr (GPtrArray) events = rc_test_vote_events ("s1", 24);
  g_autoptr (GError) error = NULL;
  g_autoptr (RcFeedPublisher) publisher = rc_feed_publisher_new (feed->server, e->url, &error);
  Waiting w = { e, feed, publisher };
  guint snapshots;

  g_assert_no_error (error);
  /* A small backlog, for a small vote to pass it. */
  rc_feed_publisher_set_backlog (publisher, 10);
  rc_feed_publisher_start (publisher);
  rc_test_feed_publish_range (feed, events, 0, 5);
  WAIT_UNTIL (caught_up (&w));
  snapshots = rc_feed_publisher_get_n_snapshots (publisher);
  e->hold = TRUE;
  rc_test_feed_publish_range (feed, events, 5, 6);
  WAIT_UNTIL (e->held != NULL);
  /* Eleven more: the last finds ten waiting, and they are dropped (it with them). */
  rc_test_feed_publish_range (feed, events, 6, 17);
  g_assert_cmpuint (rc_feed_publisher_get_n_waiting (publisher), ==, 0);
  fake_edge_release (e);
  WAIT_UNTIL (caught_up (&w));
  g_assert_cmpuint (rc_feed_publisher_get_n_snapshots (publisher), ==, snapshots + 1);
  /* And on from there (in bursts that pass the backlog again: more snapshots). */
  rc_test_feed_publish_range (feed, events, 17, events->len);
  WAIT_UNTIL (caught_up (&w));
}

/* The edge refuses posts for a while (nchan's 507 when its memory is full): the
 * publisher backs off, keeps what it could not post, and posts it in order after. */
static void
test_refusals_keep_order (void)
{
  g_autoptr (FakeEdge) e = fake_edge_new ();
  g_autoptr (RcTestFeed) feed = rc_test_feed_new (NULL, NULL, NULL);
  g_autoptr (GPtrArray) events = rc_test_vote_events ("s1", 12);
  g_autoptr (GError) error = NULL;
  g_autoptr (RcFeedPublisher) publisher = rc_feed_publisher_new (feed->server, e->url, &error);
  Waiting w = { e, feed, publisher };
  guint snapshots;

  g_assert_no_error (error);
  rc_feed_publisher_start (publisher);
  rc_test_feed_publish_range (feed, events, 0, 5);
  WAIT_UNTIL (caught_up (&w));
  snapshots = rc_feed_publisher_get_n_snapshots (publisher);
  e->refuse = 3;
  rc_test_feed_publish_range (feed, events, 5, events->len);
  WAIT_UNTIL (caught_up (&w));
  g_assert_true (rc_feed_publisher_is_up (publisher));
  /* The channel was still there: what it missed, not a snapshot. */
  g_assert_cmpuint (rc_feed_publisher_get_n_snapshots (publisher), ==, snapshots);
}

int
main (int argc, char *argv[])
{
  rc_test_feed_init (&argc, &argv);
  g_test_add_func ("/publisher/restart-while-posting", test_restart_while_posting);
  g_test_add_func ("/publisher/overflow-while-posting", test_overflow_while_posting);
  g_test_add_func ("/publisher/refusals-keep-order", test_refusals_keep_order);
  return g_test_run ();
}
