/* test-feed-server-limits.c — the feed server's liveness and limits over loopback:
 * heartbeats with the stream's last seq; pings (a client that answers stays, one that
 * does not is closed); a slow client dropped without holding up the others or
 * growing memory; bursts to a stalled client that reads them at last, everything once
 * and in order (over SSE in fewer chunks than messages); every refusal (docs/feed-protocol.md §4, §7, §8) with its status
 * or close code, one line, changing nothing. */
#include <string.h>

#include "codec/rc-codec.h"
#include "model/rc-error.h"
#include "rc-archive-test-util.h"
#include "rc-feed-test-util.h"

static const RcTestTransport transports[] = { RC_TEST_WS, RC_TEST_SSE };

static const char *
transport_name (RcTestTransport transport)
{
  return transport == RC_TEST_WS ? "ws" : "sse";
}

/* The JSON error of a refusal: its "code", after checking the rest of its shape. */
static char *
error_code (GBytes *body)
{
  g_autofree char *message = NULL;
  char *code
    = rc_test_error_reply (g_bytes_get_data (body, NULL), g_bytes_get_size (body), &message);

  g_assert_null (strchr (message, '\n'));
  return code;
}

/* ---------------------------------------------------------------- liveness */

static void
test_heartbeats (gconstpointer data)
{
  RcTestTransport transport = GPOINTER_TO_INT (data);
  g_autoptr (RcTestFeed) feed = rc_test_feed_new (NULL, NULL, NULL);
  g_autoptr (GPtrArray) events = rc_test_vote_events ("s-1", 3);
  g_autoptr (RcTestClient) c = rc_test_client_connect (feed->url, transport, NULL);
  const RcMessage *heartbeat;
  guint before;
  gint64 now = g_get_real_time ();

  RC_TEST_WAIT_FOR (rc_test_client_count (c, RC_MESSAGE_HEARTBEAT) >= 2);
  g_assert_cmpint (rc_test_client_get_last_heartbeat (c)->last_seq, ==, 0);

  rc_test_feed_publish (feed, events);
  rc_test_client_wait_caught_up (c, feed->hub);
  before = rc_test_client_count (c, RC_MESSAGE_HEARTBEAT);
  RC_TEST_WAIT_FOR (rc_test_client_count (c, RC_MESSAGE_HEARTBEAT) >= before + 2);
  heartbeat = rc_test_client_get_last_heartbeat (c);
  g_assert_cmpstr (heartbeat->stream, ==, RC_TEST_STREAM);
  g_assert_cmpint (heartbeat->last_seq, ==, events->len);
  /* The server's wall clock, not the journal's. */
  g_assert_cmpint (heartbeat->time, >=, now);
  g_assert_cmpint (heartbeat->time, <=, g_get_real_time ());
}

static void
test_healthy_ws_client_stays (void)
{
  g_autoptr (RcTestFeed) feed = rc_test_feed_new (NULL, NULL, NULL);
  g_autoptr (RcTestClient) c = rc_test_client_connect (feed->url, RC_TEST_WS, NULL);
  /* With ROLLCALL_FEED_TEST_TIMING=fast, heartbeats come every 100 ms at most, and a
   * client that answers no ping is closed after 3.5 s (two pings of 1 s and 1.5 s to
   * answer): this many heartbeats span more than that. */
  guint n = 50;

  RC_TEST_WAIT_FOR (rc_test_client_count (c, RC_MESSAGE_HEARTBEAT) >= n);
  g_assert_false (rc_test_client_is_closed (c));
  g_assert_cmpuint (rc_feed_server_get_n_clients (feed->server), ==, 1);
}

static void
test_silent_ws_client_closed (void)
{
  g_autoptr (RcTestFeed) feed = rc_test_feed_new (NULL, NULL, NULL);
  g_autofree char *request = rc_test_raw_ws_request (feed->url, TRUE);
  g_autoptr (RcTestRaw) raw = rc_test_raw_open (feed->url, request, 0);

  g_assert_cmpuint (rc_test_raw_read_status (raw), ==, 101);
  RC_TEST_WAIT_FOR (rc_feed_server_get_n_clients (feed->server) == 1);
  /* It reads what the server sends but never answers a ping. */
  g_assert_cmpuint (rc_test_raw_read_ws_close (raw), ==, SOUP_WEBSOCKET_CLOSE_GOING_AWAY);
  RC_TEST_WAIT_FOR (rc_feed_server_get_n_clients (feed->server) == 0);
}

typedef struct {
  const char *name;
  const char *method;
  const char *path;
  guint status;
  const char *code;
} Plain;

static const Plain plain_refusals[] = {
  { "snapshot-post", "POST", "/v1/snapshot", 405, "method" },
  { "health-delete", "DELETE", "/v1/health", 405, "method" },
  { "events-post", "POST", "/v1/events", 405, "method" },
  { "feed-put", "PUT", "/v1/feed", 405, "method" },
  { "snapshot-below", "GET", "/v1/snapshot/more", 404, "not-found" },
  { "events-below", "GET", "/v1/events/x", 404, "not-found" },
  /* Not a WebSocket handshake at all: RFC 6455's 426, in the protocol's error form. */
  { "feed-plain-get", "GET", "/v1/feed", 426, "upgrade" },
  { "root", "GET", "/", 404, "not-found" },
  { "unknown-path", "POST", "/v1/nothing", 404, "not-found" },
};

static void
test_plain_refusal (gconstpointer data)
{
  const Plain *refusal = data;
  g_autoptr (RcTestFeed) feed = rc_test_feed_new (NULL, NULL, NULL);
  g_autoptr (GPtrArray) events = rc_test_vote_events ("s-1", 3);
  g_autofree char *url = g_strconcat (feed->url, refusal->path, NULL);
  g_autofree char *dump = NULL;
  g_autofree char *dump_after = NULL;
  g_autofree char *code = NULL;
  g_autofree char *origin = NULL;
  g_autoptr (GBytes) body = NULL;
  guint status;

  rc_test_feed_publish (feed, events);
  dump = rc_test_feed_dump (feed);
  body = rc_test_http (url, refusal->method, &status, &origin);
  g_assert_cmpuint (status, ==, refusal->status);
  /* A page reading the feed from another origin can read why it was refused. */
  g_assert_cmpstr (origin, ==, "*");
  code = error_code (body);
  g_assert_cmpstr (code, ==, refusal->code);
  dump_after = rc_test_feed_dump (feed);
  g_assert_cmpstr (dump, ==, dump_after);
  g_assert_cmpuint (rc_feed_server_get_n_clients (feed->server), ==, 0);
}

/* ---------------------------------------------------------------- refusals */

static void
test_refuse_ws_without_subprotocol (void)
{
  g_autoptr (RcTestFeed) feed = rc_test_feed_new (NULL, NULL, NULL);
  g_autoptr (RcTestClient) c = rc_test_client_new (feed->url, RC_TEST_WS);
  g_autofree char *request = rc_test_raw_ws_request (feed->url, FALSE);
  g_autoptr (RcTestRaw) raw = rc_test_raw_open (feed->url, request, 0);

  /* By hand, and as libsoup's client sends it. */
  g_assert_cmpuint (rc_test_raw_read_status (raw), ==, 400);
  rc_test_client_set_protocol (c, NULL);
  rc_test_client_start (c);
  RC_TEST_WAIT_FOR (rc_test_client_is_closed (c));
  g_assert_false (rc_test_client_is_open (c));
  g_assert_cmpuint (rc_test_client_get_http_status (c), ==, 400);
  g_assert_cmpuint (rc_feed_server_get_n_clients (feed->server), ==, 0);
}

/* A handshake of another WebSocket version: 426, naming the one spoken. */
static void
test_refuse_ws_version (void)
{
  g_autoptr (RcTestFeed) feed = rc_test_feed_new (NULL, NULL, NULL);
  g_autofree char *request = rc_test_raw_ws_request (feed->url, TRUE);
  g_autoptr (RcTestRaw) raw = NULL;
  char *version = strstr (request, "Version: 13");

  g_assert_nonnull (version);
  memcpy (version, "Version: 08", strlen ("Version: 08"));
  raw = rc_test_raw_open (feed->url, request, 0);
  g_assert_cmpuint (rc_test_raw_read_status (raw), ==, 426);
  g_assert_cmpuint (rc_feed_server_get_n_clients (feed->server), ==, 0);
}

/* What a client sends over the feed: `close_code` is what the server closes with
 * (0: it drops the connection without a close frame). Nothing is published, the
 * talker is let go, and the others are not disturbed. */
static void
assert_talker_refused (const char *text, gushort close_code)
{
  g_autoptr (RcTestFeed) feed = rc_test_feed_new (NULL, NULL, NULL);
  g_autoptr (GPtrArray) events = rc_test_vote_events ("s-1", 3);
  g_autoptr (RcTestClient) talker = rc_test_client_connect (feed->url, RC_TEST_WS, NULL);
  g_autoptr (RcTestClient) other = rc_test_client_connect (feed->url, RC_TEST_WS, NULL);
  g_autofree char *dump = NULL;
  g_autofree char *dump_after = NULL;

  RC_TEST_WAIT_FOR (rc_feed_server_get_n_clients (feed->server) == 2);
  dump = rc_test_feed_dump (feed);
  soup_websocket_connection_send_text (rc_test_client_get_websocket (talker), text);
  RC_TEST_WAIT_FOR (rc_test_client_is_closed (talker));
  if (close_code != 0)
    g_assert_cmpuint (rc_test_client_get_close_code (talker), ==, close_code);
  RC_TEST_WAIT_FOR (rc_feed_server_get_n_clients (feed->server) == 1);
  dump_after = rc_test_feed_dump (feed);
  g_assert_cmpstr (dump, ==, dump_after);
  g_assert_cmpint (rc_feed_hub_get_last_seq (feed->hub), ==, 0);

  rc_test_feed_publish (feed, events);
  rc_test_client_wait_caught_up (other, feed->hub);
  rc_test_client_assert_state (other, feed);
}

/* A frame too big for the WebSocket layer to read (over 128 KiB): libsoup drops the
 * connection without a close frame. */
static void
test_refuse_ws_oversize_frame (void)
{
  g_autofree char *big = g_strnfill (200 * 1024, 'x');

  assert_talker_refused (big, 0);
}

/* Even a well-formed event: clients publish nothing over the feed (1003). */
static void
test_refuse_ws_data_frame (void)
{
  assert_talker_refused ("{\"v\":1,\"seq\":1,\"time\":\"2026-11-26T15:00:00Z\","
                         "\"type\":\"on-air\",\"show\":\"blank\",\"vote\":null}",
                         SOUP_WEBSOCKET_CLOSE_UNSUPPORTED_DATA);
}

static void
test_refuse_too_many_clients (gconstpointer data)
{
  RcTestTransport transport = GPOINTER_TO_INT (data);
  g_autoptr (RcTestFeed) feed = rc_test_feed_new (NULL, NULL, NULL);
  g_autoptr (RcTestClient) a = NULL;
  g_autoptr (RcTestClient) b = NULL;
  g_autoptr (RcTestClient) refused = NULL;
  g_autoptr (RcTestClient) admitted = NULL;

  rc_feed_server_set_max_clients (feed->server, 2);
  a = rc_test_client_connect (feed->url, RC_TEST_WS, NULL);
  b = rc_test_client_connect (feed->url, RC_TEST_SSE, NULL);
  RC_TEST_WAIT_FOR (rc_feed_server_get_n_clients (feed->server) == 2);

  refused = rc_test_client_new (feed->url, transport);
  rc_test_client_start (refused);
  RC_TEST_WAIT_FOR (rc_test_client_is_closed (refused));
  g_assert_false (rc_test_client_is_open (refused));
  g_assert_cmpuint (rc_test_client_get_http_status (refused), ==, 503);
  if (transport == RC_TEST_SSE)
    g_assert_nonnull (strstr (rc_test_client_get_refusal_body (refused), "\"code\":\"busy\""));
  g_assert_cmpuint (rc_feed_server_get_n_clients (feed->server), ==, 2);

  /* A place is free again once a client leaves. */
  rc_test_client_close (a);
  RC_TEST_WAIT_FOR (rc_feed_server_get_n_clients (feed->server) == 1);
  admitted = rc_test_client_connect (feed->url, transport, NULL);
  RC_TEST_WAIT_FOR (rc_feed_server_get_n_clients (feed->server) == 2);
}

static void
test_journal_failure_sends_nothing (RcTestArchive *f, gconstpointer data)
{
  g_autoptr (GPtrArray) events = rc_test_vote_events ("s-1", 3);
  g_autoptr (RcArchive) readonly = NULL;
  g_autoptr (RcTestFeed) feed = NULL;
  g_autoptr (RcTestClient) ws = NULL;
  g_autoptr (RcTestClient) sse = NULL;
  g_autoptr (RcEvent) published = NULL;
  g_autoptr (GError) error = NULL;
  guint ws_heartbeats, sse_heartbeats;

  {
    g_autoptr (RcArchive) archive = rc_test_archive_create (f);
    g_autoptr (RcFeedHub) writer = rc_feed_hub_new ("s-1", archive, "s-1", &error);

    g_assert_no_error (error);
    for (guint i = 0; i < 5; i++)
      {
        g_autoptr (RcEvent) event
          = rc_feed_hub_publish (writer, g_ptr_array_index (events, i), &error);
        g_assert_no_error (error);
      }
  }
  readonly = rc_archive_open (f->path, RC_ARCHIVE_READ_ONLY, &error);
  g_assert_no_error (error);
  feed = rc_test_feed_new (readonly, "s-1", NULL);
  ws = rc_test_client_connect (feed->url, RC_TEST_WS, NULL);
  sse = rc_test_client_connect (feed->url, RC_TEST_SSE, NULL);
  rc_test_client_wait_caught_up (ws, feed->hub);
  rc_test_client_wait_caught_up (sse, feed->hub);
  ws_heartbeats = rc_test_client_count (ws, RC_MESSAGE_HEARTBEAT);
  sse_heartbeats = rc_test_client_count (sse, RC_MESSAGE_HEARTBEAT);

  published = rc_feed_hub_publish (feed->hub, g_ptr_array_index (events, 5), &error);
  g_assert_null (published);
  rc_test_assert_refused (error, RC_ERROR_ARCHIVE, f->path);

  /* Messages arrive in order: once a heartbeat sent after the refusal has come,
   * anything sent before it has too — and nothing was. */
  RC_TEST_WAIT_FOR (rc_test_client_count (ws, RC_MESSAGE_HEARTBEAT) > ws_heartbeats + 1
                    && rc_test_client_count (sse, RC_MESSAGE_HEARTBEAT) > sse_heartbeats + 1);
  g_assert_cmpint (rc_test_client_get_last_heartbeat (ws)->last_seq, ==, 5);
  g_assert_cmpint (rc_test_client_get_last_heartbeat (sse)->last_seq, ==, 5);
  g_assert_cmpint (rc_test_client_get_last_seq (ws), ==, 5);
  g_assert_cmpint (rc_test_client_get_last_seq (sse), ==, 5);
  g_assert_cmpuint (rc_test_client_count (ws, RC_MESSAGE_EVENT), ==, 0);
  g_assert_cmpuint (rc_test_client_count (sse, RC_MESSAGE_EVENT), ==, 0);
}

/* ---------------------------------------------------------------- slow clients */

/* A subscription's whole request, for a raw client over `transport`. */
static char *
subscribe_request (const char *url, RcTestTransport transport)
{
  g_autoptr (GUri) uri = NULL;

  if (transport == RC_TEST_WS)
    return rc_test_raw_ws_request (url, TRUE);
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  return g_strdup_printf ("GET /v1/events HTTP/1.1\r\nHost: %s:%d\r\n"
                          "Accept: text/event-stream\r\n\r\n",
                          g_uri_get_host (uri), g_uri_get_port (uri));
}

/* A vote open for ballots, then ballots in bursts until the stalled client is
 * dropped, checking after each burst that the reading client has everything and
 * that the backlogs stay within their bound. */
static void
test_slow_client_dropped (gconstpointer data)
{
  RcTestTransport transport = GPOINTER_TO_INT (data);
  g_autoptr (RcTestFeed) feed = rc_test_feed_new (NULL, NULL, NULL);
  g_autoptr (GPtrArray) events = rc_test_vote_events ("s-1", 3);
  g_autoptr (RcTestClient) reader = rc_test_client_connect (feed->url, RC_TEST_WS, NULL);
  g_autofree char *request = NULL;
  g_autoptr (RcTestRaw) stalled = NULL;
  g_autofree char *host = NULL;
  guint n_published = 0;
  gboolean backlogged = FALSE, dropped = FALSE;
  gsize backlog;

  rc_test_feed_publish_range (feed, events, 0, 4); /* up to the opening */
  /* It will not answer pings either: only its backlog may end it here. */
  rc_feed_server_set_ping_interval (feed->server, 0);
  request = subscribe_request (feed->url, transport);
  /* It sends its request and never reads a byte. */
  stalled = rc_test_raw_open (feed->url, request, 4096);
  RC_TEST_WAIT_FOR (rc_feed_server_get_n_clients (feed->server) == 2);

  /* Until it is dropped. An SSE client leaves the count at once. A WebSocket client
   * stays in it until libsoup has closed its connection, which takes seconds with a
   * client that reads nothing (meanwhile a fast machine publishes hundreds of
   * thousands more): its drop shows as its backlog, which only grew since the socket
   * stopped taking, let go of. */
  while (!dropped)
    {
      for (guint i = 0; i < 500; i++, n_published++)
        {
          g_autoptr (RcEvent) ballot
            = rc_event_new_ballot (0, "v1", "M001", i % 2 ? RC_CHOICE_YES : RC_CHOICE_NO);
          g_autoptr (GError) error = NULL;
          g_autoptr (RcEvent) published = rc_feed_hub_publish (feed->hub, ballot, &error);

          g_assert_no_error (error);
        }
      /* The reader keeps up while the other stalls. */
      rc_test_client_wait_caught_up (reader, feed->hub);
      backlog = rc_feed_server_get_backlog_bytes (feed->server);
      g_assert_cmpuint (backlog, <=, 2 * RC_FEED_BACKLOG_BYTES);
      dropped = rc_feed_server_get_n_clients (feed->server) == 1
                || (transport == RC_TEST_WS && backlogged && backlog == 0);
      backlogged = backlogged || backlog > 0;
      /* However large the kernel's buffers, a stalled client is dropped in the end. */
      g_assert_cmpuint (n_published, <, 500000);
    }
  g_test_message ("the stalled client was dropped after %u events", n_published);
  RC_TEST_WAIT_FOR (rc_feed_server_get_n_clients (feed->server) == 1);
  g_assert_false (rc_test_client_is_closed (reader));
  rc_test_client_assert_state (reader, feed);
  g_assert_cmpuint (rc_feed_server_get_backlog_bytes (feed->server), <, RC_FEED_BACKLOG_BYTES);

  /* When it reads at last, it finds the end of its subscription. */
  if (transport == RC_TEST_WS)
    {
      g_assert_cmpuint (rc_test_raw_read_status (stalled), ==, 101);
      g_assert_cmpuint (rc_test_raw_read_ws_close (stalled), ==, 4001);
    }
  else
    {
      g_autoptr (GBytes) rest = NULL;

      g_assert_cmpuint (rc_test_raw_read_status (stalled), ==, 200);
      rest = rc_test_raw_read_to_end (stalled);
      g_assert_cmpuint (g_bytes_get_size (rest), >, 0);
    }
}

/* ---------------------------------------------------------------- clients behind */

/* The events of a message's JSON, in order: seq of each event, -1 for a snapshot
 * (heartbeats are passed over). */
static void
take_message (GArray *seqs, const char *json, gsize length)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RcMessage) message = rc_codec_decode_message (json, length, &error);
  gint64 seq = -1;

  g_assert_no_error (error);
  if (message->kind == RC_MESSAGE_HEARTBEAT)
    return;
  if (message->kind == RC_MESSAGE_EVENT)
    seq = message->event->seq;
  g_array_append_val (seqs, seq);
}

/* An SSE response body as sent (HTTP chunks): its messages' seqs; returns the number
 * of chunks. The body must end with the last chunk. */
static guint
take_sse_body (GArray *seqs, GBytes *body)
{
  gsize length;
  const char *p = g_bytes_get_data (body, &length), *end = p + length;
  g_autoptr (GString) text = g_string_new (NULL);
  g_auto (GStrv) lines = NULL;
  guint n_chunks = 0;

  for (;;)
    {
      char *after = NULL;
      guint64 size = g_ascii_strtoull (p, &after, 16);

      g_assert_true (after != p && after + 2 <= end && memcmp (after, "\r\n", 2) == 0);
      p = after + 2;
      if (size == 0)
        break;
      g_assert_cmpuint (size + 2, <=, (guint64) (end - p));
      g_string_append_len (text, p, (gssize) size);
      g_assert_true (memcmp (p + size, "\r\n", 2) == 0);
      p += size + 2;
      n_chunks++;
    }
  lines = g_strsplit (text->str, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "data: "))
      take_message (seqs, lines[i] + 6, strlen (lines[i] + 6));
  return n_chunks;
}

/* WebSocket frames from the server (never masked), up to its close: their messages'
 * seqs; returns the close code. */
static gushort
take_ws_frames (GArray *seqs, GBytes *frames)
{
  gsize length;
  const guchar *p = g_bytes_get_data (frames, &length), *end = p + length;

  while (p + 2 <= end)
    {
      guint opcode = p[0] & 0x0f;
      guint64 size = p[1] & 0x7f;
      gsize header = 2;

      g_assert_true ((p[0] & 0x80) != 0 && (p[1] & 0x80) == 0);
      if (size == 126)
        {
          size = (guint64) p[2] << 8 | p[3];
          header = 4;
        }
      else if (size == 127)
        {
          size = 0;
          for (guint i = 0; i < 8; i++)
            size = size << 8 | p[2 + i];
          header = 10;
        }
      g_assert_cmpuint (header + size, <=, (guint64) (end - p));
      if (opcode == 0x8)
        return size >= 2 ? (gushort) (p[header] << 8 | p[header + 1]) : 0;
      if (opcode == 0x1)
        take_message (seqs, (const char *) p + header, size);
      p += header + size;
    }
  return 0;
}

/* A client that reads nothing while 1,500 ballots are published in bursts of 100
 * (fewer than its backlog allows), then reads: every event is there, once and in order,
 * after its snapshot, and then the end of the server that went away. Over SSE a burst
 * goes in few chunks: what is queued for a client goes to it together. (Over loopback
 * the kernel's buffers take it all; a client the server itself must hold messages for
 * is slow-client-dropped's.) */
static void
test_burst_to_stalled_client (gconstpointer data)
{
  RcTestTransport transport = GPOINTER_TO_INT (data);
  g_autoptr (RcTestFeed) feed = rc_test_feed_new (NULL, NULL, NULL);
  g_autoptr (GPtrArray) events = rc_test_vote_events ("s-1", 3);
  g_autoptr (GArray) seqs = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (RcTestRaw) behind = NULL;
  g_autoptr (GBytes) rest = NULL;
  g_autofree char *request = NULL;
  gint64 first, last;

  rc_test_feed_publish_range (feed, events, 0, 4); /* up to the opening */
  rc_feed_server_set_ping_interval (feed->server, 0);
  request = subscribe_request (feed->url, transport);
  behind = rc_test_raw_open (feed->url, request, 4096);
  RC_TEST_WAIT_FOR (rc_feed_server_get_n_clients (feed->server) == 1);
  first = rc_feed_hub_get_last_seq (feed->hub) + 1;
  for (guint burst = 0; burst < 15; burst++)
    {
      for (guint i = 0; i < 100; i++)
        {
          g_autoptr (RcEvent) ballot
            = rc_event_new_ballot (0, "v1", "M001", i % 2 ? RC_CHOICE_YES : RC_CHOICE_NO);
          g_autoptr (GError) error = NULL;
          g_autoptr (RcEvent) published = rc_feed_hub_publish (feed->hub, ballot, &error);

          g_assert_no_error (error);
        }
      /* the server writes what the socket takes */
      for (guint i = 0; i < 50; i++)
        g_main_context_iteration (NULL, FALSE);
    }
  last = rc_feed_hub_get_last_seq (feed->hub);
  g_assert_cmpuint (rc_feed_server_get_n_clients (feed->server), ==, 1);
  g_test_message ("%" G_GSIZE_FORMAT " bytes wait for it",
                  rc_feed_server_get_backlog_bytes (feed->server));

  g_assert_cmpuint (rc_test_raw_read_status (behind), ==, transport == RC_TEST_WS ? 101 : 200);
  rc_feed_server_shutdown (feed->server);
  rest = rc_test_raw_read_to_end (behind);
  if (transport == RC_TEST_WS)
    g_assert_cmpuint (take_ws_frames (seqs, rest), ==, 1001);
  else
    {
      guint n_chunks = take_sse_body (seqs, rest);

      g_test_message ("%u messages in %u chunks", seqs->len, n_chunks);
      g_assert_cmpuint (n_chunks * 4, <, seqs->len);
    }
  g_assert_cmpuint (seqs->len, ==, 1 + (guint) (last - first + 1));
  g_assert_cmpint (g_array_index (seqs, gint64, 0), ==, -1);
  for (guint i = 1; i < seqs->len; i++)
    g_assert_cmpint (g_array_index (seqs, gint64, i), ==, first + i - 1);
}

int
main (int argc, char *argv[])
{
  rc_test_feed_init (&argc, &argv);

  for (gsize t = 0; t < G_N_ELEMENTS (transports); t++)
    {
      const char *name = transport_name (transports[t]);
      gconstpointer data = GINT_TO_POINTER (transports[t]);
      g_autofree char *heartbeats = g_strdup_printf ("/server/heartbeats/%s", name);
      g_autofree char *busy = g_strdup_printf ("/server/refuse/too-many-clients/%s", name);
      g_autofree char *slow = g_strdup_printf ("/server/slow-client-dropped/%s", name);
      g_autofree char *burst = g_strdup_printf ("/server/burst-to-stalled-client/%s", name);

      g_test_add_data_func (heartbeats, data, test_heartbeats);
      g_test_add_data_func (busy, data, test_refuse_too_many_clients);
      g_test_add_data_func (slow, data, test_slow_client_dropped);
      g_test_add_data_func (burst, data, test_burst_to_stalled_client);
    }
  g_test_add_func ("/server/ws/healthy-client-stays", test_healthy_ws_client_stays);
  g_test_add_func ("/server/ws/silent-client-closed", test_silent_ws_client_closed);
  for (gsize i = 0; i < G_N_ELEMENTS (plain_refusals); i++)
    {
      g_autofree char *path = g_strdup_printf ("/server/refuse/%s", plain_refusals[i].name);

      g_test_add_data_func (path, &plain_refusals[i], test_plain_refusal);
    }
  g_test_add_func ("/server/refuse/ws-without-subprotocol", test_refuse_ws_without_subprotocol);
  g_test_add_func ("/server/refuse/ws-data-frame", test_refuse_ws_data_frame);
  g_test_add_func ("/server/refuse/ws-version", test_refuse_ws_version);
  g_test_add_func ("/server/refuse/ws-oversize-frame", test_refuse_ws_oversize_frame);
  g_test_add ("/server/refuse/journal-failure-sends-nothing", RcTestArchive, NULL,
              rc_test_archive_set_up, test_journal_failure_sends_nothing,
              rc_test_archive_tear_down);
  return g_test_run ();
}
