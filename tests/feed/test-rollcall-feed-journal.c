/* test-rollcall-feed-journal.c — the live server's journal under stress, with the built
 * rollcall-feed (its path is this test's first argument):
 *
 * - killed with SIGKILL again and again while a clerk's console keeps six requests in
 *   flight, a checkpoint written with every other event: every acknowledged event is
 *   in the journal as acknowledged, the state a restart loads (from the checkpoint) is
 *   the whole journal's fold, and a board that follows through every restart never
 *   needs a snapshot;
 * - its disk full in the middle of a vote (a small tmpfs in a private mount namespace,
 *   `unshare -rm`, filled with a filler file): refused events get 503 "archive" with
 *   the reason, change nothing and reach no board; the server carries on as soon as
 *   there is room, without a restart; killed while the disk is full, it restarts on
 *   it and has lost nothing acknowledged.
 *
 * The second needs user and mount namespaces (root, as CI runs, or unprivileged user
 * namespaces); where `unshare -rm` is refused the test fails, saying so. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "feed/rc-codec.h"
#include "model/rc-replay.h"
#include "rc-archive-test-util.h"
#include "rc-feed-test-program.h"
#include "rc-feed-test-util.h"

/* 256 bits, as a clerk would make it: openssl rand -hex 32 */
#define TOKEN "5f0c1d2e3b4a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"
#define GA "ga-day"
#define SC "sc-day"

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

/* ---------------------------------------------------------------- what was acknowledged */

/* The events the server acknowledged (201), by seq, as it published them. */
typedef struct {
  GPtrArray *events; /* index seq - 1; NULL where the outcome is not known */
  gint64 last;       /* the newest acknowledged */
} Acked;

static void
acked_init (Acked *a)
{
  a->events = g_ptr_array_new_with_free_func ((GDestroyNotify) rc_event_unref);
  a->last = 0;
}

static void
acked_clear (Acked *a)
{
  g_ptr_array_unref (a->events);
}

/* Decodes a 201's body (the event as published, with its stream) and keeps it. */
static RcEvent *
acked_add (Acked *a, const char *reply, const char *stream)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RcMessage) message = rc_codec_decode_message (reply, -1, &error);
  RcEvent *event;

  g_assert_no_error (error);
  g_assert_cmpint (message->kind, ==, RC_MESSAGE_EVENT);
  g_assert_cmpstr (message->stream, ==, stream);
  event = message->event;
  if (a->events->len < (guint) event->seq)
    g_ptr_array_set_size (a->events, event->seq);
  g_assert_null (g_ptr_array_index (a->events, event->seq - 1));
  g_ptr_array_index (a->events, event->seq - 1) = rc_event_ref (event);
  a->last = MAX (a->last, event->seq);
  return event;
}

/* Every acknowledged event is in the journal, as acknowledged; returns the journal. */
static GPtrArray *
assert_journal_has_acked (const char *path, const char *session_id, Acked *a)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RcArchive) archive = rc_archive_open (path, RC_ARCHIVE_READ_ONLY, &error);
  GPtrArray *events;
  guint n = 0;

  g_assert_no_error (error);
  events = rc_archive_load_events (archive, session_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (events->len, >=, a->last);
  for (guint i = 0; i < a->events->len; i++)
    if (g_ptr_array_index (a->events, i) != NULL)
      {
        rc_test_assert_events_equal (g_ptr_array_index (a->events, i),
                                     g_ptr_array_index (events, i));
        n++;
      }
  g_test_message ("journal: %u events, %u of them acknowledged, the newest %" G_GINT64_FORMAT,
                  events->len, n, a->last);
  return events;
}

/* The state the journal folds to, as /v1/snapshot would send it. */
static char *
fold_as_snapshot (GPtrArray *events, const char *stream)
{
  g_autoptr (RcSession) session = rc_session_new ();
  g_autoptr (RcSnapshot) snapshot = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_cmpuint (rc_session_fold (session, events, G_MAXINT64, &error), ==, events->len);
  g_assert_no_error (error);
  snapshot = rc_session_snapshot (session);
  return rc_codec_encode_snapshot (snapshot, stream);
}

static char *
get_snapshot (Fixture *f, RcTestProgram *server)
{
  char *reply = NULL;

  g_assert_cmpuint (
    rc_test_request (f->http, server->url, "GET", "/v1/snapshot", NULL, NULL, &reply), ==,
    SOUP_STATUS_OK);
  return reply;
}

/* ---------------------------------------------------------------- kill -9 while busy */

#define IN_FLIGHT 6
#define BALLOTS_PER_VOTE 500

typedef struct {
  Fixture *f;
  RcTestProgram *server;
  Acked acked;
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
  if (body != NULL && status == SOUP_STATUS_CREATED)
    {
      g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));

      acked_add (&r->c->acked, text, GA);
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
  acked_add (&c->acked, reply, GA);
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
  g_autofree char *snapshot = get_snapshot (c->f, c->server);
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

  acked_init (&c.acked);
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
  c.roster = rc_roster_ref (acked_add (&c.acked, reply, GA)->roster);
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
      journal = assert_journal_has_acked (f->journal, GA, &c.acked);
      expected = fold_as_snapshot (journal, GA);
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
      served = get_snapshot (f, c.server);
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
    g_autofree char *snapshot = get_snapshot (f, c.server);
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
  acked_clear (&c.acked);
}

/* ---------------------------------------------------------------- the disk fills up */

/* A private mount namespace holding a small tmpfs at `dir` (empty outside it), kept
 * by a process of its own until the test closes its standard input. */
typedef struct {
  GSubprocess *process;
  char *pid;
  char *dir;   /* as seen inside the namespace */
  char *outer; /* the same folder reached from here: /proc/PID/root/DIR */
} Disk;

static void
disk_open (Disk *d, const char *dir, const char *size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  g_autofree char *err = NULL;
  g_autofree char *mount = g_strdup_printf (
    "mount -t tmpfs -o size=%s rollcall-test \"$1\" && echo mounted && exec cat", size);
  const char *const argv[] = { "unshare", "-rm", "sh", "-c", mount, "sh", dir, NULL };

  d->dir = g_strdup (dir);
  d->process = g_subprocess_newv (argv,
                                  G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                    | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                  &error);
  if (d->process == NULL)
    g_error ("cannot run unshare (util-linux): %s", error->message);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (d->process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, NULL);
  if (g_strcmp0 (line, "mounted") != 0)
    {
      g_autoptr (GDataInputStream) errs
        = g_data_input_stream_new (g_subprocess_get_stderr_pipe (d->process));

      err = g_data_input_stream_read_line_utf8 (errs, NULL, NULL, NULL);
      g_error ("`unshare -rm` and a tmpfs in it are needed to fill a disk safely, and they "
               "failed here (%s): run this test as root (as CI does), or where unprivileged "
               "user namespaces are allowed",
               err != NULL ? err : "no reason given");
    }
  d->pid = g_strdup (g_subprocess_get_identifier (d->process));
  d->outer = g_strdup_printf ("/proc/%s/root%s", d->pid, dir);
}

static void
disk_close (Disk *d)
{
  g_output_stream_close (g_subprocess_get_stdin_pipe (d->process), NULL, NULL);
  g_subprocess_wait (d->process, NULL, NULL);
  g_object_unref (d->process);
  g_free (d->pid);
  g_free (d->dir);
  g_free (d->outer);
}

/* Writes a filler file until the file system has not one byte left. */
static void
disk_fill (Disk *d)
{
  g_autofree char *path = g_build_filename (d->outer, "filler", NULL);
  static char block[64 * 1024];
  const gsize sizes[] = { sizeof block, 4096, 1 };
  gsize total = 0;
  int fd = g_open (path, O_WRONLY | O_CREAT | O_APPEND, 0600);

  g_assert_cmpint (fd, >=, 0);
  for (gsize i = 0; i < G_N_ELEMENTS (sizes); i++)
    for (;;)
      {
        gssize n = write (fd, block, sizes[i]);

        if (n > 0)
          {
            total += n;
            continue;
          }
        g_assert_cmpint (errno, ==, ENOSPC);
        break;
      }
  g_assert_cmpint (close (fd), ==, 0);
  g_test_message ("disk full: %" G_GSIZE_FORMAT " bytes of filler", total);
}

static void
disk_free (Disk *d)
{
  g_autofree char *path = g_build_filename (d->outer, "filler", NULL);

  g_assert_cmpint (g_unlink (path), ==, 0);
}

/* A ballot for the open vote v1; returns the status and keeps what is acknowledged
 * (in `model` too, the state a board folds). */
static guint
post_ballot (Fixture *f, RcTestProgram *server, Acked *acked, RcSession *model, guint i,
             char **reply)
{
  static const char *const choices[] = { "yes", "no", "abstain" };
  RcRoster *roster = rc_session_get_roster (model);
  const RcMember *member = rc_roster_get_member (roster, i % rc_roster_get_size (roster));
  g_autofree char *body
    = g_strdup_printf ("{\"member\":\"%s\",\"choice\":\"%s\"}", member->code, choices[(i / 7) % 3]);
  guint status
    = rc_test_request (f->http, server->url, "POST", "/v1/votes/v1/ballots", TOKEN, body, reply);

  if (status == SOUP_STATUS_CREATED)
    g_assert_true (rc_session_apply (model, acked_add (acked, *reply, SC), NULL));
  return status;
}

static void
post_ok (Fixture *f, RcTestProgram *server, Acked *acked, RcSession *model, const char *path,
         const char *body)
{
  g_autofree char *reply = NULL;
  guint status = rc_test_request (f->http, server->url, "POST", path, TOKEN, body, &reply);

  if (status != SOUP_STATUS_CREATED)
    g_error ("POST %s: %u %s", path, status, reply);
  g_assert_true (rc_session_apply (model, acked_add (acked, reply, SC), NULL));
}

/* A 503 "archive" saying why, in the documented form. */
static void
assert_archive_refusal (const char *reply)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  JsonObject *refusal;
  const char *message;

  g_assert_true (json_parser_load_from_data (parser, reply, -1, &error));
  g_assert_no_error (error);
  refusal
    = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), "error");
  g_assert_cmpstr (json_object_get_string_member (refusal, "code"), ==, "archive");
  message = json_object_get_string_member (refusal, "message");
  g_test_message ("503: %s", message);
  g_assert_nonnull (strstr (message, "journal.rollcall"));
  g_assert_nonnull (strstr (message, "the disk is full"));
}

/* Posts ballots until the journal refuses one: the 503, then more refusals that change
 * nothing. Returns how many were acknowledged first (the WAL may have had room). */
static guint
post_until_full (Fixture *f, RcTestProgram *server, Acked *acked, RcSession *model, guint *i)
{
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  guint accepted = 0;

  for (;; (*i)++)
    {
      g_autofree char *reply = NULL;
      guint status = post_ballot (f, server, acked, model, *i, &reply);

      if (status == SOUP_STATUS_CREATED)
        {
          accepted++;
          g_assert_cmpuint (accepted, <, 2000);
          continue;
        }
      g_assert_cmpuint (status, ==, SOUP_STATUS_SERVICE_UNAVAILABLE);
      assert_archive_refusal (reply);
      break;
    }
  /* Refused again and again; the state stays that of the last acknowledged event. */
  before = get_snapshot (f, server);
  for (guint k = 0; k < 5; k++)
    {
      g_autofree char *reply = NULL;

      g_assert_cmpuint (post_ballot (f, server, acked, model, ++(*i), &reply), ==,
                        SOUP_STATUS_SERVICE_UNAVAILABLE);
      assert_archive_refusal (reply);
    }
  after = get_snapshot (f, server);
  g_assert_cmpstr (before, ==, after);
  {
    g_autoptr (RcSnapshot) snapshot = rc_session_snapshot (model);
    g_autofree char *expected = rc_codec_encode_snapshot (snapshot, SC);

    g_assert_cmpstr (after, ==, expected);
  }
  g_test_message ("%u ballots acknowledged on the full disk before the first 503", accepted);
  return accepted;
}

/* The board has exactly what was acknowledged: every event up to the last, nothing
 * refused (its client fails the test on a gap or a repeat). */
static void
assert_board_has_acked (RcTestClient *board, Acked *acked, RcSession *model)
{
  g_autoptr (RcSnapshot) expected = rc_session_snapshot (model);
  g_autoptr (RcSnapshot) seen = NULL;
  g_autofree char *expected_text = rc_codec_encode_snapshot (expected, SC);
  g_autofree char *seen_text = NULL;

  RC_TEST_WAIT_FOR (rc_test_client_get_last_seq (board) == acked->last);
  seen = rc_session_snapshot (rc_test_client_get_session (board));
  seen_text = rc_codec_encode_snapshot (seen, SC);
  g_assert_cmpstr (seen_text, ==, expected_text);
}

static void
test_disk_full (Fixture *f, gconstpointer data)
{
  g_autofree char *dir = g_build_filename (f->dir, "disk", NULL);
  g_autofree char *journal = NULL;
  g_autofree char *port = NULL;
  g_autofree char *nsenter = g_find_program_in_path ("nsenter");
  g_autoptr (RcSession) model = rc_session_new ();
  g_autoptr (RcTestClient) board = NULL;
  g_autoptr (GPtrArray) events = NULL;
  /* Half the refused writes carry a checkpoint too. */
  const char *const env[] = { "ROLLCALL_ARCHIVE_TEST_CHECKPOINT_EVERY=2", NULL };
  RcTestProgram *server;
  Acked acked;
  Disk disk;
  guint i = 0;

  if (nsenter == NULL)
    g_error ("nsenter (util-linux) is needed to run rollcall-feed in the test's namespace");
  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  journal = g_build_filename (dir, "journal.rollcall", NULL);
  disk_open (&disk, dir, "2m");
  acked_init (&acked);
  {
    const char *const argv[] = { nsenter,       "-t",        disk.pid,
                                 "-U",          "-m",        "--preserve-credentials",
                                 program,       "--live",    "--token-file",
                                 f->token_file, "--journal", journal,
                                 "--port",      "0",         NULL };

    server = rc_test_program_start (argv, env);
  }
  port = g_strdup_printf ("%u", rc_test_program_port (server));
  board = rc_test_client_connect (server->url, RC_TEST_WS, NULL);
  post_ok (f, server, &acked, model, "/v1/session",
           "{\"session\":{\"id\":\"" SC "\",\"date\":\"2022-02-25\"},\"chamber\":\"UNSC\"}");
  post_ok (f, server, &acked, model, "/v1/votes",
           "{\"vote\":\"v1\",\"symbol\":null,\"draft\":\"S/2022/155\",\"title\":\"Ukraine\","
           "\"majority\":\"council\",\"recorded\":true,\"reveal\":\"live\"}");
  post_ok (f, server, &acked, model, "/v1/votes/v1/open", "{}");
  for (guint k = 0; k < 20; k++, i++)
    {
      g_autofree char *reply = NULL;

      g_assert_cmpuint (post_ballot (f, server, &acked, model, i, &reply), ==, SOUP_STATUS_CREATED);
    }

  /* Mid-vote, the disk fills up: refusals, nothing published. */
  disk_fill (&disk);
  post_until_full (f, server, &acked, model, &i);
  assert_board_has_acked (board, &acked, model);

  /* Room again: the next ballot goes through, no restart. */
  disk_free (&disk);
  {
    g_autofree char *reply = NULL;
    gint64 last = acked.last;

    g_assert_cmpuint (post_ballot (f, server, &acked, model, ++i, &reply), ==, SOUP_STATUS_CREATED);
    g_assert_cmpint (acked.last, ==, last + 1);
  }
  assert_board_has_acked (board, &acked, model);

  /* Full again, and killed while full: the restart, on the full disk, has everything
   * acknowledged and still refuses what it cannot write. */
  disk_fill (&disk);
  post_until_full (f, server, &acked, model, &i);
  rc_test_program_kill (server);
  rc_test_program_free (server);
  {
    const char *const argv[] = { nsenter,       "-t",        disk.pid,
                                 "-U",          "-m",        "--preserve-credentials",
                                 program,       "--live",    "--token-file",
                                 f->token_file, "--journal", journal,
                                 "--port",      port,        NULL };

    server = rc_test_program_start (argv, env);
  }
  reconnect_http (f);
  {
    g_autoptr (RcSnapshot) snapshot = rc_session_snapshot (model);
    g_autofree char *expected = rc_codec_encode_snapshot (snapshot, SC);
    g_autofree char *served = get_snapshot (f, server);

    g_assert_cmpstr (served, ==, expected);
  }
  RC_TEST_WAIT_FOR (rc_test_client_is_closed (board));
  {
    RcTestClient *again = rc_test_client_reconnect (board);

    rc_test_client_free (g_steal_pointer (&board));
    board = again;
  }
  post_until_full (f, server, &acked, model, &i);

  disk_free (&disk);
  for (guint k = 0; k < 10; k++, i++)
    {
      g_autofree char *reply = NULL;

      g_assert_cmpuint (post_ballot (f, server, &acked, model, i, &reply), ==, SOUP_STATUS_CREATED);
    }
  post_ok (f, server, &acked, model, "/v1/votes/v1/lock", "{}");
  post_ok (f, server, &acked, model, "/v1/votes/v1/announce", "{}");
  assert_board_has_acked (board, &acked, model);
  g_assert_cmpuint (rc_test_client_count (board, RC_MESSAGE_SNAPSHOT), ==, 0);
  rc_test_program_stop (server);
  rc_test_program_free (server);

  /* The journal holds exactly what was acknowledged, and nothing refused. */
  {
    g_autofree char *inside = g_build_filename (disk.outer, "journal.rollcall", NULL);
    g_autofree char *copy = g_build_filename (f->dir, "copy.rollcall", NULL);
    g_autofree char *contents = NULL;
    gsize size;

    /* Shut down cleanly, the server folded its WAL into the file. */
    g_assert_true (g_file_get_contents (inside, &contents, &size, NULL));
    g_assert_true (g_file_set_contents (copy, contents, size, NULL));
    events = assert_journal_has_acked (copy, SC, &acked);
    g_assert_cmpint (events->len, ==, acked.last);
  }

  /* Started on a disk without a byte left, it cannot open the journal (SQLite needs
   * room for its -shm index beside it): one line saying so, exit 1; with room, it
   * starts. */
  disk_fill (&disk);
  {
    const char *const argv[] = { nsenter,       "-t",        disk.pid,
                                 "-U",          "-m",        "--preserve-credentials",
                                 program,       "--live",    "--token-file",
                                 f->token_file, "--journal", journal,
                                 "--port",      "0",         NULL };
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    g_autoptr (GError) error = NULL;
    int status;

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                                 &err, &status, &error));
    g_assert_no_error (error);
    g_assert_true (WIFEXITED (status));
    g_assert_cmpint (WEXITSTATUS (status), ==, 1);
    g_assert_cmpstr (out, ==, "");
    g_assert_true (g_str_has_prefix (err, "rollcall-feed: "));
    g_assert_true (strchr (err, '\n') == err + strlen (err) - 1);
    g_assert_nonnull (strstr (err, "journal.rollcall: the disk is full"));
    disk_free (&disk);
    server = rc_test_program_start (argv, env);
    {
      /* (Its SIGTERM handler is set once it runs its main loop, after that line.) */
      g_autofree char *served = get_snapshot (f, server);
    }
    rc_test_program_stop (server);
    rc_test_program_free (server);
  }
  disk_close (&disk);
  acked_clear (&acked);
}

int
main (int argc, char *argv[])
{
  rc_test_feed_init (&argc, &argv);
  g_assert_cmpint (argc, >=, 2);
  /* Absolute: nsenter runs it from another working folder. */
  program = g_canonicalize_filename (argv[1], NULL);

  g_test_add ("/rollcall-feed/journal/kill-during-heavy-writing", Fixture, NULL, fixture_set_up,
              test_kill_during_heavy_writing, fixture_tear_down);
  g_test_add ("/rollcall-feed/journal/disk-full", Fixture, NULL, fixture_set_up, test_disk_full,
              fixture_tear_down);
  return g_test_run ();
}
