/* test-foreign-feed.c — the board subscribed to a feed server that is not ours:
 * tests/feed/protocol-server.py, written from docs/feed-protocol.md alone by someone
 * who had not read Rollcall's code, replaying the demo's General Assembly meeting
 * exported as JSON Lines (rollcall-import --export). The board's window follows it
 * over WebSocket and a second client over Server-Sent Events; in the middle of the
 * ballots the server is killed (SIGKILL) and started again on the same port, as a
 * replaying server starts: a new stream from the beginning. Both clients must end
 * exactly at the meeting's final state, the board's lights must show it, and the
 * stale mark must come and go.
 *
 *   test-foreign-feed ROLLCALL-IMPORT PROTOCOL-SERVER
 *
 * The protocol's own intervals (heartbeats every 2 s, stale after 6 s): the foreign
 * server keeps to the document, not to our tests' faster timing. */
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>

#include "codec/rc-codec.h"
#include "feed/rc-feed-client.h"
#include "model/rc-snapshot.h"
#include "rc-feed-test-program.h"
#include "rc-ui-fixture.h"
#include "rc-ui-watch.h"
#include "render/rc-board-layout.h"
#include "render/rc-style.h"
#include "ui/rc-application.h"
#include "ui/rc-board-widget-private.h"
#include "ui/rc-board-widget.h"
#include "ui/rc-settings.h"
#include "ui/rc-window.h"

#define WAIT_MS 60000
/* The meeting's 112 s at 10×: ballots from 6 s to 10.5 s. */
#define SPEED "10"

static const char *rollcall_import;
static const char *protocol_server;

typedef struct {
  char *dir;
  char *jsonl;
  GSubprocess *server;
  guint port;
} Foreign;

/* Starts the foreign server on port (0: any) and learns its port from its one line. */
static void
foreign_start (Foreign *f, guint port)
{
  g_autofree char *python = g_find_program_in_path ("python3");
  g_autofree char *port_arg = g_strdup_printf ("%u", port);
  g_autoptr (GDataInputStream) out = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *line = NULL;
  const char *prefix = "protocol-server: listening on http://127.0.0.1:";

  g_assert_nonnull (python);
  f->server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, python, protocol_server,
                                "--jsonl", f->jsonl, "--speed", SPEED, "--port", port_arg, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (f->server));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, prefix));
  f->port = (guint) g_ascii_strtoull (line + strlen (prefix), NULL, 10);
  g_assert_cmpuint (f->port, >, 0);
  if (port != 0)
    g_assert_cmpuint (f->port, ==, port);
}

/* kill -9, as a crash or a pulled plug. */
static void
foreign_kill (Foreign *f)
{
  g_autoptr (GError) error = NULL;

  g_subprocess_force_exit (f->server);
  g_subprocess_wait (f->server, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (g_subprocess_get_if_exited (f->server));
  g_clear_object (&f->server);
}

/* SIGTERM: the document's orderly end; the server exits 0. */
static void
foreign_stop (Foreign *f)
{
  g_autoptr (GError) error = NULL;

  g_subprocess_send_signal (f->server, SIGTERM);
  g_subprocess_wait (f->server, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (f->server));
  g_assert_cmpint (g_subprocess_get_exit_status (f->server), ==, 0);
  g_clear_object (&f->server);
}

static void
export_meeting (Foreign *f)
{
  g_autofree char *archive = ui_demo_archive_path ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) export = NULL;

  f->dir = g_dir_make_tmp ("rollcall-foreign-XXXXXX", &error);
  g_assert_no_error (error);
  f->jsonl = g_build_filename (f->dir, "ga.jsonl", NULL);
  export = g_subprocess_new (G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error, rollcall_import,
                             "--export", archive, "--session", "2022-03-02", "-o", f->jsonl,
                             NULL);
  g_assert_no_error (error);
  g_subprocess_wait_check (export, NULL, &error);
  g_assert_no_error (error);
}

/* GET /v1/snapshot of the foreign server, as our codec reads it. The main loop turns
 * meanwhile (the board's connection goes on answering the server's pings), and the
 * request goes straight to the loopback, not through the system's proxy resolver. */
static char *
foreign_snapshot (Foreign *f)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/v1/snapshot", f->port);
  g_autoptr (SoupSession) soup = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr (RcMessage) message = NULL;
  g_autoptr (RcSession) session = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = rc_test_send_bytes (soup, msg, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  message = rc_codec_decode_message (g_bytes_get_data (body, NULL), g_bytes_get_size (body), &error);
  g_assert_no_error (error);
  g_assert_cmpint (message->kind, ==, RC_MESSAGE_SNAPSHOT);
  session = rc_session_new_from_snapshot (message->snapshot, &error);
  g_assert_no_error (error);
  return ui_session_dump (session);
}

static void
test_board_follows_foreign_server (void)
{
  g_autoptr (UiJournal) meeting = ui_journal_new ("2022-03-02");
  g_autoptr (RcSettings) settings = rc_settings_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *ws_url = NULL;
  g_autofree char *sse_url = NULL;
  g_autofree char *ws_dump = NULL;
  g_autofree char *sse_dump = NULL;
  g_autofree char *server_dump = NULL;
  g_autofree char *stream_before = NULL;
  g_autofree char *stream_after = NULL;
  Foreign f = { 0 };
  UiWatch w = { 0 };
  guint first_port;

  /* The truth: the meeting's journal, folded here. */
  while (ui_journal_peek (meeting) != NULL)
    ui_journal_step (meeting);
  expected = ui_session_dump (meeting->session);

  export_meeting (&f);
  foreign_start (&f, 0);
  first_port = f.port;
  ws_url = g_strdup_printf ("ws://127.0.0.1:%u", f.port);
  sse_url = g_strdup_printf ("http://127.0.0.1:%u", f.port);
  w.ws = rc_feed_client_new (ws_url, &error);
  g_assert_no_error (error);
  w.sse = rc_feed_client_new (sse_url, &error);
  g_assert_no_error (error);
  w.window = rc_window_new (NULL, settings, FALSE);
  rc_window_set_feed (w.window, w.ws);
  gtk_window_present (GTK_WINDOW (w.window));
  rc_feed_client_start (w.ws);
  rc_feed_client_start (w.sse);

  /* The middle of the ballots (seq 5 … 191), then the plug is pulled. */
  w.seq = 100;
  ui_wait_until (ui_watch_ws_reached, &w, WAIT_MS,
                 "the board to follow the foreign feed to seq 100");
  stream_before = g_strdup (rc_feed_client_get_last_event_id (w.ws));
  stream_before[strcspn (stream_before, ":")] = '\0';
  g_test_message ("seq 100 reached: the foreign server is killed");
  foreign_kill (&f);
  ui_wait_until (ui_watch_both_down_and_stale, &w, WAIT_MS,
                 "both clients to see the server gone and the board to be marked stale");

  /* Started again, it replays from the beginning as a new stream: the clients take
   * its snapshot, then follow it to the end. */
  g_test_message ("both clients down, the board stale: the foreign server starts again");
  foreign_start (&f, first_port);
  w.seq = rc_session_get_last_seq (meeting->session);
  ui_wait_until (ui_watch_both_live_at_end, &w, WAIT_MS,
                 "both clients to be live at the meeting's last event again");
  stream_after = g_strdup (rc_feed_client_get_last_event_id (w.ws));
  stream_after[strcspn (stream_after, ":")] = '\0';
  g_assert_cmpstr (stream_after, !=, stream_before);

  g_test_message ("both clients live at the end: the states compared");
  ws_dump = ui_session_dump (rc_feed_client_get_session (w.ws));
  sse_dump = ui_session_dump (rc_feed_client_get_session (w.sse));
  server_dump = foreign_snapshot (&f);
  g_assert_cmpstr (ws_dump, ==, expected);
  g_assert_cmpstr (sse_dump, ==, expected);
  g_assert_cmpstr (server_dump, ==, expected);

  /* And the board shows it. */
  ui_wait_board_painted (rc_window_get_board (w.window));
  /* A/RES/ES-11/1: 141 + 5 + 35. */
  g_assert_cmpuint (
    ui_assert_lights (rc_window_get_board (w.window), rc_feed_client_get_session (w.ws)), ==, 181);

  g_test_message ("the board's lights checked: the foreign server stops");
  foreign_stop (&f);
  gtk_window_destroy (GTK_WINDOW (w.window));
  rc_feed_client_stop (w.ws);
  rc_feed_client_stop (w.sse);
  g_object_unref (w.ws);
  g_object_unref (w.sse);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_unlink (f.jsonl);
  g_rmdir (f.dir);
  g_free (f.jsonl);
  g_free (f.dir);
}

int
main (int argc, char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  if (argc != 3)
    {
      g_printerr ("usage: %s ROLLCALL-IMPORT PROTOCOL-SERVER\n", argv[0]);
      return 2;
    }
  rollcall_import = argv[1];
  protocol_server = argv[2];
  rc_application_install_style (gdk_display_get_default ());
  g_test_add_func ("/foreign-feed/board-follows-foreign-server", test_board_follows_foreign_server);
  return g_test_run ();
}
