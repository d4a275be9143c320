/* test-rollcall-feed-disk.c — the live server's disk fills up in the middle of a vote,
 * with the built rollcall-feed (its path is this test's first argument) journalling
 * into a small tmpfs in a private mount namespace (`unshare -rm`), filled with a
 * filler file. Refused events get 503 "archive" with the reason, change nothing and
 * reach no board; the server carries on as soon as there is room, without a restart;
 * killed while the disk is full, it restarts on it and has lost nothing acknowledged;
 * on a disk without a byte free it cannot start, and says so.
 *
 * It needs user and mount namespaces (root, as CI runs, or unprivileged user
 * namespaces); where `unshare -rm` is refused the test fails, saying so. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "codec/rc-codec.h"
#include "rc-archive-test-util.h"
#include "rc-feed-test-program.h"
#include "rc-feed-test-util.h"

/* 256 bits, as a clerk would make it: openssl rand -hex 32 */
#define TOKEN "5f0c1d2e3b4a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"
#define SC "sc-day"

static char *program;

typedef struct {
  char *dir;
  char *token_file;
  SoupSession *http;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->dir = rc_test_make_tmpdir ();
  f->token_file = g_build_filename (f->dir, "token", NULL);
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
}

/* A new console session: its kept-alive connections died with the server. */
static void
reconnect_http (Fixture *f)
{
  g_clear_object (&f->http);
  f->http = soup_session_new ();
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
post_ballot (Fixture *f, RcTestProgram *server, RcTestAcked *acked, RcSession *model, guint i,
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
    g_assert_true (rc_session_apply (model, rc_test_acked_add (acked, *reply, SC), NULL));
  return status;
}

static void
post_ok (Fixture *f, RcTestProgram *server, RcTestAcked *acked, RcSession *model, const char *path,
         const char *body)
{
  g_autofree char *reply = NULL;
  guint status = rc_test_request (f->http, server->url, "POST", path, TOKEN, body, &reply);

  if (status != SOUP_STATUS_CREATED)
    g_error ("POST %s: %u %s", path, status, reply);
  g_assert_true (rc_session_apply (model, rc_test_acked_add (acked, reply, SC), NULL));
}

/* A 503 "archive" saying why, in the documented form. */
static void
assert_archive_refusal (const char *reply)
{
  g_autofree char *message = NULL;
  g_autofree char *code = rc_test_error_reply (reply, strlen (reply), &message);

  g_assert_cmpstr (code, ==, "archive");
  g_test_message ("503: %s", message);
  g_assert_nonnull (strstr (message, "journal.rollcall"));
  g_assert_nonnull (strstr (message, "the disk is full"));
}

/* Posts ballots until the journal refuses one: the 503, then more refusals that change
 * nothing. Returns how many were acknowledged first (the WAL may have had room). */
static guint
post_until_full (Fixture *f, RcTestProgram *server, RcTestAcked *acked, RcSession *model, guint *i)
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
  before = rc_test_get_snapshot (f->http, server->url);
  for (guint k = 0; k < 5; k++)
    {
      g_autofree char *reply = NULL;

      g_assert_cmpuint (post_ballot (f, server, acked, model, ++(*i), &reply), ==,
                        SOUP_STATUS_SERVICE_UNAVAILABLE);
      assert_archive_refusal (reply);
    }
  after = rc_test_get_snapshot (f->http, server->url);
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
assert_board_has_acked (RcTestClient *board, RcTestAcked *acked, RcSession *model)
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
  RcTestAcked acked;
  Disk disk;
  guint i = 0;

  if (nsenter == NULL)
    g_error ("nsenter (util-linux) is needed to run rollcall-feed in the test's namespace");
  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  journal = g_build_filename (dir, "journal.rollcall", NULL);
  disk_open (&disk, dir, "2m");
  rc_test_acked_init (&acked);
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
    g_autofree char *served = rc_test_get_snapshot (f->http, server->url);

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
    events = rc_test_assert_journal_has_acked (copy, SC, &acked);
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
      g_autofree char *served = rc_test_get_snapshot (f->http, server->url);
    }
    rc_test_program_stop (server);
    rc_test_program_free (server);
  }
  disk_close (&disk);
  rc_test_acked_clear (&acked);
}

int
main (int argc, char *argv[])
{
  rc_test_feed_init (&argc, &argv);
  g_assert_cmpint (argc, >=, 2);
  /* Absolute: nsenter runs it from another working folder. */
  program = g_canonicalize_filename (argv[1], NULL);

  g_test_add ("/rollcall-feed/disk/full", Fixture, NULL, fixture_set_up, test_disk_full,
              fixture_tear_down);
  return g_test_run ();
}
