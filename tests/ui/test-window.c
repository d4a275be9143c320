/* test-window.c — the board window: its actions (full screen, glyphs, replay keys),
 * its title, and kiosk mode. A real RcWindow replaying the demo archive under Xvfb;
 * settings in memory (GSETTINGS_BACKEND=memory). */
#include <gtk/gtk.h>

#include "model/rc-replay.h"
#include "rc-ui-fixture.h"
#include "render/rc-board-layout.h"
#include "ui/rc-board-widget-private.h"
#include "ui/rc-application.h"
#include "ui/rc-board-widget.h"
#include "ui/rc-replay-plan.h"
#include "ui/rc-settings.h"
#include "ui/rc-window.h"

typedef struct {
  RcReplayPlan *plan;
  RcReplay *replay;
  RcSettings *settings;
  RcWindow *window;
  RcBoardWidget *board;
  int expected_width, expected_height;
  gboolean predicted; /* rc_window_predict_board_size() said a size */
  int predicted_width, predicted_height;
} Fixture;

/* prepare: what `rollcall` does, the board laid out on a thread while the window maps. */
static void
set_up (Fixture *f, gboolean kiosk, gboolean prepare, const char *board_language)
{
  g_autofree char *path = ui_demo_archive_path ();
  g_autoptr (GError) error = NULL;

  /* The memory settings backend lives as long as the process: start from defaults. */
  {
    g_autoptr (GSettings) gsettings = g_settings_new ("io.github.rollcall.Rollcall");
    g_autoptr (GSettingsSchema) schema = NULL;
    g_auto (GStrv) keys = NULL;

    g_object_get (gsettings, "settings-schema", &schema, NULL);
    keys = g_settings_schema_list_keys (schema);
    for (guint i = 0; keys[i] != NULL; i++)
      g_settings_reset (gsettings, keys[i]);
  }

  f->plan = rc_replay_plan_load (path, "2022-03-02", NULL, &error);
  g_assert_no_error (error);
  f->replay = rc_replay_new (f->plan->events);
  f->settings = rc_settings_new ();
  if (board_language != NULL)
    rc_settings_override_board_language (f->settings, board_language);
  f->window = rc_window_new (NULL, f->settings, kiosk);
  f->board = rc_window_get_board (f->window);
  rc_board_widget_set_follow_on_air (f->board, TRUE);
  rc_window_set_replay (f->window, f->replay, f->plan->start_time);
  f->predicted =
    rc_window_predict_board_size (f->window, &f->predicted_width, &f->predicted_height);
  if (prepare && f->predicted)
    rc_board_widget_prepare (f->board, f->predicted_width, f->predicted_height);
  gtk_window_present (GTK_WINDOW (f->window));
  ui_wait_board_painted (f->board);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  set_up (f, FALSE, FALSE, data);
}

static void
fixture_set_up_prepared (Fixture *f, gconstpointer data)
{
  set_up (f, FALSE, TRUE, data);
}

static void
fixture_set_up_kiosk (Fixture *f, gconstpointer data)
{
  set_up (f, TRUE, TRUE, data);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_object_unref (f->replay);
  g_object_unref (f->settings);
  rc_replay_plan_free (f->plan);
}

static void
activate (Fixture *f, const char *action)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), action, NULL));
}

static gboolean
is_fullscreen (gpointer data)
{
  return gtk_window_is_fullscreen (data);
}

static gboolean
is_not_fullscreen (gpointer data)
{
  return !gtk_window_is_fullscreen (data);
}

static gboolean
header_bar_hidden (gpointer data)
{
  Fixture *f = data;
  GtkWidget *titlebar = gtk_window_get_titlebar (GTK_WINDOW (f->window));

  return titlebar == NULL || !gtk_widget_get_visible (titlebar);
}

static gboolean have_window_manager;

static gboolean
timed_out (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Lets the main loop (and the X server's answers) run for a while. */
static void
settle (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timed_out, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
cursor_hidden (gpointer data)
{
  GdkCursor *cursor = gtk_widget_get_cursor (data);

  return cursor != NULL && g_strcmp0 (gdk_cursor_get_name (cursor), "none") == 0;
}

static gboolean
board_fills_monitor (gpointer data)
{
  Fixture *f = data;

  return gtk_widget_get_width (GTK_WIDGET (f->board)) == f->expected_width &&
         gtk_widget_get_height (GTK_WIDGET (f->board)) == f->expected_height;
}

/* Sets what the board should measure: the first monitor. */
static void
expect_monitor_size (Fixture *f)
{
  GListModel *monitors = gdk_display_get_monitors (gdk_display_get_default ());
  GdkMonitor *monitor = g_list_model_get_item (monitors, 0);
  GdkRectangle geometry;

  gdk_monitor_get_geometry (monitor, &geometry);
  g_object_unref (monitor);
  f->expected_width = geometry.width;
  f->expected_height = geometry.height;
}

static void
test_fullscreen_action_toggles (Fixture *f, gconstpointer data)
{
  if (!have_window_manager)
    {
      g_test_skip ("full screen needs a window manager (install openbox)");
      return;
    }
  g_assert_false (gtk_window_is_fullscreen (GTK_WINDOW (f->window)));
  g_assert_false (header_bar_hidden (f));

  activate (f, "win.fullscreen");
  ui_wait_until (is_fullscreen, f->window, 5000, "full screen");
  /* Full screen is the board only, to the screen's edges (no frame, no border), and
   * the cursor goes after a few still seconds. */
  g_assert_true (header_bar_hidden (f));
  expect_monitor_size (f);
  ui_wait_until (board_fills_monitor, f, 5000, "the board to fill the monitor");
  g_assert_false (cursor_hidden (f->window));
  ui_wait_until (cursor_hidden, f->window, 10000, "the cursor to hide");

  activate (f, "win.fullscreen");
  ui_wait_until (is_not_fullscreen, f->window, 5000, "the end of full screen");
  g_assert_false (header_bar_hidden (f));
  g_assert_false (cursor_hidden (f->window));
}

static void
test_glyphs_action_is_the_setting (Fixture *f, gconstpointer data)
{
  g_autoptr (GSettings) gsettings = g_settings_new ("io.github.rollcall.Rollcall");

  g_assert_false (rc_board_widget_get_glyphs (f->board));

  activate (f, "win.glyphs");
  g_assert_true (rc_board_widget_get_glyphs (f->board));
  g_assert_true (rc_settings_get_colour_blind_glyphs (f->settings));
  g_assert_true (g_settings_get_boolean (gsettings, "colour-blind-glyphs"));

  /* A change made elsewhere (another window, dconf) reaches the board. */
  g_settings_set_boolean (gsettings, "colour-blind-glyphs", FALSE);
  g_assert_false (rc_board_widget_get_glyphs (f->board));
}

/* The label the board draws for a member, from the layout of its last frame. */
static const char *
board_label (Fixture *f, const char *code)
{
  const RcBoardLayout *layout = rc_board_widget_peek_layout (f->board);
  int index;

  g_assert_nonnull (layout);
  index = rc_roster_find (layout->roster, code);
  g_assert_cmpint (index, >=, 0);
  return rc_board_layout_get_label (layout, index);
}

static void
test_current_names_action_is_the_setting (Fixture *f, gconstpointer data)
{
  g_autoptr (GSettings) gsettings = g_settings_new ("io.github.rollcall.Rollcall");
  const RcBoardLayout *layout;

  /* 2 March 2022: Turkey, as the record has it */
  g_assert_cmpstr (board_label (f, "TUR"), ==, "Turkey");
  activate (f, "win.current-names");
  g_assert_true (g_settings_get_boolean (gsettings, "current-names"));
  ui_wait_board_painted (f->board);
  /* today's name, in the same place on the board */
  g_assert_cmpstr (board_label (f, "TUR"), ==, "Türkiye");
  layout = rc_board_widget_peek_layout (f->board);
  g_assert_cmpint (rc_roster_find (layout->roster, "TUR"), ==,
                   rc_roster_find (layout->roster, "TUN") + 1);

  g_settings_set_boolean (gsettings, "current-names", FALSE);
  ui_wait_board_painted (f->board);
  g_assert_cmpstr (board_label (f, "TUR"), ==, "Turkey");
}

static void
test_palette_setting_recolours (Fixture *f, gconstpointer data)
{
  const RcStyle *style;

  rc_settings_set_palette (f->settings, "blue-red-white");
  style = rc_board_widget_get_style (f->board);
  g_assert_true (style->has_palette);

  /* A palette that does not exist leaves the chamber's own colours. */
  rc_settings_set_palette (f->settings, "no-such-palette");
  style = rc_board_widget_get_style (f->board);
  g_assert_false (style->has_palette);
}

static void
test_replay_keys (Fixture *f, gconstpointer data)
{
  gint64 position;

  g_assert_true (rc_replay_is_playing (f->replay) == FALSE);
  activate (f, "win.play-pause");
  g_assert_true (rc_replay_is_playing (f->replay));
  activate (f, "win.play-pause");
  g_assert_false (rc_replay_is_playing (f->replay));

  position = rc_replay_get_position (f->replay);
  activate (f, "win.seek-forward");
  g_assert_cmpint (rc_replay_get_position (f->replay), ==,
                   position + RC_WINDOW_SEEK_STEP_SECONDS * G_USEC_PER_SEC);
  activate (f, "win.seek-backward");
  g_assert_cmpint (rc_replay_get_position (f->replay), ==, position);
  /* Before the start is the start. */
  activate (f, "win.seek-backward");
  g_assert_cmpint (rc_replay_get_position (f->replay), ==, 0);

  activate (f, "win.faster");
  g_assert_cmpfloat (rc_replay_get_speed (f->replay), ==, 2.0);
  activate (f, "win.slower");
  activate (f, "win.slower");
  g_assert_cmpfloat (rc_replay_get_speed (f->replay), ==, 0.5);
}

static void
test_speed_has_limits (Fixture *f, gconstpointer data)
{
  for (int i = 0; i < 20 && gtk_widget_activate_action (GTK_WIDGET (f->window), "win.faster", NULL); i++)
    ;
  g_assert_cmpfloat (rc_replay_get_speed (f->replay), ==, RC_WINDOW_MAX_SPEED);
  /* At the limit the key does nothing. */
  activate (f, "win.faster");
  g_assert_cmpfloat (rc_replay_get_speed (f->replay), ==, RC_WINDOW_MAX_SPEED);
  for (int i = 0; i < 20; i++)
    activate (f, "win.slower");
  g_assert_cmpfloat (rc_replay_get_speed (f->replay), ==, RC_WINDOW_MIN_SPEED);
}

static void
test_title_follows_the_vote (Fixture *f, gconstpointer data)
{
  /* Before the vote: the meeting. At the end: the resolution's symbol. */
  g_assert_null (rc_board_widget_get_vote (f->board));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (f->window)), ==, "A/ES-11/PV.5 – Rollcall");

  rc_replay_seek (f->replay, rc_replay_get_duration (f->replay));
  g_assert_nonnull (rc_board_widget_get_vote (f->board));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (f->window)), ==, "A/RES/ES-11/1 – Rollcall");
  ui_wait_board_painted (f->board);
}

static void
test_seek_back_replaces_session (Fixture *f, gconstpointer data)
{
  RcSession *first;

  rc_replay_seek (f->replay, rc_replay_get_duration (f->replay));
  first = rc_board_widget_get_session (f->board);
  g_assert_true (first == rc_replay_get_session (f->replay));

  activate (f, "win.seek-backward");
  /* The journal folds again into a new session, and the board shows that one. */
  g_assert_true (rc_board_widget_get_session (f->board) == rc_replay_get_session (f->replay));
  g_assert_true (rc_board_widget_get_session (f->board) != first);
  ui_wait_board_painted (f->board);
}

static void
test_kiosk_is_board_only (Fixture *f, gconstpointer data)
{
  g_assert_true (rc_window_get_kiosk (f->window));
  g_assert_true (header_bar_hidden (f));
  /* a hall's screen: no operator's marks (the official totals' mismatch) */
  g_assert_true (rc_board_widget_get_style (rc_window_get_board (f->window))->hall);
  if (have_window_manager)
    {
      ui_wait_until (is_fullscreen, f->window, 5000, "full screen");
      /* No accidental way out of full screen: F11 and Escape do nothing. */
      activate (f, "win.fullscreen");
      activate (f, "win.leave-fullscreen");
      settle (500);
      g_assert_true (gtk_window_is_fullscreen (GTK_WINDOW (f->window)));
    }
  g_assert_true (header_bar_hidden (f));
  /* Hidden from the start; a pointer crossing the screen (another test's window on
   * the same display) brings it back until it is still for a few seconds. */
  ui_wait_until (cursor_hidden, f->window, 10000, "the cursor to hide");

  /* It covers the monitor, window manager or not. */
  expect_monitor_size (f);
  ui_wait_until (board_fills_monitor, f, 5000, "the board to fill the monitor");
}

/* The window foresees the board's size (default size, less the decorations' margins
 * and the header bar), the board is laid out on a thread meanwhile, and the first
 * frame takes that layout over instead of computing its own. */
static void
test_board_prepared_while_mapping (Fixture *f, gconstpointer data)
{
  RcBoardWidgetStats stats;
  const RcBoardLayout *layout = rc_board_widget_peek_layout (f->board);

  g_assert_true (f->predicted);
  g_assert_cmpint (f->predicted_width, ==, gtk_widget_get_width (GTK_WIDGET (f->board)));
  g_assert_cmpint (f->predicted_height, ==, gtk_widget_get_height (GTK_WIDGET (f->board)));
  rc_board_widget_get_stats (f->board, &stats);
  g_assert_cmpuint (stats.prepared, ==, 1);
  g_assert_cmpuint (stats.layouts, ==, 1);
  g_assert_cmpint (layout->width, ==, f->predicted_width);
  /* Once drawn, the board has nothing more to prepare. */
  rc_board_widget_prepare (f->board, 800, 600);
  rc_board_widget_get_stats (f->board, &stats);
  g_assert_cmpuint (stats.prepared, ==, 1);
}

/* A prepared layout for another size, or made before the style changed, is not
 * used: the first frame lays the board out itself. */
static void
test_board_prepared_wrong_is_not_used (Fixture *f, gconstpointer data)
{
  g_autoptr (RcSettings) settings = rc_settings_new ();
  RcWindow *window = rc_window_new (NULL, settings, FALSE);
  RcBoardWidget *board = rc_window_get_board (window);
  RcWindow *second = rc_window_new (NULL, settings, FALSE);
  RcBoardWidget *second_board = rc_window_get_board (second);
  g_autoptr (RcStyle) style = NULL;
  RcBoardWidgetStats stats;
  int width, height;

  rc_board_widget_set_session (board, rc_board_widget_get_session (f->board));
  rc_board_widget_set_vote (board, rc_board_widget_get_vote (f->board));
  g_assert_true (rc_window_predict_board_size (window, &width, &height));
  rc_board_widget_prepare (board, width + 10, height);
  gtk_window_present (GTK_WINDOW (window));
  ui_wait_board_painted (board);
  rc_board_widget_get_stats (board, &stats);
  g_assert_cmpuint (stats.prepared, ==, 0);
  g_assert_cmpuint (stats.layouts, ==, 1);

  rc_board_widget_set_session (second_board, rc_board_widget_get_session (f->board));
  rc_board_widget_set_vote (second_board, rc_board_widget_get_vote (f->board));
  g_assert_true (rc_window_predict_board_size (second, &width, &height));
  rc_board_widget_prepare (second_board, width, height);
  style = rc_style_copy (rc_board_widget_get_style (second_board));
  rc_style_set_font_family (style, "Serif");
  rc_board_widget_set_style (second_board, style);
  gtk_window_present (GTK_WINDOW (second));
  ui_wait_board_painted (second_board);
  rc_board_widget_get_stats (second_board, &stats);
  g_assert_cmpuint (stats.prepared, ==, 0);
  g_assert_cmpstr (pango_font_description_get_family (
                     rc_board_widget_peek_layout (second_board)->label_font),
                   ==, "Serif");

  gtk_window_destroy (GTK_WINDOW (window));
  gtk_window_destroy (GTK_WINDOW (second));
}

/* The header bar's first descendant of type (depth first), or NULL. */
static GtkWidget *
find_in_header_bar (Fixture *f, GType type)
{
  GtkWidget *child = gtk_widget_get_first_child (gtk_window_get_titlebar (GTK_WINDOW (f->window)));

  while (child != NULL && !G_TYPE_CHECK_INSTANCE_TYPE (child, type))
    {
      if (gtk_widget_get_first_child (child) != NULL)
        child = gtk_widget_get_first_child (child);
      else
        {
          while (child != NULL && gtk_widget_get_next_sibling (child) == NULL)
            child = gtk_widget_get_parent (child);
          child = child != NULL ? gtk_widget_get_next_sibling (child) : NULL;
        }
    }
  return child;
}

static gboolean
header_icons_shown (gpointer data)
{
  Fixture *f = data;
  GtkMenuButton *menu = GTK_MENU_BUTTON (find_in_header_bar (f, GTK_TYPE_MENU_BUTTON));

  return g_strcmp0 (gtk_menu_button_get_icon_name (menu), "open-menu-symbolic") == 0 &&
         g_strcmp0 (gtk_window_get_icon_name (GTK_WINDOW (f->window)),
                    "io.github.rollcall.Rollcall") == 0 &&
         gtk_header_bar_get_show_title_buttons (
           GTK_HEADER_BAR (gtk_window_get_titlebar (GTK_WINDOW (f->window))));
}

/* The header bar's icons come after the board's first frame (the icon theme loads
 * then), and follow the replay's state from then on. */
static void
test_header_icons_after_first_frame (Fixture *f, gconstpointer data)
{
  /* The header bar's start comes first: the play button. */
  GtkButton *play = GTK_BUTTON (find_in_header_bar (f, GTK_TYPE_BUTTON));
  int width = gtk_widget_get_width (GTK_WIDGET (f->board));
  int height = gtk_widget_get_height (GTK_WIDGET (f->board));

  g_assert_nonnull (play);
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (play)), ==, "win.play-pause");
  ui_wait_until (header_icons_shown, f, 5000, "the header bar's icons");
  /* The window's buttons fit in the header bar as it was: the board keeps its size. */
  settle (300);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (f->board)), ==, width);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (f->board)), ==, height);
  g_assert_cmpstr (gtk_button_get_icon_name (play), ==,
                   rc_replay_is_playing (f->replay) ? "media-playback-pause-symbolic"
                                                    : "media-playback-start-symbolic");
  if (rc_replay_is_playing (f->replay))
    rc_replay_pause (f->replay);
  else
    rc_replay_play (f->replay);
  g_assert_cmpstr (gtk_button_get_icon_name (play), ==,
                   rc_replay_is_playing (f->replay) ? "media-playback-pause-symbolic"
                                                    : "media-playback-start-symbolic");
}

/* The main menu's popover is built when the menu is first opened, with the app's
 * menu (its last item shows the keyboard shortcuts). */
static void
test_menu_built_on_demand (Fixture *f, gconstpointer data)
{
  GtkMenuButton *button = GTK_MENU_BUTTON (find_in_header_bar (f, GTK_TYPE_MENU_BUTTON));
  GMenuModel *menu;
  gboolean shortcuts = FALSE;

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (button)));
  g_assert_null (gtk_menu_button_get_menu_model (button));

  gtk_menu_button_popup (button);
  menu = gtk_menu_button_get_menu_model (button);
  g_assert_nonnull (menu);
  g_assert_nonnull (gtk_menu_button_get_popover (button));
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autoptr (GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);

      for (int j = 0; section != NULL && j < g_menu_model_get_n_items (section); j++)
        {
          g_autofree char *action = NULL;

          if (g_menu_model_get_item_attribute (section, j, G_MENU_ATTRIBUTE_ACTION, "s", &action))
            shortcuts = shortcuts || g_strcmp0 (action, "win.show-help-overlay") == 0;
        }
    }
  g_assert_true (shortcuts);
  gtk_menu_button_popdown (button);
}

int
main (int argc, char *argv[])
{
  int status;

  have_window_manager = ui_ensure_window_manager ();
  gtk_test_init (&argc, &argv, NULL);
  /* What the application does at start-up: the app's own style sheet. */
  rc_application_install_style (gdk_display_get_default ());

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/window/fullscreen-action-toggles", test_fullscreen_action_toggles);
  ADD ("/window/glyphs-action-is-the-setting", test_glyphs_action_is_the_setting);
  ADD ("/window/current-names-action-is-the-setting", test_current_names_action_is_the_setting);
  ADD ("/window/palette-setting-recolours", test_palette_setting_recolours);
  ADD ("/window/replay-keys", test_replay_keys);
  ADD ("/window/speed-has-limits", test_speed_has_limits);
  ADD ("/window/title-follows-the-vote", test_title_follows_the_vote);
  ADD ("/window/seek-back-replaces-session", test_seek_back_replaces_session);
  ADD ("/window/board-prepared-wrong-is-not-used", test_board_prepared_wrong_is_not_used);
  ADD ("/window/menu-built-on-demand", test_menu_built_on_demand);
  ADD ("/window/header-icons-after-first-frame", test_header_icons_after_first_frame);
#undef ADD
  g_test_add ("/window/board-prepared-while-mapping", Fixture, NULL, fixture_set_up_prepared,
              test_board_prepared_while_mapping, fixture_tear_down);
  /* In another language and direction too: the board's language is set before the
   * layout is prepared, and the prepared layout is the one shown. */
  g_test_add ("/window/board-prepared-while-mapping/ar", Fixture, "ar", fixture_set_up_prepared,
              test_board_prepared_while_mapping, fixture_tear_down);
  g_test_add ("/window/board-prepared-while-mapping/zh_CN", Fixture, "zh_CN",
              fixture_set_up_prepared, test_board_prepared_while_mapping, fixture_tear_down);
  g_test_add ("/window/kiosk-is-board-only", Fixture, NULL, fixture_set_up_kiosk,
              test_kiosk_is_board_only, fixture_tear_down);

  status = g_test_run ();
  ui_stop_window_manager ();
  return status;
}
