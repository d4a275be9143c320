/* test-feed-client.c — RcFeedClient against our server over loopback.
 *
 * A hub and an RcFeedServer on 127.0.0.1 (rc-feed-test-util.h), over WebSocket and
 * Server-Sent Events: whole votes, a late join, a server that goes away and comes back
 * on the same port, a client started before its server; TLS against a CA this test
 * makes with openssl (trusted with rc_feed_client_set_ca_file, refused without); the
 * URLs it refuses; the back-off's bounds; a TLS server's shutdown with a client stuck in
 * its handshake. Intervals are 1/20 of the protocol's (ROLLCALL_FEED_TEST_TIMING=fast):
 * stale after 300 ms, back-off from 25 ms. */
#include <glib/gstdio.h>
#include <string.h>

#include "feed-client-sub.h"
#include "feed/rc-backoff.h"
#include "feed/rc-feed-timing.h"
#include "model/rc-error.h"
#include "rc-archive-test-util.h"

/* ---------------------------------------------------------------- our server */

static void
test_whole_vote (gconstpointer data)
{
  RcTestTransport transport = GPOINTER_TO_INT (data);
  g_autoptr (RcTestFeed) feed = rc_test_feed_new (NULL, NULL, NULL);
  g_autoptr (GPtrArray) events = sub_vote_events (30);
  g_autofree char *url = sub_url_for (feed->url, transport);
  g_autoptr (Sub) s = sub_new (url);
  g_autofree char *id = NULL;

  g_assert_cmpint (sub_state (s), ==, RC_FEED_CLIENT_CONNECTING);
  g_assert_null (rc_feed_client_get_last_event_id (s->client));

  /* Joins mid-vote: a snapshot, then the rest as it happens. */
  sub_publish_range (feed->hub, events, 0, 12);
  rc_feed_client_start (s->client);
  RC_TEST_WAIT_FOR (sub_caught_up (s, feed->hub));
  g_assert_cmpstr (rc_feed_client_get_last_event_id (s->client), ==, RC_TEST_STREAM ":12");
  g_assert_true (sub_status_mentions (s, "Live"));
  g_assert_cmpuint (s->sessions, ==, 1);

  sub_publish_range (feed->hub, events, 12, events->len);
  RC_TEST_WAIT_FOR (sub_caught_up (s, feed->hub));
  sub_assert_same_state (rc_feed_client_get_session (s->client),
                         rc_feed_hub_get_session (feed->hub));
  id = g_strdup_printf (RC_TEST_STREAM ":%u", events->len);
  g_assert_cmpstr (rc_feed_client_get_last_event_id (s->client), ==, id);
  /* The deltas went into the same session: no second snapshot. */
  g_assert_cmpuint (s->sessions, ==, 1);
  g_assert_cmpuint (s->refusals->len, ==, 0);
}

static void
test_joins_at_the_end (gconstpointer data)
{
  RcTestTransport transport = GPOINTER_TO_INT (data);
  g_autoptr (RcTestFeed) feed = rc_test_feed_new (NULL, NULL, NULL);
  g_autoptr (GPtrArray) events = sub_vote_events (30);
  g_autofree char *url = sub_url_for (feed->url, transport);
  g_autoptr (Sub) s = sub_new (url);
  RcVote *vote;

  rc_test_feed_publish (feed, events);
  rc_feed_client_start (s->client);
  RC_TEST_WAIT_FOR (sub_caught_up (s, feed->hub));
  sub_assert_same_state (rc_feed_client_get_session (s->client),
                         rc_feed_hub_get_session (feed->hub));
  vote = rc_session_find_vote (rc_feed_client_get_session (s->client), "v1");
  g_assert_nonnull (vote);
  g_assert_cmpint (rc_vote_get_state (vote), ==, RC_VOTE_ANNOUNCED);
}

/* The server shuts down; the client says so and retries against a port that refuses;
 * the server comes back on the same port with what was published meanwhile; the
 * client resumes from its last event (no snapshot) and ends exactly right. */
static void
test_server_goes_away_and_comes_back (gconstpointer data)
{
  RcTestTransport transport = GPOINTER_TO_INT (data);
  g_autoptr (RcTestFeed) feed = rc_test_feed_new (NULL, NULL, NULL);
  g_autoptr (GPtrArray) events = sub_vote_events (30);
  g_autofree char *url = sub_url_for (feed->url, transport);
  g_autoptr (Sub) s = sub_new (url);
  g_autoptr (RcFeedServer) again = NULL;
  g_autoptr (GError) error = NULL;
  guint port = rc_feed_server_get_port (feed->server);
  RcSession *session;

  sub_publish_range (feed->hub, events, 0, 15);
  rc_feed_client_start (s->client);
  RC_TEST_WAIT_FOR (sub_caught_up (s, feed->hub));
  session = rc_feed_client_get_session (s->client);

  rc_feed_server_shutdown (feed->server);
  RC_TEST_WAIT_FOR (sub_state (s) == RC_FEED_CLIENT_RECONNECTING);
  RC_TEST_WAIT_FOR (sub_status_mentions (s, "connection refused"));
  g_assert_cmpint (sub_state (s), ==, RC_FEED_CLIENT_RECONNECTING);
  g_assert_cmpint (sub_seq (s), ==, 15);

  sub_publish_range (feed->hub, events, 15, events->len);
  again = rc_feed_server_new (feed->hub, NULL, &error);
  g_assert_no_error (error);
  rc_feed_server_listen (again, "127.0.0.1", port, &error);
  g_assert_no_error (error);

  RC_TEST_WAIT_FOR (sub_caught_up (s, feed->hub));
  g_assert_true (rc_feed_client_get_session (s->client) == session);
  g_assert_cmpuint (s->sessions, ==, 1);
  sub_assert_same_state (session, rc_feed_hub_get_session (feed->hub));
  g_assert_cmpuint (s->refusals->len, ==, 0);
  rc_feed_server_shutdown (again);
}

static guint
free_port (void)
{
  g_autoptr (GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                             G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;
  g_autoptr (GError) error = NULL;

  g_socket_bind (socket, any, TRUE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* Started before there is a server: it keeps trying, and takes the feed once one
 * listens. A bare base URL gets the transport's path. */
static void
test_connects_once_a_server_listens (gconstpointer data)
{
  RcTestTransport transport = GPOINTER_TO_INT (data);
  guint port = free_port ();
  g_autofree char *base = g_strdup_printf ("http://127.0.0.1:%u/", port);
  g_autofree char *url = sub_url_for (base, transport);
  g_autoptr (Sub) s = sub_new (url);
  g_autoptr (GPtrArray) events = sub_vote_events (10);
  g_autoptr (GError) error = NULL;
  g_autoptr (RcFeedHub) hub = NULL;
  g_autoptr (RcFeedServer) server = NULL;

  rc_feed_client_start (s->client);
  RC_TEST_WAIT_FOR (sub_status_mentions (s, "connection refused"));
  g_assert_cmpint (sub_state (s), ==, RC_FEED_CLIENT_CONNECTING);

  hub = rc_feed_hub_new (RC_TEST_STREAM, NULL, NULL, &error);
  g_assert_no_error (error);
  sub_publish_range (hub, events, 0, events->len);
  server = rc_feed_server_new (hub, NULL, &error);
  g_assert_no_error (error);
  rc_feed_server_listen (server, "127.0.0.1", port, &error);
  g_assert_no_error (error);

  RC_TEST_WAIT_FOR (sub_caught_up (s, hub));
  sub_assert_same_state (rc_feed_client_get_session (s->client), rc_feed_hub_get_session (hub));
  rc_feed_server_shutdown (server);
}

/* ---------------------------------------------------------------- TLS */

typedef struct {
  char *dir;
  char *ca;       /* the test CA, which signed the server's certificate */
  char *other_ca; /* a CA that signed nothing here */
  GTlsCertificate *server;
} Certs;

static void
make_ca (const char *dir, const char *name)
{
  g_autofree char *key = g_strconcat (name, ".key", NULL);
  g_autofree char *pem = g_strconcat (name, ".pem", NULL);
  const char *args[] = { "req", "-x509", "-newkey", "ec", "-pkeyopt",
                         "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", pem,
                         "-days", "2", "-subj", "/CN=Rollcall test CA", "-addext",
                         "basicConstraints=critical,CA:TRUE", "-addext",
                         "keyUsage=critical,keyCertSign,cRLSign", NULL };

  rc_test_openssl (dir, args);
}

static Certs *
certs_new (void)
{
  Certs *c = g_new0 (Certs, 1);
  g_autofree char *ext = NULL;
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  g_autoptr (GError) error = NULL;
  const char *request[] = { "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                            "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj",
                            "/CN=127.0.0.1", NULL };
  const char *sign[] = { "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                         "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile",
                         "server.ext", NULL };

  c->dir = rc_test_make_tmpdir ();
  make_ca (c->dir, "ca");
  make_ca (c->dir, "other");
  ext = g_build_filename (c->dir, "server.ext", NULL);
  g_file_set_contents (ext,
                       "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n"
                       "extendedKeyUsage=serverAuth\n",
                       -1, &error);
  g_assert_no_error (error);
  rc_test_openssl (c->dir, request);
  rc_test_openssl (c->dir, sign);

  c->ca = g_build_filename (c->dir, "ca.pem", NULL);
  c->other_ca = g_build_filename (c->dir, "other.pem", NULL);
  cert = g_build_filename (c->dir, "server.pem", NULL);
  key = g_build_filename (c->dir, "server.key", NULL);
  c->server = g_tls_certificate_new_from_files (cert, key, &error);
  g_assert_no_error (error);
  return c;
}

static void
certs_free (Certs *c)
{
  rc_test_remove_tree (c->dir);
  g_free (c->dir);
  g_free (c->ca);
  g_free (c->other_ca);
  g_object_unref (c->server);
  g_free (c);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Certs, certs_free)

static void
test_tls (gconstpointer data)
{
  RcTestTransport transport = GPOINTER_TO_INT (data);
  g_autoptr (Certs) certs = certs_new ();
  g_autoptr (RcTestFeed) feed = rc_test_feed_new (NULL, NULL, certs->server);
  g_autoptr (GPtrArray) events = sub_vote_events (10);
  g_autofree char *url = sub_url_for (feed->url, transport);
  g_autoptr (Sub) trusting = sub_new (url);
  g_autoptr (Sub) system = sub_new (url);
  g_autoptr (Sub) other = sub_new (url);
  g_autoptr (GError) error = NULL;

  g_assert_true (g_str_has_prefix (url, transport == RC_TEST_WS ? "wss://" : "https://"));
  rc_test_feed_publish (feed, events);

  g_assert_true (rc_feed_client_set_ca_file (trusting->client, certs->ca, &error));
  g_assert_no_error (error);
  rc_feed_client_start (trusting->client);
  RC_TEST_WAIT_FOR (sub_caught_up (trusting, feed->hub));
  sub_assert_same_state (rc_feed_client_get_session (trusting->client),
                     rc_feed_hub_get_session (feed->hub));

  /* The system's CAs, and a CA that signed something else: refused, nothing shown. */
  g_assert_true (rc_feed_client_set_ca_file (other->client, certs->other_ca, &error));
  g_assert_no_error (error);
  rc_feed_client_start (system->client);
  rc_feed_client_start (other->client);
  RC_TEST_WAIT_FOR (sub_status_mentions (system, "certificate"));
  RC_TEST_WAIT_FOR (sub_status_mentions (other, "certificate"));
  g_assert_cmpint (sub_state (system), ==, RC_FEED_CLIENT_CONNECTING);
  g_assert_cmpint (sub_state (other), ==, RC_FEED_CLIENT_CONNECTING);
  g_assert_cmpint (sub_seq (system), ==, 0);
  g_assert_cmpint (sub_seq (other), ==, 0);
  g_assert_null (rc_feed_client_get_last_event_id (other->client));
}

/* A hall server must not hang on its way down because of one client stuck in its TLS
 * handshake (a board whose network went, or a peer that never says a word): its
 * shutdown ends that connection too. The server's handshake runs in a thread, and
 * libsoup's close of the connection waits for it (or, from the main loop, gives up
 * and leaves the connection open). */

/* Connected, and not even a hello: the orderly shutdown (rollcall-feed's) still ends. */
static void
test_tls_shutdown_silent_client (void)
{
  g_autoptr (Certs) certs = certs_new ();
  g_autoptr (RcTestFeed) feed = rc_test_feed_new (NULL, NULL, certs->server);
  g_autoptr (RcTestRaw) raw = NULL;
  g_autoptr (GBytes) rest = NULL;
  RcTestWatchdog *dog;

  raw = rc_test_raw_open (feed->url, "", 0);
  /* The server took the connection, and waits for a hello. */
  RC_TEST_WAIT_FOR (rc_feed_server_get_n_connections (feed->server) == 1);

  rc_feed_server_shutdown (feed->server);
  dog = rc_test_watchdog_start ("the shutdown, with a client silent in its TLS handshake");
  RC_TEST_WAIT_FOR (rc_feed_server_is_closed (feed->server));
  rc_test_watchdog_stop (dog);
  /* The server closed that connection: the client reads its end, and nothing else. */
  rest = rc_test_raw_read_to_end (raw);
  g_assert_cmpuint (g_bytes_get_size (rest), ==, 0);
}

/* A connection that says nothing — in its TLS handshake, or on plain HTTP — is shut
 * once RC_FEED_REQUEST_TIMEOUT_MS (here 1/20 of it) has passed, with no shutdown: a
 * stalled handshake would hold a thread of libsoup's for as long as the server runs.
 * A subscriber that did send its request stays. */
static void
test_silent_connection_is_cut (gconstpointer data)
{
  gboolean tls = GPOINTER_TO_INT (data);
  g_autoptr (Certs) certs = tls ? certs_new () : NULL;
  g_autoptr (RcTestFeed) feed = rc_test_feed_new (NULL, NULL, tls ? certs->server : NULL);
  g_autoptr (RcTestRaw) raw = NULL;
  g_autoptr (RcTestClient) subscriber = NULL;
  g_autoptr (GBytes) rest = NULL;
  gint64 opened;
  guint heartbeats;

  if (!tls)
    subscriber = rc_test_client_connect (feed->url, RC_TEST_SSE, NULL);
  raw = rc_test_raw_open (feed->url, "", 0);
  opened = g_get_monotonic_time ();
  rest = rc_test_raw_read_to_end (raw);
  g_assert_cmpuint (g_bytes_get_size (rest), ==, 0);
  /* Not before its time. */
  g_assert_cmpint (g_get_monotonic_time () - opened, >=,
                   (gint64) RC_FEED_REQUEST_TIMEOUT_MS / RC_FEED_TEST_TIMING_DIVISOR * 1000 / 2);
  g_assert_false (rc_feed_server_is_closed (feed->server));
  if (subscriber != NULL)
    {
      /* The subscriber, long past the limit, goes on receiving heartbeats. */
      heartbeats = rc_test_client_count (subscriber, RC_MESSAGE_HEARTBEAT);
      RC_TEST_WAIT_FOR (rc_test_client_count (subscriber, RC_MESSAGE_HEARTBEAT) > heartbeats + 2);
      g_assert_true (rc_test_client_is_open (subscriber));
      g_assert_false (rc_test_client_is_closed (subscriber));
    }
}

/* A client whose handshake stops midway, in a thread of its own: it asks about the
 * server's certificate (not trusted here), and the answer waits until the test says.
 * The server has sent its part by then and waits for the client's last. */
typedef struct {
  guint port;
  GMutex mutex;
  GCond cond;
  gboolean asked;    /* the handshake is held */
  gboolean released; /* the test let it go on */
  GError *error;     /* how it ended */
} Stalled;

static gboolean
hold_handshake (GTlsConnection *tls, GTlsCertificate *certificate, GTlsCertificateFlags errors,
                gpointer data)
{
  Stalled *s = data;

  g_mutex_lock (&s->mutex);
  s->asked = TRUE;
  while (!s->released)
    g_cond_wait (&s->cond, &s->mutex);
  g_mutex_unlock (&s->mutex);
  return FALSE;
}

static gboolean
stalled_asked (Stalled *s)
{
  gboolean asked;

  g_mutex_lock (&s->mutex);
  asked = s->asked;
  g_mutex_unlock (&s->mutex);
  return asked;
}

static void
keep_result (GObject *source, GAsyncResult *result, gpointer data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

static gpointer
stalled_client (gpointer data)
{
  Stalled *s = data;
  g_autoptr (GMainContext) context = g_main_context_new ();
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) address = g_inet_socket_address_new (loopback, s->port);
  g_autoptr (GSocket) socket = NULL;
  g_autoptr (GSocketConnection) tcp = NULL;
  g_autoptr (GIOStream) tls = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  /* Its own context, so that the question comes to this thread. */
  g_main_context_push_thread_default (context);
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_connect (socket, address, NULL, &error);
  g_assert_no_error (error);
  tcp = g_socket_connection_factory_create_connection (socket);
  tls = g_tls_client_connection_new (G_IO_STREAM (tcp), NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (tls, "accept-certificate", G_CALLBACK (hold_handshake), s);
  g_tls_connection_handshake_async (G_TLS_CONNECTION (tls), G_PRIORITY_DEFAULT, NULL, keep_result,
                                    &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  g_tls_connection_handshake_finish (G_TLS_CONNECTION (tls), result, &s->error);
  g_main_context_pop_thread_default (context);
  return NULL;
}

/* Disposed of outside the main loop (as a test's fixture, or a program on its way
 * out, lets go of it): the server goes at once, without waiting for that client. */
static void
test_tls_shutdown_mid_handshake (void)
{
  g_autoptr (Certs) certs = certs_new ();
  g_autoptr (RcFeedHub) hub = NULL;
  g_autoptr (RcFeedServer) server = NULL;
  g_autoptr (GError) error = NULL;
  Stalled s = { 0 };
  RcTestWatchdog *dog;
  GThread *thread;

  hub = rc_feed_hub_new (RC_TEST_STREAM, NULL, NULL, &error);
  g_assert_no_error (error);
  server = rc_feed_server_new (hub, certs->server, &error);
  g_assert_no_error (error);
  rc_feed_server_listen (server, "127.0.0.1", 0, &error);
  g_assert_no_error (error);
  s.port = rc_feed_server_get_port (server);
  g_mutex_init (&s.mutex);
  g_cond_init (&s.cond);

  thread = g_thread_new ("stalled-client", stalled_client, &s);
  RC_TEST_WAIT_FOR (stalled_asked (&s));

  rc_feed_server_shutdown (server);
  dog = rc_test_watchdog_start ("the server's dispose, with a client stalled mid-handshake");
  g_clear_object (&server);
  rc_test_watchdog_stop (dog);

  g_mutex_lock (&s.mutex);
  s.released = TRUE;
  g_cond_signal (&s.cond);
  g_mutex_unlock (&s.mutex);
  g_thread_join (thread);
  /* It refused the certificate; the server was gone already. */
  g_assert_nonnull (s.error);
  g_test_message ("the client's handshake: %s", s.error->message);
  g_clear_error (&s.error);
  g_mutex_clear (&s.mutex);
  g_cond_clear (&s.cond);
}

static void
test_refuses_bad_ca_file (void)
{
  g_autofree char *dir = rc_test_make_tmpdir ();
  g_autofree char *missing = g_build_filename (dir, "missing.pem", NULL);
  g_autofree char *junk = g_build_filename (dir, "junk.pem", NULL);
  g_autoptr (Sub) s = sub_new ("wss://127.0.0.1:9");
  g_autoptr (GError) error = NULL;

  g_assert_false (rc_feed_client_set_ca_file (s->client, missing, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_BAD_FILE);
  rc_test_assert_one_line (error->message);
  g_assert_nonnull (strstr (error->message, missing));
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (junk, "not a certificate\n", -1, NULL));
  g_assert_false (rc_feed_client_set_ca_file (s->client, junk, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_BAD_FILE);
  rc_test_assert_one_line (error->message);
  rc_test_remove_tree (dir);
}

/* ---------------------------------------------------------------- URLs, clocks */

static void
test_refuses_bad_urls (void)
{
  static const char *const bad[] = { "ftp://127.0.0.1/v1/feed", "127.0.0.1:8080", "http://",
                                     "ws://[::1", "", "file:///tmp/feed" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (RcFeedClient) client = rc_feed_client_new (bad[i], &error);

      g_test_message ("%s: %s", bad[i], error != NULL ? error->message : "(accepted)");
      g_assert_null (client);
      g_assert_error (error, RC_ERROR, RC_ERROR_BAD_ARGUMENT);
      rc_test_assert_one_line (error->message);
    }
}

static void
test_backoff_bounds (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (20220302);
  guint previous_ceiling = 0;

  g_assert_cmpuint (rc_backoff_ceiling_ms (0, 500, 30000), ==, 500);
  g_assert_cmpuint (rc_backoff_ceiling_ms (1, 500, 30000), ==, 1000);
  g_assert_cmpuint (rc_backoff_ceiling_ms (5, 500, 30000), ==, 16000);
  g_assert_cmpuint (rc_backoff_ceiling_ms (6, 500, 30000), ==, 30000);
  g_assert_cmpuint (rc_backoff_ceiling_ms (G_MAXUINT, 500, 30000), ==, 30000);

  for (guint attempt = 0; attempt < 12; attempt++)
    {
      guint ceiling =
        rc_backoff_ceiling_ms (attempt, RC_FEED_BACKOFF_BASE_MS, RC_FEED_BACKOFF_CAP_MS);
      guint max = 0, min = G_MAXUINT;

      g_assert_cmpuint (ceiling, <=, RC_FEED_BACKOFF_CAP_MS);
      g_assert_cmpuint (ceiling, >=, previous_ceiling);
      for (guint i = 0; i < 2000; i++)
        {
          guint delay = rc_backoff_delay_ms (attempt, RC_FEED_BACKOFF_BASE_MS,
                                             RC_FEED_BACKOFF_CAP_MS, rand);

          g_assert_cmpuint (delay, <=, ceiling);
          max = MAX (max, delay);
          min = MIN (min, delay);
        }
      /* Full jitter: the whole range is used, from near 0 to near the ceiling… */
      g_assert_cmpuint (min, <, ceiling / 10 + 1);
      g_assert_cmpuint (max, >, ceiling - ceiling / 10);
      /* …and until the cap, waits longer than the attempt before could. */
      if (ceiling < RC_FEED_BACKOFF_CAP_MS)
        g_assert_cmpuint (max, >, previous_ceiling);
      previous_ceiling = ceiling;
    }
  g_assert_cmpuint (previous_ceiling, ==, RC_FEED_BACKOFF_CAP_MS);
}

static void
test_fast_timing (void)
{
  /* rc_test_feed_init() asked for it; the client's intervals are 1/20. */
  g_assert_cmpstr (g_getenv ("ROLLCALL_FEED_TEST_TIMING"), ==, "fast");
  g_assert_cmpuint (rc_feed_timing_ms (RC_FEED_STALE_AFTER_MS), ==, 300);
  g_assert_cmpuint (rc_feed_timing_ms (RC_FEED_BACKOFF_BASE_MS), ==, 25);
  g_assert_cmpuint (rc_feed_timing_ms (RC_FEED_BACKOFF_CAP_MS), ==, 1500);
}

/* ---------------------------------------------------------------- main */

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
    { "whole-vote", test_whole_vote },
    { "joins-at-the-end", test_joins_at_the_end },
    { "server-goes-away-and-comes-back", test_server_goes_away_and_comes_back },
    { "connects-once-a-server-listens", test_connects_once_a_server_listens },
    { "tls", test_tls },
  };
  g_autoptr (GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

  rc_test_feed_init (&argc, &argv);

  for (guint t = 0; t < G_N_ELEMENTS (transports); t++)
    for (guint i = 0; i < G_N_ELEMENTS (each); i++)
      {
        char *path = g_strdup_printf ("/feed-client/%s/%s", transports[t].name, each[i].path);

        g_ptr_array_add (paths, path);
        g_test_add_data_func (path, GINT_TO_POINTER (transports[t].transport), each[i].func);
      }
  g_test_add_func ("/feed-client/tls-shutdown/silent-client", test_tls_shutdown_silent_client);
  g_test_add_func ("/feed-client/tls-shutdown/mid-handshake", test_tls_shutdown_mid_handshake);
  g_test_add_data_func ("/feed-client/silent-connection-is-cut/tls", GINT_TO_POINTER (TRUE),
                        test_silent_connection_is_cut);
  g_test_add_data_func ("/feed-client/silent-connection-is-cut/plain", GINT_TO_POINTER (FALSE),
                        test_silent_connection_is_cut);
  g_test_add_func ("/feed-client/refuses/bad-ca-file", test_refuses_bad_ca_file);
  g_test_add_func ("/feed-client/refuses/bad-urls", test_refuses_bad_urls);
  g_test_add_func ("/feed-client/backoff-bounds", test_backoff_bounds);
  g_test_add_func ("/feed-client/fast-timing", test_fast_timing);

  return g_test_run ();
}
