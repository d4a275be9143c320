/* test-hostile-feed.c — the board's window against a feed server an attacker controls
 * (tests/feed/rc-feed-test-hostile.h), end to end: the real RcWindow and RcFeedClient
 * over WebSocket on 127.0.0.1, under Xvfb.
 *
 * The server sends the demo's General Assembly vote of 2 March 2022, open, then 60,000
 * ballots (members changing their minds, all valid) as fast as its socket takes them,
 * then falls silent. Throughout the flood the window must go on painting frames, and in
 * every frame painted the board is live or carries its stale mark; it ends on the
 * flood's last ballot, on the same connection. Then the silence: the client goes stale,
 * the board's STALE badge is in the pixels, the subtitle says why, and reconnections
 * the server accepts and never speaks on keep it so.
 *
 * With ROLLCALL_TEST_SCREENSHOTS=DIR the stale window is saved as DIR/hostile-stale.png.
 * Intervals are 1/20 of the protocol's (ROLLCALL_FEED_TEST_TIMING=fast). */
#include <gtk/gtk.h>
#include <string.h>

#include "codec/rc-codec.h"
#include "feed/rc-feed-client.h"
#include "model/rc-snapshot.h"
#include "rc-feed-test-hostile.h"
#include "rc-ui-fixture.h"
#include "render/rc-board-layout.h"
#include "render/rc-style.h"
#include "ui/rc-application.h"
#include "ui/rc-board-widget-private.h"
#include "ui/rc-board-widget.h"
#include "ui/rc-settings.h"
#include "ui/rc-window.h"

#define WAIT_MS 60000
#define FLOOD 60000

/* What the server sends, made before it starts. */
typedef struct {
  char *snapshot;
  GBytes *flood;   /* FLOOD ballots, as text frames, then a heartbeat at the last */
  gint64 first_seq; /* of the flood */
  gint64 last_seq;
  char *expected;  /* the state after the flood, encoded */
} Script;

static void
append_frame (GByteArray *out, const char *json)
{
  rc_hostile_append_frame (out, 0x81, json, strlen (json));
}

static void
script_init (Script *s, UiJournal *meeting)
{
  g_autoptr (RcSnapshot) snapshot = NULL;
  g_autoptr (GByteArray) flood = g_byte_array_new ();
  g_autoptr (RcSnapshot) after = NULL;
  g_autofree char *heartbeat = NULL;
  g_autoptr (GPtrArray) voters = g_ptr_array_new ();
  const char *vote_id;
  gint64 time;

  /* The vote open, its first ballot not yet cast. */
  ui_journal_run_to (meeting, RC_EVENT_BALLOT);
  snapshot = rc_session_snapshot (meeting->session);
  s->snapshot = rc_codec_encode_snapshot (snapshot, "flood");
  vote_id = ui_journal_peek (meeting)->vote_id;
  for (guint i = meeting->next; i < meeting->events->len; i++)
    {
      const RcEvent *e = g_ptr_array_index (meeting->events, i);

      if (e->type == RC_EVENT_BALLOT)
        g_ptr_array_add (voters, e->member);
    }
  g_assert_cmpuint (voters->len, >, 100);

  s->first_seq = rc_session_get_last_seq (meeting->session) + 1;
  time = rc_session_get_last_time (meeting->session);
  for (guint i = 0; i < FLOOD; i++)
    {
      /* Yes, no, abstain, yes… for each member in turn: every ballot changes a light. */
      RcChoice choice = RC_CHOICE_YES + (i / voters->len) % 3;
      g_autoptr (RcEvent) ballot =
        rc_event_new_ballot (time + i, vote_id, g_ptr_array_index (voters, i % voters->len),
                             choice);
      g_autoptr (GError) error = NULL;
      g_autofree char *text = NULL;

      ballot->seq = s->first_seq + i;
      g_assert_true (rc_session_apply (meeting->session, ballot, &error));
      text = rc_codec_encode_stream_event (ballot, "flood");
      append_frame (flood, text);
    }
  s->last_seq = s->first_seq + FLOOD - 1;
  heartbeat = rc_codec_encode_heartbeat ("flood", s->last_seq, g_get_real_time ());
  append_frame (flood, heartbeat);
  s->flood = g_byte_array_free_to_bytes (g_steal_pointer (&flood));
  after = rc_session_snapshot (meeting->session);
  s->expected = rc_codec_encode_snapshot (after, "dump");
}

static void
script_clear (Script *s)
{
  g_free (s->snapshot);
  g_bytes_unref (s->flood);
  g_free (s->expected);
}

/* The first connection gets the vote and the flood, then silence; later ones are
 * accepted and get silence only. */
static void
hostile_script (RcHostileConn *conn, gpointer data)
{
  Script *s = data;
  gsize size;
  const guint8 *flood = g_bytes_get_data (s->flood, &size);
  g_autoptr (GByteArray) first = g_byte_array_new ();

  if (!rc_hostile_accept (conn))
    return;
  if (rc_hostile_conn_index (conn) == 0)
    {
      append_frame (first, s->snapshot);
      if (!rc_hostile_send (conn, first->data, first->len) || !rc_hostile_send (conn, flood, size))
        return;
    }
  rc_hostile_hold (conn);
}

/* ---------------------------------------------------------------- the window */

typedef struct {
  RcFeedClient *client;
  RcWindow *window;
  RcBoardWidget *board;
  Script *script;
  guint frames;          /* painted since the client started */
  guint frames_flooding; /* painted while the flood was being applied */
  guint unvouched;       /* painted while not live and not marked stale */
  guint refusals;
} Watch;

static void
on_refused (RcFeedClient *client, const char *reason, Watch *w)
{
  g_test_message ("refused: %s", reason);
  w->refusals++;
}

static gint64
applied_seq (Watch *w)
{
  return rc_session_get_last_seq (rc_feed_client_get_session (w->client));
}

static void
on_after_paint (GdkFrameClock *clock, Watch *w)
{
  gint64 seq = applied_seq (w);

  w->frames++;
  if (seq >= w->script->first_seq && seq < w->script->last_seq)
    w->frames_flooding++;
  if (rc_feed_client_get_state (w->client) != RC_FEED_CLIENT_LIVE &&
      !rc_board_widget_get_stale (w->board))
    w->unvouched++;
}

static gboolean
flood_applied (gpointer data)
{
  Watch *w = data;

  return applied_seq (w) == w->script->last_seq &&
         rc_feed_client_get_state (w->client) == RC_FEED_CLIENT_LIVE;
}

static const char *
subtitle (RcWindow *window)
{
  GtkWidget *header = gtk_window_get_titlebar (GTK_WINDOW (window));
  GtkWidget *title = gtk_header_bar_get_title_widget (GTK_HEADER_BAR (header));

  return gtk_label_get_text (GTK_LABEL (gtk_widget_get_last_child (title)));
}

static gboolean
gone_stale (gpointer data)
{
  Watch *w = data;

  return rc_feed_client_get_state (w->client) == RC_FEED_CLIENT_STALE &&
         rc_board_widget_get_stale (w->board) && g_str_has_prefix (subtitle (w->window), "Stale");
}

/* Pixels of the board's header badge in the palette's abstain colour (the STALE pill). */
static guint
badge_pixels (RcBoardWidget *board)
{
  const RcBoardLayout *layout = rc_board_widget_peek_layout (board);
  g_autoptr (UiPixels) pixels = ui_pixels_render (GTK_WIDGET (board));
  const RcRect *badge = &layout->header_badge;
  RcPalette palette;
  guint n = 0;

  rc_style_resolve_palette (rc_board_widget_get_style (board),
                            rc_session_get_chamber (rc_board_widget_get_session (board)),
                            &palette);
  for (int y = (int) badge->y; y < (int) (badge->y + badge->height); y++)
    for (int x = (int) badge->x; x < (int) (badge->x + badge->width); x++)
      if (ui_colour_near (ui_pixels_get (pixels, x, y), palette.abstain, 8))
        n++;
  return n;
}

static void
save_screenshot (GtkWidget *window, const char *name)
{
  const char *dir = g_getenv ("ROLLCALL_TEST_SCREENSHOTS");
  g_autoptr (GdkPaintable) paintable = NULL;
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  GtkSnapshot *snapshot;
  int width = gtk_widget_get_width (window);
  int height = gtk_widget_get_height (window);

  if (dir == NULL)
    return;
  paintable = gtk_widget_paintable_new (window);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("saved %s", path);
}

static void
test_flood_then_silence (void)
{
  g_autoptr (UiJournal) meeting = ui_journal_new ("2022-03-02");
  g_autoptr (RcSettings) settings = rc_settings_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (RcHostile) server = NULL;
  g_autofree char *url = NULL;
  g_autofree char *dump = NULL;
  g_autoptr (RcSnapshot) shown = NULL;
  Script script = { 0 };
  Watch w = { 0 };
  GdkFrameClock *clock;

  script_init (&script, meeting);
  server = rc_hostile_new (hostile_script, &script);
  url = rc_hostile_url (server, "ws");
  w.script = &script;
  w.client = rc_feed_client_new (url, &error);
  g_assert_no_error (error);
  g_signal_connect (w.client, "message-refused", G_CALLBACK (on_refused), &w);
  w.window = rc_window_new (NULL, settings, FALSE);
  w.board = rc_window_get_board (w.window);
  gtk_window_set_default_size (GTK_WINDOW (w.window), 1280, 720);
  rc_window_set_feed (w.window, w.client);
  gtk_window_present (GTK_WINDOW (w.window));
  ui_wait_board_painted (w.board);
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (w.window));
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &w);

  rc_feed_client_start (w.client);
  ui_wait_until (flood_applied, &w, WAIT_MS, "the flood's last ballot, live");
  g_test_message ("%u frames painted while %d ballots were applied", w.frames_flooding, FLOOD);
  /* Every ballot, on the one connection, none refused. */
  g_assert_cmpuint (rc_hostile_connections (server), ==, 1);
  g_assert_cmpuint (w.refusals, ==, 0);
  shown = rc_session_snapshot (rc_feed_client_get_session (w.client));
  dump = rc_codec_encode_snapshot (shown, "dump");
  g_assert_cmpstr (dump, ==, script.expected);
  /* The window kept painting while it took the flood in. */
  g_assert_cmpuint (w.frames_flooding, >=, 5);

  /* The server falls silent: stale, marked, and said. */
  ui_wait_until (gone_stale, &w, WAIT_MS, "the board to be marked stale");
  ui_wait_board_painted (w.board);
  g_test_message ("stale: %s", subtitle (w.window));
  g_assert_cmpuint (badge_pixels (w.board), >, 50);
  save_screenshot (GTK_WIDGET (w.window), "hostile-stale.png");
  g_assert_cmpuint (w.unvouched, ==, 0);

  g_signal_handlers_disconnect_by_data (clock, &w);
  g_signal_handlers_disconnect_by_data (w.client, &w);
  gtk_window_destroy (GTK_WINDOW (w.window));
  rc_feed_client_stop (w.client);
  g_object_unref (w.client);
  g_clear_pointer (&server, rc_hostile_free);
  script_clear (&script);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

int
main (int argc, char *argv[])
{
  g_setenv ("ROLLCALL_FEED_TEST_TIMING", "fast", FALSE);
  gtk_test_init (&argc, &argv, NULL);
  rc_application_install_style (gdk_display_get_default ());

  g_test_add_func ("/hostile-feed/flood-then-silence", test_flood_then_silence);

  return g_test_run ();
}
