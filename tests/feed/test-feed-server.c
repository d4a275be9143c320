/* test-feed-server.c — the feed server over loopback, with real clients: a whole
 * vote reaches WebSocket and SSE clients alike; a client that drops resumes with
 * nothing lost or repeated, or with a snapshot once it is further behind than the
 * history kept; one that joins at the end sees what one that watched throughout
 * sees; a new stream; a shutdown that delivers what was queued and then the end,
 * within a bound; listening, and a hall's worth of boards connecting at once; the
 * plain GETs, TLS. (Liveness, limits and refusals: test-feed-server-limits.c.) */
#include <string.h>
#include <sys/socket.h>

#include "codec/rc-codec.h"
#include "model/rc-error.h"
#include "rc-archive-test-util.h"
#include "rc-feed-test-util.h"

#define N_MEMBERS 40

static const RcTestTransport transports[] = { RC_TEST_WS, RC_TEST_SSE };

static const char *
transport_name (RcTestTransport transport)
{
  return transport == RC_TEST_WS ? "ws" : "sse";
}

/* The texts of the event and snapshot frames a client received, in order. */
static GPtrArray *
stream_texts (RcTestClient *c)
{
  GPtrArray *frames = rc_test_client_get_frames (c);
  GPtrArray *texts = g_ptr_array_new ();

  for (guint i = 0; i < frames->len; i++)
    {
      RcTestFrame *frame = g_ptr_array_index (frames, i);

      if (frame->message->kind != RC_MESSAGE_HEARTBEAT)
        g_ptr_array_add (texts, frame->text);
    }
  return texts;
}

/* ---------------------------------------------------------------- a whole vote */

static void
test_whole_vote (void)
{
  g_autoptr (RcTestFeed) feed = rc_test_feed_new (NULL, NULL, NULL);
  g_autoptr (GPtrArray) events = rc_test_vote_events ("s-1", N_MEMBERS);
  RcTestClient *clients[4];
  g_autoptr (GPtrArray) reference = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
    clients[i] = rc_test_client_connect (feed->url, transports[i % 2], NULL);
  RC_TEST_WAIT_FOR (rc_feed_server_get_n_clients (feed->server) == G_N_ELEMENTS (clients));

  rc_test_feed_publish (feed, events);
  for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
    rc_test_client_wait_caught_up (clients[i], feed->hub);

  reference = stream_texts (clients[0]);
  /* The snapshot of the empty feed, then every event. */
  g_assert_cmpuint (reference->len, ==, 1 + events->len);
  for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
    {
      g_autoptr (GPtrArray) texts = stream_texts (clients[i]);
      const RcTestFrame *snapshot = rc_test_client_first_frame (clients[i], RC_MESSAGE_SNAPSHOT);

      /* Both transports carry the same bytes. */
      g_assert_cmpuint (texts->len, ==, reference->len);
      for (guint j = 0; j < texts->len; j++)
        g_assert_cmpstr (g_ptr_array_index (texts, j), ==, g_ptr_array_index (reference, j));
      g_assert_cmpuint (rc_test_client_count (clients[i], RC_MESSAGE_SNAPSHOT), ==, 1);
      g_assert_cmpint (snapshot->message->snapshot->seq, ==, 0);
      g_assert_true (snapshot == g_ptr_array_index (rc_test_client_get_frames (clients[i]), 0));
      rc_test_client_assert_state (clients[i], feed);
    }

  /* SSE: retry first; id and event name on each event; the snapshot's id on its own. */
  g_assert_cmpint (rc_test_client_get_sse_retry (clients[1]), ==, 1000);
  {
    GPtrArray *frames = rc_test_client_get_frames (clients[1]);

    for (guint i = 0; i < frames->len; i++)
      {
        RcTestFrame *frame = g_ptr_array_index (frames, i);

        if (frame->message->kind == RC_MESSAGE_EVENT)
          {
            g_autofree char *id = rc_event_id_format (RC_TEST_STREAM, frame->message->event->seq);

            g_assert_cmpstr (frame->sse_id, ==, id);
            g_assert_cmpstr (frame->sse_event, ==,
                             rc_event_type_to_string (frame->message->event->type));
          }
        else
          g_assert_cmpstr (frame->sse_event, ==,
                           frame->message->kind == RC_MESSAGE_SNAPSHOT ? "snapshot" : "heartbeat");
      }
  }
  for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
    rc_test_client_free (clients[i]);
}

static void
test_snapshot_block_sets_sse_id (void)
{
  g_autoptr (RcTestFeed) feed = rc_test_feed_new (NULL, NULL, NULL);
  g_autoptr (GPtrArray) events = rc_test_vote_events ("s-1", 5);
  g_autoptr (RcTestClient) c = NULL;
  g_autofree char *id = NULL;

  rc_test_feed_publish (feed, events);
  c = rc_test_client_connect (feed->url, RC_TEST_SSE, NULL);
  /* No event follows, yet an EventSource would resume from the snapshot's seq. */
  id = rc_event_id_format (RC_TEST_STREAM, events->len);
  RC_TEST_WAIT_FOR (g_strcmp0 (rc_test_client_get_sse_last_event_id (c), id) == 0);
  g_assert_cmpuint (rc_test_client_count (c, RC_MESSAGE_SNAPSHOT), ==, 1);
}

/* ---------------------------------------------------------------- resuming */

typedef struct {
  RcTestTransport transport;
  RcTestIdPlace place;
} Resume;

static const Resume resumes[] = {
  { RC_TEST_WS, RC_TEST_ID_QUERY },
  { RC_TEST_WS, RC_TEST_ID_HEADER },
  { RC_TEST_SSE, RC_TEST_ID_HEADER },
  { RC_TEST_SSE, RC_TEST_ID_QUERY },
};

static void
test_resume (gconstpointer data)
{
  const Resume *resume = data;
  g_autoptr (RcTestFeed) feed = rc_test_feed_new (NULL, NULL, NULL);
  g_autoptr (GPtrArray) events = rc_test_vote_events ("s-1", N_MEMBERS);
  g_autoptr (RcTestClient) first = rc_test_client_connect (feed->url, resume->transport, NULL);
  g_autoptr (RcTestClient) again = NULL;
  guint half = events->len / 2, more = events->len * 3 / 4;
  const RcTestFrame *frame;

  rc_test_feed_publish_range (feed, events, 0, half);
  rc_test_client_wait_caught_up (first, feed->hub);
  rc_test_client_close (first);
  RC_TEST_WAIT_FOR (rc_feed_server_get_n_clients (feed->server) == 0);

  /* The vote goes on while the board is away. */
  rc_test_feed_publish_range (feed, events, half, more);

  again = rc_test_client_new (feed->url, resume->transport);
  rc_test_client_set_last_event_id (again, rc_test_client_get_last_event_id (first), resume->place);
  rc_test_client_set_session (again, rc_test_client_get_session (first));
  rc_test_client_start (again);
  RC_TEST_WAIT_FOR (rc_test_client_is_open (again));
  rc_test_client_wait_caught_up (again, feed->hub);
  rc_test_feed_publish_range (feed, events, more, events->len);
  rc_test_client_wait_caught_up (again, feed->hub);

  /* Right after the missed events and before the new ones, a heartbeat says the client
   * has them all: under a steady flow of events it would otherwise wait for one, and
   * not show live meanwhile. */
  frame = g_ptr_array_index (rc_test_client_get_frames (again), more - half);
  g_assert_cmpint (frame->message->kind, ==, RC_MESSAGE_HEARTBEAT);
  g_assert_cmpint (frame->message->last_seq, ==, more);

  /* Exactly the rest: no snapshot, the first event the one after the last applied.
   * (The client fails the test itself on a gap or a repeat.) */
  g_assert_cmpuint (rc_test_client_count (again, RC_MESSAGE_SNAPSHOT), ==, 0);
  g_assert_cmpuint (rc_test_client_count (again, RC_MESSAGE_EVENT), ==, events->len - half);
  frame = rc_test_client_first_frame (again, RC_MESSAGE_EVENT);
  g_assert_nonnull (frame);
  g_assert_cmpint (frame->message->event->seq, ==, half + 1);
  rc_test_client_assert_state (again, feed);
}

static void
test_reconnect_keeps_state (gconstpointer data)
{
  RcTestTransport transport = GPOINTER_TO_INT (data);
  g_autoptr (RcTestFeed) feed = rc_test_feed_new (NULL, NULL, NULL);
  g_autoptr (GPtrArray) events = rc_test_vote_events ("s-1", N_MEMBERS);
  g_autoptr (RcTestClient) first = rc_test_client_connect (feed->url, transport, NULL);
  g_autoptr (RcTestClient) second = NULL;
  g_autoptr (RcTestClient) third = NULL;

  /* Dropped twice mid-vote; the board's state is carried from one connection to the
   * next, as RcFeedClient does. */
  rc_test_feed_publish_range (feed, events, 0, 10);
  rc_test_client_wait_caught_up (first, feed->hub);
  rc_test_client_close (first);
  rc_test_feed_publish_range (feed, events, 10, 20);
  second = rc_test_client_reconnect (first);
  rc_test_client_wait_caught_up (second, feed->hub);
  rc_test_client_close (second);
  rc_test_feed_publish_range (feed, events, 20, events->len);
  third = rc_test_client_reconnect (second);
  rc_test_client_wait_caught_up (third, feed->hub);
  rc_test_client_assert_state (third, feed);
}

/* The hub keeps only its newest events: a board back within them gets exactly what it
 * missed, one further behind a snapshot and then the rest, and both end where a
 * board that watched throughout is. */
static void
test_resume_beyond_history (gconstpointer data)
{
  RcTestTransport transport = GPOINTER_TO_INT (data);
  g_autoptr (RcTestFeed) feed = rc_test_feed_new (NULL, NULL, NULL);
  g_autoptr (GPtrArray) events = rc_test_vote_events ("s-1", N_MEMBERS);
  g_autoptr (RcTestClient) watcher = rc_test_client_connect (feed->url, transport, NULL);
  g_autoptr (RcTestClient) board = rc_test_client_connect (feed->url, transport, NULL);
  g_autoptr (RcTestClient) back = NULL;
  g_autoptr (RcTestClient) late = NULL;
  g_autofree char *watched = NULL;
  g_autofree char *resumed = NULL;
  const RcTestFrame *snapshot;

  g_assert_cmpuint (events->len, >, 48);
  rc_feed_hub_set_history (feed->hub, 10);
  rc_test_feed_publish_range (feed, events, 0, 20);
  rc_test_client_wait_caught_up (board, feed->hub);
  rc_test_client_close (board);

  /* 8 missed, 10 kept: exactly those 8. */
  rc_test_feed_publish_range (feed, events, 20, 28);
  back = rc_test_client_reconnect (board);
  rc_test_client_wait_caught_up (back, feed->hub);
  g_assert_cmpuint (rc_test_client_count (back, RC_MESSAGE_SNAPSHOT), ==, 0);
  g_assert_cmpuint (rc_test_client_count (back, RC_MESSAGE_EVENT), ==, 8);
  g_assert_cmpint (rc_test_client_first_frame (back, RC_MESSAGE_EVENT)->message->event->seq, ==,
                   21);
  rc_test_client_close (back);

  /* 20 missed, 10 kept (and far fewer than a backlog): a snapshot, then the rest. */
  rc_test_feed_publish_range (feed, events, 28, 48);
  g_assert_null (rc_feed_hub_events_since (feed->hub, 28));
  late = rc_test_client_reconnect (back);
  rc_test_client_wait_caught_up (late, feed->hub);
  g_assert_cmpuint (rc_test_client_count (late, RC_MESSAGE_SNAPSHOT), ==, 1);
  snapshot = rc_test_client_first_frame (late, RC_MESSAGE_SNAPSHOT);
  g_assert_cmpint (snapshot->message->snapshot->seq, ==, 48);
  g_assert_true (snapshot == g_ptr_array_index (rc_test_client_get_frames (late), 0));
  rc_test_feed_publish_range (feed, events, 48, events->len);
  rc_test_client_wait_caught_up (late, feed->hub);
  rc_test_client_wait_caught_up (watcher, feed->hub);
  g_assert_cmpuint (rc_test_client_count (late, RC_MESSAGE_EVENT), ==, events->len - 48);

  watched = rc_test_session_dump (rc_test_client_get_session (watcher));
  resumed = rc_test_session_dump (rc_test_client_get_session (late));
  g_assert_cmpstr (resumed, ==, watched);
  rc_test_client_assert_state (late, feed);
  g_assert_cmpuint (rc_test_client_count (watcher, RC_MESSAGE_SNAPSHOT), ==, 1);
}

static void
test_late_joiner (gconstpointer data)
{
  RcTestTransport transport = GPOINTER_TO_INT (data);
  g_autoptr (RcTestFeed) feed = rc_test_feed_new (NULL, NULL, NULL);
  g_autoptr (GPtrArray) events = rc_test_vote_events ("s-1", N_MEMBERS);
  g_autoptr (RcTestClient) watcher = rc_test_client_connect (feed->url, transport, NULL);
  g_autoptr (RcTestClient) late = NULL;
  g_autofree char *watched = NULL;
  g_autofree char *joined = NULL;
  const RcTestFrame *snapshot;

  rc_test_feed_publish (feed, events);
  rc_test_client_wait_caught_up (watcher, feed->hub);
  late = rc_test_client_connect (feed->url, transport, NULL);
  rc_test_client_wait_caught_up (late, feed->hub);

  g_assert_cmpuint (rc_test_client_count (late, RC_MESSAGE_SNAPSHOT), ==, 1);
  g_assert_cmpuint (rc_test_client_count (late, RC_MESSAGE_EVENT), ==, 0);
  snapshot = rc_test_client_first_frame (late, RC_MESSAGE_SNAPSHOT);
  g_assert_cmpint (snapshot->message->snapshot->seq, ==, events->len);
  g_assert_cmpint (
    ((RcSnapshotVote *) g_ptr_array_index (snapshot->message->snapshot->votes, 0))->state, ==,
    RC_VOTE_ANNOUNCED);
  watched = rc_test_session_dump (rc_test_client_get_session (watcher));
  joined = rc_test_session_dump (rc_test_client_get_session (late));
  g_assert_cmpstr (joined, ==, watched);
}

typedef struct {
  const char *name;
  const char *id;
  gboolean snapshot;
} Position;

static const Position positions[] = {
  { "no-id", NULL, TRUE },
  { "other-stream", "yesterday:5", TRUE },
  { "future-seq", RC_TEST_STREAM ":999", TRUE },
  { "not-an-id", "five", TRUE },
  { "negative-seq", RC_TEST_STREAM ":-1", TRUE },
  { "from-start", RC_TEST_STREAM ":0", FALSE },
  { "from-middle", RC_TEST_STREAM ":7", FALSE },
  { "at-end", RC_TEST_STREAM ":12", FALSE },
};

static void
test_position (gconstpointer data)
{
  const Position *position = data;
  g_autoptr (GPtrArray) events = rc_test_vote_events ("s-1", 5);

  g_assert_cmpuint (events->len, ==, 12);
  for (gsize t = 0; t < G_N_ELEMENTS (transports); t++)
    {
      g_autoptr (RcTestFeed) feed = rc_test_feed_new (NULL, NULL, NULL);
      g_autoptr (RcTestClient) c = NULL;
      g_autoptr (RcEvent) more = rc_event_new_on_air (0, RC_ON_AIR_BLANK, NULL);
      g_autoptr (RcEvent) published = NULL;
      g_autofree char *stream = NULL;
      gint64 seq = 0;

      rc_test_feed_publish (feed, events);
      c = rc_test_client_new (feed->url, transports[t]);
      if (position->id != NULL)
        rc_test_client_set_last_event_id (
          c, position->id, transports[t] == RC_TEST_WS ? RC_TEST_ID_QUERY : RC_TEST_ID_HEADER);
      /* A client that can resume has the state of its position. */
      if (!position->snapshot)
        {
          g_autoptr (RcSession) state = rc_session_new ();
          g_autoptr (GPtrArray) stream_events = rc_feed_hub_events_since (feed->hub, 0);
          g_autoptr (GError) error = NULL;

          g_assert_true (rc_event_id_parse (position->id, &stream, &seq));
          for (gint64 i = 0; i < seq; i++)
            {
              rc_session_apply (state, g_ptr_array_index (stream_events, i), &error);
              g_assert_no_error (error);
            }
          rc_test_client_set_session (c, state);
        }
      rc_test_client_start (c);
      RC_TEST_WAIT_FOR (rc_test_client_is_open (c));
      /* One more event: when it has come, everything before it has too. */
      published = rc_feed_hub_publish (feed->hub, more, NULL);
      g_assert_nonnull (published);
      rc_test_client_wait_caught_up (c, feed->hub);

      g_assert_cmpuint (rc_test_client_count (c, RC_MESSAGE_SNAPSHOT), ==, position->snapshot);
      if (!position->snapshot)
        {
          g_assert_cmpuint (rc_test_client_count (c, RC_MESSAGE_EVENT), ==, events->len + 1 - seq);
        }
      else
        g_assert_cmpuint (rc_test_client_count (c, RC_MESSAGE_EVENT), ==, 1);
      rc_test_client_assert_state (c, feed);
    }
}

/* ---------------------------------------------------------------- restart, shutdown */

static void
test_restart (gconstpointer data)
{
  RcTestTransport transport = GPOINTER_TO_INT (data);
  g_autoptr (RcTestFeed) feed = rc_test_feed_new (NULL, NULL, NULL);
  g_autoptr (GPtrArray) first = rc_test_vote_events ("s-1", 5);
  g_autoptr (GPtrArray) second = rc_test_vote_events ("s-2", 4);
  g_autoptr (RcTestClient) c = rc_test_client_connect (feed->url, transport, NULL);
  g_autofree char *end = NULL;
  GPtrArray *frames;
  guint i;

  rc_test_feed_publish (feed, first);
  rc_test_client_wait_caught_up (c, feed->hub);
  /* A replay loops: a new stream, and every client a fresh snapshot of it. */
  rc_feed_hub_restart (feed->hub, "run-2", NULL);
  RC_TEST_WAIT_FOR (g_strcmp0 (rc_test_client_get_last_event_id (c), "run-2:0") == 0);
  rc_test_feed_publish (feed, second);
  end = g_strdup_printf ("run-2:%u", second->len);
  RC_TEST_WAIT_FOR (g_strcmp0 (rc_test_client_get_last_event_id (c), end) == 0);

  frames = rc_test_client_get_frames (c);
  for (i = 0; i < frames->len; i++)
    {
      RcTestFrame *frame = g_ptr_array_index (frames, i);

      if (frame->message->kind == RC_MESSAGE_SNAPSHOT
          && g_str_equal (frame->message->stream, "run-2"))
        break;
    }
  g_assert_cmpuint (i, <, frames->len);
  g_assert_cmpint (((RcTestFrame *) g_ptr_array_index (frames, i))->message->snapshot->seq, ==, 0);
  g_assert_cmpuint (rc_test_client_count (c, RC_MESSAGE_SNAPSHOT), ==, 2);
  rc_test_client_assert_state (c, feed);
}

static void
test_shutdown (void)
{
  g_autoptr (RcTestFeed) feed = rc_test_feed_new (NULL, NULL, NULL);
  g_autoptr (RcTestClient) ws = rc_test_client_connect (feed->url, RC_TEST_WS, NULL);
  g_autoptr (RcTestClient) sse = rc_test_client_connect (feed->url, RC_TEST_SSE, NULL);

  RC_TEST_WAIT_FOR (rc_feed_server_get_n_clients (feed->server) == 2);
  rc_feed_server_shutdown (feed->server);
  RC_TEST_WAIT_FOR (rc_test_client_is_closed (ws) && rc_test_client_is_closed (sse));
  g_assert_cmpuint (rc_test_client_get_close_code (ws), ==, SOUP_WEBSOCKET_CLOSE_GOING_AWAY);
  RC_TEST_WAIT_FOR (rc_feed_server_get_n_clients (feed->server) == 0);
}

/* A vote open for ballots (seq 1…4), a client that has stopped reading, and ballots
 * in bursts until what the server gives it stays queued, its socket full. */
static void
fill_until_stalled (RcTestFeed *feed)
{
  guint n = 0;

  for (;;)
    {
      for (guint i = 0; i < 200; i++, n++)
        {
          g_autoptr (RcEvent) ballot
            = rc_event_new_ballot (0, "v1", "M001", n % 2 ? RC_CHOICE_YES : RC_CHOICE_NO);
          g_autoptr (GError) error = NULL;
          g_autoptr (RcEvent) published = rc_feed_hub_publish (feed->hub, ballot, &error);

          g_assert_no_error (error);
        }
      while (g_main_context_iteration (NULL, FALSE))
        ;
      if (rc_feed_server_get_backlog_bytes (feed->server) > 0)
        {
          g_test_message ("the client stalled after %u events", n);
          return;
        }
      /* However large the kernel's buffers, they fill up in the end. */
      g_assert_cmpuint (n, <, 500000);
    }
}

/* A raw client of the transport (SSE or WebSocket) with a small receive buffer,
 * subscribed to a vote open for ballots; pings off, as it answers none. */
static RcTestRaw *
open_stalling (RcTestFeed *feed, RcTestTransport transport)
{
  g_autoptr (GPtrArray) events = rc_test_vote_events ("s-1", 3);
  g_autoptr (GUri) uri = g_uri_parse (feed->url, G_URI_FLAGS_NONE, NULL);
  g_autofree char *request = NULL;
  GPtrArray *listening = rc_feed_server_get_sockets (feed->server);
  RcTestRaw *raw;

  /* The server's end small too (an accepted socket takes its listener's), so that the
   * kernel holds little: what is queued is the server's own. */
  for (guint i = 0; i < listening->len; i++)
    g_assert_true (g_socket_set_option (listening->pdata[i], SOL_SOCKET, SO_SNDBUF, 8192, NULL));
  rc_test_feed_publish_range (feed, events, 0, 4);
  rc_feed_server_set_ping_interval (feed->server, 0);
  if (transport == RC_TEST_WS)
    request = rc_test_raw_ws_request (feed->url, TRUE);
  else
    request = g_strdup_printf ("GET /v1/events HTTP/1.1\r\nHost: %s:%d\r\n"
                               "Accept: text/event-stream\r\n\r\n",
                               g_uri_get_host (uri), g_uri_get_port (uri));
  raw = rc_test_raw_open (feed->url, request, 4096);
  g_assert_cmpuint (rc_test_raw_read_status (raw), ==, transport == RC_TEST_WS ? 101 : 200);
  RC_TEST_WAIT_FOR (rc_feed_server_get_n_clients (feed->server) == 1);
  return raw;
}

/* The frames of a WebSocket server, from the bytes after the handshake: the text of
 * each data frame into texts, and the code of the close frame, which must come last
 * (0: none came). */
static gushort
ws_frames (GBytes *bytes, GPtrArray *texts)
{
  gsize size;
  const guchar *p = g_bytes_get_data (bytes, &size);
  gushort code = 0;
  gboolean closed = FALSE;

  for (gsize at = 0; at < size;)
    {
      gsize header = 2;
      guint64 length;

      g_assert_false (closed);
      g_assert_cmpuint (size - at, >=, 2);
      length = p[at + 1] & 0x7f;
      if (length == 126)
        header = 4;
      else if (length == 127)
        header = 10;
      g_assert_cmpuint (size - at, >=, header);
      if (header > 2)
        {
          length = 0;
          for (gsize i = 2; i < header; i++)
            length = (length << 8) | p[at + i];
        }
      g_assert_cmpuint (size - at - header, >=, length);
      if ((p[at] & 0x0f) == 0x1)
        g_ptr_array_add (texts, g_strndup ((const char *) p + at + header, length));
      else if ((p[at] & 0x0f) == 0x8)
        {
          closed = TRUE;
          code = length >= 2 ? (p[at + header] << 8) | p[at + header + 1] : 0;
        }
      at += header + length;
    }
  return code;
}

/* A client that had stopped reading when the server shut down, and reads again: it
 * gets every event queued for it, then the end of its subscription. */
static void
test_shutdown_delivers_queue (gconstpointer data)
{
  RcTestTransport transport = GPOINTER_TO_INT (data);
  g_autoptr (RcTestFeed) feed = rc_test_feed_new (NULL, NULL, NULL);
  g_autoptr (RcTestRaw) raw = open_stalling (feed, transport);
  g_autoptr (GBytes) rest = NULL;
  gint64 last;

  fill_until_stalled (feed);
  last = rc_feed_hub_get_last_seq (feed->hub);
  rc_feed_server_shutdown (feed->server);
  /* It waits for the client to take its end. */
  g_assert_false (rc_feed_server_is_closed (feed->server));
  g_assert_cmpuint (rc_feed_server_get_n_clients (feed->server), ==, 1);

  rest = rc_test_raw_read_to_end (raw);
  if (transport == RC_TEST_WS)
    {
      g_autoptr (GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
      gint64 seq = -1;

      g_assert_cmpuint (ws_frames (rest, texts), ==, SOUP_WEBSOCKET_CLOSE_GOING_AWAY);
      for (guint i = 0; i < texts->len; i++)
        {
          g_autoptr (GError) error = NULL;
          g_autoptr (RcMessage) message
            = rc_codec_decode_message (g_ptr_array_index (texts, i), -1, &error);

          g_assert_no_error (error);
          if (message->kind == RC_MESSAGE_SNAPSHOT)
            seq = message->snapshot->seq;
          else if (message->kind == RC_MESSAGE_EVENT)
            {
              g_assert_cmpint (message->event->seq, ==, seq + 1);
              seq = message->event->seq;
            }
        }
      g_assert_cmpint (seq, ==, last);
    }
  else
    {
      g_autofree char *text = g_strndup (g_bytes_get_data (rest, NULL), g_bytes_get_size (rest));
      const char *at = text;

      /* Each message is a chunk of its own, so its lines are whole; in order. */
      for (gint64 seq = 5; seq <= last; seq++)
        {
          g_autofree char *id
            = g_strdup_printf ("\nid: %s:%" G_GINT64_FORMAT "\n", RC_TEST_STREAM, seq);

          at = strstr (at, id);
          if (at == NULL)
            g_error ("event %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT " never came", seq, last);
        }
      /* The chunked response's end. */
      g_assert_true (g_str_has_suffix (text, "\r\n0\r\n\r\n"));
    }
  /* WebSocket: after the grace period, as this client never answers the close. */
  RC_TEST_WAIT_FOR (rc_feed_server_is_closed (feed->server));
  RC_TEST_WAIT_FOR (rc_feed_server_get_n_clients (feed->server) == 0);
}

/* A client that never reads again does not hold the server up: it is cut after the
 * grace period. */
static void
test_shutdown_cuts_stuck_client (gconstpointer data)
{
  RcTestTransport transport = GPOINTER_TO_INT (data);
  g_autoptr (RcTestFeed) feed = rc_test_feed_new (NULL, NULL, NULL);
  g_autoptr (RcTestRaw) raw = open_stalling (feed, transport);
  g_autoptr (GBytes) rest = NULL;

  fill_until_stalled (feed);
  rc_feed_server_shutdown (feed->server);
  RC_TEST_WAIT_FOR (rc_feed_server_is_closed (feed->server));
  RC_TEST_WAIT_FOR (rc_feed_server_get_n_clients (feed->server) == 0);
  g_assert_cmpuint (rc_feed_server_get_backlog_bytes (feed->server), ==, 0);
  /* What the kernel already held still arrives, and then the connection ends. */
  rest = rc_test_raw_read_to_end (raw);
  g_assert_cmpuint (g_bytes_get_size (rest), >, 0);
}

/* ---------------------------------------------------------------- listening */

static void
test_listen (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RcFeedHub) hub = rc_feed_hub_new (RC_TEST_STREAM, NULL, NULL, &error);
  g_autoptr (RcFeedServer) server = rc_feed_server_new (hub, NULL, &error);
  g_autoptr (RcFeedServer) second = rc_feed_server_new (hub, NULL, &error);
  g_autoptr (RcFeedServer) third = rc_feed_server_new (hub, NULL, &error);
  g_autoptr (RcTestClient) c = NULL;
  g_autofree char *url = NULL;
  g_autofree char *expected = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (rc_feed_server_get_port (server), ==, 0);
  g_assert_null (rc_feed_server_get_url (server));

  /* No address: loopback only. */
  g_assert_true (rc_feed_server_listen (server, NULL, 0, &error));
  g_assert_no_error (error);
  url = rc_feed_server_get_url (server);
  expected = g_strdup_printf ("http://127.0.0.1:%u", rc_feed_server_get_port (server));
  g_assert_cmpstr (url, ==, expected);
  c = rc_test_client_connect (url, RC_TEST_WS, NULL);
  RC_TEST_WAIT_FOR (rc_test_client_count (c, RC_MESSAGE_SNAPSHOT) == 1);
  /* On sockets of its own, with room for a hall reconnecting at once: 127.0.0.1, and
   * ::1 when there is IPv6, on the same port. */
  {
    GPtrArray *listening = rc_feed_server_get_sockets (server);
    gboolean ipv4 = FALSE;

    g_assert_cmpuint (listening->len, >=, 1);
    g_assert_cmpuint (listening->len, <=, 2);
    for (guint i = 0; i < listening->len; i++)
      {
        g_autoptr (GSocketAddress) local = g_socket_get_local_address (listening->pdata[i], &error);
        GInetAddress *inet;

        g_assert_no_error (error);
        inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (local));
        g_assert_true (g_inet_address_get_is_loopback (inet));
        g_assert_cmpuint (g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local)), ==,
                          rc_feed_server_get_port (server));
        ipv4 |= g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV4;
        g_assert_cmpint (g_socket_get_listen_backlog (listening->pdata[i]), ==,
                         RC_FEED_LISTEN_BACKLOG);
      }
    g_assert_true (ipv4);
  }

  /* Refusals, each one line, each naming what was asked. */
  g_assert_false (rc_feed_server_listen (second, "example.org", 0, &error));
  rc_test_assert_refused (error, RC_ERROR_BAD_ARGUMENT, "example.org");
  g_clear_error (&error);
  g_assert_false (
    rc_feed_server_listen (third, "127.0.0.1", rc_feed_server_get_port (server), &error));
  rc_test_assert_refused (error, RC_ERROR_FAILED, "127.0.0.1");
  g_assert_null (rc_feed_server_get_url (third));
}

/* --bind ::1: IPv6 only, reached at [::1]. */
static void
test_listen_ipv6 (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocket) probe
    = g_socket_new (G_SOCKET_FAMILY_IPV6, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr (GInetAddress) loopback6 = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV6);
  g_autoptr (GSocketAddress) any_port = g_inet_socket_address_new (loopback6, 0);
  g_autoptr (RcFeedHub) hub = rc_feed_hub_new (RC_TEST_STREAM, NULL, NULL, &error);
  g_autoptr (RcFeedServer) server = rc_feed_server_new (hub, NULL, &error);
  g_autoptr (RcTestClient) c = NULL;
  g_autofree char *url = NULL;
  g_autofree char *expected = NULL;
  GPtrArray *listening;

  if (probe == NULL || !g_socket_bind (probe, any_port, TRUE, NULL))
    {
      g_test_skip ("no IPv6 loopback here");
      return;
    }
  g_assert_true (rc_feed_server_listen (server, "::1", 0, &error));
  g_assert_no_error (error);
  url = rc_feed_server_get_url (server);
  expected = g_strdup_printf ("http://[::1]:%u", rc_feed_server_get_port (server));
  g_assert_cmpstr (url, ==, expected);
  listening = rc_feed_server_get_sockets (server);
  g_assert_cmpuint (listening->len, ==, 1);
  g_assert_cmpint (g_socket_get_listen_backlog (listening->pdata[0]), ==, RC_FEED_LISTEN_BACKLOG);
  c = rc_test_client_connect (url, RC_TEST_WS, NULL);
  RC_TEST_WAIT_FOR (rc_test_client_count (c, RC_MESSAGE_SNAPSHOT) == 1);
}

/* ---------------------------------------------------------------- a hall at once */

#define N_BURST 200

/* A WebSocket subscription opened by hand while the server's loop does not run: the
 * kernel completes the connection from the listen backlog, so with GLib's default
 * of 10 the eleventh would wait for its SYN to be retried (here: time out). */
static GSocket *
connect_now (GSocketAddress *address, const char *request)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocket) socket
    = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  gssize sent;

  g_assert_no_error (error);
  g_socket_set_timeout (socket, 10);
  g_socket_connect (socket, address, NULL, &error);
  g_assert_no_error (error);
  sent = g_socket_send (socket, request, strlen (request), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sent, ==, strlen (request));
  g_socket_set_blocking (socket, FALSE);
  return g_steal_pointer (&socket);
}

typedef struct {
  GSocket *socket;
  GByteArray *in;
  gboolean subscribed;
} Board;

/* Reads what has come; TRUE once the handshake's answer (101) and a first frame, a
 * snapshot, are whole. */
static gboolean
board_has_snapshot (Board *b)
{
  char buffer[4096];
  gssize n;
  const char *head_end;
  const guchar *p;
  gsize available, header = 2, length;
  g_autoptr (RcMessage) message = NULL;
  g_autoptr (GError) error = NULL;

  while ((n = g_socket_receive (b->socket, buffer, sizeof buffer, NULL, NULL)) > 0)
    g_byte_array_append (b->in, (const guint8 *) buffer, n);
  g_assert_cmpint (n, !=, 0); /* the server does not end it */
  head_end
    = b->in->len > 0 ? g_strstr_len ((const char *) b->in->data, b->in->len, "\r\n\r\n") : NULL;
  if (head_end == NULL)
    return FALSE;
  g_assert_true (g_str_has_prefix ((const char *) b->in->data, "HTTP/1.1 101 "));
  p = (const guchar *) head_end + 4;
  available = b->in->data + b->in->len - p;
  if (available < 4)
    return FALSE;
  g_assert_cmpuint (p[0] & 0x0f, ==, 0x1);
  length = p[1] & 0x7f;
  g_assert_cmpuint (length, <, 127);
  if (length == 126)
    {
      header = 4;
      length = (p[2] << 8) | p[3];
    }
  if (available < header + length)
    return FALSE;
  message = rc_codec_decode_message ((const char *) p + header, length, &error);
  g_assert_no_error (error);
  g_assert_cmpint (message->kind, ==, RC_MESSAGE_SNAPSHOT);
  g_assert_cmpint (message->snapshot->seq, ==, 4);
  return TRUE;
}

static gboolean
all_subscribed (Board *boards, RcTestClient **clients)
{
  gboolean all = TRUE;

  for (guint i = 0; i < N_BURST; i++)
    {
      if (!boards[i].subscribed)
        boards[i].subscribed = board_has_snapshot (&boards[i]);
      all = all && boards[i].subscribed
            && rc_test_client_count (clients[i], RC_MESSAGE_SNAPSHOT) > 0;
    }
  return all;
}

/* A hall's boards reconnecting after a restart, all at once and unpaced: every one is
 * taken and gets its snapshot. */
static void
test_burst (void)
{
  g_autoptr (RcTestFeed) feed = rc_test_feed_new (NULL, NULL, NULL);
  g_autoptr (GPtrArray) events = rc_test_vote_events ("s-1", 5);
  g_autoptr (GUri) uri = g_uri_parse (feed->url, G_URI_FLAGS_NONE, NULL);
  g_autoptr (GSocketAddress) address
    = g_inet_socket_address_new_from_string (g_uri_get_host (uri), g_uri_get_port (uri));
  g_autofree char *request = rc_test_raw_ws_request (feed->url, TRUE);
  Board boards[N_BURST];
  RcTestClient *clients[N_BURST];

  rc_test_feed_publish_range (feed, events, 0, 4);
  /* The boards by hand answer no ping. */
  rc_feed_server_set_ping_interval (feed->server, 0);
  for (guint i = 0; i < N_BURST; i++)
    {
      boards[i].socket = connect_now (address, request);
      boards[i].in = g_byte_array_new ();
      boards[i].subscribed = FALSE;
    }
  /* As many through libsoup, all started before any is answered. */
  for (guint i = 0; i < N_BURST; i++)
    {
      clients[i] = rc_test_client_new (feed->url, RC_TEST_WS);
      rc_test_client_start (clients[i]);
    }
  RC_TEST_WAIT_FOR (all_subscribed (boards, clients));
  g_assert_cmpuint (rc_feed_server_get_n_clients (feed->server), ==, 2 * N_BURST);
  for (guint i = 0; i < N_BURST; i++)
    {
      g_assert_cmpuint (rc_test_client_count (clients[i], RC_MESSAGE_SNAPSHOT), ==, 1);
      rc_test_client_assert_state (clients[i], feed);
      rc_test_client_free (clients[i]);
      g_object_unref (boards[i].socket);
      g_byte_array_unref (boards[i].in);
    }
  RC_TEST_WAIT_FOR (rc_feed_server_get_n_clients (feed->server) == 0);
}

/* ---------------------------------------------------------------- plain GETs */

static void
test_snapshot_and_health (void)
{
  g_autoptr (RcTestFeed) feed = rc_test_feed_new (NULL, NULL, NULL);
  g_autoptr (GPtrArray) events = rc_test_vote_events ("s-1", 9);
  g_autoptr (RcTestClient) c = rc_test_client_connect (feed->url, RC_TEST_SSE, NULL);
  g_autofree char *snapshot_url = g_strconcat (feed->url, "/v1/snapshot", NULL);
  g_autofree char *health_url = g_strconcat (feed->url, "/v1/health", NULL);
  g_autofree char *expected_health = NULL;
  g_autofree char *origin = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (RcMessage) message = NULL;
  g_autoptr (RcSession) session = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *dump = NULL;
  g_autofree char *expected = NULL;
  guint status;

  rc_test_feed_publish_range (feed, events, 0, 14);
  body = rc_test_http (snapshot_url, "GET", &status, &origin);
  g_assert_cmpstr (origin, ==, "*");
  g_assert_cmpuint (status, ==, 200);
  message
    = rc_codec_decode_message (g_bytes_get_data (body, NULL), g_bytes_get_size (body), &error);
  g_assert_no_error (error);
  g_assert_cmpint (message->kind, ==, RC_MESSAGE_SNAPSHOT);
  g_assert_cmpint (message->snapshot->seq, ==, 14);
  session = rc_session_new_from_snapshot (message->snapshot, &error);
  g_assert_no_error (error);
  dump = rc_test_session_dump (session);
  expected = rc_test_feed_dump (feed);
  g_assert_cmpstr (dump, ==, expected);

  g_clear_pointer (&body, g_bytes_unref);
  g_clear_pointer (&origin, g_free);
  body = rc_test_http (health_url, "GET", &status, &origin);
  g_assert_cmpstr (origin, ==, "*");
  g_assert_cmpuint (status, ==, 200);
  expected_health
    = g_strdup_printf ("{\"v\":1,\"stream\":\"%s\",\"seq\":14,\"clients\":1}", RC_TEST_STREAM);
  g_assert_cmpmem (g_bytes_get_data (body, NULL), g_bytes_get_size (body), expected_health,
                   strlen (expected_health));
}

/* ---------------------------------------------------------------- TLS */

/* A certificate for 127.0.0.1 made by openssl, its own CA; NULL if there is no
 * openssl here. */
static GTlsCertificate *
make_certificate (const char *dir, char **ca_path)
{
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  g_autofree char *key = g_build_filename (dir, "key.pem", NULL);
  g_autofree char *cert = g_build_filename (dir, "cert.pem", NULL);
  g_autoptr (GError) error = NULL;
  GTlsCertificate *certificate;
  int status = 0;
  const char *argv[] = { NULL,
                         "req",
                         "-x509",
                         "-newkey",
                         "ec",
                         "-pkeyopt",
                         "ec_paramgen_curve:prime256v1",
                         "-nodes",
                         "-keyout",
                         key,
                         "-out",
                         cert,
                         "-days",
                         "2",
                         "-subj",
                         "/CN=127.0.0.1",
                         "-addext",
                         "subjectAltName=IP:127.0.0.1",
                         NULL };

  if (openssl == NULL)
    return NULL;
  argv[0] = openssl;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);
  certificate = g_tls_certificate_new_from_files (cert, key, &error);
  g_assert_no_error (error);
  *ca_path = g_steal_pointer (&cert);
  return certificate;
}

static void
test_tls (RcTestArchive *f, gconstpointer data)
{
  g_autofree char *ca_path = NULL;
  g_autoptr (GTlsCertificate) certificate = make_certificate (f->dir, &ca_path);
  g_autoptr (GTlsDatabase) database = NULL;
  g_autoptr (RcTestFeed) feed = NULL;
  g_autoptr (GPtrArray) events = rc_test_vote_events ("s-1", 5);
  g_autoptr (GError) error = NULL;

  if (certificate == NULL)
    {
      g_test_skip ("openssl is needed to make a test certificate");
      return;
    }
  database = g_tls_file_database_new (ca_path, &error);
  g_assert_no_error (error);
  feed = rc_test_feed_new (NULL, NULL, certificate);
  g_assert_true (g_str_has_prefix (feed->url, "https://127.0.0.1:"));
  rc_test_feed_publish (feed, events);

  for (gsize t = 0; t < G_N_ELEMENTS (transports); t++)
    {
      g_autoptr (RcTestClient) trusting = rc_test_client_new (feed->url, transports[t]);
      g_autoptr (RcTestClient) untrusting = rc_test_client_new (feed->url, transports[t]);

      rc_test_client_set_tls_database (trusting, database);
      rc_test_client_start (trusting);
      RC_TEST_WAIT_FOR (rc_test_client_is_open (trusting));
      rc_test_client_wait_caught_up (trusting, feed->hub);
      rc_test_client_assert_state (trusting, feed);

      /* The system's CAs do not know this certificate: the client must refuse it. */
      rc_test_client_start (untrusting);
      RC_TEST_WAIT_FOR (rc_test_client_is_closed (untrusting));
      g_assert_false (rc_test_client_is_open (untrusting));
    }
}

/* An SSE client that leaves (closes its side) is let go at once, not at the server's
 * next write to it: libsoup reads nothing of a client it streams to, and a hall's
 * boards coming and going must not hold the server's descriptors for a heartbeat
 * interval each. The protocol's real intervals here: a heartbeat only after 1.5 s. */
static void
test_sse_client_leaves (void)
{
  g_autofree char *timing = g_strdup (g_getenv ("ROLLCALL_FEED_TEST_TIMING"));
  g_autoptr (RcTestFeed) feed = NULL;
  GPtrArray *clients;
  gint64 closed;

  g_unsetenv ("ROLLCALL_FEED_TEST_TIMING");
  feed = rc_test_feed_new (NULL, NULL, NULL);
  clients = g_ptr_array_new_with_free_func ((GDestroyNotify) rc_test_raw_free);
  for (guint i = 0; i < 20; i++)
    {
      g_autoptr (GUri) uri = g_uri_parse (feed->url, G_URI_FLAGS_NONE, NULL);
      g_autofree char *request = g_strdup_printf (
        "GET /v1/events HTTP/1.1\r\nHost: %s:%d\r\n\r\n", g_uri_get_host (uri),
        g_uri_get_port (uri));
      RcTestRaw *raw = rc_test_raw_open (feed->url, request, 0);

      g_assert_cmpuint (rc_test_raw_read_status (raw), ==, 200);
      g_ptr_array_add (clients, raw);
    }
  RC_TEST_WAIT_FOR (rc_feed_server_get_n_clients (feed->server) == 20);
  /* They all close. */
  g_clear_pointer (&clients, g_ptr_array_unref);
  closed = g_get_monotonic_time ();
  RC_TEST_WAIT_FOR (rc_feed_server_get_n_clients (feed->server) == 0);
  g_assert_cmpint (g_get_monotonic_time () - closed, <, 1000 * 1000);
  RC_TEST_WAIT_FOR (rc_feed_server_get_n_connections (feed->server) == 0);
  if (timing != NULL)
    g_setenv ("ROLLCALL_FEED_TEST_TIMING", timing, TRUE);
}

int
main (int argc, char *argv[])
{
  rc_test_feed_init (&argc, &argv);

  g_test_add_func ("/server/whole-vote", test_whole_vote);
  g_test_add_func ("/server/sse/snapshot-sets-last-event-id", test_snapshot_block_sets_sse_id);
  for (gsize i = 0; i < G_N_ELEMENTS (resumes); i++)
    {
      g_autofree char *path
        = g_strdup_printf ("/server/resume/%s/%s", transport_name (resumes[i].transport),
                           resumes[i].place == RC_TEST_ID_QUERY ? "query" : "header");

      g_test_add_data_func (path, &resumes[i], test_resume);
    }
  for (gsize t = 0; t < G_N_ELEMENTS (transports); t++)
    {
      const char *name = transport_name (transports[t]);
      gconstpointer data = GINT_TO_POINTER (transports[t]);
      g_autofree char *reconnect = g_strdup_printf ("/server/resume/%s/twice", name);
      g_autofree char *late = g_strdup_printf ("/server/late-joiner/%s", name);
      g_autofree char *restart = g_strdup_printf ("/server/restart/%s", name);
      g_autofree char *beyond = g_strdup_printf ("/server/resume/%s/beyond-history", name);
      g_autofree char *delivers = g_strdup_printf ("/server/shutdown/delivers-queue/%s", name);
      g_autofree char *stuck = g_strdup_printf ("/server/shutdown/cuts-stuck-client/%s", name);

      g_test_add_data_func (reconnect, data, test_reconnect_keeps_state);
      g_test_add_data_func (beyond, data, test_resume_beyond_history);
      g_test_add_data_func (delivers, data, test_shutdown_delivers_queue);
      g_test_add_data_func (stuck, data, test_shutdown_cuts_stuck_client);
      g_test_add_data_func (late, data, test_late_joiner);
      g_test_add_data_func (restart, data, test_restart);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (positions); i++)
    {
      g_autofree char *path = g_strdup_printf ("/server/position/%s", positions[i].name);

      g_test_add_data_func (path, &positions[i], test_position);
    }
  g_test_add_func ("/server/shutdown", test_shutdown);
  g_test_add_func ("/server/listen", test_listen);
  g_test_add_func ("/server/listen/ipv6", test_listen_ipv6);
  g_test_add_func ("/server/listen/burst", test_burst);
  g_test_add_func ("/server/snapshot-and-health", test_snapshot_and_health);
  g_test_add_func ("/server/sse/client-leaves", test_sse_client_leaves);
  g_test_add ("/server/tls", RcTestArchive, NULL, rc_test_archive_set_up, test_tls,
              rc_test_archive_tear_down);
  return g_test_run ();
}
