/* test-feed-edge.c — a vote followed through nginx + nchan edges (docs/deploy.md),
 * with the configuration the project ships (data/deploy/), nginx, nchan and Redis as
 * Debian packages them, each started by the test on loopback with its own prefix,
 * and the built rollcall-feed as the origin (`--publish`).
 *
 * Rollcall's client (the board's: RcFeedClient) follows the demo's vote through an
 * edge over both transports while the edge, Redis or the origin is killed with
 * SIGKILL mid-vote and started again; each time it ends at the origin's final
 * snapshot, taking every event in order (the client applies nothing out of sequence:
 * a gap sends it to the snapshot, protocol 1.1). A subscriber of one edge resumes on
 * another sharing Redis with the other's id, from the next event. The control API and
 * the publisher are not reachable through the public side; the edge's refusals are
 * JSON with the protocol's headers, CORS never doubled.
 *
 * Arguments: rollcall-feed, the demo archive, nginx, redis-server, data/deploy. */
#include <signal.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "codec/rc-codec.h"
#include "feed-client-sub.h"
#include "feed/rc-sse-parser.h"
#include "rc-archive-test-util.h"
#include "rc-feed-test-program.h"

static const char *feed_program;
static const char *demo;
static const char *nginx_program;
static const char *redis_program;
static const char *deploy_dir;

/* ---------------------------------------------------------------- processes */

static void
own_group (gpointer data)
{
  setpgid (0, 0);
}

/* The process groups started, so that a test that fails (abort) takes them with it:
 * nginx's workers would otherwise live on, holding the test's ports and pipes. */
#define MAX_GROUPS 16
static volatile pid_t groups[MAX_GROUPS];

static void
kill_groups_and_abort (int signum)
{
  for (guint i = 0; i < MAX_GROUPS; i++)
    if (groups[i] > 0)
      kill (-groups[i], SIGKILL);
  signal (signum, SIG_DFL);
  raise (signum);
}

/* A program in a process group of its own, so that a SIGKILL takes its workers too,
 * as a machine's crash would. Its output is its own (nginx and Redis log to files). */
static GSubprocess *
spawn_group (const char *const *argv)
{
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (
    G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr (GError) error = NULL;
  GSubprocess *process;
  pid_t pid;

  g_subprocess_launcher_set_child_setup (launcher, own_group, NULL, NULL);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  pid = (pid_t) g_ascii_strtoll (g_subprocess_get_identifier (process), NULL, 10);
  for (guint i = 0; i < MAX_GROUPS; i++)
    if (groups[i] <= 0)
      {
        groups[i] = pid;
        break;
      }
  return process;
}

static void
kill_group (GSubprocess **process)
{
  const char *id;

  if (*process == NULL)
    return;
  id = g_subprocess_get_identifier (*process);
  if (id != NULL)
    {
      pid_t pid = (pid_t) g_ascii_strtoll (id, NULL, 10);

      kill (-pid, SIGKILL);
      for (guint i = 0; i < MAX_GROUPS; i++)
        if (groups[i] == pid)
          groups[i] = 0;
    }
  g_subprocess_wait (*process, NULL, NULL);
  g_clear_object (process);
}

static guint
free_port (void)
{
  g_autoptr (GSocket) socket
    = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, any, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static gboolean
accepts (guint port)
{
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GSocketConnection) connection
    = g_socket_client_connect_to_host (client, "127.0.0.1", (guint16) port, NULL, NULL);

  return connection != NULL;
}

/* ---------------------------------------------------------------- Redis and edges */

typedef struct {
  char *dir;
  guint port;
  GSubprocess *process;
} Redis;

static void
redis_start (Redis *r)
{
  g_autofree char *port = g_strdup_printf ("%u", r->port);
  const char *argv[]
    = { redis_program,  "--port", port,    "--bind", "127.0.0.1",   "--save", "",
        "--appendonly", "no",     "--dir", r->dir,   "--daemonize", "no",     "--loglevel",
        "warning",      NULL };

  r->process = spawn_group (argv);
  RC_TEST_WAIT_FOR (accepts (r->port));
}

static Redis *
redis_new (const char *dir)
{
  Redis *r = g_new0 (Redis, 1);

  r->dir = g_build_filename (dir, "redis", NULL);
  g_assert_cmpint (g_mkdir (r->dir, 0700), ==, 0);
  r->port = free_port ();
  redis_start (r);
  return r;
}

static void
redis_free (Redis *r)
{
  kill_group (&r->process);
  g_free (r->dir);
  g_free (r);
}

typedef struct {
  char *dir;
  guint public_port, publish_port, hop_port;
  GSubprocess *process;
} Edge;

static char *
read_deploy (const char *name)
{
  g_autofree char *path = g_build_filename (deploy_dir, name, NULL);
  g_autoptr (GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

/* text with every `from` replaced by `to`; the test fails if there is none. */
static char *
replace (const char *text, const char *from, const char *to)
{
  g_auto (GStrv) parts = g_strsplit (text, from, -1);

  if (g_strv_length (parts) < 2)
    g_error ("the shipped configuration no longer holds \"%s\"", from);
  return g_strjoinv (to, parts);
}

/* The shipped configuration, as it is but for the addresses it listens on, Redis's,
 * and (so that the test needs no root) nginx's temporary folders. */
static void
edge_write_config (Edge *e, Redis *redis)
{
  g_autofree char *edge = read_deploy ("rollcall-edge.conf");
  g_autofree char *main = read_deploy (redis != NULL ? "nginx-edge-redis.conf" : "nginx-edge.conf");
  g_autofree char *listen = g_strdup_printf ("listen 127.0.0.1:%u ", e->public_port);
  g_autofree char *publish = g_strdup_printf ("listen 127.0.0.1:%u;", e->publish_port);
  g_autofree char *hop = g_strdup_printf ("127.0.0.1:%u", e->hop_port);
  g_autofree char *a = replace (edge, "listen 8080 ", listen);
  g_autofree char *b = replace (a, "listen 127.0.0.1:8090;", publish);
  g_autofree char *c = replace (b, "127.0.0.1:8091", hop);
  g_autofree char *temp
    = g_strdup_printf ("http {\n    client_body_temp_path %s/body;\n    proxy_temp_path %s/proxy;\n"
                       "    fastcgi_temp_path %s/fastcgi;\n    uwsgi_temp_path %s/uwsgi;\n"
                       "    scgi_temp_path %s/scgi;\n",
                       e->dir, e->dir, e->dir, e->dir, e->dir);
  g_autofree char *m1 = replace (main, "http {\n", temp);
  g_autofree char *m2 = NULL;
  g_autofree char *edge_path = g_build_filename (e->dir, "rollcall-edge.conf", NULL);
  g_autofree char *main_path = g_build_filename (e->dir, "nginx.conf", NULL);

  if (redis != NULL)
    {
      g_autofree char *url = g_strdup_printf ("redis://127.0.0.1:%u", redis->port);

      m2 = replace (m1, "redis://127.0.0.1:6379", url);
    }
  g_assert_true (g_file_set_contents (edge_path, c, -1, NULL));
  g_assert_true (g_file_set_contents (main_path, m2 != NULL ? m2 : m1, -1, NULL));
}

static void
edge_start (Edge *e)
{
  g_autofree char *conf = g_build_filename (e->dir, "nginx.conf", NULL);
  g_autofree char *globals = g_strdup_printf (
    "daemon off; pid %s/nginx.pid; error_log %s/error.log notice;", e->dir, e->dir);
  const char *argv[] = { nginx_program, "-p", e->dir, "-c", conf, "-g", globals, NULL };

  e->process = spawn_group (argv);
  RC_TEST_WAIT_FOR (accepts (e->public_port) && accepts (e->publish_port));
}

static Edge *
edge_new (const char *dir, const char *name, Redis *redis)
{
  Edge *e = g_new0 (Edge, 1);

  e->dir = g_build_filename (dir, name, NULL);
  g_assert_cmpint (g_mkdir (e->dir, 0700), ==, 0);
  e->public_port = free_port ();
  e->publish_port = free_port ();
  e->hop_port = free_port ();
  edge_write_config (e, redis);
  edge_start (e);
  return e;
}

static void
edge_free (Edge *e)
{
  kill_group (&e->process);
  g_free (e->dir);
  g_free (e);
}

static char *
edge_url (Edge *e)
{
  return g_strdup_printf ("http://127.0.0.1:%u", e->public_port);
}

static char *
edge_publish_url (Edge *e)
{
  return g_strdup_printf ("http://127.0.0.1:%u/publish/", e->publish_port);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Edge, edge_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Redis, redis_free)

/* ---------------------------------------------------------------- the origin */

static RcTestProgram *
origin_start (Edge *edge)
{
  g_autofree char *publish = edge_publish_url (edge);
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
  g_autoptr (Redis) redis = c->kill == KILL_REDIS ? redis_new (dir) : NULL;
  g_autoptr (Edge) edge = edge_new (dir, "edge", redis);
  g_autofree char *http_url = edge_url (edge);
  g_autofree char *url = sub_url_for (http_url, c->transport);
  g_autoptr (Sub) s = sub_new (url);
  g_autoptr (RcTestProgram) origin = NULL;
  gint64 last = demo_events ();

  rc_feed_client_start (s->client);
  origin = origin_start (edge);
  RC_TEST_WAIT_FOR (sub_seq (s) >= last / 3);
  g_test_message ("at %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT ": killing the %s", sub_seq (s),
                  last,
                  c->kill == KILL_EDGE     ? "edge"
                  : c->kill == KILL_ORIGIN ? "origin"
                                           : "Redis");
  switch (c->kill)
    {
    case KILL_EDGE:
      kill_group (&edge->process);
      g_usleep (300 * 1000);
      edge_start (edge);
      break;
    case KILL_ORIGIN:
      /* A replay's restart is a new stream from the start: the client follows it. */
      rc_test_program_kill (origin);
      g_clear_pointer (&origin, rc_test_program_free);
      g_usleep (300 * 1000);
      origin = origin_start (edge);
      break;
    case KILL_REDIS:
      kill_group (&redis->process);
      g_usleep (300 * 1000);
      redis_start (redis);
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
  g_autoptr (Edge) edge = edge_new (dir, "edge", NULL);
  g_autofree char *url = edge_url (edge);
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
          g_assert_true (g_str_has_prefix (reply, "{\"v\":1,\"error\":{\"code\":\""));
        g_assert_cmpstr (soup_message_headers_get_content_type (headers, NULL), ==,
                         "application/json");
        g_assert_cmpstr (soup_message_headers_get_list (headers, "Cache-Control"), ==, "no-store");
        allow_origin
          = g_strdup (soup_message_headers_get_list (headers, "Access-Control-Allow-Origin"));
        g_assert_cmpstr (allow_origin, ==, "*");
        if (requests[i].status == 405)
          g_assert_nonnull (soup_message_headers_get_one (headers, "Allow"));
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

/* Two edges share Redis: a subscriber of edge A gives edge B the id of the last
 * message it took there, and gets the next event, with none missed or repeated. */
static void
test_resume_on_other_edge (void)
{
  g_autofree char *dir = rc_test_make_tmpdir ();
  g_autoptr (Redis) redis = redis_new (dir);
  g_autoptr (Edge) a = edge_new (dir, "a", redis);
  g_autoptr (Edge) b = edge_new (dir, "b", redis);
  g_autofree char *url_a = edge_url (a);
  g_autofree char *url_b = edge_url (b);
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
  signal (SIGABRT, kill_groups_and_abort);
  signal (SIGTERM, kill_groups_and_abort);
  signal (SIGTRAP, kill_groups_and_abort);
  g_assert_cmpint (argc, ==, 6);
  feed_program = argv[1];
  demo = argv[2];
  nginx_program = argv[3];
  redis_program = argv[4];
  deploy_dir = argv[5];
  for (guint i = 3; i <= 4; i++)
    if (!g_file_test (argv[i], G_FILE_TEST_IS_EXECUTABLE))
      g_error ("%s: ./run installs it (nginx-light, libnginx-mod-nchan, redis-server)", argv[i]);

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
  return g_test_run ();
}
