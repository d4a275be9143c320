/* test-feed-client-peer.c — RcFeedClient against a peer that speaks the protocol by
 * hand, for what our server never sends.
 *
 * The peer is a SoupServer on 127.0.0.1 whose answers are scripted per connection and
 * written as raw WebSocket frames or SSE blocks, so that it can send what libsoup
 * would not (invalid UTF-8, a frame over the limit): silence after a snapshot (the
 * client goes stale and comes back), a heartbeat ahead of the client (it resumes), a
 * new stream (it takes the new snapshot), an event said again (dropped: protocol 1.1),
 * a connection that does not resume from the client's position, as an nginx + nchan
 * edge's does not (the client takes GET /v1/snapshot beside it and goes on), and every
 * kind of bad or impossible message (refused with a one-line reason; nothing changes;
 * it resumes from its last good event). Intervals are 1/20 of the protocol's
 * (ROLLCALL_FEED_TEST_TIMING=fast). */
#include <string.h>

#include "feed-client-sub.h"
#include "codec/rc-codec.h"
#include "model/rc-snapshot.h"
#include "rc-archive-test-util.h"

/* ---------------------------------------------------------------- a peer by hand */

/* A SoupServer on 127.0.0.1 that answers /v1/feed (WebSocket, rollcall.v1) and
 * /v1/events (SSE) with a script per connection — the last script for every later
 * one — written as raw WebSocket frames or SSE blocks, so that it can send what
 * libsoup would not (invalid UTF-8, a frame over the limit). Then it says nothing. */
typedef struct {
  SoupServer *server;
  char *url;
  GPtrArray *scripts; /* of GPtrArray of GBytes */
  GPtrArray *ids;     /* the last event id each connection gave, "" for none */
  GPtrArray *held;    /* the WebSocket connections, kept open */
  GPtrArray *snapshots; /* of char *: GET /v1/snapshot's answers, in turn (the last again) */
  guint snapshot_gets;
} Peer;

static GPtrArray *
peer_script (Peer *p)
{
  GPtrArray *script = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

  g_ptr_array_add (p->scripts, script);
  return script;
}

static void
say (GPtrArray *script, const char *text)
{
  g_ptr_array_add (script, g_bytes_new (text, strlen (text)));
}

static void
say_take (GPtrArray *script, char *text)
{
  say (script, text);
  g_free (text);
}

static GPtrArray *
script_for (Peer *p)
{
  g_assert_cmpuint (p->scripts->len, >, 0);
  return g_ptr_array_index (p->scripts, MIN (p->ids->len - 1, p->scripts->len - 1));
}

/* A server's text frame: FIN, opcode 1, no mask. */
static void
append_frame (GByteArray *out, GBytes *payload)
{
  gsize n;
  const guint8 *data = g_bytes_get_data (payload, &n);
  guint8 head[10];
  guint h = 0;

  head[h++] = 0x81;
  if (n < 126)
    head[h++] = (guint8) n;
  else if (n < 65536)
    {
      head[h++] = 126;
      head[h++] = (guint8) (n >> 8);
      head[h++] = (guint8) n;
    }
  else
    {
      head[h++] = 127;
      for (int i = 7; i >= 0; i--)
        head[h++] = (guint8) (n >> (8 * i));
    }
  g_byte_array_append (out, head, h);
  g_byte_array_append (out, data, (guint) n);
}

static void
on_peer_written (GObject *source, GAsyncResult *result, gpointer data)
{
  /* The client may close as soon as it has read enough: errors do not matter. */
  g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL);
  g_bytes_unref (data);
}

static void
on_peer_ws (SoupServer *server, SoupServerMessage *msg, const char *path,
            SoupWebsocketConnection *ws, gpointer data)
{
  Peer *p = data;
  const char *query = g_uri_get_query (soup_server_message_get_uri (msg));
  g_autoptr (GHashTable) params =
    query != NULL ? g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL) : NULL;
  const char *id = params != NULL ? g_hash_table_lookup (params, "last_event_id") : NULL;
  g_autoptr (GByteArray) frames = g_byte_array_new ();
  GPtrArray *script;
  GBytes *bytes;

  g_ptr_array_add (p->ids, g_strdup (id != NULL ? id : ""));
  script = script_for (p);
  for (guint i = 0; i < script->len; i++)
    append_frame (frames, g_ptr_array_index (script, i));
  /* Nothing else writes on this connection (the peer never calls libsoup's send). */
  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&frames));
  g_output_stream_write_all_async (
    g_io_stream_get_output_stream (soup_websocket_connection_get_io_stream (ws)),
    g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), G_PRIORITY_DEFAULT, NULL,
    on_peer_written, bytes);
  g_ptr_array_add (p->held, g_object_ref (ws));
}

static void
on_peer_sse (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
             gpointer data)
{
  Peer *p = data;
  const char *id =
    soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Last-Event-ID");
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  GPtrArray *script;

  g_ptr_array_add (p->ids, g_strdup (id != NULL ? id : ""));
  script = script_for (p);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_content_type (headers, "text/event-stream", NULL);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  for (guint i = 0; i < script->len; i++)
    {
      gsize n;
      const guint8 *bytes = g_bytes_get_data (g_ptr_array_index (script, i), &n);

      soup_message_body_append (body, SOUP_MEMORY_STATIC, "data: ", 6);
      soup_message_body_append (body, SOUP_MEMORY_COPY, bytes, n);
      soup_message_body_append (body, SOUP_MEMORY_STATIC, "\n\n", 2);
    }
  /* Not completed: the response stays open, as a feed's does. */
}

static void
on_peer_snapshot (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
                  gpointer data)
{
  Peer *p = data;
  const char *text;

  if (p->snapshots->len == 0)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }
  text = g_ptr_array_index (p->snapshots, MIN (p->snapshot_gets, p->snapshots->len - 1));
  p->snapshot_gets++;
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, text, strlen (text));
}

static Peer *
peer_new (void)
{
  char *protocols[] = { (char *) "rollcall.v1", NULL };
  g_autoptr (GError) error = NULL;
  GSList *uris;
  Peer *p = g_new0 (Peer, 1);

  p->scripts = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  p->ids = g_ptr_array_new_with_free_func (g_free);
  p->held = g_ptr_array_new_with_free_func (g_object_unref);
  p->snapshots = g_ptr_array_new_with_free_func (g_free);
  p->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (p->server, "/v1/snapshot", on_peer_snapshot, p, NULL);
  soup_server_add_websocket_handler (p->server, "/v1/feed", NULL, protocols, on_peer_ws, p,
                                     NULL);
  soup_server_add_handler (p->server, "/v1/events", on_peer_sse, p, NULL);
  soup_server_listen_local (p->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (p->server);
  p->url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return p;
}

static void
peer_free (Peer *p)
{
  for (guint i = 0; i < p->held->len; i++)
    {
      SoupWebsocketConnection *ws = g_ptr_array_index (p->held, i);

      if (soup_websocket_connection_get_state (ws) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (ws, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
    }
  soup_server_disconnect (p->server);
  g_object_unref (p->server);
  g_ptr_array_unref (p->held);
  g_ptr_array_unref (p->ids);
  g_ptr_array_unref (p->scripts);
  g_ptr_array_unref (p->snapshots);
  g_free (p->url);
  g_free (p);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Peer, peer_free)

static const char *
peer_id (Peer *p, guint connection)
{
  return g_ptr_array_index (p->ids, connection);
}

/* What a server would send, made with our codec. */
static RcSession *
session_after (GPtrArray *events, guint n)
{
  RcSession *session = rc_session_new ();

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GError) error = NULL;

      rc_session_apply (session, g_ptr_array_index (events, i), &error);
      g_assert_no_error (error);
    }
  return session;
}

static char *
snapshot_text (GPtrArray *events, guint n, const char *stream)
{
  g_autoptr (RcSession) session = session_after (events, n);
  g_autoptr (RcSnapshot) snapshot = rc_session_snapshot (session);

  return rc_codec_encode_snapshot (snapshot, stream);
}

static char *
event_text (GPtrArray *events, guint seq, const char *stream)
{
  return rc_codec_encode_stream_event (g_ptr_array_index (events, seq - 1), stream);
}

static char *
heartbeat_text (const char *stream, gint64 last_seq)
{
  return rc_codec_encode_heartbeat (stream, last_seq, g_get_real_time ());
}

/* ---------------------------------------------------------------- silence */

static void
test_silence_is_stale (gconstpointer data)
{
  RcTestTransport transport = GPOINTER_TO_INT (data);
  g_autoptr (Peer) p = peer_new ();
  g_autoptr (GPtrArray) events = sub_vote_events (10);
  g_autofree char *url = sub_url_for (p->url, transport);
  g_autoptr (Sub) s = sub_new (url);

  /* A snapshot, then nothing at all: no event, no heartbeat. */
  say_take (peer_script (p), snapshot_text (events, 5, "raw"));
  rc_feed_client_start (s->client);
  RC_TEST_WAIT_FOR (sub_state (s) == RC_FEED_CLIENT_LIVE);
  RC_TEST_WAIT_FOR (sub_state (s) == RC_FEED_CLIENT_STALE);
  g_assert_true (sub_status_mentions (s, "Stale"));
  /* It keeps trying, from where it was. */
  RC_TEST_WAIT_FOR (p->ids->len >= 2);
  g_assert_cmpstr (peer_id (p, 0), ==, "");
  g_assert_cmpstr (peer_id (p, 1), ==, "raw:5");
  g_assert_cmpint (sub_seq (s), ==, 5);
  g_assert_cmpuint (s->refusals->len, ==, 0);
}

/* A heartbeat says the stream is further than the client: it resumes from its last
 * event and gets the rest. Not a refusal. */
static void
test_heartbeat_ahead_resumes (gconstpointer data)
{
  RcTestTransport transport = GPOINTER_TO_INT (data);
  g_autoptr (Peer) p = peer_new ();
  g_autoptr (GPtrArray) events = sub_vote_events (10);
  g_autofree char *url = sub_url_for (p->url, transport);
  g_autoptr (Sub) s = sub_new (url);
  g_autoptr (RcSession) expected = session_after (events, 8);
  GPtrArray *first = peer_script (p);
  GPtrArray *then = peer_script (p);

  say_take (first, snapshot_text (events, 6, "raw"));
  say_take (first, heartbeat_text ("raw", 8));
  say_take (then, event_text (events, 7, "raw"));
  say_take (then, event_text (events, 8, "raw"));
  say_take (then, heartbeat_text ("raw", 8));

  rc_feed_client_start (s->client);
  RC_TEST_WAIT_FOR (sub_state (s) == RC_FEED_CLIENT_LIVE && sub_seq (s) == 8);
  g_assert_cmpstr (peer_id (p, 1), ==, "raw:6");
  sub_assert_same_state (rc_feed_client_get_session (s->client), expected);
  g_assert_cmpuint (s->sessions, ==, 1);
  g_assert_cmpuint (s->refusals->len, ==, 0);
}

/* An event said again (an edge's channel may; protocol 1.1): dropped, not refused, and
 * the connection goes on. */
static void
test_repeat_is_dropped (gconstpointer data)
{
  RcTestTransport transport = GPOINTER_TO_INT (data);
  g_autoptr (Peer) p = peer_new ();
  g_autoptr (GPtrArray) events = sub_vote_events (10);
  g_autofree char *url = sub_url_for (p->url, transport);
  g_autoptr (Sub) s = sub_new (url);
  g_autoptr (RcSession) expected = session_after (events, 8);
  GPtrArray *first = peer_script (p);

  say_take (first, snapshot_text (events, 6, "raw"));
  say_take (first, event_text (events, 7, "raw"));
  say_take (first, event_text (events, 6, "raw"));
  say_take (first, event_text (events, 7, "raw"));
  say_take (first, event_text (events, 8, "raw"));
  say_take (first, heartbeat_text ("raw", 8));

  rc_feed_client_start (s->client);
  RC_TEST_WAIT_FOR (sub_state (s) == RC_FEED_CLIENT_LIVE && sub_seq (s) == 8);
  sub_assert_same_state (rc_feed_client_get_session (s->client), expected);
  g_assert_cmpuint (s->refusals->len, ==, 0);
  g_assert_cmpuint (p->ids->len, ==, 1);
}

/* A connection that does not resume from the client's position (an nchan edge starts
 * at its newest message): the first message after the drop leaves a gap, so the
 * client takes GET /v1/snapshot beside the stream, holding what the connection says
 * meanwhile. A snapshot still behind the stream is taken, and asked for again (an
 * edge's snapshot channel may lag its stream); an event the snapshot holds is dropped;
 * the client is live on the connection it has, with no refusal. */
typedef struct {
  Peer *peer;
  Sub *sub;
  GString *seen; /* "seq:state " for each session taken on the second connection */
} Seen;

static void
on_session_seen (GObject *client, GParamSpec *pspec, gpointer data)
{
  Seen *seen = data;

  if (seen->peer->ids->len >= 2)
    g_string_append_printf (seen->seen, "%" G_GINT64_FORMAT ":%s ", sub_seq (seen->sub),
                            sub_state (seen->sub) == RC_FEED_CLIENT_LIVE ? "live" : "not-live");
}

static void
test_gap_takes_snapshot_beside (gconstpointer data)
{
  RcTestTransport transport = GPOINTER_TO_INT (data);
  g_autoptr (Peer) p = peer_new ();
  g_autoptr (GPtrArray) events = sub_vote_events (12);
  g_autofree char *url = sub_url_for (p->url, transport);
  g_autoptr (Sub) s = sub_new (url);
  g_autoptr (RcSession) expected = session_after (events, 11);
  GPtrArray *first = peer_script (p);
  GPtrArray *then = peer_script (p);

  say_take (first, snapshot_text (events, 5, "raw"));
  say_take (first, event_text (events, 6, "raw"));
  /* The second connection, after silence: what the stream says from now on. */
  say_take (then, event_text (events, 10, "raw"));
  say_take (then, event_text (events, 11, "raw"));
  say_take (then, heartbeat_text ("raw", 11));
  g_ptr_array_add (p->snapshots, snapshot_text (events, 8, "raw"));
  g_ptr_array_add (p->snapshots, snapshot_text (events, 10, "raw"));

  Seen seen = { p, s, g_string_new (NULL) };

  g_signal_connect (s->client, "notify::session", G_CALLBACK (on_session_seen), &seen);
  rc_feed_client_start (s->client);
  RC_TEST_WAIT_FOR (p->ids->len >= 2 && sub_state (s) == RC_FEED_CLIENT_LIVE && sub_seq (s) == 11);
  g_assert_cmpstr (peer_id (p, 1), ==, "raw:6");
  g_assert_cmpuint (p->snapshot_gets, ==, 2);
  /* Neither snapshot taken beside the stream made it live: only the heartbeat at 11. */
  g_test_message ("sessions taken: %s", seen.seen->str);
  g_assert_cmpstr (seen.seen->str, ==, "8:not-live 10:not-live ");
  g_signal_handlers_disconnect_by_data (s->client, &seen);
  g_string_free (seen.seen, TRUE);
  sub_assert_same_state (rc_feed_client_get_session (s->client), expected);
  g_assert_cmpuint (s->refusals->len, ==, 0);
  g_assert_cmpuint (p->ids->len, ==, 2);
}

/* The snapshot beside the stream cannot be had (404), or is not a snapshot, or is too
 * big: a refusal with a one-line reason naming it, nothing the client shows changes, and
 * it comes back from its last good event. */
static void
test_gap_snapshot_refused (gconstpointer data)
{
  RcTestTransport transport = GPOINTER_TO_INT (data);
  static const char *const answers[]
    = { NULL,
        "{\"v\":1,\"seq\":0,\"time\":\"2026-11-26T15:00:00.000Z\","
        "\"type\":\"heartbeat\",\"stream\":\"raw\",\"last_seq\":9}",
        "big" };
  static const char *const expected_reasons[]
    = { "snapshot: HTTP 404", "snapshot: the answer is not a snapshot",
        "snapshot: the answer is larger" };

  for (guint a = 0; a < G_N_ELEMENTS (answers); a++)
    {
      g_autoptr (Peer) p = peer_new ();
      g_autoptr (GPtrArray) events = sub_vote_events (12);
      g_autofree char *url = sub_url_for (p->url, transport);
      g_autoptr (Sub) s = sub_new (url);
      g_autoptr (RcSession) expected = session_after (events, 6);
      g_autofree char *expected_dump = rc_test_session_dump (expected);
      GPtrArray *first = peer_script (p);
      GPtrArray *then = peer_script (p);
      const char *reason;

      say_take (first, snapshot_text (events, 5, "raw"));
      say_take (first, event_text (events, 6, "raw"));
      say_take (then, event_text (events, 10, "raw"));
      if (answers[a] != NULL && g_str_equal (answers[a], "big"))
        {
          g_autofree char *pad = g_strnfill (RC_CODEC_MAX_MESSAGE, 'x');

          g_ptr_array_add (p->snapshots, g_strdup_printf ("{\"pad\":\"%s\"}", pad));
        }
      else if (answers[a] != NULL)
        g_ptr_array_add (p->snapshots, g_strdup (answers[a]));

      rc_feed_client_start (s->client);
      RC_TEST_WAIT_FOR (s->refusals->len >= 1);
      reason = g_ptr_array_index (s->refusals, 0);
      g_test_message ("refused: %s", reason);
      rc_test_assert_one_line (reason);
      g_assert_true (g_str_has_prefix (reason, expected_reasons[a]));
      g_assert_cmpstr (s->dump_at_refusal, ==, expected_dump);
      g_assert_cmpstr (s->id_at_refusal, ==, "raw:6");
      g_assert_cmpint (sub_state (s), !=, RC_FEED_CLIENT_LIVE);
      rc_feed_client_stop (s->client);
    }
}

/* The server moved to another stream (a replay looped): the client asks again and
 * takes the new stream's snapshot. */
static void
test_new_stream_takes_a_snapshot (gconstpointer data)
{
  RcTestTransport transport = GPOINTER_TO_INT (data);
  g_autoptr (Peer) p = peer_new ();
  g_autoptr (GPtrArray) events = sub_vote_events (10);
  g_autofree char *url = sub_url_for (p->url, transport);
  g_autoptr (Sub) s = sub_new (url);
  g_autoptr (RcSession) expected = session_after (events, 3);
  GPtrArray *first = peer_script (p);
  GPtrArray *then = peer_script (p);

  say_take (first, snapshot_text (events, 9, "run-1"));
  say_take (first, heartbeat_text ("run-2", 3));
  say_take (then, snapshot_text (events, 3, "run-2"));

  rc_feed_client_start (s->client);
  RC_TEST_WAIT_FOR (s->sessions == 2 && sub_state (s) == RC_FEED_CLIENT_LIVE);
  g_assert_cmpstr (peer_id (p, 1), ==, "run-1:9");
  g_assert_cmpstr (rc_feed_client_get_last_event_id (s->client), ==, "run-2:3");
  sub_assert_same_state (rc_feed_client_get_session (s->client), expected);
  g_assert_cmpuint (s->refusals->len, ==, 0);
}

/* A server that accepts the TCP connection and never answers the request: the attempt
 * is abandoned (after 10 s, not scaled for tests) and tried again. */
static gboolean
on_mute_accept (GSocketService *service, GSocketConnection *connection, GObject *source,
                gpointer data)
{
  g_ptr_array_add (data, g_object_ref (connection));
  return TRUE;
}

static void
test_no_answer_is_abandoned (void)
{
  g_autoptr (GSocketService) service = g_socket_service_new ();
  g_autoptr (GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *url = NULL;
  g_autoptr (Sub) s = NULL;

  g_socket_listener_add_address (G_SOCKET_LISTENER (service), any, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error);
  g_assert_no_error (error);
  g_signal_connect (service, "incoming", G_CALLBACK (on_mute_accept), held);
  url = g_strdup_printf ("ws://127.0.0.1:%u",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  s = sub_new (url);

  rc_feed_client_start (s->client);
  RC_TEST_WAIT_FOR (held->len >= 1);
  g_assert_true (sub_status_mentions (s, "Connecting"));
  RC_TEST_WAIT_FOR (sub_status_mentions (s, "no answer from the server"));
  g_assert_cmpint (sub_state (s), ==, RC_FEED_CLIENT_CONNECTING);
  RC_TEST_WAIT_FOR (held->len >= 2);
  g_assert_cmpuint (s->refusals->len, ==, 0);
  g_socket_service_stop (service);
  g_socket_listener_close (G_SOCKET_LISTENER (service));
}

/* ---------------------------------------------------------------- refusals */

typedef enum {
  BAD_NOT_JSON,
  BAD_UTF8,
  BAD_UNKNOWN_MEMBER,
  BAD_UNKNOWN_VOTE,
  BAD_OUT_OF_SEQUENCE,
  BAD_OTHER_STREAM,
  BAD_OVERSIZE,
  BAD_HEARTBEAT_BEHIND,
  BAD_SNAPSHOT,
  BAD_VERSION,
} Bad;

typedef struct {
  RcTestTransport transport;
  Bad bad;
} RefusalCase;

#define GOOD 7 /* the client holds seq 1…7 when the bad message comes */

static void
say_bad (GPtrArray *script, GPtrArray *events, Bad bad)
{
  g_autoptr (RcEvent) event = NULL;

  switch (bad)
    {
    case BAD_NOT_JSON:
      say (script, "{\"v\":1,\"seq\":8, this is not JSON");
      break;
    case BAD_UTF8:
      say (script, "{\"v\":1,\"stream\":\"raw\",\"seq\":8,\"time\":\"2026-11-26T15:00:00.000Z\","
                   "\"type\":\"ballot\",\"vote\":\"v1\",\"member\":\"M0\xff\xfe\","
                   "\"choice\":\"yes\"}");
      break;
    case BAD_UNKNOWN_MEMBER:
      event = rc_event_new_ballot (G_GINT64_CONSTANT (1795000100000000), "v1", "ZZZ",
                                   RC_CHOICE_YES);
      event->seq = GOOD + 1;
      say_take (script, rc_codec_encode_stream_event (event, "raw"));
      break;
    case BAD_UNKNOWN_VOTE:
      event = rc_event_new_ballot (G_GINT64_CONSTANT (1795000100000000), "v9", "M001",
                                   RC_CHOICE_YES);
      event->seq = GOOD + 1;
      say_take (script, rc_codec_encode_stream_event (event, "raw"));
      break;
    case BAD_OUT_OF_SEQUENCE:
      say_take (script, event_text (events, GOOD + 2, "raw"));
      break;
    case BAD_OTHER_STREAM:
      say_take (script, event_text (events, GOOD + 1, "elsewhere"));
      break;
    case BAD_OVERSIZE:
      {
        /* Valid JSON, and an unknown member is ignored: only its size is wrong. */
        g_autofree char *pad = g_strnfill (RC_CODEC_MAX_MESSAGE, 'x');

        say_take (script, g_strdup_printf ("{\"v\":1,\"seq\":0,"
                                           "\"time\":\"2026-11-26T15:00:00.000Z\","
                                           "\"type\":\"heartbeat\",\"stream\":\"raw\","
                                           "\"last_seq\":7,\"pad\":\"%s\"}",
                                           pad));
      }
      break;
    case BAD_HEARTBEAT_BEHIND:
      say_take (script, heartbeat_text ("raw", GOOD - 2));
      break;
    case BAD_SNAPSHOT:
      {
        /* On air, a vote the session does not have. */
        g_autoptr (RcSession) session = session_after (events, GOOD);
        g_autoptr (RcSnapshot) snapshot = rc_session_snapshot (session);

        snapshot->on_air = RC_ON_AIR_VOTE;
        g_free (snapshot->on_air_vote);
        snapshot->on_air_vote = g_strdup ("v9");
        say_take (script, rc_codec_encode_snapshot (snapshot, "raw"));
      }
      break;
    case BAD_VERSION:
      say (script, "{\"v\":2,\"seq\":0,\"time\":\"2026-11-26T15:00:00.000Z\","
                   "\"type\":\"heartbeat\",\"stream\":\"raw\",\"last_seq\":7}");
      break;
    default:
      g_assert_not_reached ();
    }
}

/* The client holds a good state; a bad message comes. It is refused with a one-line
 * reason, changes nothing, and the client comes back with its last good id and is
 * live again on the same state. */
static void
test_refuses (gconstpointer data)
{
  const RefusalCase *c = data;
  g_autoptr (Peer) p = peer_new ();
  g_autoptr (GPtrArray) events = sub_vote_events (10);
  g_autofree char *url = sub_url_for (p->url, c->transport);
  g_autoptr (Sub) s = sub_new (url);
  g_autoptr (RcSession) expected = session_after (events, GOOD);
  g_autofree char *expected_dump = rc_test_session_dump (expected);
  g_autofree char *good_id = g_strdup_printf ("raw:%d", GOOD);
  GPtrArray *first = peer_script (p);
  GPtrArray *then = peer_script (p);
  const char *reason;

  say_take (first, snapshot_text (events, GOOD - 1, "raw"));
  say_take (first, event_text (events, GOOD, "raw"));
  say_bad (first, events, c->bad);
  say_take (then, heartbeat_text ("raw", GOOD));

  rc_feed_client_start (s->client);
  RC_TEST_WAIT_FOR (s->refusals->len >= 1);
  reason = g_ptr_array_index (s->refusals, 0);
  g_test_message ("refused: %s", reason);
  rc_test_assert_one_line (reason);
  g_assert_cmpstr (s->dump_at_refusal, ==, expected_dump);
  g_assert_cmpstr (s->id_at_refusal, ==, good_id);
  g_assert_cmpint (sub_state (s), !=, RC_FEED_CLIENT_LIVE);

  RC_TEST_WAIT_FOR (p->ids->len >= 2 && sub_state (s) == RC_FEED_CLIENT_LIVE);
  g_assert_cmpstr (peer_id (p, 1), ==, good_id);
  sub_assert_same_state (rc_feed_client_get_session (s->client), expected);
  g_assert_cmpuint (s->refusals->len, ==, 1);
  g_assert_cmpuint (s->sessions, ==, 1);
}

/* A burst the board cannot apply as fast as it hears it: past its backlog limit it
 * reads nothing more until it has applied half of what it holds (the rest waits in the
 * sockets), then reads on. Nothing unbounded, nothing dropped, no refusal: the same
 * connection ends live on the burst's last event. */
static void
test_backlog_pauses_reading (gconstpointer data)
{
  RcTestTransport transport = GPOINTER_TO_INT (data);
  g_autoptr (Peer) p = peer_new ();
  g_autoptr (GPtrArray) events = sub_vote_events (10);
  g_autofree char *url = sub_url_for (p->url, transport);
  g_autoptr (Sub) s = sub_new (url);
  g_autoptr (RcSession) expected = session_after (events, GOOD + 1);
  GPtrArray *first = peer_script (p);

  /* All of it in one write: far more than 20 messages arrive at once. */
  say_take (first, snapshot_text (events, GOOD, "raw"));
  for (guint i = 0; i < 200; i++)
    say_take (first, heartbeat_text ("raw", GOOD));
  say_take (first, event_text (events, GOOD + 1, "raw"));
  say_take (first, heartbeat_text ("raw", GOOD + 1));
  rc_feed_client_set_backlog_limit (s->client, 20);

  rc_feed_client_start (s->client);
  RC_TEST_WAIT_FOR (sub_state (s) == RC_FEED_CLIENT_LIVE && sub_seq (s) == GOOD + 1);
  sub_assert_same_state (rc_feed_client_get_session (s->client), expected);
  g_assert_cmpuint (s->refusals->len, ==, 0);
  g_assert_cmpuint (p->ids->len, ==, 1);
}

/* ---------------------------------------------------------------- main */

static const struct {
  const char *name;
  Bad bad;
} bad_names[] = {
  { "not-json", BAD_NOT_JSON },
  { "invalid-utf8", BAD_UTF8 },
  { "unknown-member", BAD_UNKNOWN_MEMBER },
  { "unknown-vote", BAD_UNKNOWN_VOTE },
  { "out-of-sequence", BAD_OUT_OF_SEQUENCE },
  { "other-stream", BAD_OTHER_STREAM },
  { "oversize", BAD_OVERSIZE },
  { "heartbeat-behind", BAD_HEARTBEAT_BEHIND },
  { "impossible-snapshot", BAD_SNAPSHOT },
  { "unknown-version", BAD_VERSION },
};

int
main (int argc, char *argv[])
{
  static const struct {
    const char *name;
    RcTestTransport transport;
  } transports[] = { { "ws", RC_TEST_WS }, { "sse", RC_TEST_SSE } };
  static const struct {
    const char *path;
    GTestDataFunc func;
  } each[] = {
    { "silence-is-stale", test_silence_is_stale },
    { "heartbeat-ahead-resumes", test_heartbeat_ahead_resumes },
    { "new-stream-takes-a-snapshot", test_new_stream_takes_a_snapshot },
    { "backlog-pauses-reading", test_backlog_pauses_reading },
    { "repeat-is-dropped", test_repeat_is_dropped },
    { "gap-takes-snapshot-beside", test_gap_takes_snapshot_beside },
    { "gap-snapshot-refused", test_gap_snapshot_refused },
  };
  static RefusalCase cases[G_N_ELEMENTS (bad_names) * G_N_ELEMENTS (transports)];
  g_autoptr (GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

  rc_test_feed_init (&argc, &argv);

  for (guint t = 0; t < G_N_ELEMENTS (transports); t++)
    {
      for (guint i = 0; i < G_N_ELEMENTS (each); i++)
        {
          char *path = g_strdup_printf ("/feed-client/%s/%s", transports[t].name, each[i].path);

          g_ptr_array_add (paths, path);
          g_test_add_data_func (path, GINT_TO_POINTER (transports[t].transport), each[i].func);
        }
      for (guint i = 0; i < G_N_ELEMENTS (bad_names); i++)
        {
          RefusalCase *c = &cases[t * G_N_ELEMENTS (bad_names) + i];
          char *path = g_strdup_printf ("/feed-client/%s/refuses/%s", transports[t].name,
                                        bad_names[i].name);

          c->transport = transports[t].transport;
          c->bad = bad_names[i].bad;
          g_ptr_array_add (paths, path);
          g_test_add_data_func (path, c, test_refuses);
        }
    }
  g_test_add_func ("/feed-client/no-answer-is-abandoned", test_no_answer_is_abandoned);

  return g_test_run ();
}
