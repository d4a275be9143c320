/* test-feed-tls.c — certificates a board must refuse although their CA is trusted, over
 * wss:// and https:// on loopback.
 *
 * A CA this test makes with openssl signs every certificate of the server; the client
 * trusts that CA (rc_feed_client_set_ca_file) and connects to 127.0.0.1. `openssl ca`
 * dates a certificate in the past or the future (OpenSSL 3.0's `x509 -req` cannot):
 * expired yesterday, valid from tomorrow. A certificate for another name, an expired
 * one and one not valid yet are each refused: the client never goes live, its status
 * (what the window shows) says which, it applies nothing, and it keeps retrying until
 * the server has a good certificate, then resumes where it was. Intervals are 1/20 of
 * the protocol's (ROLLCALL_FEED_TEST_TIMING=fast): back-off from 25 ms to 1.5 s. */
#include <string.h>

#include "feed-client-sub.h"
#include "rc-archive-test-util.h"

/* ---------------------------------------------------------------- the certificates */

typedef enum { GOOD, OTHER_HOST, EXPIRED, NOT_YET_VALID, N_KINDS } Kind;

static const struct {
  const char *name;
  const char *reason; /* the client's status says this */
} kinds[N_KINDS] = {
  [GOOD] = { "good", NULL },
  [OTHER_HOST] = { "other-host", "the server's certificate does not name 127.0.0.1" },
  [EXPIRED] = { "expired", "the server's certificate has expired" },
  [NOT_YET_VALID] = { "not-yet-valid", "the server's certificate is not valid yet" },
};

static struct {
  char *dir;
  char *ca; /* ca.pem, which signed them all */
  GTlsCertificate *certificates[N_KINDS];
} certs;

static void
write_file (const char *name, const char *contents)
{
  g_autofree char *path = g_build_filename (certs.dir, name, NULL);
  g_autoptr (GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

/* openssl ca's -startdate / -enddate: now + days, in UTC. */
static char *
openssl_date (int days)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GDateTime) then = g_date_time_add_days (now, days);

  return g_date_time_format (then, "%Y%m%d%H%M%SZ");
}

/* A certificate for subjectAltName san, signed by the CA, valid from now + from days
 * to now + to days, with its key. */
static GTlsCertificate *
issue (const char *name, const char *cn, const char *san, int from, int to)
{
  g_autofree char *key = g_strconcat (name, ".key", NULL);
  g_autofree char *csr = g_strconcat (name, ".csr", NULL);
  g_autofree char *ext = g_strconcat (name, ".ext", NULL);
  g_autofree char *pem = g_strconcat (name, ".pem", NULL);
  g_autofree char *subject = g_strconcat ("/CN=", cn, NULL);
  g_autofree char *extensions = g_strdup_printf ("subjectAltName=%s\nbasicConstraints=CA:FALSE\n"
                                                 "extendedKeyUsage=serverAuth\n",
                                                 san);
  g_autofree char *start = openssl_date (from);
  g_autofree char *end = openssl_date (to);
  g_autofree char *pem_path = g_build_filename (certs.dir, pem, NULL);
  g_autofree char *key_path = g_build_filename (certs.dir, key, NULL);
  const char *request[] = { "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                            "-nodes", "-keyout", key, "-out", csr, "-subj", subject, NULL };
  const char *sign[] = { "ca", "-batch", "-config", "ca.cnf", "-notext", "-in", csr,
                         "-out", pem, "-extfile", ext, "-startdate", start, "-enddate", end,
                         NULL };
  g_autoptr (GError) error = NULL;
  GTlsCertificate *certificate;

  write_file (ext, extensions);
  rc_test_openssl (certs.dir, request);
  rc_test_openssl (certs.dir, sign);
  certificate = g_tls_certificate_new_from_files (pem_path, key_path, &error);
  g_assert_no_error (error);
  return certificate;
}

static void
certs_make (void)
{
  const char *ca[] = { "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                       "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "30", "-subj",
                       "/CN=Rollcall test CA", "-addext", "basicConstraints=critical,CA:TRUE",
                       "-addext", "keyUsage=critical,keyCertSign,cRLSign", NULL };

  certs.dir = rc_test_make_tmpdir ();
  certs.ca = g_build_filename (certs.dir, "ca.pem", NULL);
  rc_test_openssl (certs.dir, ca);
  /* The least `openssl ca` needs: its database, a serial, a policy. */
  write_file ("ca.cnf", "[ca]\ndefault_ca = test\n"
                        "[test]\ncertificate = ca.pem\nprivate_key = ca.key\n"
                        "database = index.txt\nserial = serial\nnew_certs_dir = .\n"
                        "default_md = sha256\npolicy = any\nunique_subject = no\n"
                        "[any]\ncommonName = supplied\n");
  write_file ("index.txt", "");
  write_file ("serial", "01\n");

  /* What the client connects to is 127.0.0.1 (rc_feed_server_get_url). */
  certs.certificates[GOOD] = issue ("good", "127.0.0.1", "IP:127.0.0.1", -1, 2);
  certs.certificates[OTHER_HOST] = issue ("other-host", "board.example", "DNS:board.example",
                                          -1, 2);
  certs.certificates[EXPIRED] = issue ("expired", "127.0.0.1", "IP:127.0.0.1", -10, -1);
  certs.certificates[NOT_YET_VALID] = issue ("not-yet-valid", "127.0.0.1", "IP:127.0.0.1", 1, 10);
}

static void
certs_free (void)
{
  for (guint i = 0; i < N_KINDS; i++)
    g_clear_object (&certs.certificates[i]);
  rc_test_remove_tree (certs.dir);
  g_free (certs.dir);
  g_free (certs.ca);
}

/* ---------------------------------------------------------------- a server */

/* A server of hub on 127.0.0.1:port (0: any) with that kind of certificate. */
static RcFeedServer *
serve (RcFeedHub *hub, Kind kind, guint port)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RcFeedServer) server = rc_feed_server_new (hub, certs.certificates[kind], &error);

  g_assert_no_error (error);
  rc_feed_server_listen (server, "127.0.0.1", port, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&server);
}

static void
shut_down (RcFeedServer *server)
{
  rc_feed_server_shutdown (server);
  g_object_unref (server);
}

/* ---------------------------------------------------------------- a watched client */

/* A client trusting the test CA, and what its status and state went through. */
typedef struct {
  Sub *sub;
  gboolean failing;   /* its status gives a reason ("Reconnecting in 1 s — why") */
  GPtrArray *reasons; /* char *: why each attempt ended, since the last watch_reset() */
  gboolean went_live; /* since the last watch_reset() */
} Watch;

static void
on_status (RcFeedClient *client, GParamSpec *pspec, Watch *w)
{
  const char *why = strstr (rc_feed_client_get_status (client), " — ");

  /* The countdown rewrites the status of the same failure: count it once. */
  if (why != NULL && !w->failing)
    g_ptr_array_add (w->reasons, g_strdup (why + strlen (" — ")));
  w->failing = why != NULL;
}

static void
on_state (RcFeedClient *client, GParamSpec *pspec, Watch *w)
{
  if (rc_feed_client_get_state (client) == RC_FEED_CLIENT_LIVE)
    w->went_live = TRUE;
}

static Watch *
watch_new (const char *http_url, RcTestTransport transport)
{
  g_autofree char *url = sub_url_for (http_url, transport);
  g_autoptr (GError) error = NULL;
  Watch *w = g_new0 (Watch, 1);

  g_assert_true (g_str_has_prefix (url, transport == RC_TEST_WS ? "wss://" : "https://"));
  w->sub = sub_new (url);
  w->reasons = g_ptr_array_new_with_free_func (g_free);
  g_assert_true (rc_feed_client_set_ca_file (w->sub->client, certs.ca, &error));
  g_assert_no_error (error);
  g_signal_connect (w->sub->client, "notify::status", G_CALLBACK (on_status), w);
  g_signal_connect (w->sub->client, "notify::state", G_CALLBACK (on_state), w);
  return w;
}

static void
watch_free (Watch *w)
{
  g_signal_handlers_disconnect_by_data (w->sub->client, w);
  sub_free (w->sub);
  g_ptr_array_unref (w->reasons);
  g_free (w);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Watch, watch_free)

static void
watch_reset (Watch *w)
{
  g_ptr_array_set_size (w->reasons, 0);
  w->went_live = FALSE;
}

/* Waits until n attempts in a row ended for reason (proof that the client retries),
 * after at most `others` that ended otherwise (attempts on the server before). */
static void
wait_refused (Watch *w, const char *reason, guint n, guint others)
{
  guint in_a_row = 0;
  guint seen = 0;

  while (in_a_row < n)
    {
      RC_TEST_WAIT_FOR (w->reasons->len > seen);
      for (; seen < w->reasons->len; seen++)
        {
          const char *why = g_ptr_array_index (w->reasons, seen);

          g_test_message ("attempt ended: %s", why);
          if (g_strcmp0 (why, reason) == 0)
            in_a_row++;
          else if (in_a_row > 0 || others-- == 0)
            g_error ("expected '%s', an attempt ended with '%s'", reason, why);
        }
    }
  g_assert_false (w->went_live);
  g_assert_true (sub_status_mentions (w->sub, reason));
  rc_test_assert_one_line (rc_feed_client_get_status (w->sub->client));
}

/* ---------------------------------------------------------------- tests */

typedef struct {
  RcTestTransport transport;
  Kind kind;
} Case;

/* A board started against a server whose certificate it must refuse: it says why,
 * shows nothing, retries, and takes the feed once the server has a good one. */
static void
test_refused_from_the_start (gconstpointer data)
{
  const Case *c = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (RcFeedHub) hub = rc_feed_hub_new (RC_TEST_STREAM, NULL, NULL, &error);
  g_autoptr (GPtrArray) events = sub_vote_events (10);
  g_autoptr (RcSession) nothing = rc_session_new ();
  g_autofree char *empty = rc_test_session_dump (nothing);
  g_autofree char *dump = NULL;
  g_autofree char *url = NULL;
  g_autoptr (Watch) w = NULL;
  RcFeedServer *server;
  guint port;

  g_assert_no_error (error);
  sub_publish_range (hub, events, 0, events->len);
  server = serve (hub, c->kind, 0);
  port = rc_feed_server_get_port (server);
  url = rc_feed_server_get_url (server);
  w = watch_new (url, c->transport);

  rc_feed_client_start (w->sub->client);
  /* Every attempt is refused for the certificate, from the first. */
  wait_refused (w, kinds[c->kind].reason, 3, 0);
  /* Nothing was read, so nothing was refused as a message, and nothing applied. */
  g_assert_cmpint (sub_state (w->sub), ==, RC_FEED_CLIENT_CONNECTING);
  g_assert_cmpuint (w->sub->refusals->len, ==, 0);
  g_assert_cmpuint (w->sub->sessions, ==, 0);
  g_assert_null (rc_feed_client_get_last_event_id (w->sub->client));
  dump = rc_test_session_dump (rc_feed_client_get_session (w->sub->client));
  g_assert_cmpstr (dump, ==, empty);

  /* Still trying: the same port with a good certificate, and it is live. */
  shut_down (server);
  server = serve (hub, GOOD, port);
  RC_TEST_WAIT_FOR (sub_caught_up (w->sub, hub));
  sub_assert_same_state (rc_feed_client_get_session (w->sub->client),
                         rc_feed_hub_get_session (hub));
  g_assert_cmpuint (w->sub->refusals->len, ==, 0);
  shut_down (server);
}

/* A live board whose server comes back with each bad certificate in turn, and more
 * events: it keeps what it showed and where it was, then resumes from there (no
 * snapshot) once the certificate is good again. */
static void
test_live_board_keeps_its_state (gconstpointer data)
{
  RcTestTransport transport = GPOINTER_TO_INT (data);
  g_autoptr (GError) error = NULL;
  g_autoptr (RcFeedHub) hub = rc_feed_hub_new (RC_TEST_STREAM, NULL, NULL, &error);
  g_autoptr (GPtrArray) events = sub_vote_events (30);
  g_autofree char *url = NULL;
  g_autofree char *before = NULL;
  g_autoptr (Watch) w = NULL;
  RcFeedServer *server;
  RcSession *session;
  guint port;

  g_assert_no_error (error);
  sub_publish_range (hub, events, 0, 12);
  server = serve (hub, GOOD, 0);
  port = rc_feed_server_get_port (server);
  url = rc_feed_server_get_url (server);
  w = watch_new (url, transport);
  rc_feed_client_start (w->sub->client);
  RC_TEST_WAIT_FOR (sub_caught_up (w->sub, hub));
  session = rc_feed_client_get_session (w->sub->client);
  before = rc_test_session_dump (session);

  shut_down (server);
  RC_TEST_WAIT_FOR (sub_state (w->sub) == RC_FEED_CLIENT_RECONNECTING);
  sub_publish_range (hub, events, 12, events->len);

  for (Kind kind = OTHER_HOST; kind < N_KINDS; kind++)
    {
      g_autofree char *dump = NULL;

      g_test_message ("a server with the %s certificate", kinds[kind].name);
      watch_reset (w);
      server = serve (hub, kind, port);
      wait_refused (w, kinds[kind].reason, 2, 2);
      g_assert_cmpint (sub_state (w->sub), ==, RC_FEED_CLIENT_RECONNECTING);
      g_assert_true (rc_feed_client_get_session (w->sub->client) == session);
      dump = rc_test_session_dump (session);
      g_assert_cmpstr (dump, ==, before);
      g_assert_cmpstr (rc_feed_client_get_last_event_id (w->sub->client), ==,
                       RC_TEST_STREAM ":12");
      shut_down (server);
    }

  watch_reset (w);
  server = serve (hub, GOOD, port);
  RC_TEST_WAIT_FOR (sub_caught_up (w->sub, hub));
  g_assert_true (rc_feed_client_get_session (w->sub->client) == session);
  g_assert_cmpuint (w->sub->sessions, ==, 1);
  g_assert_cmpuint (w->sub->refusals->len, ==, 0);
  sub_assert_same_state (session, rc_feed_hub_get_session (hub));
  shut_down (server);
}

/* ---------------------------------------------------------------- main */

int
main (int argc, char *argv[])
{
  static const struct {
    const char *name;
    RcTestTransport transport;
  } transports[] = { { "ws", RC_TEST_WS }, { "sse", RC_TEST_SSE } };
  static Case cases[G_N_ELEMENTS (transports) * (N_KINDS - 1)];
  g_autoptr (GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  guint n = 0;
  int status;

  rc_test_feed_init (&argc, &argv);
  certs_make ();

  for (guint t = 0; t < G_N_ELEMENTS (transports); t++)
    {
      char *path;

      for (Kind kind = OTHER_HOST; kind < N_KINDS; kind++)
        {
          cases[n] = (Case) { transports[t].transport, kind };
          path = g_strdup_printf ("/feed-tls/%s/refused-from-the-start/%s", transports[t].name,
                                  kinds[kind].name);
          g_ptr_array_add (paths, path);
          g_test_add_data_func (path, &cases[n++], test_refused_from_the_start);
        }
      path = g_strdup_printf ("/feed-tls/%s/live-board-keeps-its-state", transports[t].name);
      g_ptr_array_add (paths, path);
      g_test_add_data_func (path, GINT_TO_POINTER (transports[t].transport),
                            test_live_board_keeps_its_state);
    }

  status = g_test_run ();
  certs_free ();
  return status;
}
