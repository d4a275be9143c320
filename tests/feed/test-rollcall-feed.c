/* test-rollcall-feed.c — the rollcall-feed command as an AV team runs it: the built
 * program is spawned (its path is this test's first argument; openssl's the second),
 * real clients subscribe over loopback, a clerk's console drives it over HTTP.
 *
 * Every bad argument is one line on stderr and exit 2 (usage) or 1 (bad input). A
 * live server killed with SIGKILL mid-vote and restarted on its journal goes on with
 * the same stream and numbers, and the boards that reconnect end exactly where a
 * board that joins at the end is. The demo replays to the board's 141-5-35-12. TLS is
 * verified against a CA the test makes, and refused without it. --history bounds the
 * events kept for resuming: a board further behind gets a snapshot. */
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <glib/gstdio.h>

#include "codec/rc-codec.h"
#include "model/rc-csv.h"
#include "model/rc-replay.h"
#include "rc-archive-test-util.h"
#include "rc-feed-test-program.h"
#include "rc-feed-test-util.h"

#define TOKEN "kill-nine-token-0123456789abcdef0123"
#define GA "ga-es11-2022-03-02"
#define SC "sc-2022-02-25"
#define LISTENING "rollcall-feed: listening on "

static const char *program;
static const char *openssl;

typedef struct {
  char *dir;
  char *token_file;
  char *journal;
  char *demo;
  SoupSession *http;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->dir = rc_test_make_tmpdir ();
  f->token_file = g_build_filename (f->dir, "token", NULL);
  f->journal = g_build_filename (f->dir, "journal.rollcall", NULL);
  f->demo
    = g_build_filename (g_getenv ("ROLLCALL_BUILD_ROOT"), "data", "demo", "demo.rollcall", NULL);
  g_assert_true (g_file_set_contents (f->token_file, TOKEN "\n", -1, NULL));
  g_assert_cmpint (g_chmod (f->token_file, 0600), ==, 0);
  f->http = soup_session_new ();
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->http);
  rc_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->token_file);
  g_free (f->journal);
  g_free (f->demo);
}

/* ---------------------------------------------------------------- running it */

typedef struct {
  int status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *r)
{
  g_free (r->out);
  g_free (r->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* Runs rollcall-feed to its end with the NULL-terminated arguments. */
static void
run (Run *r, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  va_list args;
  const char *arg;
  int wait_status;

  g_ptr_array_add (argv, (char *) program);
  va_start (args, r);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &r->out, &r->err, &wait_status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  r->status = WEXITSTATUS (wait_status);
}

/* The refusal a user sees: this exit status, exactly one line on stderr, nothing on
 * stdout. */
static void
assert_refused (Run *r, int status, const char *reason)
{
  if (r->status != status)
    g_error ("expected exit %d, got %d: %s", status, r->status, r->err);
  if (!g_str_has_prefix (r->err, "rollcall-feed: ") || !g_str_has_suffix (r->err, "\n")
      || strchr (r->err, '\n') != r->err + strlen (r->err) - 1)
    g_error ("expected one line \"rollcall-feed: …\" on stderr, got: %s", r->err);
  if (strstr (r->err, reason) == NULL)
    g_error ("expected \"%s\" on stderr, got: %s", reason, r->err);
  g_assert_cmpstr (r->out, ==, "");
}

/* A server running in the background. */
typedef struct {
  GSubprocess *process;
  GDataInputStream *out;
  char *url;
  gboolean exited;
} Server;

static void
on_exited (GObject *source, GAsyncResult *result, gpointer data)
{
  Server *s = data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  s->exited = TRUE;
}

typedef struct {
  gboolean done;
  char *line;
} Line;

static void
on_line (GObject *source, GAsyncResult *result, gpointer data)
{
  Line *l = data;

  l->line
    = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL, NULL);
  l->done = TRUE;
}

/* Starts rollcall-feed with the NULL-terminated arguments and waits for the line that
 * says where it listens (its stderr goes to the test's log). */
static Server *
server_start (const char *first, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  Server *s = g_new0 (Server, 1);
  Line line = { 0 };
  va_list args;

  g_ptr_array_add (argv, (char *) program);
  g_ptr_array_add (argv, (char *) first);
  va_start (args, first);
  for (const char *arg; (arg = va_arg (args, const char *)) != NULL;)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  s->process
    = g_subprocess_newv ((const char *const *) argv->pdata, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_wait_async (s->process, NULL, on_exited, s);
  s->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (s->process));
  g_data_input_stream_read_line_async (s->out, G_PRIORITY_DEFAULT, NULL, on_line, &line);
  RC_TEST_WAIT_FOR (line.done);
  if (line.line == NULL || !g_str_has_prefix (line.line, LISTENING))
    g_error ("rollcall-feed did not say where it listens: %s", line.line ? line.line : "(EOF)");
  s->url = g_strdup (line.line + strlen (LISTENING));
  g_free (line.line);
  return s;
}

static void
server_free (Server *s)
{
  if (!s->exited)
    {
      g_subprocess_force_exit (s->process);
      RC_TEST_WAIT_FOR (s->exited);
    }
  g_object_unref (s->out);
  g_object_unref (s->process);
  g_free (s->url);
  g_free (s);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Server, server_free)

static guint
server_port (Server *s)
{
  const char *colon = strrchr (s->url, ':');

  g_assert_nonnull (colon);
  return (guint) g_ascii_strtoull (colon + 1, NULL, 10);
}

/* ---------------------------------------------------------------- a clerk */

/* POSTs a JSON body with the token; returns the status, the reply in *reply. */
static guint
request (Fixture *f, Server *s, const char *path, const char *body, char **reply)
{
  g_autofree char *url = g_strconcat (s->url, path, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr (GBytes) bytes = g_bytes_new (body, strlen (body));

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                "Bearer " TOKEN);
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  return rc_test_send (f->http, msg, reply);
}

/* A POST that must be accepted; returns the event published. */
static RcMessage *
post (Fixture *f, Server *s, const char *path, const char *body)
{
  g_autofree char *reply = NULL;
  g_autoptr (GError) error = NULL;
  guint status = request (f, s, path, body, &reply);
  RcMessage *message;

  if (status != SOUP_STATUS_CREATED)
    g_error ("POST %s: %u %s", path, status, reply);
  message = rc_codec_decode_message (reply, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (message->kind, ==, RC_MESSAGE_EVENT);
  return message;
}

/* Posts and returns the seq it was published under, checking its stream. */
static gint64
post_seq (Fixture *f, Server *s, const char *path, const char *body, const char *stream)
{
  g_autoptr (RcMessage) message = post (f, s, path, body);

  g_assert_cmpstr (message->stream, ==, stream);
  return message->event->seq;
}

/* ---------------------------------------------------------------- boards */

static gboolean
client_at (RcTestClient *c, const char *stream, gint64 seq)
{
  g_autofree char *id = rc_event_id_format (stream, seq);

  return g_strcmp0 (rc_test_client_get_last_event_id (c), id) == 0;
}

static char *
client_dump (RcTestClient *c)
{
  return rc_test_session_dump (rc_test_client_get_session (c));
}

static gboolean
client_shows (RcTestClient *c, const char *expected)
{
  g_autofree char *seen = client_dump (c);

  return g_str_equal (seen, expected);
}

/* The state a journal folds to. */
static char *
journal_dump (const char *path, const char *session_id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RcArchive) archive = rc_archive_open (path, RC_ARCHIVE_READ_ONLY, &error);
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (RcSession) session = rc_session_new ();

  g_assert_no_error (error);
  events = rc_archive_load_events (archive, session_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rc_session_fold (session, events, G_MAXINT64, &error), ==, events->len);
  g_assert_no_error (error);
  return rc_test_session_dump (session);
}

/* The Security Council's ballots on S/2022/155, in the order of the file. */
static RcCsv *
sc_ballots (void)
{
  g_autofree char *path
    = g_build_filename (g_getenv ("ROLLCALL_SOURCE_ROOT"), "data", "demo", "s-2022-155.csv", NULL);
  g_autoptr (GError) error = NULL;
  RcCsv *csv = rc_csv_load (path, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (csv->rows->len, ==, 15);
  return csv;
}

static gint64
post_ballot (Fixture *f, Server *s, RcCsv *csv, guint row)
{
  char **fields = g_ptr_array_index (csv->rows, row);
  const char *vote = fields[rc_csv_column (csv, "vote")];
  g_autofree char *body
    = g_strdup_printf ("{\"member\":\"%s\",\"choice\":\"%s\"}", fields[rc_csv_column (csv, "iso3")],
                       g_str_equal (vote, "Y")   ? "yes"
                       : g_str_equal (vote, "N") ? "no"
                                                 : "abstain");

  return post_seq (f, s, "/v1/votes/s-2022-155/ballots", body, SC);
}

/* ---------------------------------------------------------------- tests */

/* kill -9 in the middle of a vote, a restart on the same journal: the same stream,
 * the same numbers, and boards that resume converge on the final state. */
static void
test_kill_restart (Fixture *f, gconstpointer data)
{
  g_autoptr (RcCsv) csv = sc_ballots ();
  g_autoptr (Server) first = NULL;
  g_autoptr (Server) second = NULL;
  g_autoptr (RcTestClient) ws = NULL, sse = NULL, dropped = NULL;
  g_autoptr (RcTestClient) ws2 = NULL, sse2 = NULL, dropped2 = NULL, late = NULL;
  g_autofree char *port = NULL;
  g_autofree char *final = NULL, *seen = NULL, *folded = NULL;
  gint64 seq, dropped_at, killed_at;
  RcVote *vote;

  first = server_start ("--live", "--token-file", f->token_file, "--journal", f->journal, "--port",
                        "0", NULL);
  /* Loopback unless told otherwise. */
  g_assert_true (g_str_has_prefix (first->url, "http://127.0.0.1:"));
  ws = rc_test_client_connect (first->url, RC_TEST_WS, NULL);
  sse = rc_test_client_connect (first->url, RC_TEST_SSE, NULL);

  seq = post_seq (f, first, "/v1/session",
                  "{\"session\":{\"id\":\"" SC "\",\"meeting\":\"S/PV.8979\","
                  "\"date\":\"2022-02-25\",\"title\":null,\"timezone\":\"America/New_York\","
                  "\"synthesized\":false},\"chamber\":\"UNSC\"}",
                  SC);
  g_assert_cmpint (seq, ==, 1);
  post_seq (f, first, "/v1/votes",
            "{\"vote\":\"s-2022-155\",\"symbol\":null,\"draft\":\"S/2022/155\","
            "\"title\":\"Ukraine\",\"majority\":\"council\",\"recorded\":true,\"reveal\":\"live\"}",
            SC);
  post_seq (f, first, "/v1/on-air", "{\"show\":\"vote\",\"vote\":\"s-2022-155\"}", SC);
  post_seq (f, first, "/v1/votes/s-2022-155/open", "{}", SC);
  for (guint i = 0; i < 5; i++)
    seq = post_ballot (f, first, csv, i);
  dropped = rc_test_client_connect (first->url, RC_TEST_WS, NULL);
  RC_TEST_WAIT_FOR (client_at (dropped, SC, seq));
  /* A board loses its network; the vote goes on without it. */
  rc_test_client_close (dropped);
  dropped_at = seq;
  for (guint i = 5; i < 10; i++)
    seq = post_ballot (f, first, csv, i);
  RC_TEST_WAIT_FOR (client_at (ws, SC, seq) && client_at (sse, SC, seq));
  killed_at = seq;

  g_subprocess_send_signal (first->process, SIGKILL);
  RC_TEST_WAIT_FOR (first->exited);
  g_assert_true (g_subprocess_get_if_signaled (first->process));
  g_assert_cmpint (g_subprocess_get_term_sig (first->process), ==, SIGKILL);
  RC_TEST_WAIT_FOR (rc_test_client_is_closed (ws) && rc_test_client_is_closed (sse));

  /* The same port, as the boards know it. */
  port = g_strdup_printf ("%u", server_port (first));
  second = server_start ("--live", "--token-file", f->token_file, "--journal", f->journal, "--port",
                         port, NULL);
  g_assert_cmpstr (second->url, ==, first->url);
  /* The clerk's console reconnects too: its kept-alive connection died with the server. */
  g_clear_object (&f->http);
  f->http = soup_session_new ();
  ws2 = rc_test_client_reconnect (ws);
  sse2 = rc_test_client_reconnect (sse);
  dropped2 = rc_test_client_reconnect (dropped);
  /* The same stream and numbers: those who saw everything get nothing again, the one
   * that dropped gets exactly what it missed — and no snapshot. */
  RC_TEST_WAIT_FOR (client_at (dropped2, SC, killed_at));
  g_assert_cmpuint (rc_test_client_count (dropped2, RC_MESSAGE_SNAPSHOT), ==, 0);
  g_assert_cmpuint (rc_test_client_count (dropped2, RC_MESSAGE_EVENT), ==, killed_at - dropped_at);
  g_assert_cmpuint (rc_test_client_count (ws2, RC_MESSAGE_SNAPSHOT), ==, 0);
  g_assert_cmpuint (rc_test_client_count (sse2, RC_MESSAGE_SNAPSHOT), ==, 0);

  /* The vote goes on where the journal ends. */
  seq = post_ballot (f, second, csv, 10);
  g_assert_cmpint (seq, ==, killed_at + 1);
  for (guint i = 11; i < 15; i++)
    seq = post_ballot (f, second, csv, i);
  post_seq (f, second, "/v1/votes/s-2022-155/lock", "{}", SC);
  seq = post_seq (f, second, "/v1/votes/s-2022-155/announce",
                  "{\"official\":{\"yes\":11,\"no\":1,\"abstain\":3,\"not_voting\":0}}", SC);

  late = rc_test_client_connect (second->url, RC_TEST_WS, NULL);
  RC_TEST_WAIT_FOR (client_at (ws2, SC, seq) && client_at (sse2, SC, seq)
                    && client_at (dropped2, SC, seq) && client_at (late, SC, seq));
  final = client_dump (late);
  seen = client_dump (ws2);
  g_assert_cmpstr (seen, ==, final);
  g_clear_pointer (&seen, g_free);
  seen = client_dump (sse2);
  g_assert_cmpstr (seen, ==, final);
  g_clear_pointer (&seen, g_free);
  seen = client_dump (dropped2);
  g_assert_cmpstr (seen, ==, final);

  /* 11-1-3, and not adopted: a permanent member voted no. */
  vote = rc_session_find_vote (rc_test_client_get_session (late), "s-2022-155");
  g_assert_cmpuint (rc_vote_get_tally (vote)->yes, ==, 11);
  g_assert_cmpuint (rc_vote_get_tally (vote)->no, ==, 1);
  g_assert_cmpuint (rc_vote_get_tally (vote)->abstain, ==, 3);
  g_assert_cmpint (rc_vote_get_verdict (vote)->outcome, ==, RC_OUTCOME_NOT_ADOPTED);
  g_assert_cmpint (rc_vote_get_verdict (vote)->reason, ==, RC_REASON_VETO);

  /* SIGTERM: the boards are told the server is going away, and it exits 0. */
  g_subprocess_send_signal (second->process, SIGTERM);
  RC_TEST_WAIT_FOR (second->exited);
  g_assert_true (g_subprocess_get_if_exited (second->process));
  g_assert_cmpint (g_subprocess_get_exit_status (second->process), ==, 0);
  RC_TEST_WAIT_FOR (rc_test_client_is_closed (ws2) && rc_test_client_is_closed (sse2));
  g_assert_cmpuint (rc_test_client_get_close_code (ws2), ==, SOUP_WEBSOCKET_CLOSE_GOING_AWAY);

  /* Everything seen was journalled. */
  folded = journal_dump (f->journal, SC);
  g_assert_cmpstr (folded, ==, final);
}

/* The demo holds two meetings and none is named: the latest is replayed, as every
 * tool takes it (rc_archive_choose_session; it was refused here, and replayed by
 * `rollcall --replay`). */
static void
test_replay_latest (Fixture *f, gconstpointer data)
{
  g_autoptr (Server) s = server_start ("--replay", f->demo, "--speed", "64", "--port", "0", NULL);
  g_autofree char *expected = journal_dump (f->demo, GA);
  g_autoptr (RcTestClient) ws = rc_test_client_connect (s->url, RC_TEST_WS, NULL);

  RC_TEST_WAIT_FOR (client_shows (ws, expected));
  g_assert_true (g_str_has_prefix (rc_test_client_get_last_event_id (ws), GA "~"));
}

/* The bundled demo, replayed at 64×, reaches boards on both transports whole. */
static void
test_replay_demo (Fixture *f, gconstpointer data)
{
  g_autoptr (Server) s = server_start ("--replay", f->demo, "--session", GA, "--speed", "64",
                                       "--port", "0", "--token-file", f->token_file, NULL);
  g_autofree char *expected = journal_dump (f->demo, GA);
  g_autoptr (RcTestClient) ws = rc_test_client_connect (s->url, RC_TEST_WS, NULL);
  g_autoptr (RcTestClient) sse = rc_test_client_connect (s->url, RC_TEST_SSE, NULL);
  g_autofree char *seen = NULL;
  const RcTally *tally;
  RcVote *vote;

  RC_TEST_WAIT_FOR (client_shows (ws, expected) && client_shows (sse, expected));
  vote = rc_session_lookup_vote (rc_test_client_get_session (ws), "A/RES/ES-11/1", NULL);
  g_assert_nonnull (vote);
  tally = rc_vote_get_tally (vote);
  g_assert_cmpuint (tally->yes, ==, 141);
  g_assert_cmpuint (tally->no, ==, 5);
  g_assert_cmpuint (tally->abstain, ==, 35);
  g_assert_cmpuint (tally->not_voting, ==, 12);
  g_assert_cmpint (rc_vote_get_verdict (vote)->outcome, ==, RC_OUTCOME_ADOPTED);
  /* A replay's stream is named after its session and run. */
  g_assert_true (g_str_has_prefix (rc_test_client_get_last_event_id (ws), GA "~"));

  /* With a token, operators switch the screens during a rehearsal, on the replay's
   * clock; the votes are the journal's and cannot be driven. */
  {
    RcSession *seen = rc_test_client_get_session (ws);
    gint64 last_seq = rc_session_get_last_seq (seen);
    gint64 last_time = rc_session_get_last_time (seen);
    g_autoptr (RcMessage) on_air = post (f, s, "/v1/on-air", "{\"show\":\"blank\"}");
    g_autofree char *reply = NULL;

    g_assert_cmpint (on_air->event->time, ==, last_time);
    g_assert_cmpint (on_air->event->seq, ==, last_seq + 1);
    g_assert_cmpuint (request (f, s, "/v1/votes/es-11-1/open", "{}", &reply), ==,
                      SOUP_STATUS_CONFLICT);
    g_assert_nonnull (strstr (reply, "\"lifecycle\""));
    RC_TEST_WAIT_FOR (rc_session_get_on_air (seen) == RC_ON_AIR_BLANK);
  }

  g_subprocess_send_signal (s->process, SIGINT);
  RC_TEST_WAIT_FOR (s->exited);
  g_assert_true (g_subprocess_get_if_exited (s->process));
  g_assert_cmpint (g_subprocess_get_exit_status (s->process), ==, 0);
}

/* Every bad argument: one line, exit 2 for usage, 1 for bad input. */
static void
test_refusals (Fixture *f, gconstpointer data)
{
  g_autofree char *missing = g_build_filename (f->dir, "missing.rollcall", NULL);
  g_autofree char *open_token = g_build_filename (f->dir, "open-token", NULL);
  g_autofree char *empty_token = g_build_filename (f->dir, "empty-token", NULL);
  g_autofree char *junk = g_build_filename (f->dir, "junk.pem", NULL);
  g_autofree char *port = NULL;
  g_autoptr (GSocketListener) listener = g_socket_listener_new ();
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (g_file_set_contents (open_token, TOKEN "\n", -1, NULL));
  g_assert_cmpint (g_chmod (open_token, 0644), ==, 0);
  g_assert_true (g_file_set_contents (empty_token, "\n", -1, NULL));
  g_assert_cmpint (g_chmod (empty_token, 0600), ==, 0);
  g_assert_true (g_file_set_contents (junk, "-----BEGIN CERTIFICATE-----\nnot one\n", -1, NULL));
  g_assert_cmpint (g_chmod (junk, 0600), ==, 0);

  /* Usage: exit 2. */
  {
    g_auto (Run) r = { 0 };
    run (&r, NULL);
    assert_refused (&r, 2, "--replay");
  }
  {
    g_auto (Run) r = { 0 };
    run (&r, "--replay", f->demo, "--live", NULL);
    assert_refused (&r, 2, "do not go together");
  }
  {
    g_auto (Run) r = { 0 };
    run (&r, "--live", "--journal", f->journal, NULL);
    assert_refused (&r, 2, "--token-file");
  }
  {
    g_auto (Run) r = { 0 };
    run (&r, "--live", "--token-file", f->token_file, NULL);
    assert_refused (&r, 2, "--journal");
  }
  {
    g_auto (Run) r = { 0 };
    run (&r, "--replay", f->demo, "--journal", f->journal, NULL);
    assert_refused (&r, 2, "--journal goes with --live");
  }
  {
    g_auto (Run) r = { 0 };
    run (&r, "--live", "--token-file", f->token_file, "--journal", f->journal, "--loop", NULL);
    assert_refused (&r, 2, "go with --replay");
  }
  {
    const char *const speeds[] = { "fast", "0", "-2", "0.2", "65", "1024", "nan", "2x" };

    for (guint i = 0; i < G_N_ELEMENTS (speeds); i++)
      {
        g_auto (Run) r = { 0 };
        run (&r, "--replay", f->demo, "--session", GA, "--speed", speeds[i], NULL);
        assert_refused (&r, 2, "--speed");
      }
  }
  {
    g_auto (Run) r = { 0 };
    run (&r, "--replay", f->demo, "--port", "70000", NULL);
    assert_refused (&r, 2, "--port");
  }
  {
    g_auto (Run) r = { 0 };
    run (&r, "--replay", f->demo, "--port", "eighty", NULL);
    assert_refused (&r, 2, "eighty");
  }
  {
    g_auto (Run) r = { 0 };
    run (&r, "--replay", f->demo, "--bind", "everywhere", NULL);
    assert_refused (&r, 2, "--bind");
  }
  {
    g_auto (Run) r = { 0 };
    run (&r, "--replay", f->demo, "--tls-certificate", junk, NULL);
    assert_refused (&r, 2, "--tls-key");
  }
  {
    g_auto (Run) r = { 0 };
    run (&r, "--replay", f->demo, "--max-clients", "0", NULL);
    assert_refused (&r, 2, "--max-clients");
  }
  {
    const char *const histories[] = { "many", "-1", "1000001", "", "1e4", "10 " };

    for (guint i = 0; i < G_N_ELEMENTS (histories); i++)
      {
        g_auto (Run) r = { 0 };
        run (&r, "--replay", f->demo, "--session", GA, "--history", histories[i], NULL);
        assert_refused (&r, 2, "--history");
      }
  }
  {
    g_auto (Run) r = { 0 };
    run (&r, "--replay", f->demo, "--frobnicate", NULL);
    assert_refused (&r, 2, "frobnicate");
  }
  {
    g_auto (Run) r = { 0 };
    run (&r, "--replay", f->demo, "extra", NULL);
    assert_refused (&r, 2, "extra");
  }

  /* Bad input: exit 1. */
  {
    g_auto (Run) r = { 0 };
    run (&r, "--replay", missing, NULL);
    assert_refused (&r, 1, "missing.rollcall");
    g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  }
  {
    g_auto (Run) r = { 0 };
    run (&r, "--replay", f->demo, "--session", "no-such-session", NULL);
    assert_refused (&r, 1, "no-such-session");
  }
  {
    g_auto (Run) r = { 0 };
    run (&r, "--live", "--token-file", open_token, "--journal", f->journal, NULL);
    assert_refused (&r, 1, "other users");
    /* Nothing was created for a server that did not start. */
    g_assert_false (g_file_test (f->journal, G_FILE_TEST_EXISTS));
  }
  {
    g_auto (Run) r = { 0 };
    run (&r, "--live", "--token-file", empty_token, "--journal", f->journal, NULL);
    assert_refused (&r, 1, "empty");
  }
  {
    g_auto (Run) r = { 0 };
    run (&r, "--live", "--token-file", missing, "--journal", f->journal, NULL);
    assert_refused (&r, 1, "token file");
  }
  {
    g_auto (Run) r = { 0 };
    run (&r, "--replay", f->demo, "--session", GA, "--port", "0", "--tls-certificate", junk,
         "--tls-key", junk, NULL);
    assert_refused (&r, 1, "certificate");
  }
  {
    /* A port another program holds. */
    g_auto (Run) r = { 0 };

    g_assert_true (g_socket_listener_add_address (listener, address, G_SOCKET_TYPE_STREAM,
                                                  G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error));
    g_assert_no_error (error);
    port = g_strdup_printf ("%u", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
    run (&r, "--replay", f->demo, "--session", GA, "--port", port, NULL);
    assert_refused (&r, 1, port);
  }

  /* --help is not a refusal. */
  {
    g_auto (Run) r = { 0 };
    run (&r, "--help", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "--replay"));
    g_assert_nonnull (strstr (r.out, "--live"));
    g_assert_nonnull (strstr (r.out, "--tls-certificate"));
    g_assert_nonnull (strstr (r.out, "--history"));
  }
}

/* --history 4: a board back within the last four events gets exactly those, one
 * further behind a snapshot, and both end where a board that joins at the end is. */
static void
test_history (Fixture *f, gconstpointer data)
{
  g_autoptr (RcCsv) csv = sc_ballots ();
  g_autoptr (Server) s = NULL;
  g_autoptr (RcTestClient) first = NULL, back = NULL, far = NULL, late = NULL;
  g_autofree char *final = NULL, *seen = NULL;
  gint64 seq;

  s = server_start ("--live", "--token-file", f->token_file, "--journal", f->journal, "--port", "0",
                    "--history", "4", NULL);
  first = rc_test_client_connect (s->url, RC_TEST_SSE, NULL);
  post_seq (f, s, "/v1/session",
            "{\"session\":{\"id\":\"" SC "\",\"meeting\":\"S/PV.8979\","
            "\"date\":\"2022-02-25\",\"title\":null,\"timezone\":\"America/New_York\","
            "\"synthesized\":false},\"chamber\":\"UNSC\"}",
            SC);
  post_seq (f, s, "/v1/votes",
            "{\"vote\":\"s-2022-155\",\"symbol\":null,\"draft\":\"S/2022/155\","
            "\"title\":\"Ukraine\",\"majority\":\"council\",\"recorded\":true,"
            "\"reveal\":\"live\"}",
            SC);
  seq = post_seq (f, s, "/v1/votes/s-2022-155/open", "{}", SC);
  RC_TEST_WAIT_FOR (client_at (first, SC, seq));
  rc_test_client_close (first);

  /* Three missed, four kept. */
  for (guint i = 0; i < 3; i++)
    seq = post_ballot (f, s, csv, i);
  back = rc_test_client_reconnect (first);
  RC_TEST_WAIT_FOR (client_at (back, SC, seq));
  g_assert_cmpuint (rc_test_client_count (back, RC_MESSAGE_SNAPSHOT), ==, 0);
  g_assert_cmpuint (rc_test_client_count (back, RC_MESSAGE_EVENT), ==, 3);
  rc_test_client_close (back);

  /* Five missed: a snapshot. */
  for (guint i = 3; i < 8; i++)
    seq = post_ballot (f, s, csv, i);
  far = rc_test_client_reconnect (back);
  RC_TEST_WAIT_FOR (client_at (far, SC, seq));
  g_assert_cmpuint (rc_test_client_count (far, RC_MESSAGE_SNAPSHOT), ==, 1);
  g_assert_cmpuint (rc_test_client_count (far, RC_MESSAGE_EVENT), ==, 0);

  for (guint i = 8; i < 15; i++)
    seq = post_ballot (f, s, csv, i);
  late = rc_test_client_connect (s->url, RC_TEST_WS, NULL);
  RC_TEST_WAIT_FOR (client_at (far, SC, seq) && client_at (late, SC, seq));
  final = client_dump (late);
  seen = client_dump (far);
  g_assert_cmpstr (seen, ==, final);

  g_subprocess_send_signal (s->process, SIGTERM);
  RC_TEST_WAIT_FOR (s->exited);
  g_assert_cmpint (g_subprocess_get_exit_status (s->process), ==, 0);
  RC_TEST_WAIT_FOR (rc_test_client_is_closed (far) && rc_test_client_is_closed (late));
  g_assert_cmpuint (rc_test_client_get_close_code (late), ==, SOUP_WEBSOCKET_CLOSE_GOING_AWAY);
}

/* ---------------------------------------------------------------- TLS */

static void
openssl_run (const char *dir, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *err = NULL;
  va_list args;
  int wait_status;

  g_ptr_array_add (argv, (char *) openssl);
  va_start (args, dir);
  for (const char *arg; (arg = va_arg (args, const char *)) != NULL;)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (dir, (char **) argv->pdata, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL,
                               NULL, NULL, &err, &wait_status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (wait_status, NULL))
    g_error ("openssl %s failed: %s", (char *) g_ptr_array_index (argv, 1), err);
}

/* A CA, and a certificate it signs for 127.0.0.1 and localhost: ca.pem, server.pem,
 * server.key in dir. EC keys: quick to make. */
static void
make_test_ca (const char *dir)
{
  g_autofree char *ext = g_build_filename (dir, "server.ext", NULL);

  g_assert_true (g_file_set_contents (ext,
                                      "basicConstraints = CA:FALSE\n"
                                      "keyUsage = critical, digitalSignature, keyEncipherment\n"
                                      "extendedKeyUsage = serverAuth\n"
                                      "subjectAltName = IP:127.0.0.1, DNS:localhost\n",
                                      -1, NULL));
  openssl_run (dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
               "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj",
               "/CN=Rollcall test CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext",
               "keyUsage=critical,keyCertSign,cRLSign", NULL);
  openssl_run (dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
               "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost", NULL);
  openssl_run (dir, "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
               "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "server.ext",
               NULL);
}

/* https:// and wss:// verified against the chamber's own CA; refused without it. */
static void
test_tls (Fixture *f, gconstpointer data)
{
  g_autofree char *ca = g_build_filename (f->dir, "ca.pem", NULL);
  g_autofree char *cert = g_build_filename (f->dir, "server.pem", NULL);
  g_autofree char *key = g_build_filename (f->dir, "server.key", NULL);
  g_autoptr (Server) s = NULL;
  g_autoptr (GTlsDatabase) trusted = NULL;
  g_autoptr (GError) error = NULL;
  const RcTestTransport transports[] = { RC_TEST_WS, RC_TEST_SSE };

  if (openssl == NULL || openssl[0] == '\0')
    {
      g_test_skip ("openssl is not installed (Debian package openssl)");
      return;
    }
  make_test_ca (f->dir);
  trusted = g_tls_file_database_new (ca, &error);
  g_assert_no_error (error);

  s = server_start ("--replay", f->demo, "--session", GA, "--speed", "64", "--port", "0",
                    "--tls-certificate", cert, "--tls-key", key, NULL);
  g_assert_true (g_str_has_prefix (s->url, "https://127.0.0.1:"));

  for (guint i = 0; i < G_N_ELEMENTS (transports); i++)
    {
      g_autoptr (RcTestClient) verified = rc_test_client_new (s->url, transports[i]);
      g_autoptr (RcTestClient) untrusted = rc_test_client_new (s->url, transports[i]);

      rc_test_client_set_tls_database (verified, trusted);
      rc_test_client_start (verified);
      RC_TEST_WAIT_FOR (rc_test_client_count (verified, RC_MESSAGE_SNAPSHOT) == 1
                        || rc_test_client_is_closed (verified));
      g_assert_true (rc_test_client_is_open (verified));
      g_assert_cmpstr (rc_session_get_info (rc_test_client_get_session (verified))->id, ==, GA);

      /* The system's CAs do not know the test's: the handshake fails. */
      rc_test_client_start (untrusted);
      RC_TEST_WAIT_FOR (rc_test_client_is_closed (untrusted));
      g_assert_false (rc_test_client_is_open (untrusted));
      g_assert_cmpuint (rc_test_client_get_frames (untrusted)->len, ==, 0);
    }
}

/* What rollcall-feed refuses to start with: a key that is not the certificate's, a key
 * others can read, FIFOs as key, certificate or token (refused at once, not waited
 * on), a token of fewer than 128 bits. Each one line, exit 1, nothing listening. */
static void
test_secret_refusals (Fixture *f, gconstpointer data)
{
  g_autofree char *cert = g_build_filename (f->dir, "server.pem", NULL);
  g_autofree char *key = g_build_filename (f->dir, "server.key", NULL);
  g_autofree char *other_key = g_build_filename (f->dir, "ca.key", NULL);
  g_autofree char *open_key = g_build_filename (f->dir, "open.key", NULL);
  g_autofree char *fifo = g_build_filename (f->dir, "fifo", NULL);
  g_autofree char *short_token = g_build_filename (f->dir, "short-token", NULL);
  g_autofree char *contents = NULL;

  make_test_ca (f->dir);
  g_assert_true (g_file_get_contents (key, &contents, NULL, NULL));
  g_assert_true (g_file_set_contents (open_key, contents, -1, NULL));
  g_assert_cmpint (g_chmod (open_key, 0644), ==, 0);
  g_assert_cmpint (g_chmod (other_key, 0600), ==, 0);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_true (g_file_set_contents (short_token, "0123456789abcdef0123456789abcde\n", -1, NULL));
  g_assert_cmpint (g_chmod (short_token, 0600), ==, 0);

  {
    /* The CA's key with the server's certificate: GLib loads the pair, every
     * handshake would fail. */
    g_auto (Run) r = { 0 };
    run (&r, "--replay", f->demo, "--session", GA, "--port", "0", "--tls-certificate", cert,
         "--tls-key", other_key, NULL);
    assert_refused (&r, 1, "does not go with the certificate");
  }
  {
    g_auto (Run) r = { 0 };
    run (&r, "--replay", f->demo, "--session", GA, "--port", "0", "--tls-certificate", cert,
         "--tls-key", open_key, NULL);
    assert_refused (&r, 1, "other users");
  }
  {
    g_auto (Run) r = { 0 };
    run (&r, "--replay", f->demo, "--session", GA, "--port", "0", "--tls-certificate", cert,
         "--tls-key", fifo, NULL);
    assert_refused (&r, 1, "not a file");
  }
  {
    g_auto (Run) r = { 0 };
    run (&r, "--replay", f->demo, "--session", GA, "--port", "0", "--tls-certificate", fifo,
         "--tls-key", key, NULL);
    assert_refused (&r, 1, "not a file");
  }
  {
    g_auto (Run) r = { 0 };
    run (&r, "--live", "--token-file", fifo, "--journal", f->journal, NULL);
    assert_refused (&r, 1, "not a file");
    g_assert_false (g_file_test (f->journal, G_FILE_TEST_EXISTS));
  }
  {
    g_auto (Run) r = { 0 };
    run (&r, "--live", "--token-file", short_token, "--journal", f->journal, NULL);
    assert_refused (&r, 1, "at least 32");
  }
  {
    /* The right pair starts. */
    g_autoptr (Server) s = server_start ("--replay", f->demo, "--session", GA, "--port", "0",
                                         "--tls-certificate", cert, "--tls-key", key, NULL);

    g_assert_true (g_str_has_prefix (s->url, "https://127.0.0.1:"));
  }
}

/* --bind 0.0.0.0: the line says what is bound (every interface), not a loopback URL;
 * the soft limit on descriptors is raised to the hard one. */
static void
test_bind_any (Fixture *f, gconstpointer data)
{
  g_autoptr (Server) s = NULL;
  g_autofree char *limits_path = NULL;
  g_autofree char *limits = NULL;
  g_auto (GStrv) lines = NULL;
  struct rlimit own, lowered;
  gboolean seen = FALSE;

  /* The server inherits a soft limit below its hard one. */
  g_assert_cmpint (getrlimit (RLIMIT_NOFILE, &own), ==, 0);
  lowered = (struct rlimit){ MIN (own.rlim_max, 256), own.rlim_max };
  g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &lowered), ==, 0);
  s = server_start ("--replay", f->demo, "--session", GA, "--port", "0", "--bind", "0.0.0.0",
                    NULL);
  g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &own), ==, 0);
  limits_path = g_strdup_printf ("/proc/%s/limits", g_subprocess_get_identifier (s->process));

  g_assert_true (g_str_has_prefix (s->url, "http://0.0.0.0:"));
  g_assert_true (g_file_get_contents (limits_path, &limits, NULL, NULL));
  lines = g_strsplit (limits, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "Max open files"))
      {
        g_auto (GStrv) words = g_strsplit_set (lines[i] + strlen ("Max open files"), " ", -1);
        g_autoptr (GPtrArray) numbers = g_ptr_array_new ();

        for (guint j = 0; words[j] != NULL; j++)
          if (words[j][0] != '\0')
            g_ptr_array_add (numbers, words[j]);
        g_assert_cmpuint (numbers->len, >=, 2);
        /* soft == hard */
        g_assert_cmpstr (numbers->pdata[0], ==, numbers->pdata[1]);
        seen = TRUE;
      }
  g_assert_true (seen);
}

int
main (int argc, char *argv[])
{
  rc_test_feed_init (&argc, &argv);
  g_assert_cmpint (argc, >=, 2);
  program = argv[1];
  openssl = argc >= 3 ? argv[2] : NULL;

  g_test_add ("/rollcall-feed/refusals", Fixture, NULL, fixture_set_up, test_refusals,
              fixture_tear_down);
  g_test_add ("/rollcall-feed/kill-restart", Fixture, NULL, fixture_set_up, test_kill_restart,
              fixture_tear_down);
  g_test_add ("/rollcall-feed/history", Fixture, NULL, fixture_set_up, test_history,
              fixture_tear_down);
  g_test_add ("/rollcall-feed/replay-demo", Fixture, NULL, fixture_set_up, test_replay_demo,
              fixture_tear_down);
  g_test_add ("/rollcall-feed/replay-latest", Fixture, NULL, fixture_set_up, test_replay_latest,
              fixture_tear_down);
  g_test_add ("/rollcall-feed/tls", Fixture, NULL, fixture_set_up, test_tls, fixture_tear_down);
  g_test_add ("/rollcall-feed/secret-refusals", Fixture, NULL, fixture_set_up,
              test_secret_refusals, fixture_tear_down);
  g_test_add ("/rollcall-feed/bind-any", Fixture, NULL, fixture_set_up, test_bind_any,
              fixture_tear_down);
  return g_test_run ();
}
