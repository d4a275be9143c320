/* test-edge-feed.c — the board's window following a vote through an nginx + nchan edge
 * (docs/deploy.md), as the public would: the built rollcall-feed replays the demo's
 * General Assembly meeting and posts it to the edge (--publish); the window follows
 * the edge over WebSocket and a second client over Server-Sent Events. In the middle
 * of the ballots the edge is killed (SIGKILL, its workers with it) and started again
 * on the same ports, empty: both clients go stale, come back, take the origin's fresh
 * snapshot (in the stream, or beside it), and must end exactly at the origin's final
 * state, the board's lights showing it and its stale mark gone.
 *
 *   test-edge-feed ROLLCALL-FEED NGINX REDIS-SERVER DEPLOY-DIR */
#include <gtk/gtk.h>
#include <libsoup/soup.h>
#include <string.h>

#include "codec/rc-codec.h"
#include "feed/rc-feed-client.h"
#include "model/rc-snapshot.h"
#include "rc-archive-test-util.h"
#include "rc-feed-test-edge.h"
#include "rc-feed-test-program.h"
#include "rc-ui-fixture.h"
#include "rc-ui-watch.h"
#include "ui/rc-board-widget.h"
#include "ui/rc-settings.h"
#include "ui/rc-window.h"

#define WAIT_MS 60000

static const char *rollcall_feed;

static void
test_board_follows_edge (void)
{
  g_autoptr (UiJournal) meeting = ui_journal_new ("2022-03-02");
  g_autoptr (RcSettings) settings = rc_settings_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = rc_test_make_tmpdir ();
  g_autofree char *archive = ui_demo_archive_path ();
  g_autoptr (RcTestEdge) edge = rc_test_edge_new (dir, "edge", NULL);
  g_autofree char *publish = rc_test_edge_publish_url (edge);
  g_autofree char *http_url = rc_test_edge_url (edge);
  g_autofree char *ws_url = g_strdup_printf ("ws://127.0.0.1:%u", edge->public_port);
  g_autoptr (SoupSession) http = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  g_autoptr (RcTestProgram) origin = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *origin_body = NULL;
  g_autoptr (RcMessage) origin_snapshot = NULL;
  g_autoptr (RcSession) origin_session = NULL;
  g_autofree char *origin_dump = NULL;
  g_autofree char *ws_dump = NULL;
  g_autofree char *sse_dump = NULL;
  const char *argv[] = { rollcall_feed, "--replay", archive, "--session", "2022-03-02", "--speed",
                         "10",          "--port",   "0",     "--publish", publish,      NULL };
  UiWatch w = { 0 };

  /* The truth: the meeting's journal, folded here. */
  while (ui_journal_peek (meeting) != NULL)
    ui_journal_step (meeting);
  expected = ui_session_dump (meeting->session);

  w.ws = rc_feed_client_new (ws_url, &error);
  g_assert_no_error (error);
  w.sse = rc_feed_client_new (http_url, &error);
  g_assert_no_error (error);
  w.window = rc_window_new (NULL, settings, FALSE);
  rc_window_set_feed (w.window, w.ws);
  gtk_window_present (GTK_WINDOW (w.window));
  rc_feed_client_start (w.ws);
  rc_feed_client_start (w.sse);
  origin = rc_test_program_start (argv, NULL);

  /* The middle of the ballots (seq 5 … 191), then the edge's plug is pulled. */
  w.seq = 100;
  ui_wait_until (ui_watch_ws_reached, &w, WAIT_MS, "the board to follow the edge to seq 100");
  g_test_message ("seq 100 reached: the edge is killed");
  rc_test_edge_kill (edge);
  ui_wait_until (ui_watch_both_down_and_stale, &w, WAIT_MS,
                 "both clients to see the edge gone and the board to be marked stale");
  g_test_message ("both clients down, the board stale: the edge starts again, empty");
  rc_test_edge_start (edge);
  w.seq = rc_session_get_last_seq (meeting->session);
  ui_wait_until (ui_watch_both_live_at_end, &w, WAIT_MS,
                 "both clients to be live at the meeting's last event again");

  g_test_message ("both clients live at the end: the states compared with the origin's");
  origin_body = rc_test_get_snapshot (http, origin->url);
  origin_snapshot = rc_codec_decode_message (origin_body, -1, &error);
  g_assert_no_error (error);
  origin_session = rc_session_new_from_snapshot (origin_snapshot->snapshot, &error);
  g_assert_no_error (error);
  origin_dump = ui_session_dump (origin_session);
  ws_dump = ui_session_dump (rc_feed_client_get_session (w.ws));
  sse_dump = ui_session_dump (rc_feed_client_get_session (w.sse));
  g_assert_cmpstr (origin_dump, ==, expected);
  g_assert_cmpstr (ws_dump, ==, expected);
  g_assert_cmpstr (sse_dump, ==, expected);

  /* And the board shows it: A/RES/ES-11/1, 141 + 5 + 35 lights. */
  ui_wait_board_painted (rc_window_get_board (w.window));
  g_assert_cmpuint (
    ui_assert_lights (rc_window_get_board (w.window), rc_feed_client_get_session (w.ws)), ==, 181);

  rc_test_program_stop (origin);
  gtk_window_destroy (GTK_WINDOW (w.window));
  rc_feed_client_stop (w.ws);
  rc_feed_client_stop (w.sse);
  g_object_unref (w.ws);
  g_object_unref (w.sse);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

int
main (int argc, char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  if (argc != 5)
    {
      g_printerr ("usage: %s ROLLCALL-FEED NGINX REDIS-SERVER DEPLOY-DIR\n", argv[0]);
      return 2;
    }
  rollcall_feed = argv[1];
  rc_test_edge_init (argv[2], argv[3], argv[4]);
  g_test_add_func ("/edge-feed/board-follows-edge", test_board_follows_edge);
  return g_test_run ();
}
