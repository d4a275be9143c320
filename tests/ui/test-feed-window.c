/* test-feed-window.c — the board window driven by a feed, as an operator sees it: the
 * header's subtitle says the connection's state, the board carries its stale mark
 * whenever the client is not live, and it follows what the feed puts on air (or the
 * vote being taken, while the stream has put nothing on air). A real hub and server on
 * 127.0.0.1 in this process, a real RcFeedClient over WebSocket, the demo archive's
 * journal, under Xvfb. Intervals are 1/20 of the protocol's (ROLLCALL_FEED_TEST_TIMING). */
#include <gtk/gtk.h>
#include <string.h>

#include "feed/rc-feed-client.h"
#include "feed/rc-feed-hub.h"
#include "feed/rc-feed-server.h"
#include "rc-ui-fixture.h"
#include "ui/rc-application.h"
#include "ui/rc-board-widget.h"
#include "ui/rc-settings.h"
#include "ui/rc-window.h"

#define WAIT_MS 30000

typedef struct {
  UiJournal *journal; /* the demo's General Assembly meeting */
  RcFeedHub *hub;
  RcFeedServer *server;
  guint port;
  RcFeedClient *client;
  RcSettings *settings;
  RcWindow *window;
  RcBoardWidget *board;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *url = NULL;

  f->journal = ui_journal_new ("2022-03-02");
  f->hub = rc_feed_hub_new ("test", NULL, NULL, &error);
  g_assert_no_error (error);
  f->server = rc_feed_server_new (f->hub, NULL, &error);
  g_assert_no_error (error);
  rc_feed_server_listen (f->server, "127.0.0.1", 0, &error);
  g_assert_no_error (error);
  f->port = rc_feed_server_get_port (f->server);

  url = g_strdup_printf ("ws://127.0.0.1:%u", f->port);
  f->client = rc_feed_client_new (url, &error);
  g_assert_no_error (error);
  f->settings = rc_settings_new ();
  f->window = rc_window_new (NULL, f->settings, FALSE);
  f->board = rc_window_get_board (f->window);
  rc_window_set_feed (f->window, f->client);
  gtk_window_present (GTK_WINDOW (f->window));
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  rc_feed_client_stop (f->client);
  g_object_unref (f->client);
  if (f->server != NULL)
    rc_feed_server_shutdown (f->server);
  g_clear_object (&f->server);
  g_object_unref (f->hub);
  g_object_unref (f->settings);
  ui_journal_free (f->journal);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Publishes the journal's events [from, to), leaving out on-air events if asked. */
static void
publish (Fixture *f, guint from, guint to, gboolean on_air)
{
  for (guint i = from; i < to && i < f->journal->events->len; i++)
    {
      const RcEvent *event = g_ptr_array_index (f->journal->events, i);
      g_autoptr (GError) error = NULL;
      g_autoptr (RcEvent) published = NULL;

      if (event->type == RC_EVENT_ON_AIR && !on_air)
        continue;
      published = rc_feed_hub_publish (f->hub, event, &error);
      g_assert_no_error (error);
    }
}

static const char *
subtitle (Fixture *f)
{
  GtkWidget *header = gtk_window_get_titlebar (GTK_WINDOW (f->window));
  GtkWidget *title = gtk_header_bar_get_title_widget (GTK_HEADER_BAR (header));
  GtkWidget *label = gtk_widget_get_last_child (title);

  g_assert_true (GTK_IS_LABEL (label));
  if (!gtk_widget_get_visible (label))
    return "";
  return gtk_label_get_text (GTK_LABEL (label));
}

static gboolean
is_live (gpointer data)
{
  Fixture *f = data;

  return rc_feed_client_get_state (f->client) == RC_FEED_CLIENT_LIVE &&
         rc_session_get_last_seq (rc_feed_client_get_session (f->client)) ==
           rc_feed_hub_get_last_seq (f->hub);
}

static gboolean
is_reconnecting (gpointer data)
{
  Fixture *f = data;

  return rc_feed_client_get_state (f->client) == RC_FEED_CLIENT_RECONNECTING;
}

static gboolean
subtitle_says_refused (gpointer data)
{
  return strstr (subtitle (data), "connection refused") != NULL;
}

static void
test_subtitle_and_stale_mark (Fixture *f, gconstpointer data)
{
  g_autofree char *live = g_strdup_printf ("Live · 127.0.0.1:%u", f->port);
  g_autoptr (GError) error = NULL;

  /* Before anything was heard: not live, so marked. */
  g_assert_true (rc_board_widget_get_stale (f->board));
  g_assert_nonnull (strstr (subtitle (f), "127.0.0.1"));

  publish (f, 0, f->journal->events->len, TRUE);
  rc_feed_client_start (f->client);
  ui_wait_until (is_live, f, WAIT_MS, "the client to be live");
  g_assert_cmpstr (subtitle (f), ==, live);
  g_assert_false (rc_board_widget_get_stale (f->board));
  g_assert_true (rc_board_widget_get_session (f->board) == rc_feed_client_get_session (f->client));
  ui_wait_board_painted (f->board);

  /* The server goes: the board says it can no longer vouch, the operator sees why. */
  rc_feed_server_shutdown (f->server);
  g_clear_object (&f->server);
  ui_wait_until (is_reconnecting, f, WAIT_MS, "the client to reconnect");
  g_assert_true (rc_board_widget_get_stale (f->board));
  ui_wait_until (subtitle_says_refused, f, WAIT_MS, "the subtitle to say why");
  g_assert_true (g_str_has_prefix (subtitle (f), "Reconnecting in "));
  g_assert_cmpstr (subtitle (f), ==, rc_feed_client_get_status (f->client));

  /* It comes back on the same port: live again, the mark gone. */
  f->server = rc_feed_server_new (f->hub, NULL, &error);
  g_assert_no_error (error);
  rc_feed_server_listen (f->server, "127.0.0.1", f->port, &error);
  g_assert_no_error (error);
  ui_wait_until (is_live, f, WAIT_MS, "the client to be live again");
  g_assert_false (rc_board_widget_get_stale (f->board));
  g_assert_cmpstr (subtitle (f), ==, live);
}

static gboolean
board_shows_es_11_1 (gpointer data)
{
  RcVote *vote = rc_board_widget_get_vote (((Fixture *) data)->board);

  return vote != NULL && g_strcmp0 (rc_vote_get_id (vote), "es-11-1") == 0;
}

static gboolean
board_shows_nothing (gpointer data)
{
  return rc_board_widget_get_vote (((Fixture *) data)->board) == NULL;
}

static void
test_follows_on_air (Fixture *f, gconstpointer data)
{
  g_autoptr (RcEvent) blank = rc_event_new_on_air (0, RC_ON_AIR_BLANK, NULL);
  g_autoptr (RcEvent) published = NULL;
  g_autoptr (GError) error = NULL;

  /* The demo puts the vote on air: the board shows it. */
  publish (f, 0, f->journal->events->len, TRUE);
  rc_feed_client_start (f->client);
  ui_wait_until (is_live, f, WAIT_MS, "the client to be live");
  ui_wait_until (board_shows_es_11_1, f, WAIT_MS, "the vote on air");
  g_assert_cmpint (rc_board_widget_get_follow (f->board), ==, RC_BOARD_FOLLOW_ON_AIR);

  /* An operator blanks the screens. */
  published = rc_feed_hub_publish (f->hub, blank, &error);
  g_assert_no_error (error);
  ui_wait_until (board_shows_nothing, f, WAIT_MS, "the blank screen");
  g_assert_cmpint (rc_session_get_on_air (rc_feed_client_get_session (f->client)), ==,
                   RC_ON_AIR_BLANK);
}

static void
test_follows_current_without_on_air (Fixture *f, gconstpointer data)
{
  g_autoptr (RcEvent) blank = rc_event_new_on_air (0, RC_ON_AIR_BLANK, NULL);
  g_autoptr (RcEvent) published = NULL;
  g_autoptr (GError) error = NULL;

  /* A stream that never says what is on air: the vote being taken is shown. */
  publish (f, 0, f->journal->events->len, FALSE);
  rc_feed_client_start (f->client);
  ui_wait_until (is_live, f, WAIT_MS, "the client to be live");
  ui_wait_until (board_shows_es_11_1, f, WAIT_MS, "the vote being taken");
  g_assert_cmpint (rc_board_widget_get_follow (f->board), ==, RC_BOARD_FOLLOW_CURRENT);

  /* Once it does, the board obeys it. */
  published = rc_feed_hub_publish (f->hub, blank, &error);
  g_assert_no_error (error);
  ui_wait_until (board_shows_nothing, f, WAIT_MS, "the blank screen");
  g_assert_cmpint (rc_board_widget_get_follow (f->board), ==, RC_BOARD_FOLLOW_ON_AIR);
}

static void
test_chosen_vote_stays (Fixture *f, gconstpointer data)
{
  g_autoptr (RcEvent) blank = rc_event_new_on_air (0, RC_ON_AIR_BLANK, NULL);
  g_autoptr (RcEvent) published = NULL;
  g_autoptr (GError) error = NULL;

  rc_board_widget_set_vote_id (f->board, "es-11-1");
  publish (f, 0, f->journal->events->len, TRUE);
  rc_feed_client_start (f->client);
  ui_wait_until (is_live, f, WAIT_MS, "the client to be live");
  published = rc_feed_hub_publish (f->hub, blank, &error);
  g_assert_no_error (error);
  ui_wait_until (is_live, f, WAIT_MS, "the blank to arrive");
  g_assert_true (board_shows_es_11_1 (f));
  g_assert_cmpint (rc_board_widget_get_follow (f->board), ==, RC_BOARD_FOLLOW_NONE);
}

static gboolean
window_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (((Fixture *) data)->window));
}

/* A new user pressed Space in a --feed window and the main menu opened: the replay
 * keys do nothing there (their actions are off), and the key went to the one widget
 * that had the focus, the menu button. The board holds the focus now, and takes no
 * key: Space, the arrows, + and - do nothing in a feed window; the menu is F10 or a
 * Tab away, as in every GNOME window. */
static void
test_keys_reach_no_button (Fixture *f, gconstpointer data)
{
  GtkWidget *focus;

  ui_wait_until (window_mapped, f, WAIT_MS, "the window to be mapped");
  focus = gtk_root_get_focus (GTK_ROOT (f->window));
  g_assert_true (focus == GTK_WIDGET (f->board));
}

int
main (int argc, char *argv[])
{
  g_setenv ("ROLLCALL_FEED_TEST_TIMING", "fast", FALSE);
  gtk_test_init (&argc, &argv, NULL);
  rc_application_install_style (gdk_display_get_default ());

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/feed-window/subtitle-and-stale-mark", test_subtitle_and_stale_mark);
  ADD ("/feed-window/follows-on-air", test_follows_on_air);
  ADD ("/feed-window/follows-current-without-on-air", test_follows_current_without_on_air);
  ADD ("/feed-window/chosen-vote-stays", test_chosen_vote_stays);
  ADD ("/feed-window/keys-reach-no-button", test_keys_reach_no_button);
#undef ADD

  return g_test_run ();
}
