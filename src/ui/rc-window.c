/* rc-window.c — the board window: the board filling a window, and replay controls.
 *
 * The chrome is a header bar with the vote's symbol, the replay's position or the
 * feed's connection state, and a menu; it goes away in full screen, where the board
 * must be all there is. The board's clock shows the journal's time, ticking on the
 * journal's second boundaries so a second is never skipped or shown twice at speed 1;
 * with a feed, the time of its last event, ticking on from when it arrived. */
#include "rc-board-a11y.h"
#include "rc-window.h"
#include "rc-window-private.h"

#include <glib/gi18n.h>

#include "rc-config.h"
#include "rc-resources.h"

/* Seconds without pointer motion before the cursor hides in full screen. */
#define CURSOR_HIDE_SECONDS 3

G_DEFINE_FINAL_TYPE (RcWindow, rc_window, GTK_TYPE_APPLICATION_WINDOW)

enum { PROP_0, PROP_SETTINGS, PROP_KIOSK, PROP_GLYPHS, PROP_CURRENT_NAMES, PROP_PALETTE, N_PROPS };
static GParamSpec *props[N_PROPS];

/* ---- titles ---------------------------------------------------------------- */

/* How far into its second a time is: 0 to 999,999 µs, before 1970 too (a vote of
 * 1946 has a negative time). */
static gint64
into_second_of (gint64 time)
{
  return (time % G_USEC_PER_SEC + G_USEC_PER_SEC) % G_USEC_PER_SEC;
}

static char *
format_position (gint64 us)
{
  gint64 s = us / G_USEC_PER_SEC;

  if (s >= 3600)
    return g_strdup_printf ("%" G_GINT64_FORMAT ":%02d:%02d", s / 3600, (int) (s / 60 % 60),
                            (int) (s % 60));
  return g_strdup_printf ("%d:%02d", (int) (s / 60), (int) (s % 60));
}

static void
update_subtitle (RcWindow *self)
{
  g_autofree char *pos = NULL;
  g_autofree char *dur = NULL;
  g_autofree char *text = NULL;
  double speed;

  if (self->feed != NULL)
    {
      gtk_label_set_text (self->subtitle_label, rc_feed_client_get_status (self->feed));
      gtk_widget_set_visible (GTK_WIDGET (self->subtitle_label), TRUE);
      return;
    }
  if (self->replay == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->subtitle_label), FALSE);
      return;
    }
  pos = format_position (rc_replay_get_position (self->replay));
  dur = format_position (rc_replay_get_duration (self->replay));
  speed = rc_replay_get_speed (self->replay);
  /* Translators: replay position, duration and speed, e.g. "Replay 0:42 / 3:10 ×2" */
  text = g_strdup_printf (_("Replay %s / %s ×%g%s"), pos, dur, speed,
                          rc_replay_is_playing (self->replay) ? "" : _(" · paused"));
  gtk_label_set_text (self->subtitle_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->subtitle_label), TRUE);
}

static void
update_title (RcWindow *self)
{
  RcVote *vote = rc_board_widget_get_vote (self->board);
  RcSession *session = rc_board_widget_get_session (self->board);
  const char *what = NULL;
  g_autofree char *title = NULL;

  if (vote != NULL)
    {
      const RcVoteInfo *info = rc_vote_get_info (vote);

      what = info->symbol != NULL ? info->symbol : info->draft != NULL ? info->draft : info->title;
    }
  else if (session != NULL && rc_session_get_info (session) != NULL)
    what = rc_session_get_info (session)->meeting;

  gtk_label_set_text (self->title_label, what != NULL ? what : _("Rollcall"));
  /* Translators: the window's title: a vote's document symbol, then the app's name */
  title = what != NULL ? g_strdup_printf (_("%s – Rollcall"), what) : g_strdup (_("Rollcall"));
  gtk_window_set_title (GTK_WINDOW (self), title);
}

/* ---- clock ----------------------------------------------------------------- */

static void schedule_clock (RcWindow *self);
static gboolean on_clock (gpointer data);
static void disconnect_feed (RcWindow *self);

static gboolean
on_clock (gpointer data)
{
  RcWindow *self = data;

  self->clock_id = 0;
  schedule_clock (self);
  return G_SOURCE_REMOVE;
}

/* A feed says when each event happened, not what time it is between them: the clock
 * runs on from the last event's time at the speed of this machine's clock, and stops
 * while the feed is not live (a running clock would look live). */
static void
schedule_feed_clock (RcWindow *self)
{
  gint64 now;

  if (self->feed_time == 0)
    {
      rc_board_widget_set_clock_time (self->board, 0);
      return;
    }
  now = self->feed_time + (g_get_monotonic_time () - self->feed_time_at);
  rc_board_widget_set_clock_time (self->board, now);
  if (rc_feed_client_get_state (self->feed) == RC_FEED_CLIENT_LIVE)
    self->clock_id = g_timeout_add ((guint) ((G_USEC_PER_SEC - into_second_of (now)) / 1000) + 1,
                                    on_clock, self);
}

/* Shows the journal's time now and arms a timer for its next whole second. */
static void
schedule_clock (RcWindow *self)
{
  gint64 position, into_second, wait_us;
  double speed;

  g_clear_handle_id (&self->clock_id, g_source_remove);
  if (self->feed != NULL)
    {
      schedule_feed_clock (self);
      return;
    }
  if (self->replay == NULL)
    return;

  position = rc_replay_get_position (self->replay);
  rc_board_widget_set_clock_time (self->board, self->start_time + position);
  update_subtitle (self);
  if (!rc_replay_is_playing (self->replay))
    return;

  speed = rc_replay_get_speed (self->replay);
  into_second = into_second_of (self->start_time + position);
  /* A millisecond late rather than early: the tick must land in the new second. */
  wait_us = (gint64) ((G_USEC_PER_SEC - into_second) / speed) + 1000;
  /* At high speeds the clock still ticks at most ten times a second. */
  wait_us = MAX (wait_us, G_USEC_PER_SEC / 10);
  self->clock_id = g_timeout_add ((guint) ((wait_us + 999) / 1000), on_clock, self);
}

/* ---- replay ---------------------------------------------------------------- */

static void
on_replay_session (RcReplay *replay, GParamSpec *pspec, RcWindow *self)
{
  rc_board_widget_set_session (self->board, rc_replay_get_session (replay));
}

static void
on_replay_playing (RcReplay *replay, GParamSpec *pspec, RcWindow *self)
{
  gboolean playing = rc_replay_is_playing (replay);

  rc_window_update_play_icon (self);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->play_button), playing ? _("Pause") : _("Play"));
  rc_a11y_name_button (GTK_WIDGET (self->play_button), playing ? _ ("Pause") : _ ("Play"));
  schedule_clock (self);
}

static void
update_replay_actions (RcWindow *self)
{
  gboolean has = self->replay != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.play-pause", has);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.seek-backward", has);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.seek-forward", has);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.faster",
                                 has && rc_replay_get_speed (self->replay) < RC_WINDOW_MAX_SPEED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.slower",
                                 has && rc_replay_get_speed (self->replay) > RC_WINDOW_MIN_SPEED);
}

static void
play_pause_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  RcWindow *self = RC_WINDOW (widget);

  if (rc_replay_is_playing (self->replay))
    rc_replay_pause (self->replay);
  else
    {
      /* At the end, Play starts again from the beginning, as in any player. */
      if (rc_replay_get_position (self->replay) >= rc_replay_get_duration (self->replay))
        rc_replay_seek (self->replay, 0);
      rc_replay_play (self->replay);
    }
}

static void
seek_by (RcWindow *self, gint64 delta)
{
  gint64 position = rc_replay_get_position (self->replay) + delta;

  rc_replay_seek (self->replay, MAX (position, 0));
  schedule_clock (self);
}

static void
seek_backward_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  seek_by (RC_WINDOW (widget), -RC_WINDOW_SEEK_STEP_SECONDS * G_USEC_PER_SEC);
}

static void
seek_forward_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  seek_by (RC_WINDOW (widget), RC_WINDOW_SEEK_STEP_SECONDS * G_USEC_PER_SEC);
}

static void
change_speed (RcWindow *self, double factor)
{
  double speed = rc_replay_get_speed (self->replay) * factor;

  rc_replay_set_speed (self->replay, CLAMP (speed, RC_WINDOW_MIN_SPEED, RC_WINDOW_MAX_SPEED));
  update_replay_actions (self);
  schedule_clock (self);
}

static void
faster_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  change_speed (RC_WINDOW (widget), 2.0);
}

static void
slower_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  change_speed (RC_WINDOW (widget), 0.5);
}

void
rc_window_set_replay (RcWindow *self, RcReplay *replay, gint64 start_time)
{
  g_return_if_fail (RC_IS_WINDOW (self));
  g_return_if_fail (replay == NULL || RC_IS_REPLAY (replay));

  if (replay != NULL)
    disconnect_feed (self);
  if (self->replay != NULL)
    g_signal_handlers_disconnect_by_data (self->replay, self);
  g_set_object (&self->replay, replay);
  self->start_time = start_time;
  if (replay != NULL)
    {
      g_signal_connect_object (replay, "notify::session", G_CALLBACK (on_replay_session), self,
                               0);
      g_signal_connect_object (replay, "notify::playing", G_CALLBACK (on_replay_playing), self,
                               0);
      rc_board_widget_set_session (self->board, rc_replay_get_session (replay));
      on_replay_playing (replay, NULL, self);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->play_button), replay != NULL);
  update_replay_actions (self);
  schedule_clock (self);
}

RcReplay *
rc_window_get_replay (RcWindow *self)
{
  g_return_val_if_fail (RC_IS_WINDOW (self), NULL);
  return self->replay;
}

/* ---- feed ------------------------------------------------------------------------ */

/* On air when the stream has ever put something there; until then the vote being
 * taken, as a journal without on-air events is shown. A chosen vote stays chosen. */
static void
update_feed_follow (RcWindow *self)
{
  if (rc_board_widget_get_follow (self->board) == RC_BOARD_FOLLOW_NONE)
    return;
  rc_board_widget_set_follow (self->board, self->feed_on_air ? RC_BOARD_FOLLOW_ON_AIR
                                                             : RC_BOARD_FOLLOW_CURRENT);
}

static void
on_feed_on_air_changed (RcSession *session, RcWindow *self)
{
  self->feed_on_air = TRUE;
  update_feed_follow (self);
}

static void
on_feed_applied (RcSession *session, gpointer event, RcWindow *self)
{
  self->feed_time = ((const RcEvent *) event)->time;
  self->feed_time_at = g_get_monotonic_time ();
  /* Cheap at thousands of events a second: the board repaints only a new second, and
   * the running timer re-aligns on its next tick. */
  rc_board_widget_set_clock_time (self->board, self->feed_time);
  if (self->clock_id == 0)
    schedule_clock (self);
}

static void
on_feed_session (RcFeedClient *client, GParamSpec *pspec, RcWindow *self)
{
  RcSession *session = rc_feed_client_get_session (client);

  if (self->feed_session != NULL)
    g_signal_handlers_disconnect_by_data (self->feed_session, self);
  g_set_object (&self->feed_session, session);
  /* The snapshot says whether anything was ever put on air. */
  self->feed_on_air = rc_session_has_on_air (session);
  self->feed_time = rc_session_get_last_time (session);
  self->feed_time_at = g_get_monotonic_time ();
  g_signal_connect_object (session, "on-air-changed", G_CALLBACK (on_feed_on_air_changed), self,
                           0);
  g_signal_connect_object (session, "applied", G_CALLBACK (on_feed_applied), self, 0);
  update_feed_follow (self);
  rc_board_widget_set_session (self->board, session);
  schedule_clock (self);
}

static void
on_feed_state (RcFeedClient *client, GParamSpec *pspec, RcWindow *self)
{
  /* Whatever is not live may be out of date: the board says so. */
  rc_board_widget_set_stale (self->board,
                             rc_feed_client_get_state (client) != RC_FEED_CLIENT_LIVE);
  schedule_clock (self);
}

static void
on_feed_status (RcFeedClient *client, GParamSpec *pspec, RcWindow *self)
{
  update_subtitle (self);
}

static void
disconnect_feed (RcWindow *self)
{
  if (self->feed_session != NULL)
    g_signal_handlers_disconnect_by_data (self->feed_session, self);
  g_clear_object (&self->feed_session);
  if (self->feed != NULL)
    g_signal_handlers_disconnect_by_data (self->feed, self);
  g_clear_object (&self->feed);
}

void
rc_window_set_feed (RcWindow *self, RcFeedClient *client)
{
  g_return_if_fail (RC_IS_WINDOW (self));
  g_return_if_fail (client == NULL || RC_IS_FEED_CLIENT (client));

  disconnect_feed (self);
  if (client != NULL)
    {
      rc_window_set_replay (self, NULL, 0);
      self->feed = g_object_ref (client);
      g_signal_connect_object (client, "notify::session", G_CALLBACK (on_feed_session), self, 0);
      g_signal_connect_object (client, "notify::state", G_CALLBACK (on_feed_state), self, 0);
      g_signal_connect_object (client, "notify::status", G_CALLBACK (on_feed_status), self, 0);
      rc_board_widget_set_follow (self->board, RC_BOARD_FOLLOW_CURRENT);
      on_feed_session (client, NULL, self);
      on_feed_state (client, NULL, self);
    }
  else
    rc_board_widget_set_stale (self->board, FALSE);
  update_subtitle (self);
  schedule_clock (self);
}

RcFeedClient *
rc_window_get_feed (RcWindow *self)
{
  g_return_val_if_fail (RC_IS_WINDOW (self), NULL);
  return self->feed;
}

/* ---- full screen and the cursor ---------------------------------------------- */

static void
show_cursor (RcWindow *self, gboolean show)
{
  if (self->cursor_hidden == !show)
    return;
  self->cursor_hidden = !show;
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), show ? NULL : "none");
}

static gboolean
on_cursor_timeout (gpointer data)
{
  RcWindow *self = data;

  self->cursor_id = 0;
  show_cursor (self, FALSE);
  return G_SOURCE_REMOVE;
}

static void
arm_cursor_timeout (RcWindow *self)
{
  g_clear_handle_id (&self->cursor_id, g_source_remove);
  /* A kiosk hides it even where no window manager made it full screen. */
  if (self->kiosk || gtk_window_is_fullscreen (GTK_WINDOW (self)))
    self->cursor_id = g_timeout_add_seconds (CURSOR_HIDE_SECONDS, on_cursor_timeout, self);
}

static void
on_motion (GtkEventControllerMotion *controller, double x, double y, RcWindow *self)
{
  /* Some servers repeat the last position after a cursor change: only a real move
   * brings the cursor back. */
  if (ABS (x - self->pointer_x) < 2 && ABS (y - self->pointer_y) < 2)
    return;
  self->pointer_x = x;
  self->pointer_y = y;
  show_cursor (self, TRUE);
  arm_cursor_timeout (self);
}

static void
on_fullscreened (RcWindow *self)
{
  gboolean fullscreen = gtk_window_is_fullscreen (GTK_WINDOW (self));

  if (self->header_bar != NULL)
    gtk_widget_set_visible (self->header_bar, !fullscreen);
  if (fullscreen || self->kiosk)
    arm_cursor_timeout (self);
  else
    {
      g_clear_handle_id (&self->cursor_id, g_source_remove);
      show_cursor (self, TRUE);
    }
}

static void
leave_fullscreen_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  RcWindow *self = RC_WINDOW (widget);

  /* A kiosk stays full screen: nothing reaches the hall by accident. */
  if (!self->kiosk)
    gtk_window_unfullscreen (GTK_WINDOW (self));
}

/* ---- style from settings ----------------------------------------------------- */

static void
on_palette_changed (RcWindow *self)
{
  g_autoptr (RcStyle) style = rc_style_copy (rc_board_widget_get_style (self->board));
  const char *name = rc_settings_get_palette (self->settings);
  g_autoptr (GError) error = NULL;

  if (name == NULL || name[0] == '\0')
    rc_style_set_palette (style, NULL);
  else if (!rc_style_load_palette (style, name, &error))
    {
      /* A palette named in the settings that is gone: the chamber's colours will do. */
      g_message ("palette setting ignored: %s", error->message);
      rc_style_set_palette (style, NULL);
    }
  /* A kiosk is a hall's screen: the operator's marks stay off it. */
  style->hall = self->kiosk;
  rc_board_widget_set_style (self->board, style);
}

/* ---- GObject ----------------------------------------------------------------- */

static gboolean
rc_window_close_request (GtkWindow *window)
{
  RcWindow *self = RC_WINDOW (window);
  int width, height;

  /* Only a window the user sized is worth remembering. */
  if (!self->kiosk && !gtk_window_is_fullscreen (window))
    {
      gtk_window_get_default_size (window, &width, &height);
      if (width > 0 && height > 0)
        rc_settings_set_window_size (self->settings, width, height,
                                     gtk_window_is_maximized (window));
    }
  return GTK_WINDOW_CLASS (rc_window_parent_class)->close_request (window);
}

static void
rc_window_constructed (GObject *object)
{
  RcWindow *self = RC_WINDOW (object);
  int width, height;
  gboolean maximized;

  G_OBJECT_CLASS (rc_window_parent_class)->constructed (object);

  if (self->settings == NULL)
    self->settings = rc_settings_new ();
  g_object_bind_property (self->settings, "colour-blind-glyphs", self, "glyphs",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->settings, "current-names", self, "current-names",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->settings, "board-language", self->board, "board-language",
                          G_BINDING_SYNC_CREATE);
  /* The palette from the keyboard too (win.palette: the menu, F10, and its keys). */
  g_object_bind_property (self->settings, "palette", self, "palette",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->settings, "notify::palette", G_CALLBACK (on_palette_changed),
                           self, G_CONNECT_SWAPPED);
  on_palette_changed (self);

  if (self->kiosk)
    {
      GListModel *monitors = gdk_display_get_monitors (gtk_widget_get_display (GTK_WIDGET (self)));
      g_autoptr (GdkMonitor) first = g_list_model_get_item (monitors, 0);

      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.fullscreen", FALSE);
      /* No header bar at all: a window with a custom title bar gets client-side
       * decorations (shadows, margins), which would keep the board off the edges. */
      gtk_window_set_titlebar (GTK_WINDOW (self), NULL);
      self->header_bar = NULL;
      gtk_widget_add_css_class (GTK_WIDGET (self), "kiosk");
      /* No frame, no resize border: the board reaches the screen's edges even where
       * no window manager makes the window full screen. */
      gtk_window_set_decorated (GTK_WINDOW (self), FALSE);
      show_cursor (self, FALSE);
      if (first != NULL)
        rc_window_fill_monitor (self, first);
      else
        gtk_window_fullscreen (GTK_WINDOW (self));
    }
  else
    {
      rc_settings_get_window_size (self->settings, &width, &height, &maximized);
      gtk_window_set_default_size (GTK_WINDOW (self), width, height);
      self->starts_maximized = maximized;
      if (maximized)
        gtk_window_maximize (GTK_WINDOW (self));
    }
  on_fullscreened (self);
}

static void
rc_window_dispose (GObject *object)
{
  RcWindow *self = RC_WINDOW (object);

  g_clear_handle_id (&self->clock_id, g_source_remove);
  g_clear_handle_id (&self->cursor_id, g_source_remove);
  rc_window_chrome_dispose (self);
  if (self->replay != NULL)
    g_signal_handlers_disconnect_by_data (self->replay, self);
  g_clear_object (&self->replay);
  disconnect_feed (self);
  G_OBJECT_CLASS (rc_window_parent_class)->dispose (object);
}

static void
rc_window_finalize (GObject *object)
{
  RcWindow *self = RC_WINDOW (object);

  g_clear_object (&self->settings);
  g_free (self->palette);
  G_OBJECT_CLASS (rc_window_parent_class)->finalize (object);
}

static void
rc_window_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  RcWindow *self = RC_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS: g_value_set_object (value, self->settings); break;
    case PROP_KIOSK: g_value_set_boolean (value, self->kiosk); break;
    case PROP_GLYPHS: g_value_set_boolean (value, self->glyphs); break;
    case PROP_CURRENT_NAMES: g_value_set_boolean (value, self->current_names); break;
    case PROP_PALETTE:
      g_value_set_string (value, self->palette != NULL ? self->palette : "");
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rc_window_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  RcWindow *self = RC_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS: self->settings = g_value_dup_object (value); break;
    case PROP_KIOSK: self->kiosk = g_value_get_boolean (value); break;
    case PROP_GLYPHS:
      if (self->glyphs != g_value_get_boolean (value))
        {
          self->glyphs = g_value_get_boolean (value);
          rc_board_widget_set_glyphs (self->board, self->glyphs);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_CURRENT_NAMES:
      if (self->current_names != g_value_get_boolean (value))
        {
          self->current_names = g_value_get_boolean (value);
          rc_board_widget_set_current_names (self->board, self->current_names);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_PALETTE:
      /* The settings' value: the settings redraw the board (on_palette_changed). */
      if (g_strcmp0 (self->palette, g_value_get_string (value)) != 0)
        {
          g_free (self->palette);
          self->palette = g_value_dup_string (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rc_window_class_init (RcWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = rc_window_constructed;
  object_class->dispose = rc_window_dispose;
  object_class->finalize = rc_window_finalize;
  object_class->get_property = rc_window_get_property;
  object_class->set_property = rc_window_set_property;
  window_class->close_request = rc_window_close_request;

  props[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, RC_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  props[PROP_KIOSK] =
    g_param_spec_boolean ("kiosk", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  props[PROP_GLYPHS] =
    g_param_spec_boolean ("glyphs", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_PALETTE]
    = g_param_spec_string ("palette", NULL, NULL, "",
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_CURRENT_NAMES] =
    g_param_spec_boolean ("current-names", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  /* Referencing the resource bundle links its object out of the static library;
   * its constructor registers it. */
  (void) rc_get_resource ();
  g_type_ensure (RC_TYPE_BOARD_WIDGET);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/rollcall/Rollcall/rc-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RcWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, RcWindow, title_label);
  gtk_widget_class_bind_template_child (widget_class, RcWindow, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, RcWindow, play_button);
  gtk_widget_class_bind_template_child (widget_class, RcWindow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, RcWindow, primary_menu);
  gtk_widget_class_bind_template_child (widget_class, RcWindow, board);
  gtk_widget_class_bind_template_callback (widget_class, on_motion);
  gtk_widget_class_bind_template_callback (widget_class, on_fullscreened);
  gtk_widget_class_bind_template_callback (widget_class, update_title);

  gtk_widget_class_install_property_action (widget_class, "win.fullscreen", "fullscreened");
  gtk_widget_class_install_property_action (widget_class, "win.glyphs", "glyphs");
  gtk_widget_class_install_property_action (widget_class, "win.current-names", "current-names");
  gtk_widget_class_install_property_action (widget_class, "win.palette", "palette");
  gtk_widget_class_install_action (widget_class, "win.leave-fullscreen", NULL,
                                   leave_fullscreen_activated);
  rc_window_chrome_class_init (widget_class);
  gtk_widget_class_install_action (widget_class, "win.play-pause", NULL, play_pause_activated);
  gtk_widget_class_install_action (widget_class, "win.seek-backward", NULL,
                                   seek_backward_activated);
  gtk_widget_class_install_action (widget_class, "win.seek-forward", NULL,
                                   seek_forward_activated);
  gtk_widget_class_install_action (widget_class, "win.faster", NULL, faster_activated);
  gtk_widget_class_install_action (widget_class, "win.slower", NULL, slower_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.leave-fullscreen",
                                       NULL);
}

static void
rc_window_init (RcWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The board has the focus, not the first button GTK would give it to (the main
   * menu's, which Space would open in a feed window, where Space does nothing). */
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->board));
  rc_window_chrome_init (self);
  self->pointer_x = self->pointer_y = -1;
  update_replay_actions (self);
  update_title (self);
  gtk_widget_set_visible (GTK_WIDGET (self->play_button), FALSE);
}

RcWindow *
rc_window_new (GtkApplication *application, RcSettings *settings, gboolean kiosk)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (settings == NULL || RC_IS_SETTINGS (settings), NULL);

  return g_object_new (RC_TYPE_WINDOW, "application", application, "settings", settings,
                       "kiosk", kiosk, NULL);
}

void
rc_window_fill_monitor (RcWindow *self, GdkMonitor *monitor)
{
  GdkRectangle geometry;

  g_return_if_fail (RC_IS_WINDOW (self));
  g_return_if_fail (GDK_IS_MONITOR (monitor));

  /* Full screen is a request to the window manager; a display PC may run none, and
   * then only a window of the monitor's size fills the screen. */
  gdk_monitor_get_geometry (monitor, &geometry);
  gtk_window_set_default_size (GTK_WINDOW (self), geometry.width, geometry.height);
  gtk_window_fullscreen_on_monitor (GTK_WINDOW (self), monitor);
}

RcBoardWidget *
rc_window_get_board (RcWindow *self)
{
  g_return_val_if_fail (RC_IS_WINDOW (self), NULL);
  return self->board;
}

gboolean
rc_window_get_kiosk (RcWindow *self)
{
  g_return_val_if_fail (RC_IS_WINDOW (self), FALSE);
  return self->kiosk;
}
