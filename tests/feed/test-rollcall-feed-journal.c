/* test-rollcall-feed-journal.c — the live server's journal under load, with the built
 * rollcall-feed (its path is this test's first argument): killed with SIGKILL again
 * and again while a clerk's console keeps six requests in flight, a checkpoint written
 * with every other event. Every acknowledged event is in the journal as acknowledged,
 * the state a restart loads (from the checkpoint) is the whole journal's fold and is
 * what the restarted server serves, and a board that follows through every restart
 * never needs a snapshot. (Its disk filling up: test-rollcall-feed-disk.c.) */
#include <string.h>

#include <glib/gstdio.h>

#include "codec/rc-codec.h"
#include "rc-archive-test-util.h"
#include "rc-feed-test-program.h"
#include "rc-feed-test-util.h"

/* 256 bits, as a clerk would make it: openssl rand -hex 32 */
#define TOKEN "5f0c1d2e3b4a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"
#define GA "ga-day"

static char *program;

typedef struct {
  char *dir;
  char *token_file;
  char *journal;
  SoupSession *http;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->dir = rc_test_make_tmpdir ();
  f->token_file = g_build_filename (f->dir, "token", NULL);
  f->journal = g_build_filename (f->dir, "journal.rollcall", NULL);
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
}

/* A new console session: its kept-alive connections died with the server. */
static void
reconnect_http (Fixture *f)
{
  g_clear_object (&f->http);
  f->http = soup_session_new ();
}


/* ---------------------------------------------------------------- kill -9 while busy */

#define IN_FLIGHT 6
#define BALLOTS_PER_VOTE 500

typedef struct {
  Fixture *f;
  RcTestProgram *server;
  RcTestAcked acked;
  RcRoster *roster;
  GRand *rand;
  guint in_flight;
  guint acks; /* this round */
  gboolean killed;
} Console;

typedef struct {
  Console *c;
  SoupMessage *msg;
} Request;

static void
on_ballot_sent (GObject *source, GAsyncResult *result, gpointer data)
{
  Request *r = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body
    = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  guint status = soup_message_get_status (r->msg);

  r->c->in_flight--;
  if (body != NULL && status == SOUP_STATUS_CREATED && rc_test_body_whole (r->msg, body))
    {
      g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));

      rc_test_acked_add (&r->c->acked, text, GA);
      r->c->acks++;
    }
  else if (!r->c->killed)
    g_error ("ballot: %u %s", status, error != NULL ? error->message : "");
  g_object_unref (r->msg);
  g_free (r);
}

static void
send_ballot (Console *c, const char *vote)
{
  static const char *const choices[] = { "yes", "no", "abstain" };
  g_autofree char *url = g_strdup_printf ("%s/v1/votes/%s/ballots", c->server->url, vote);
  const RcMember *member = rc_roster_get_member (
    c->roster, g_rand_int_range (c->rand, 0, rc_roster_get_size (c->roster)));
  g_autofree char *body = g_strdup_printf ("{\"member\":\"%s\",\"choice\":\"%s\"}", member->code,
                                           choices[g_rand_int_range (c->rand, 0, 3)]);
  g_autoptr (GBytes) bytes = g_bytes_new (body, strlen (body));
  Request *r = g_new0 (Request, 1);

  r->c = c;
  r->msg = soup_message_new ("POST", url);
  soup_message_headers_replace (soup_message_get_request_headers (r->msg), "Authorization",
                                "Bearer " TOKEN);
  soup_message_set_request_body_from_bytes (r->msg, "application/json", bytes);
  c->in_flight++;
  soup_session_send_and_read_async (c->f->http, r->msg, G_PRIORITY_DEFAULT, NULL, on_ballot_sent,
                                    r);
}

/* One request at a time (the vote's lifecycle); FALSE if the server died under it. */
static gboolean
send_one (Console *c, const char *path, const char *body)
{
  g_autofree char *reply = NULL;
  guint status = rc_test_request (c->f->http, c->server->url, "POST", path, TOKEN, body, &reply);

  if (status == 0 && c->killed)
    return FALSE;
  if (status != SOUP_STATUS_CREATED)
    g_error ("POST %s: %u %s", path, status, reply);
  rc_test_acked_add (&c->acked, reply, GA);
  c->acks++;
  return TRUE;
}

/* Drives the session on from wherever the server's state is, keeping IN_FLIGHT ballots
 * in flight, until `acks` more are acknowledged; then kills the server with requests
 * still in flight. */
static void
drive_then_kill (Console *c, guint acks)
{
  g_autoptr (RcMessage) message = NULL;
  g_autoptr (RcSession) state = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *snapshot = rc_test_get_snapshot (c->f->http, c->server->url);
  g_autofree char *vote = NULL;
  guint n_votes, ballots = 0;
  RcVoteState phase = RC_VOTE_ANNOUNCED;

  message = rc_codec_decode_message (snapshot, -1, &error);
  g_assert_no_error (error);
  state = rc_session_new_from_snapshot (message->snapshot, &error);
  g_assert_no_error (error);
  n_votes = rc_session_get_n_votes (state);
  if (n_votes > 0)
    {
      RcVote *last = rc_session_get_vote (state, n_votes - 1);

      phase = rc_vote_get_state (last);
      vote = g_strdup (rc_vote_get_id (last));
    }
  c->acks = 0;
  c->killed = FALSE;
  while (c->acks < acks || c->in_flight == 0)
    {
      if (phase == RC_VOTE_ANNOUNCED)
        {
          g_autofree char *body = NULL;

          g_free (vote);
          vote = g_strdup_printf ("v%u", ++n_votes);
          body = g_strdup_printf ("{\"vote\":\"%s\",\"symbol\":null,\"draft\":null,"
                                  "\"title\":\"Draft resolution %u\",\"majority\":\"two-thirds\","
                                  "\"recorded\":true,\"reveal\":\"live\"}",
                                  vote, n_votes);
          send_one (c, "/v1/votes", body);
          phase = RC_VOTE_SCHEDULED;
        }
      if (phase == RC_VOTE_SCHEDULED)
        {
          g_autofree char *on_air = g_strdup_printf ("{\"show\":\"vote\",\"vote\":\"%s\"}", vote);
          g_autofree char *open = g_strdup_printf ("/v1/votes/%s/open", vote);

          send_one (c, "/v1/on-air", on_air);
          send_one (c, open, "{}");
          phase = RC_VOTE_OPEN;
          ballots = 0;
        }
      if (phase == RC_VOTE_OPEN && ballots < BALLOTS_PER_VOTE)
        {
          while (c->in_flight < IN_FLIGHT && ballots < BALLOTS_PER_VOTE)
            {
              send_ballot (c, vote);
              ballots++;
            }
          rc_test_wait_step (g_get_monotonic_time () + RC_TEST_TIMEOUT_MS * 1000, "ballots");
          continue;
        }
      if (phase == RC_VOTE_OPEN)
        {
          g_autofree char *lock = g_strdup_printf ("/v1/votes/%s/lock", vote);

          RC_TEST_WAIT_FOR (c->in_flight == 0);
          send_one (c, lock, "{}");
          phase = RC_VOTE_LOCKED;
        }
      if (phase == RC_VOTE_LOCKED)
        {
          g_autofree char *announce = g_strdup_printf ("/v1/votes/%s/announce", vote);

          send_one (c, announce, "{}");
          phase = RC_VOTE_ANNOUNCED;
        }
      if (phase == RC_VOTE_CANCELLED)
        phase = RC_VOTE_ANNOUNCED;
    }
  c->killed = TRUE;
  rc_test_program_kill (c->server);
  RC_TEST_WAIT_FOR (c->in_flight == 0);
}

static void
test_kill_during_heavy_writing (Fixture *f, gconstpointer data)
{
  g_autofree char *port = NULL;
  const char *const env[] = { "ROLLCALL_ARCHIVE_TEST_CHECKPOINT_EVERY=2", NULL };
  Console c = { f };
  g_autoptr (RcTestClient) board = NULL;
  g_autofree char *reply = NULL;
  guint rounds = 6;

  rc_test_acked_init (&c.acked);
  c.rand = g_rand_new_with_seed (20261207);
  {
    const char *const argv[]
      = { program, "--live", "--token-file", f->token_file, "--journal", f->journal, "--port",
          "0",     NULL };

    c.server = rc_test_program_start (argv, env);
  }
  port = g_strdup_printf ("%u", rc_test_program_port (c.server));
  g_assert_cmpuint (rc_test_request (f->http, c.server->url, "POST", "/v1/session", TOKEN,
                                     "{\"session\":{\"id\":\"" GA "\",\"date\":\"2022-03-02\"},"
                                     "\"chamber\":\"UNGA\"}",
                                     &reply),
                    ==, SOUP_STATUS_CREATED);
  c.roster = rc_roster_ref (rc_test_acked_add (&c.acked, reply, GA)->roster);
  board = rc_test_client_connect (c.server->url, RC_TEST_WS, NULL);

  for (guint round = 0; round < rounds; round++)
    {
      const char *const argv[] = { program,    "--live", "--token-file", f->token_file, "--journal",
                                   f->journal, "--port", port,           NULL };
      g_autoptr (GPtrArray) journal = NULL;
      g_autoptr (GPtrArray) tail = NULL;
      g_autoptr (RcSession) loaded = NULL;
      g_autoptr (GError) error = NULL;
      g_autofree char *expected = NULL;
      g_autofree char *seen = NULL;
      g_autofree char *served = NULL;

      drive_then_kill (&c, g_rand_int_range (c.rand, 20, 160));
      rc_test_program_free (c.server);
      c.server = NULL;

      /* Nothing acknowledged is missing; the checkpoint loads the journal's state. */
      journal = rc_test_assert_journal_has_acked (f->journal, GA, &c.acked);
      expected = rc_test_fold_as_snapshot (journal, GA);
      {
        g_autoptr (RcArchive) archive = rc_archive_open (f->journal, RC_ARCHIVE_READ_ONLY, &error);
        g_autoptr (RcSnapshot) snapshot = NULL;

        g_assert_no_error (error);
        loaded = rc_archive_load_state (archive, GA, &tail, &error);
        g_assert_no_error (error);
        g_assert_cmpuint (tail->len, <=, 1);
        snapshot = rc_session_snapshot (loaded);
        seen = rc_codec_encode_snapshot (snapshot, GA);
        g_assert_cmpstr (seen, ==, expected);
      }

      /* The restarted server serves exactly that, and the board resumes. */
      c.server = rc_test_program_start (argv, env);
      reconnect_http (f);
      served = rc_test_get_snapshot (f->http, c.server->url);
      g_assert_cmpstr (served, ==, expected);
      RC_TEST_WAIT_FOR (rc_test_client_is_closed (board));
      {
        RcTestClient *again = rc_test_client_reconnect (board);

        rc_test_client_free (g_steal_pointer (&board));
        board = again;
      }
    }

  /* The board followed every restart without a snapshot, to the server's state. */
  {
    g_autofree char *snapshot = rc_test_get_snapshot (f->http, c.server->url);
    g_autoptr (RcMessage) message = rc_codec_decode_message (snapshot, -1, NULL);
    g_autofree char *seen = NULL;

    RC_TEST_WAIT_FOR (rc_test_client_get_last_seq (board) == message->snapshot->seq);
    g_assert_cmpuint (rc_test_client_count (board, RC_MESSAGE_SNAPSHOT), ==, 0);
    seen = rc_codec_encode_snapshot (message->snapshot, GA);
    {
      g_autoptr (RcSnapshot) mine = rc_session_snapshot (rc_test_client_get_session (board));
      g_autofree char *board_state = rc_codec_encode_snapshot (mine, GA);

      g_assert_cmpstr (board_state, ==, seen);
    }
  }
  rc_test_program_stop (c.server);
  rc_test_program_free (c.server);
  rc_roster_unref (c.roster);
  g_rand_free (c.rand);
  rc_test_acked_clear (&c.acked);
}

int
main (int argc, char *argv[])
{
  rc_test_feed_init (&argc, &argv);
  g_assert_cmpint (argc, >=, 2);
  /* Absolute: the same however the test is run. */
  program = g_canonicalize_filename (argv[1], NULL);

  g_test_add ("/rollcall-feed/journal/kill-during-heavy-writing", Fixture, NULL, fixture_set_up,
              test_kill_during_heavy_writing, fixture_tear_down);
  return g_test_run ();
}
