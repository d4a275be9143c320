/* test-feed-edge.c — a vote followed through nginx + nchan edges (docs/deploy.md),
 * with the configuration the project ships (data/deploy/), nginx, nchan and RcTestRedis as
 * Debian packages them, each started by the test on loopback with its own prefix,
 * and the built rollcall-feed as the origin (`--publish`).
 *
 * Rollcall's client (the board's: RcFeedClient) follows the demo's vote through an
 * edge over both transports while the edge, RcTestRedis or the origin is killed with
 * SIGKILL mid-vote and started again; each time it ends at the origin's final
 * snapshot, taking every event in order (the client applies nothing out of sequence:
 * a gap sends it to the snapshot, protocol 1.1). A subscriber of one edge resumes on
 * another sharing RcTestRedis with the other's id, from the next event. A live vote
 * followed through two edges sharing Redis while edge A, Redis, the origin and edge B
 * are killed in turn (the issue's own check). The control API and
 * the publisher are not reachable through the public side; the edge's refusals are
 * JSON with the protocol's headers, CORS never doubled.
 *
 * The protocol's own intervals (heartbeats every 2 s, stale after 6 s), not the tests'
 * faster ones. Arguments: rollcall-feed, the demo archive, nginx, redis-server,
 * data/deploy. */
#include <signal.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "codec/rc-codec.h"
#include "feed-client-sub.h"
#include "feed/rc-sse-parser.h"
#include "rc-archive-test-util.h"
#include "rc-feed-test-edge.h"
#include "rc-feed-test-program.h"

static const char *feed_program;
static const char *demo;

/* ---------------------------------------------------------------- the origin */

static RcTestProgram *
origin_start (RcTestEdge *edge)
{
  g_autofree char *publish = rc_test_edge_publish_url (edge);
  /* Fast enough for a test, slow enough that the kills land mid-vote. */
  const char *argv[] = { feed_program, "--replay", demo,     "--session", "ga-es11-2022-03-02",
                         "--speed",    "16",       "--port", "0",         "--publish",
                         publish,      NULL };

  return rc_test_program_start (argv, NULL);
}

/* The number of events of the demo's session: the replay's last seq. */
static gint64
demo_events (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RcArchive) archive = rc_archive_open (demo, RC_ARCHIVE_READ_ONLY, &error);
  g_autoptr (GPtrArray) events = NULL;

  g_assert_no_error (error);
  events = rc_archive_load_events (archive, "ga-es11-2022-03-02", &error);
  g_assert_no_error (error);
  return events->len;
}

static RcMessage *
get_snapshot (SoupSession *http, const char *url)
{
  g_autofree char *body = rc_test_get_snapshot (http, url);
  g_autoptr (GError) error = NULL;
  RcMessage *message = rc_codec_decode_message (body, -1, &error);

  g_assert_no_error (error);
  g_assert_cmpint (message->kind, ==, RC_MESSAGE_SNAPSHOT);
  return message;
}

/* The client holds the origin's final state: the whole vote, on the origin's stream. */
static void
assert_at_origin_end (Sub *s, RcTestProgram *origin, gint64 last)
{
  g_autoptr (SoupSession) http = soup_session_new ();
  g_autoptr (RcMessage) snapshot = NULL;
  g_autoptr (RcSession) expected = NULL;
  g_autoptr (GError) error = NULL;

  RC_TEST_WAIT_FOR (sub_seq (s) == last && sub_state (s) == RC_FEED_CLIENT_LIVE);
  snapshot = get_snapshot (http, origin->url);
  g_assert_cmpint (snapshot->snapshot->seq, ==, last);
  expected = rc_session_new_from_snapshot (snapshot->snapshot, &error);
  g_assert_no_error (error);
  sub_assert_same_state (rc_feed_client_get_session (s->client), expected);
  g_assert_cmpuint (s->refusals->len, ==, 0);
}

/* ---------------------------------------------------------------- tests */

typedef enum {
  KILL_EDGE,
  KILL_ORIGIN,
  KILL_REDIS,
} Kill;

typedef struct {
  RcTestTransport transport;
  Kill kill;
} Case;

/* Following the vote through an edge, one of the three killed with SIGKILL when the
 * client is a third of the way through, and started again. */
static void
test_follow_through_kill (gconstpointer data)
{
  const Case *c = data;
  g_autofree char *dir = rc_test_make_tmpdir ();
  g_autoptr (RcTestRedis) redis = c->kill == KILL_REDIS ? rc_test_redis_new (dir) : NULL;
  g_autoptr (RcTestEdge) edge = rc_test_edge_new (dir, "edge", redis);
  g_autofree char *http_url = rc_test_edge_url (edge);
  g_autofree char *url = sub_url_for (http_url, c->transport);
  g_autoptr (Sub) s = sub_new (url);
  g_autoptr (RcTestProgram) origin = NULL;
  gint64 last = demo_events ();

  g_autoptr (SoupSession) http = soup_session_new ();
  g_autofree char *health = NULL;

  /* The public arrives once the edge has the stream. (A subscriber that came to an
   * edge on Redis before the channel's first message was sometimes never served: see
   * docs/deploy.md, "Limits and known gaps".) */
  origin = origin_start (edge);
  RC_TEST_WAIT_FOR (rc_test_request (http, http_url, "GET", "/v1/health", NULL, NULL, &health)
                    == 200);
  rc_feed_client_start (s->client);
  RC_TEST_WAIT_FOR (sub_seq (s) >= last / 3);
  g_test_message ("at %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT ": killing the %s", sub_seq (s),
                  last,
                  c->kill == KILL_EDGE     ? "edge"
                  : c->kill == KILL_ORIGIN ? "origin"
                                           : "RcTestRedis");
  switch (c->kill)
    {
    case KILL_EDGE:
      rc_test_edge_kill (edge);
      g_usleep (300 * 1000);
      rc_test_edge_start (edge);
      break;
    case KILL_ORIGIN:
      /* A replay's restart is a new stream from the start: the client follows it. */
      rc_test_program_kill (origin);
      g_clear_pointer (&origin, rc_test_program_free);
      g_usleep (300 * 1000);
      origin = origin_start (edge);
      break;
    case KILL_REDIS:
      /* And the edge restarted once it is back, as docs/deploy.md says. */
      rc_test_redis_kill (redis);
      g_usleep (300 * 1000);
      rc_test_redis_start (redis);
      rc_test_edge_kill (edge);
      rc_test_edge_start (edge);
      break;
    }
  assert_at_origin_end (s, origin, last);
  rc_test_program_stop (origin);
}

/* Only the reading paths are public: the control API, the publisher and anything else
 * are 404 (JSON, with the protocol's headers); a method a path does not take is 405
 * with Allow; CORS is one header whether or not the request has an Origin. */
static void
test_public_side (void)
{
  static const struct {
    const char *method, *path;
    guint status;
  } requests[] = {
    { "POST", "/v1/session", 404 },     { "POST", "/v1/votes", 404 },
    { "POST", "/v1/on-air", 404 },      { "POST", "/v1/votes/es-11-1/open", 404 },
    { "POST", "/publish/events", 404 }, { "GET", "/publish/events", 404 },
    { "GET", "/rollcall-ws", 404 },     { "GET", "/rollcall-refuse-426", 404 },
    { "GET", "/v1/snapshot/x", 404 },   { "GET", "/", 404 },
    { "POST", "/v1/events", 405 },      { "DELETE", "/v1/snapshot", 405 },
    { "PUT", "/v1/health", 405 },       { "GET", "/v1/feed", 426 },
  };
  g_autofree char *dir = rc_test_make_tmpdir ();
  g_autoptr (RcTestEdge) edge = rc_test_edge_new (dir, "edge", NULL);
  g_autofree char *url = rc_test_edge_url (edge);
  g_autoptr (SoupSession) http = soup_session_new ();
  g_autoptr (RcTestProgram) origin = origin_start (edge);
  g_autofree char *health = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (requests); i++)
    for (guint with_origin = 0; with_origin < 2; with_origin++)
      {
        g_autofree char *uri = g_strconcat (url, requests[i].path, NULL);
        g_autoptr (SoupMessage) msg = soup_message_new (requests[i].method, uri);
        SoupMessageHeaders *headers;
        g_autofree char *reply = NULL;
        g_autofree char *allow_origin = NULL;
        g_autoptr (RcMessage) parsed = NULL;

        if (with_origin)
          soup_message_headers_replace (soup_message_get_request_headers (msg), "Origin",
                                        "https://press.example");
        g_assert_cmpuint (rc_test_send (http, msg, &reply), ==, requests[i].status);
        headers = soup_message_get_response_headers (msg);
        g_test_message ("%s %s: %u %s", requests[i].method, requests[i].path,
                        soup_message_get_status (msg), reply);
        if (!g_str_equal (requests[i].method, "HEAD"))
          {
            /* The codes of feed-protocol.md §7, "Errors". */
            const char *code = requests[i].status == 404   ? "not-found"
                               : requests[i].status == 405 ? "method"
                                                           : "upgrade";
            g_autofree char *start = g_strdup_printf ("{\"v\":1,\"error\":{\"code\":\"%s\"", code);

            g_assert_true (g_str_has_prefix (reply, start));
          }
        g_assert_cmpstr (soup_message_headers_get_content_type (headers, NULL), ==,
                         "application/json");
        g_assert_cmpstr (soup_message_headers_get_list (headers, "Cache-Control"), ==, "no-store");
        allow_origin
          = g_strdup (soup_message_headers_get_list (headers, "Access-Control-Allow-Origin"));
        g_assert_cmpstr (allow_origin, ==, "*");
        if (requests[i].status == 405)
          g_assert_nonnull (soup_message_headers_get_one (headers, "Allow"));
      }

  /* A WebSocket handshake without rollcall.v1: 400, in the protocol's form. */
  {
    g_autofree char *uri = g_strconcat (url, "/v1/feed", NULL);
    g_autoptr (SoupMessage) msg = soup_message_new ("GET", uri);
    SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
    g_autofree char *reply = NULL;

    soup_message_headers_replace (headers, "Upgrade", "websocket");
    soup_message_headers_replace (headers, "Connection", "Upgrade");
    soup_message_headers_replace (headers, "Sec-WebSocket-Version", "13");
    soup_message_headers_replace (headers, "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
    soup_message_headers_replace (headers, "Sec-WebSocket-Protocol", "ROLLCALL.V1, other");
    g_assert_cmpuint (rc_test_send (http, msg, &reply), ==, 400);
    g_assert_true (g_str_has_prefix (reply, "{\"v\":1,\"error\":{\"code\":\"bad-message\""));
    g_assert_cmpstr (soup_message_headers_get_list (soup_message_get_response_headers (msg),
                                                    "Access-Control-Allow-Origin"),
                     ==, "*");
  }

  /* The reading paths answer, the origin's health and snapshot as it posted them. */
  RC_TEST_WAIT_FOR (rc_test_request (http, url, "GET", "/v1/health", NULL, NULL, &health) == 200);
  g_assert_true (g_str_has_prefix (health, "{\"v\":1,\"stream\":\"ga-es11-2022-03-02~"));
  for (guint with_origin = 0; with_origin < 2; with_origin++)
    {
      g_autofree char *uri = g_strconcat (url, "/v1/snapshot", NULL);
      g_autoptr (SoupMessage) msg = soup_message_new ("GET", uri);
      g_autofree char *reply = NULL;
      SoupMessageHeaders *headers;

      if (with_origin)
        soup_message_headers_replace (soup_message_get_request_headers (msg), "Origin",
                                      "https://press.example");
      g_assert_cmpuint (rc_test_send (http, msg, &reply), ==, 200);
      headers = soup_message_get_response_headers (msg);
      g_assert_cmpstr (soup_message_headers_get_list (headers, "Access-Control-Allow-Origin"), ==,
                       "*");
      g_assert_cmpstr (soup_message_headers_get_list (headers, "Cache-Control"), ==, "no-store");
      g_assert_true (g_str_has_prefix (reply, "{\"v\":1,\"type\":\"snapshot\""));
    }
  rc_test_program_stop (origin);
}

/* ---------------------------------------------------------------- resuming elsewhere */

typedef struct {
  RcSseParser *parser;
  GPtrArray *ids; /* each message's id */
  GArray *seqs;   /* each event's seq; 0 for the others */
  GPtrArray *types;
} Read;

static gboolean
on_sse_data (const char *data, gsize length, gpointer user_data)
{
  Read *r = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (RcMessage) message = rc_codec_decode_message (data, (gssize) length, &error);
  gint64 seq;

  g_assert_no_error (error);
  seq = message->kind == RC_MESSAGE_EVENT ? message->event->seq : 0;
  g_ptr_array_add (r->ids, g_strdup (rc_sse_parser_get_last_id (r->parser)));
  g_array_append_val (r->seqs, seq);
  return TRUE;
}

/* Reads the SSE stream at url (from last_id, if given) until an event of seq `until` or
 * later has come. */
static void
read_sse (const char *url, const char *last_id, gint64 until, Read *r)
{
  g_autoptr (SoupSession) http = soup_session_new ();
  g_autofree char *uri = g_strconcat (url, "/v1/events", NULL);
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", uri);
  g_autoptr (GInputStream) body = NULL;
  g_autoptr (GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + RC_TEST_TIMEOUT_MS * 1000;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept",
                                "text/event-stream");
  if (last_id != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Last-Event-ID", last_id);
  body = soup_session_send (http, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  r->parser = rc_sse_parser_new (RC_CODEC_MAX_MESSAGE);
  while (r->seqs->len == 0 || g_array_index (r->seqs, gint64, r->seqs->len - 1) < until)
    {
      guint8 buffer[4096];
      gssize n = g_input_stream_read (body, buffer, sizeof buffer, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpint (n, >, 0);
      g_assert_cmpint (rc_sse_parser_feed (r->parser, buffer, (gsize) n, on_sse_data, r), ==,
                       RC_SSE_PARSER_MORE);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }
  g_clear_pointer (&r->parser, rc_sse_parser_free);
}

/* Two edges share RcTestRedis: a subscriber of edge A gives edge B the id of the last
 * message it took there, and gets the next event, with none missed or repeated. */
static void
test_resume_on_other_edge (void)
{
  g_autofree char *dir = rc_test_make_tmpdir ();
  g_autoptr (RcTestRedis) redis = rc_test_redis_new (dir);
  g_autoptr (RcTestEdge) a = rc_test_edge_new (dir, "a", redis);
  g_autoptr (RcTestEdge) b = rc_test_edge_new (dir, "b", redis);
  g_autofree char *url_a = rc_test_edge_url (a);
  g_autofree char *url_b = rc_test_edge_url (b);
  Read first = { NULL, g_ptr_array_new_with_free_func (g_free),
                 g_array_new (FALSE, FALSE, sizeof (gint64)), NULL };
  Read then = { NULL, g_ptr_array_new_with_free_func (g_free),
                g_array_new (FALSE, FALSE, sizeof (gint64)), NULL };
  g_autoptr (RcTestProgram) origin = origin_start (a);
  gint64 last = demo_events ();
  gint64 k, next = 0;

  read_sse (url_a, NULL, 20, &first);
  k = g_array_index (first.seqs, gint64, first.seqs->len - 1);
  g_test_message ("resuming on B after seq %" G_GINT64_FORMAT " with id %s", k,
                  (char *) g_ptr_array_index (first.ids, first.ids->len - 1));
  g_usleep (500 * 1000);
  read_sse (url_b, g_ptr_array_index (first.ids, first.ids->len - 1), last, &then);
  for (guint i = 0; i < then.seqs->len; i++)
    {
      gint64 seq = g_array_index (then.seqs, gint64, i);

      if (seq == 0)
        continue;
      g_assert_cmpint (seq, ==, next == 0 ? k + 1 : next);
      next = seq + 1;
    }
  g_assert_cmpint (next, ==, last + 1);
  g_ptr_array_unref (first.ids);
  g_array_unref (first.seqs);
  g_ptr_array_unref (then.ids);
  g_array_unref (then.seqs);
  rc_test_program_stop (origin);
}

/* ---------------------------------------------------------------- two edges on Redis */

#define TOKEN "edge-test-token-0123456789abcdef0123"
#define VOTE "es-11-1"

static RcTestProgram *
live_start (const char *token_file, const char *journal, const char *port, const char *publish)
{
  const char *argv[] = { feed_program, "--live", "--token-file", token_file, "--journal", journal,
                         "--port",     port,     "--publish",    publish,    NULL };

  return rc_test_program_start (argv, NULL);
}

/* A clerk's request, which must be acknowledged; the seq it was published under. */
static gint64
clerk_post (SoupSession *http, RcTestProgram *origin, const char *path, const char *body)
{
  g_autofree char *reply = NULL;
  g_autoptr (RcMessage) message = NULL;
  g_autoptr (GError) error = NULL;
  guint status = rc_test_request (http, origin->url, "POST", path, TOKEN, body, &reply);

  if (status != SOUP_STATUS_CREATED)
    g_error ("POST %s: %u %s", path, status, reply);
  message = rc_codec_decode_message (reply, -1, &error);
  g_assert_no_error (error);
  return message->event->seq;
}

static gboolean
all_at (Sub **subs, guint n, gint64 seq)
{
  for (guint i = 0; i < n; i++)
    if (sub_seq (subs[i]) != seq || sub_state (subs[i]) != RC_FEED_CLIENT_LIVE)
      return FALSE;
  return TRUE;
}

/* What the check does: a live vote (the origin's journal) followed through two
 * edges sharing RcTestRedis, by Rollcall's client on each edge over each transport,
 * while edge A (the one the origin publishes to), Redis, the origin and edge B are
 * killed with SIGKILL in turn, each when every client has all there is, and started
 * again; the clerk goes on voting between the kills. Every client ends at the origin's
 * final snapshot, having applied every event once and in order (RcFeedClient refuses
 * anything else, and none was refused). The control API is 404 through both edges and
 * a write tried there changes nothing. */
static void
test_two_edges_on_redis (void)
{
  static const char *const kills[] = { "edge A", "Redis", "the origin", "edge B" };
  static const char *const choices[] = { "yes", "no", "abstain" };
  g_autofree char *dir = rc_test_make_tmpdir ();
  g_autofree char *token_file = g_build_filename (dir, "token", NULL);
  g_autofree char *journal = g_build_filename (dir, "journal.rollcall", NULL);
  g_autoptr (RcTestRedis) redis = rc_test_redis_new (dir);
  g_autoptr (RcTestEdge) a = rc_test_edge_new (dir, "a", redis);
  g_autoptr (RcTestEdge) b = rc_test_edge_new (dir, "b", redis);
  g_autofree char *publish = rc_test_edge_publish_url (a);
  g_autoptr (SoupSession) http = soup_session_new ();
  g_autoptr (RcTestProgram) origin = NULL;
  g_autoptr (GPtrArray) members = NULL;
  g_autofree char *port = NULL;
  RcTestEdge *edges[] = { a, b };
  Sub *subs[4];
  gint64 last = 0;
  guint k = 0;

  g_assert_true (g_file_set_contents (token_file, TOKEN "\n", -1, NULL));
  g_assert_cmpint (g_chmod (token_file, 0600), ==, 0);
  origin = live_start (token_file, journal, "0", publish);
  port = g_strdup_printf ("%u", rc_test_program_port (origin));
  members = rc_test_open_ga_vote (http, origin->url, TOKEN, "ga-2022-03-02", VOTE);
  for (guint e = 0; e < G_N_ELEMENTS (edges); e++)
    {
      g_autofree char *url = rc_test_edge_url (edges[e]);

      RC_TEST_WAIT_FOR (rc_test_request (http, url, "GET", "/v1/health", NULL, NULL, NULL) == 200);
      g_test_message ("edge %c: %s", 'A' + e, url);
      for (guint t = 0; t < 2; t++)
        {
          g_autofree char *sub_url = sub_url_for (url, t == 0 ? RC_TEST_WS : RC_TEST_SSE);

          subs[e * 2 + t] = sub_new (sub_url);
          rc_feed_client_start (subs[e * 2 + t]->client);
        }
    }

  for (guint phase = 0; phase <= G_N_ELEMENTS (kills); phase++)
    {
      guint until = members->len * (phase + 1) / (G_N_ELEMENTS (kills) + 1);

      for (; k < until; k++)
        {
          g_autofree char *path = g_strdup_printf ("/v1/votes/%s/ballots", VOTE);
          g_autofree char *body
            = g_strdup_printf ("{\"member\":\"%s\",\"choice\":\"%s\"}",
                               (char *) g_ptr_array_index (members, k), choices[k % 3]);

          last = clerk_post (http, origin, path, body);
        }
      if (phase == G_N_ELEMENTS (kills))
        break;
      RC_TEST_WAIT_FOR (all_at (subs, G_N_ELEMENTS (subs), last));
      g_test_message ("at %" G_GINT64_FORMAT ": killing %s", last, kills[phase]);
      switch (phase)
        {
        case 0:
          rc_test_edge_kill (a);
          g_usleep (300 * 1000);
          rc_test_edge_start (a);
          break;
        case 1:
          rc_test_redis_kill (redis);
          g_usleep (300 * 1000);
          rc_test_redis_start (redis);
          /* What docs/deploy.md says to do when Redis comes back: the edges on it
           * start again (nchan 1.3.6's workers do not all find it again by
           * themselves, and a reload's new workers may crash). */
          rc_test_edge_kill (a);
          rc_test_edge_kill (b);
          rc_test_edge_start (a);
          rc_test_edge_start (b);
          break;
        case 2:
          /* Restarted on its journal where the boards know it: the same stream. */
          rc_test_program_kill (origin);
          g_clear_pointer (&origin, rc_test_program_free);
          g_usleep (300 * 1000);
          origin = live_start (token_file, journal, port, publish);
          break;
        default:
          rc_test_edge_kill (b);
          g_usleep (300 * 1000);
          rc_test_edge_start (b);
          break;
        }
    }
  clerk_post (http, origin, "/v1/votes/" VOTE "/lock", "{}");
  last = clerk_post (http, origin, "/v1/votes/" VOTE "/announce", "{}");

  /* The edges do not take a clerk's request, even with the token. */
  for (guint e = 0; e < G_N_ELEMENTS (edges); e++)
    {
      g_autofree char *url = rc_test_edge_url (edges[e]);

      g_assert_cmpuint (
        rc_test_request (http, url, "POST", "/v1/votes/" VOTE "/cancel", TOKEN, "{}", NULL), ==,
        404);
    }
  for (guint i = 0; i < G_N_ELEMENTS (subs); i++)
    {
      assert_at_origin_end (subs[i], origin, last);
      sub_free (subs[i]);
    }
  rc_test_program_stop (origin);
}

int
main (int argc, char *argv[])
{
  static const struct {
    const char *name;
    RcTestTransport transport;
  } transports[] = { { "ws", RC_TEST_WS }, { "sse", RC_TEST_SSE } };
  static const char *const kills[] = { "kill-edge", "kill-origin", "kill-redis" };
  static Case cases[G_N_ELEMENTS (transports) * G_N_ELEMENTS (kills)];
  g_autoptr (GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

  rc_test_feed_init (&argc, &argv);
  /* The protocol's own intervals, here and in the origin: an edge on Redis takes a new
   * subscriber's first message longer than the tests' 0.3 s of silence allow. */
  g_unsetenv ("ROLLCALL_FEED_TEST_TIMING");
  g_assert_cmpint (argc, ==, 6);
  feed_program = argv[1];
  demo = argv[2];
  rc_test_edge_init (argv[3], argv[4], argv[5]);

  for (guint t = 0; t < G_N_ELEMENTS (transports); t++)
    for (guint k = 0; k < G_N_ELEMENTS (kills); k++)
      {
        Case *c = &cases[t * G_N_ELEMENTS (kills) + k];
        char *path = g_strdup_printf ("/edge/%s/%s", transports[t].name, kills[k]);

        c->transport = transports[t].transport;
        c->kill = (Kill) k;
        g_ptr_array_add (paths, path);
        g_test_add_data_func (path, c, test_follow_through_kill);
      }
  g_test_add_func ("/edge/public-side", test_public_side);
  g_test_add_func ("/edge/resume-on-other-edge", test_resume_on_other_edge);
  g_test_add_func ("/edge/two-edges-on-redis", test_two_edges_on_redis);
  return g_test_run ();
}
