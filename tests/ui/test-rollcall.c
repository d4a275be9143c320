/* test-rollcall.c — the `rollcall` command as a user meets it: its refusals (one line
 * on stderr, "rollcall: reason", a non-zero exit, no window) and a real start that
 * draws the whole board and quits (ROLLCALL_EXIT_AFTER_FIRST_FRAME=1): offline, through
 * its embedded feed, and subscribed with --feed to a feed this test serves on
 * 127.0.0.1 (a real hub and server, in this process). Spawns the built binary under
 * the test environment (Xvfb, settings in memory). */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "feed/rc-feed-hub.h"
#include "feed/rc-feed-server.h"
#include "rc-config.h"
#include "rc-ui-fixture.h"

#define RUN_TIMEOUT_MS 30000

typedef struct {
  int status;
  gboolean exited;
  char *out;
  char *err;
} Run;

static void
run_free (Run *run)
{
  g_free (run->out);
  g_free (run->err);
  g_free (run);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, run_free)

typedef struct {
  GSubprocess *process;
  gboolean done;
  gboolean timed_out;
  char *out;
  char *err;
} Pending;

static void
on_communicated (GObject *source, GAsyncResult *result, gpointer data)
{
  Pending *p = data;
  g_autoptr (GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &p->out, &p->err,
                                        &error);
  g_assert_no_error (error);
  p->done = TRUE;
}

static gboolean
on_run_timeout (gpointer data)
{
  Pending *p = data;

  p->timed_out = TRUE;
  g_subprocess_force_exit (p->process);
  return G_SOURCE_REMOVE;
}

static char *
rollcall_path (void)
{
  return g_build_filename (g_getenv ("ROLLCALL_BUILD_ROOT"), "src", "bin", "rollcall", NULL);
}

/* Runs rollcall with args; env: NULL-terminated "NAME=value" pairs added to ours, or
 * "NAME" alone to remove NAME from it. */
static Run *
run_rollcall (const char *const *args, const char *const *env)
{
  g_autoptr (GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  Pending p = { NULL };
  Run *run = g_new0 (Run, 1);
  guint timeout;

  g_ptr_array_add (argv, rollcall_path ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);
  for (guint i = 0; env != NULL && env[i] != NULL; i++)
    {
      g_auto (GStrv) pair = g_strsplit (env[i], "=", 2);

      if (pair[1] == NULL)
        g_subprocess_launcher_unsetenv (launcher, pair[0]);
      else
        g_subprocess_launcher_setenv (launcher, pair[0], pair[1], TRUE);
    }

  p.process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (p.process, NULL, NULL, on_communicated, &p);
  timeout = g_timeout_add (RUN_TIMEOUT_MS, on_run_timeout, &p);
  while (!p.done)
    g_main_context_iteration (NULL, TRUE);
  g_subprocess_wait (p.process, NULL, NULL);
  if (!p.timed_out)
    g_source_remove (timeout);
  g_assert_false (p.timed_out);

  run->exited = g_subprocess_get_if_exited (p.process);
  run->status = run->exited ? g_subprocess_get_exit_status (p.process) : -1;
  run->out = p.out;
  run->err = p.err;
  g_object_unref (p.process);
  return run;
}

/* The refusal a user sees: exit status 1 and exactly one line on stderr, which starts
 * "rollcall: " and mentions what was wrong. */
static void
assert_refused (const char *const *args, const char *const *env, const char *mentions)
{
  g_autoptr (Run) run = run_rollcall (args, env);
  const char *newline;

  g_test_message ("stderr: %s", run->err);
  g_assert_true (run->exited);
  g_assert_cmpint (run->status, ==, 1);
  g_assert_true (g_str_has_prefix (run->err, "rollcall: "));
  newline = strchr (run->err, '\n');
  g_assert_nonnull (newline);
  g_assert_cmpstr (newline + 1, ==, "");
  g_assert_nonnull (strstr (run->err, mentions));
  g_assert_cmpstr (run->out, ==, "");
}

static void
test_refuses_missing_archive (void)
{
  g_autofree char *dir = g_dir_make_tmp ("rollcall-test-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "gone.rollcall", NULL);
  const char *args[] = { "--replay", path, NULL };

  assert_refused (args, NULL, path);
  g_rmdir (dir);
}

/* The archive loads while GTK starts; without a display, what is wrong with the
 * archive is still what the user reads, and then, with a good archive, that there is
 * no display: one line each, exit status 1. */
static void
test_refuses_without_display (void)
{
  g_autofree char *dir = g_dir_make_tmp ("rollcall-test-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "gone.rollcall", NULL);
  g_autofree char *demo =
    g_build_filename (g_getenv ("ROLLCALL_BUILD_ROOT"), "data", "demo", "demo.rollcall", NULL);
  const char *missing[] = { "--replay", path, NULL };
  const char *good[] = { "--replay", demo, "--session", "2022-03-02", NULL };
  const char *no_display[] = { "DISPLAY", "WAYLAND_DISPLAY", NULL };

  assert_refused (missing, no_display, path);
  assert_refused (good, no_display, "display");
  g_rmdir (dir);
}

static void
test_refuses_file_that_is_no_archive (void)
{
  g_autofree char *dir = g_dir_make_tmp ("rollcall-test-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "notes.rollcall", NULL);
  const char *args[] = { "--replay", path, NULL };

  g_assert_true (g_file_set_contents (path, "minutes of the meeting\n", -1, NULL));
  assert_refused (args, NULL, path);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_refuses_unknown_vote (void)
{
  g_autofree char *demo = ui_demo_archive_path ();
  const char *args[] = { "--replay", demo, "--session", "2022-03-02", "--vote", "A/RES/99/1",
                         NULL };
  const char *by_position[] = { "--replay", demo, "--session", "2022-03-02", "--vote", "7",
                                NULL };

  assert_refused (args, NULL, "A/RES/99/1");
  assert_refused (by_position, NULL, "'7'");
}

static void
test_refuses_unknown_session (void)
{
  g_autofree char *demo = ui_demo_archive_path ();
  const char *args[] = { "--replay", demo, "--session", "1999-01-01", NULL };

  assert_refused (args, NULL, "1999-01-01");
}

static void
test_refuses_bad_speed (void)
{
  static const char *const bad[]
    = { "fast", "0", "-2", "0.2", "65", "1000", "nan", "inf", "1e9", "2x", "" };
  g_autofree char *demo = ui_demo_archive_path ();

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      const char *args[] = { "--replay", demo, "--speed", bad[i], NULL };
      g_autofree char *quoted = g_strdup_printf ("'%s'", bad[i]);

      assert_refused (args, NULL, quoted);
    }
}

static void
test_refuses_bad_start (void)
{
  g_autofree char *demo = ui_demo_archive_path ();
  const char *args[] = { "--replay", demo, "--at", "soon", NULL };
  const char *negative[] = { "--replay", demo, "--at", "-5", NULL };

  assert_refused (args, NULL, "'soon'");
  assert_refused (negative, NULL, "'-5'");
}

static void
test_refuses_malformed_options (void)
{
  const char *unknown[] = { "--bogus", NULL };
  const char *missing[] = { "--speed", NULL };
  const char *stray[] = { "demo.rollcall", NULL };
  const char *monitor[] = { "--monitor", "1", NULL };
  const char *no_monitor[] = { "--kiosk", "--monitor", "99", NULL };
  const char *language[] = { "--board-language", "de", NULL };
  const char *languages[] = { "--board-language", "en,fr,es", NULL };

  assert_refused (language, NULL, "'de' is not one of the board's languages");
  assert_refused (languages, NULL, "'en,fr,es' is not a board language");
  assert_refused (unknown, NULL, "--bogus");
  assert_refused (missing, NULL, "--speed");
  assert_refused (stray, NULL, "demo.rollcall");
  assert_refused (monitor, NULL, "--kiosk");
  assert_refused (no_monitor, NULL, "99");
}

/* The desk's options: each mistake refused in one line, before any window. */
static void
test_refuses_console_options (void)
{
  g_autofree char *dir = g_dir_make_tmp ("rollcall-test-XXXXXX", NULL);
  g_autofree char *open_token = g_build_filename (dir, "open-token", NULL);
  g_autofree char *demo = ui_demo_archive_path ();
  const char *both[] = { "--console", "--kiosk", NULL };
  const char *token_alone[] = { "--token-file", open_token, NULL };
  const char *token_no_feed[] = { "--console", "--token-file", open_token, NULL };
  const char *at[] = { "--console", "--replay", demo, "--at", "5", NULL };
  const char *bind_feed[]
    = { "--console", "--feed", "ws://127.0.0.1:1", "--bind", "0.0.0.0", NULL };
  const char *bad_bind[] = { "--console", "--bind", "hall", NULL };
  const char *bad_port[] = { "--console", "--port", "70000", NULL };
  const char *port_board[] = { "--port", "8080", NULL };
  const char *readable[]
    = { "--console", "--feed", "ws://127.0.0.1:1", "--token-file", open_token, NULL };
  const char *missing[]
    = { "--console", "--feed", "ws://127.0.0.1:1", "--token-file", "/nonexistent/token", NULL };
  const char *monitor[] = { "--console", "--monitor", "99", NULL };

  g_assert_true (g_file_set_contents (open_token, "0123456789abcdef0123456789abcdef\n", -1, NULL));
  g_assert_cmpint (g_chmod (open_token, 0644), ==, 0);
  assert_refused (both, NULL, "--kiosk");
  assert_refused (token_alone, NULL, "--token-file");
  assert_refused (token_no_feed, NULL, "--token-file");
  assert_refused (at, NULL, "--at");
  assert_refused (bind_feed, NULL, "--bind");
  assert_refused (bad_bind, NULL, "--bind hall");
  assert_refused (bad_port, NULL, "70000");
  assert_refused (port_board, NULL, "--port");
  assert_refused (readable, NULL, "chmod 600");
  assert_refused (missing, NULL, "/nonexistent/token");
  assert_refused (monitor, NULL, "99");
  g_unlink (open_token);
  g_rmdir (dir);
}

static void
test_refuses_without_demo (void)
{
  g_autofree char *dir = g_dir_make_tmp ("rollcall-test-XXXXXX", NULL);
  g_autofree char *data_path = g_strdup_printf ("ROLLCALL_DATA_PATH=%s", dir);
  const char *args[] = { NULL };
  const char *env[] = { data_path, NULL };

  /* An installed copy would be found in PKGDATADIR; the test runs uninstalled. */
  if (g_file_test (PKGDATADIR "/demo/demo.rollcall", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("a demo archive is installed in " PKGDATADIR);
      g_rmdir (dir);
      return;
    }
  assert_refused (args, env, "demo archive");
  g_rmdir (dir);
}

static void
test_help (void)
{
  const char *args[] = { "--help", NULL };
  g_autoptr (Run) run = run_rollcall (args, NULL);

  g_assert_cmpint (run->status, ==, 0);
  g_assert_nonnull (strstr (run->out, "--replay=ARCHIVE"));
  g_assert_nonnull (strstr (run->out, "--vote=ID"));
  g_assert_nonnull (strstr (run->out, "--speed=X"));
  g_assert_nonnull (strstr (run->out, "--kiosk"));
  g_assert_nonnull (strstr (run->out, "--feed=URL"));
  g_assert_nonnull (strstr (run->out, "--ca-file=FILE"));
}

static void
test_refuses_bad_feed (void)
{
  g_autofree char *demo = ui_demo_archive_path ();
  const char *scheme[] = { "--feed", "ftp://127.0.0.1/v1/feed", NULL };
  const char *no_server[] = { "--feed", "http://", NULL };
  const char *not_url[] = { "--feed", "127.0.0.1:8080", NULL };
  const char *two_sources[] = { "--feed", "ws://127.0.0.1:9", "--replay", demo, NULL };
  const char *speed[] = { "--feed", "ws://127.0.0.1:9", "--speed", "2", NULL };
  const char *ca_alone[] = { "--ca-file", "/etc/hostname", NULL };
  const char *ca_missing[] = { "--feed", "wss://127.0.0.1:9", "--ca-file", "/nonexistent/ca.pem",
                               NULL };
  const char *ca_junk[] = { "--feed", "wss://127.0.0.1:9", "--ca-file", demo, NULL };

  assert_refused (scheme, NULL, "ftp://127.0.0.1/v1/feed");
  assert_refused (no_server, NULL, "http://");
  assert_refused (not_url, NULL, "127.0.0.1:8080");
  assert_refused (two_sources, NULL, "--replay");
  assert_refused (speed, NULL, "--speed");
  assert_refused (ca_alone, NULL, "--ca-file");
  assert_refused (ca_missing, NULL, "/nonexistent/ca.pem");
  assert_refused (ca_junk, NULL, demo);
}

/* A start that draws the board: the probe prints when and how much memory. */
static void
assert_first_frame (Run *run)
{
  g_test_message ("stdout: %s\nstderr: %s", run->out, run->err);
  g_assert_true (run->exited);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_true (g_str_has_prefix (run->out, "first-frame-us: "));
  g_assert_nonnull (strstr (run->out, "\nvmhwm-kb: "));
  g_assert_cmpint (g_ascii_strtoll (strstr (run->out, "vmhwm-kb: ") + 10, NULL, 10), >, 0);
}

/* rollcall --replay ARCHIVE: the replay desk, its preview and program drawn from the
 * desk's own feed of the archive (--vote or --at: the board alone, below). */
static void
test_replay_draws_the_board (void)
{
  g_autofree char *demo = ui_demo_archive_path ();
  const char *args[] = { "--replay", demo, NULL };
  const char *env[] = { "ROLLCALL_EXIT_AFTER_FIRST_FRAME=1", NULL };
  g_autoptr (Run) run = run_rollcall (args, env);

  assert_first_frame (run);
  /* The demo holds two meetings: rollcall says which it chose. */
  g_assert_nonnull (strstr (run->err, "rollcall: "));
  g_assert_nonnull (strstr (run->err, "--session"));
}

static void
test_vote_at_end_draws_the_board (void)
{
  g_autofree char *demo = ui_demo_archive_path ();
  const char *args[] = { "--replay", demo, "--vote", "A/RES/ES-11/1", "--at", "end",
                         "--speed", "4", "--kiosk", NULL };
  const char *env[] = { "ROLLCALL_EXIT_AFTER_FIRST_FRAME=1", NULL };
  g_autoptr (Run) run = run_rollcall (args, env);

  assert_first_frame (run);
}

/* A feed on 127.0.0.1, served by this process while rollcall runs, holding the demo's
 * General Assembly meeting. */
typedef struct {
  RcFeedHub *hub;
  RcFeedServer *server;
} Feed;

static Feed *
feed_new (void)
{
  g_autoptr (UiJournal) journal = ui_journal_new ("2022-03-02");
  g_autoptr (GError) error = NULL;
  Feed *feed = g_new0 (Feed, 1);

  feed->hub = rc_feed_hub_new ("ga", NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < journal->events->len; i++)
    {
      g_autoptr (RcEvent) published =
        rc_feed_hub_publish (feed->hub, g_ptr_array_index (journal->events, i), &error);

      g_assert_no_error (error);
    }
  feed->server = rc_feed_server_new (feed->hub, NULL, &error);
  g_assert_no_error (error);
  rc_feed_server_listen (feed->server, "127.0.0.1", 0, &error);
  g_assert_no_error (error);
  return feed;
}

static void
feed_free (Feed *feed)
{
  rc_feed_server_shutdown (feed->server);
  g_object_unref (feed->server);
  g_object_unref (feed->hub);
  g_free (feed);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Feed, feed_free)

static void
test_feed_draws_the_board (gconstpointer data)
{
  const char *scheme = data;
  g_autoptr (Feed) feed = feed_new ();
  g_autofree char *url =
    g_strdup_printf ("%s://127.0.0.1:%u", scheme, rc_feed_server_get_port (feed->server));
  const char *args[] = { "--feed", url, NULL };
  const char *env[] = { "ROLLCALL_EXIT_AFTER_FIRST_FRAME=1", NULL };
  g_autoptr (Run) run = run_rollcall (args, env);

  /* The probe waits for the feed to be live: a first frame here is the feed's board. */
  assert_first_frame (run);
}

static void
test_feed_kiosk_draws_the_board (void)
{
  g_autoptr (Feed) feed = feed_new ();
  g_autofree char *url =
    g_strdup_printf ("ws://127.0.0.1:%u", rc_feed_server_get_port (feed->server));
  const char *args[] = { "--kiosk", "--feed", url, NULL };
  const char *env[] = { "ROLLCALL_EXIT_AFTER_FIRST_FRAME=1", NULL };
  g_autoptr (Run) run = run_rollcall (args, env);

  assert_first_frame (run);
}

/* Through the embedded feed: the probe waits for its client to be live, so a first
 * frame proves the network path works. */
static void
test_no_arguments_replays_the_demo (void)
{
  const char *args[] = { NULL };
  const char *env[] = { "ROLLCALL_EXIT_AFTER_FIRST_FRAME=1", NULL };
  g_autoptr (Run) run = run_rollcall (args, env);

  assert_first_frame (run);
}

/* The desk (./run's default) draws preview and program from its own feed, which is
 * live; and so does the replay desk serving a rehearsal on every address, IPv4 or
 * IPv6 (an IPv6 socket listens for IPv6 only: the desk reaches its own feed at ::1). */
static void
test_desk_draws_its_boards (void)
{
  static const char *const binds[] = { NULL, "0.0.0.0", "127.0.0.2", "::", "::1" };
  const char *env[] = { "ROLLCALL_EXIT_AFTER_FIRST_FRAME=1", NULL };
  g_autoptr (GInetAddress) loopback6 = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV6);
  g_autoptr (GSocket) probe
    = g_socket_new (G_SOCKET_FAMILY_IPV6, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr (GSocketAddress) any6 = g_inet_socket_address_new (loopback6, 0);
  gboolean ipv6 = probe != NULL && g_socket_bind (probe, any6, FALSE, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (binds); i++)
    {
      const char *plain[] = { "--console", NULL };
      const char *bound[] = { "--console", "--bind", binds[i], "--port", "0", NULL };
      g_autoptr (Run) run = NULL;

      if (binds[i] != NULL && strchr (binds[i], ':') != NULL && !ipv6)
        continue;
      run = run_rollcall (binds[i] == NULL ? plain : bound, env);
      assert_first_frame (run);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/rollcall/refuses/missing-archive", test_refuses_missing_archive);
  g_test_add_func ("/rollcall/refuses/without-display", test_refuses_without_display);
  g_test_add_func ("/rollcall/refuses/file-that-is-no-archive",
                   test_refuses_file_that_is_no_archive);
  g_test_add_func ("/rollcall/refuses/unknown-vote", test_refuses_unknown_vote);
  g_test_add_func ("/rollcall/refuses/unknown-session", test_refuses_unknown_session);
  g_test_add_func ("/rollcall/refuses/bad-speed", test_refuses_bad_speed);
  g_test_add_func ("/rollcall/refuses/bad-start", test_refuses_bad_start);
  g_test_add_func ("/rollcall/refuses/malformed-options", test_refuses_malformed_options);
  g_test_add_func ("/rollcall/refuses/without-demo", test_refuses_without_demo);
  g_test_add_func ("/rollcall/refuses/bad-feed", test_refuses_bad_feed);
  g_test_add_func ("/rollcall/help", test_help);
  g_test_add_data_func ("/rollcall/feed/ws-draws-the-board", "ws", test_feed_draws_the_board);
  g_test_add_data_func ("/rollcall/feed/sse-draws-the-board", "http", test_feed_draws_the_board);
  g_test_add_func ("/rollcall/feed/kiosk-draws-the-board", test_feed_kiosk_draws_the_board);
  g_test_add_func ("/rollcall/refuses/console-options", test_refuses_console_options);
  g_test_add_func ("/rollcall/desk-draws-its-boards", test_desk_draws_its_boards);
  g_test_add_func ("/rollcall/replay-draws-the-board", test_replay_draws_the_board);
  g_test_add_func ("/rollcall/vote-at-end-draws-the-board", test_vote_at_end_draws_the_board);
  g_test_add_func ("/rollcall/no-arguments-replays-the-demo", test_no_arguments_replays_the_demo);

  return g_test_run ();
}
